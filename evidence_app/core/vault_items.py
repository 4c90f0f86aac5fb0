"""Items, notes and case details in an open vault; reading back, exporting, checking."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_app.core.errors import (
    CorruptObject,
    EvidenceError,
    HashMismatch,
    ItemNotFound,
    MissingObject,
    NoteNotFound,
    OutputExists,
)
from evidence_app.core.journal import Record, check_chain, head_mismatch
from evidence_app.core.objectstore import CancelCheck, Progress
from evidence_app.core.record_types import RecordType
from evidence_app.core.safefs import atomic_output, safe_file_name
from evidence_app.core.state import Item, Note
from evidence_app.core.vault_parts import VaultParts

if TYPE_CHECKING:

    pass


@dataclass
class CheckResult:
    item_id: str
    name: str
    ok: bool
    problem: EvidenceError | None = None


class ItemsMixin(VaultParts):
    """Vault methods about what is in the case (mixed into Vault)."""

    # --- notes, case details, flags -----------------------------------------------------

    def item(self, item_id: str) -> Item:
        key = str(item_id).lstrip("#")
        found = self.state.items.get(key)
        if found is None:
            raise ItemNotFound(str(item_id))
        return found

    def item_details(self, item_id: str) -> dict[str, Any]:
        """Every recorded field of an item, its notes and custody history (show, items.json)."""
        item = self.item(item_id)
        notes = [
            {"id": n.id, "text": n.text, "created_at": n.created_at, "edited_at": n.edited_at}
            for n in self.state.notes_for(item.id)
        ]
        seqs = set(item.history)
        history = [
            {"seq": r["seq"], "time": r["time"], "type": r["type"]}
            for r in self.records
            if r["seq"] in seqs
        ]
        return {
            "id": item.id,
            "name": item.name,
            "size": item.size,
            "sha256": item.sha256,
            "media_type": item.media_type,
            "added_at": item.added_at,
            "added_offset": item.added_offset,
            "file_mtime": item.file_mtime,
            "file_mtime_offset": item.file_mtime_offset,
            "source": item.source,
            "sensitive": item.sensitive,
            "duplicate_of": item.duplicate_of,
            "kind": item.kind,
            "derived_from": item.derived_from,
            "description": item.description,
            "withdrawn": item.withdrawn,
            "withdrawn_reason": item.withdrawn_reason,
            "image": item.image,
            "exif": item.exif,
            "has_thumbnail": bool(item.thumbnail),
            "notes": notes,
            "history": history,
        }

    def add_note(self, text: str, item_id: str | None = None) -> Note:
        if item_id is not None:
            item_id = self.item(item_id).id
        note_id = self.state.next_note_id()
        self._append("note_added", {"note_id": note_id, "item_id": item_id, "text": text})
        return self.state.notes[note_id]

    def edit_note(self, note_id: str, text: str) -> Note:
        if note_id not in self.state.notes:
            raise NoteNotFound(note_id)
        note = self.state.notes[note_id]
        self._append("note_edited", {"note_id": note_id, "item_id": note.item_id, "text": text})
        return note

    def update_case(self, fields: dict[str, Any]) -> None:
        """Merge case details (statement, dates, platforms, ...); empty values clear a field."""
        changed = {k: v for k, v in fields.items() if self.state.case.get(k) != v}
        if changed:
            self._append("case_updated", {"fields": changed})

    def update_item(
        self, item_id: str, *, sensitive: bool | None = None, description: str | None = None
    ) -> Item:
        item = self.item(item_id)
        data: dict[str, Any] = {"item_id": item.id}
        if sensitive is not None:
            data["sensitive"] = sensitive
        if description is not None:
            data["description"] = description
        self._append("item_updated", data)
        return item

    def withdraw_item(self, item_id: str, reason: str) -> Item:
        """Mark an item as not part of the evidence; nothing is ever deleted."""
        item = self.item(item_id)
        self._append("item_withdrawn", {"item_id": item.id, "reason": reason})
        return item

    def record_viewed(self, item_id: str) -> None:
        self._append("item_viewed", {"item_id": self.item(item_id).id})

    def record(self, rtype: RecordType, data: dict[str, Any]) -> Record:
        """Record another event (bundle sealed, timestamp obtained...) in the custody log."""
        return self._append(rtype, data)

    # --- reading back --------------------------------------------------------------------

    def iter_item(self, item_id: str) -> Iterator[memoryview]:
        item = self.item(item_id)
        try:
            yield from self._store().iter_plaintext(item.object_id)
        except (CorruptObject, MissingObject) as exc:
            exc.item_id = item.id
            raise

    def read_item_range(self, item_id: str, offset: int, length: int) -> bytes:
        """Part of an original (the reader's page), without decrypting the rest of it."""
        item = self.item(item_id)
        try:
            return self._store().read_range(item.object_id, offset, length)
        except (CorruptObject, MissingObject) as exc:
            exc.item_id = item.id
            raise

    def thumbnail_bytes(self, item_id: str) -> bytes | None:
        item = self.item(item_id)
        if not item.thumbnail:
            return None
        return self._store().read_bytes(item.thumbnail["object_id"])

    def export_item(self, item_id: str, out: Path, *, overwrite: bool = False) -> Path:
        """Write the original, byte-for-byte and re-hashed on the way; the export is logged
        before the copy gets its name (see atomic_output)."""
        item = self.item(item_id)
        out = Path(out)
        dest = out / safe_file_name(item.name, item.id) if out.is_dir() else out
        if dest.exists() and not overwrite:
            raise OutputExists(dest)
        hasher = hashlib.sha256()
        destination = str(dest.resolve())

        def log_the_copy() -> None:
            self._append("item_exported", {"item_id": item.id, "destination": destination})

        with atomic_output(dest, before_publish=log_the_copy) as fh:
            for view in self.iter_item(item.id):
                hasher.update(view)
                fh.write(view)
            if hasher.hexdigest() != item.sha256:
                raise HashMismatch(item.id, item.sha256, hasher.hexdigest())
        return dest

    # --- integrity -----------------------------------------------------------------------

    def check(
        self, progress: Progress | None = None, cancel: CancelCheck | None = None
    ) -> list[CheckResult]:
        """Decrypt and re-hash every object; a bad one is reported, the rest still checked."""
        store = self._store()
        results: list[CheckResult] = []
        items = list(self.state.items.values())
        total = sum(i.size for i in items)
        done = 0
        for item in items:
            if cancel is not None and cancel():
                from evidence_app.core.errors import Cancelled

                raise Cancelled()
            try:
                digest, _size = store.hash_object(item.object_id, progress, done)
                if digest != item.sha256:
                    raise HashMismatch(item.id, item.sha256, digest)
                if item.thumbnail:
                    store.read_bytes(item.thumbnail["object_id"])
                results.append(CheckResult(item.id, item.name, True))
            except (CorruptObject, MissingObject) as exc:
                exc.item_id = item.id
                results.append(CheckResult(item.id, item.name, False, exc))
            except HashMismatch as exc:
                results.append(CheckResult(item.id, item.name, False, exc))
            done += item.size
            if progress is not None:
                progress(done, total, item.name)
        failed = [r.item_id for r in results if not r.ok]
        with contextlib.suppress(EvidenceError):
            self._append("integrity_checked", {"items": len(results), "failed": failed})
        return results

    def verify_log(self) -> int:
        """Check the whole chain and every signature; returns the record count or raises."""
        records = self._journal().records
        check_chain(records, self.public_key)
        if self.problem is not None:
            raise self.problem
        problem = head_mismatch(records, self._journal().read_head())
        if problem is not None:
            raise problem
        return len(records)
