"""The case as the fold of its custody journal: items, notes, case details, seals."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field, fields
from functools import cache
from types import CodeType
from typing import Any

from evidence_app import __version__
from evidence_app.core.journal import Record


@dataclass
class Note:
    id: str
    item_id: str | None
    text: str
    created_at: str
    created_offset: str
    edited_at: str | None = None
    versions: int = 1


@dataclass
class Item:
    id: str
    object_id: str
    name: str
    size: int
    sha256: str
    media_type: str
    added_at: str
    added_offset: str
    file_mtime: str | None
    file_mtime_offset: str | None
    source: dict[str, Any]
    sensitive: bool
    duplicate_of: str | None
    exif: dict[str, Any]
    image: dict[str, Any] | None
    thumbnail: dict[str, Any] | None
    kind: str = "original"
    derived_from: str | None = None
    withdrawn: bool = False
    withdrawn_reason: str | None = None
    description: str = ""
    history: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The fields `list --json` promises, plus a few a person filters by."""
        return {
            "id": self.id,
            "name": self.name,
            "size": self.size,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "added_at": self.added_at,
            "kind": self.kind,
            "sensitive": self.sensitive,
            "duplicate_of": self.duplicate_of,
            "withdrawn": self.withdrawn,
        }


@dataclass
class CaseState:
    vault_id: str = ""
    created_at: str = ""
    public_key: str = ""
    items: dict[str, Item] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    case: dict[str, Any] = field(default_factory=dict)
    seals: list[dict[str, Any]] = field(default_factory=list)
    by_sha256: dict[str, str] = field(default_factory=dict)

    def next_item_id(self) -> str:
        return str(len(self.items) + 1)

    def next_note_id(self) -> str:
        return f"n{len(self.notes) + 1}"

    def notes_for(self, item_id: str | None) -> list[Note]:
        return [n for n in self.notes.values() if n.item_id == item_id]

    def apply(self, record: Record) -> None:
        handler = _HANDLERS.get(record["type"])
        if handler is not None:
            handler(self, record)
        item_id = record["data"].get("item_id") if isinstance(record.get("data"), dict) else None
        if item_id in self.items:
            self.items[item_id].history.append(record["seq"])


def _vault_created(state: CaseState, rec: Record) -> None:
    state.vault_id = rec["data"].get("vault_id", "")
    state.public_key = rec["data"].get("public_key", "")
    state.created_at = rec["time"]


def _item_added(state: CaseState, rec: Record) -> None:
    d = rec["data"]
    item = Item(
        id=d["item_id"],
        object_id=d["object_id"],
        name=d["name"],
        size=int(d["size"]),
        sha256=d["sha256"],
        media_type=d["media_type"],
        added_at=rec["time"],
        added_offset=rec["offset"],
        file_mtime=d.get("file_mtime"),
        file_mtime_offset=d.get("file_mtime_offset"),
        source=d.get("source", {}),
        sensitive=bool(d.get("sensitive", False)),
        duplicate_of=d.get("duplicate_of"),
        exif=d.get("exif", {}),
        image=d.get("image"),
        thumbnail=d.get("thumbnail"),
        kind=d.get("kind", "original"),
        derived_from=d.get("derived_from"),
        description=d.get("description", ""),
    )
    state.items[item.id] = item
    state.by_sha256.setdefault(item.sha256, item.id)
    if d.get("note"):
        note_id = d.get("note_id") or state.next_note_id()
        state.notes[note_id] = Note(note_id, item.id, d["note"], rec["time"], rec["offset"])


def _note_added(state: CaseState, rec: Record) -> None:
    d = rec["data"]
    state.notes[d["note_id"]] = Note(d["note_id"], d.get("item_id"), d["text"], rec["time"],
                                     rec["offset"])


def _note_edited(state: CaseState, rec: Record) -> None:
    d = rec["data"]
    note = state.notes.get(d["note_id"])
    if note is not None:
        note.text = d["text"]
        note.edited_at = rec["time"]
        note.versions += 1


def _case_updated(state: CaseState, rec: Record) -> None:
    for key, value in rec["data"].get("fields", {}).items():
        if value in (None, "", [], {}):
            state.case.pop(key, None)
        else:
            state.case[key] = value


def _item_flagged(state: CaseState, rec: Record) -> None:
    d = rec["data"]
    item = state.items.get(d["item_id"])
    if item is not None:
        if "sensitive" in d:
            item.sensitive = bool(d["sensitive"])
        if "description" in d:
            item.description = d["description"]


def _item_withdrawn(state: CaseState, rec: Record) -> None:
    item = state.items.get(rec["data"]["item_id"])
    if item is not None:
        item.withdrawn = True
        item.withdrawn_reason = rec["data"].get("reason")


def _bundle_sealed(state: CaseState, rec: Record) -> None:
    state.seals.append(dict(rec["data"], time=rec["time"]))


def _bundle_discarded(state: CaseState, rec: Record) -> None:
    """A seal stopped after it was recorded: that bundle was never kept."""
    sha = rec["data"].get("sha256")
    state.seals[:] = [s for s in state.seals if s.get("sha256") != sha]


_HANDLERS = {
    "vault_created": _vault_created,
    "item_added": _item_added,
    "note_added": _note_added,
    "note_edited": _note_edited,
    "case_updated": _case_updated,
    "item_updated": _item_flagged,
    "item_withdrawn": _item_withdrawn,
    "bundle_sealed": _bundle_sealed,
    "bundle_discarded": _bundle_discarded,
}


def fold(records: list[Record]) -> CaseState:
    state = CaseState()
    for record in records:
        state.apply(record)
    return state


# --- the fold as data (for the encrypted snapshot, core/snapshot.py) -----------------------

_ITEM_FIELDS = tuple(f.name for f in fields(Item))
_NOTE_FIELDS = tuple(f.name for f in fields(Note))


def state_to_data(state: CaseState) -> dict[str, Any]:
    """The state as JSON-ready data: one row of values per item and note."""
    return {
        "vault_id": state.vault_id, "created_at": state.created_at,
        "public_key": state.public_key, "case": state.case, "seals": state.seals,
        "by_sha256": state.by_sha256,
        "item_fields": _ITEM_FIELDS,
        "items": [[getattr(item, name) for name in _ITEM_FIELDS]
                  for item in state.items.values()],
        "note_fields": _NOTE_FIELDS,
        "notes": [[getattr(note, name) for name in _NOTE_FIELDS]
                  for note in state.notes.values()],
    }


def state_from_data(data: dict[str, Any]) -> CaseState:
    """The state state_to_data() described; raises ValueError when it does not fit."""
    if list(data["item_fields"]) != list(_ITEM_FIELDS) \
            or list(data["note_fields"]) != list(_NOTE_FIELDS):
        raise ValueError("state fields differ")
    items = [Item(*row) for row in data["items"]]
    notes = [Note(*row) for row in data["notes"]]
    state = CaseState(
        vault_id=data["vault_id"], created_at=data["created_at"],
        public_key=data["public_key"],
        items={item.id: item for item in items}, notes={note.id: note for note in notes},
        case=data["case"], seals=data["seals"], by_sha256=data["by_sha256"])
    if not all(isinstance(v, str) for v in (state.vault_id, state.created_at,
                                           state.public_key)) \
            or not all(isinstance(v, dict) for v in (state.case, state.by_sha256)) \
            or not isinstance(state.seals, list) or len(state.items) != len(items) \
            or len(state.notes) != len(notes):
        raise ValueError("state shape")
    return state


@cache
def fold_fingerprint() -> str:
    """Names this version of the fold (the code above, the app's version): a snapshot
    folded by other code, which might read the same records differently, is not reused."""
    digest = hashlib.sha256(f"{__version__}|{sys.version_info[:2]}".encode())
    digest.update(repr((sorted(_HANDLERS), _ITEM_FIELDS, _NOTE_FIELDS,
                        tuple(f.name for f in fields(CaseState)))).encode())
    codes = [fn.__code__ for fn in (*_HANDLERS.values(), fold, CaseState.apply,
                                    CaseState.next_item_id, CaseState.next_note_id)]
    while codes:
        code = codes.pop()
        digest.update(code.co_code)
        digest.update(repr(code.co_names).encode())
        for const in code.co_consts:
            if isinstance(const, CodeType):
                codes.append(const)
            else:
                digest.update(repr(const).encode())
    return digest.hexdigest()
