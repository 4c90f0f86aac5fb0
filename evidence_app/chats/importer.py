"""Import a chat export into the vault: original, media, and the transcript derived from it.

Order matters for evidence: the export goes in first, byte for byte (a zip stays a zip);
then each media file the messages refer to (derived from the export, linked to its
messages); then the transcript as JSON, HTML and text, each naming the original.
Who "me" is must be settled (resolve_me) before anything is stored.
"""

from __future__ import annotations

import io
import json
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_app.chats.detect import ParsedExport, open_export
from evidence_app.chats.model import Conversation, match_participant
from evidence_app.chats.render import iter_transcript_html, iter_transcript_text
from evidence_app.chats.sources import FolderSource
from evidence_app.core.errors import ChatOwnerNotFound, ChatOwnerUnclear, ItemNotFound
from evidence_app.core.objectstore import CancelCheck
from evidence_app.core.safefs import safe_file_name
from evidence_app.core.vault import Vault

NOT_A_PARTICIPANT = "-"  # --me - : the person importing is not in this chat


@dataclass
class ImportResult:
    format: str
    conversations: list[Conversation]
    original_ids: list[str] = field(default_factory=list)
    media_ids: list[str] = field(default_factory=list)
    transcript_ids: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """What `import-chat --json` prints."""
        totals = {"messages": 0, "system_messages": 0, "attachments": 0, "unparsed_lines": 0,
                  "attachments_refused": 0}
        participants: dict[str, None] = {}
        for conv in self.conversations:
            for key, value in conv.counts().items():
                totals[key] += value
            totals["attachments_refused"] += conv.refused_attachments()
            participants.update(dict.fromkeys(conv.participants))
        return {
            "format": self.format,
            **totals,
            "participants": list(participants),
            "me": [c.me for c in self.conversations][0] if self.conversations else None,
            "conversations": len(self.conversations),
            "transcript_id": self.transcript_ids[0] if self.transcript_ids else None,
            "transcript_ids": self.transcript_ids,
            "original_ids": self.original_ids,
            "media_ids": self.media_ids,
        }


def unclear_candidates(parsed: ParsedExport) -> list[str]:
    """The names to choose "me" from, when the export does not say; [] when it does."""
    names: dict[str, None] = {}
    for conv in parsed.conversations:
        if conv.me is None and conv.participants:
            names.update(dict.fromkeys(conv.participants))
    return list(names)


def resolve_me(parsed: ParsedExport, me: str | None) -> None:
    """Apply the person's answer; raise when it is needed but missing or not a participant."""
    if me is None:
        candidates = unclear_candidates(parsed)
        if candidates:
            raise ChatOwnerUnclear(candidates)
        return
    if me == NOT_A_PARTICIPANT:
        for conv in parsed.conversations:
            if conv.me is None:
                conv.set_me(None, "user")
        return
    matched = False
    for conv in parsed.conversations:
        found = match_participant(me, conv.participants)
        if found is not None:
            conv.set_me(found, "user")
            matched = True
    if not matched:
        everyone = {p: None for c in parsed.conversations for p in c.participants}
        raise ChatOwnerNotFound(me, list(everyone))


def _title(conv: Conversation) -> str:
    return safe_file_name(conv.title or conv.platform, conv.platform)[:80]


def _store_originals(vault: Vault, parsed: ParsedExport) -> dict[str, str]:
    """Chat file name -> original item id (a zip or a single file: one item for all)."""
    source = {"type": "chat_export", "format": parsed.format,
              "platform": parsed.platform, "path": str(parsed.path.resolve())}
    if isinstance(parsed.source, FolderSource) and parsed.path.is_dir():
        ids = {}
        for name in parsed.chat_files:
            item = vault.add_file(parsed.source.path(name), source={**source, "member": name})
            ids[name] = item.id
        return ids
    item = vault.add_file(parsed.path, source=source)
    return dict.fromkeys(parsed.chat_files, item.id)


def _store_media(vault: Vault, parsed: ParsedExport, conv: Conversation, original: str,
                 done: dict[str, str], cancel: CancelCheck | None) -> None:
    src = parsed.source
    for index, att in conv.attachment_refs():
        if not att.path:
            continue
        if att.path not in done:
            with src.open(att.path) as fh:
                item = vault.add_stream(
                    fh, posixpath.basename(att.path),
                    source={"type": "chat_media", "format": parsed.format,
                            "member": att.path, "export_item": original},
                    total=src.size(att.path), reopen=src.opener(att.path),
                    kind="chat_media", derived_from=original, cancel=cancel,
                    description=f"{conv.platform} {att.kind}, message {index}")
            done[att.path] = item.id
        att.item_id = done[att.path]


class _TextStream(io.RawIOBase):
    """Text made a piece at a time, read as UTF-8 bytes (a transcript goes into the
    vault while it is written, never whole in memory)."""

    def __init__(self, pieces: Iterator[str]) -> None:
        self._pieces = pieces
        self._data = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at >= len(self._data):
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._data = piece.encode("utf-8", "replace")  # a lone surrogate: "?"
            self._at = 0
        count = min(len(buffer), len(self._data) - self._at)
        buffer[:count] = self._data[self._at:self._at + count]
        self._at += count
        return count


def _store_text(vault: Vault, pieces: Iterator[str], name: str, **fields: Any) -> str:
    return vault.add_stream(io.BufferedReader(_TextStream(pieces)), name, **fields).id


def _store_transcript(vault: Vault, conv: Conversation, original: str) -> str:
    base = _title(conv)
    common = {"type": "chat_transcript", "platform": conv.platform, "format": conv.format,
              "transcript_of": original}
    js = _store_text(vault, conv.iter_json(), f"{base} transcript.json",
                     source={**common, "role": "json"}, kind="transcript",
                     derived_from=original, description=f"{conv.platform} transcript (JSON)")
    linked = {**common, "json_item": js}
    _store_text(vault, iter_transcript_html(conv), f"{base} transcript.html",
                source={**linked, "role": "html"}, kind="transcript",
                derived_from=original, description=f"{conv.platform} transcript (HTML)")
    _store_text(vault, iter_transcript_text(conv), f"{base} transcript.txt",
                source={**linked, "role": "text"}, kind="transcript",
                derived_from=original, description=f"{conv.platform} transcript (text)")
    return js


def store_export(vault: Vault, parsed: ParsedExport,
                 cancel: CancelCheck | None = None) -> ImportResult:
    """Store a parsed export whose "me" has been resolved."""
    result = ImportResult(format=parsed.format, conversations=parsed.conversations)
    originals = _store_originals(vault, parsed)
    result.original_ids = list(dict.fromkeys(originals.values()))
    media: dict[str, str] = {}
    for conv in parsed.conversations:
        original = originals.get(conv.source_name) or result.original_ids[0]
        _store_media(vault, parsed, conv, original, media, cancel)
        result.transcript_ids.append(_store_transcript(vault, conv, original))
    result.media_ids = list(media.values())
    counts = result.summary()
    vault.record("chat_imported", {
        "item_id": result.transcript_ids[0] if result.transcript_ids else None,
        "format": parsed.format, "originals": result.original_ids,
        "transcripts": result.transcript_ids, "media": len(media),
        "messages": counts["messages"], "unparsed_lines": counts["unparsed_lines"],
        "attachments_refused": counts["attachments_refused"],
        "me_basis": sorted({c.me_basis for c in parsed.conversations}),
    })
    return result


def import_chat(vault: Vault, path: Path, fmt: str | None = None, me: str | None = None,
                cancel: CancelCheck | None = None) -> ImportResult:
    """Parse, settle "me", store. Raises ChatOwnerUnclear when the person must be asked;
    `cancel` is seen while parsing as well as while storing."""
    with open_export(Path(path), fmt, cancel=cancel) as parsed:
        resolve_me(parsed, me)
        return store_export(vault, parsed, cancel)


def transcript_json_id(vault: Vault, item_id: str) -> str:
    """The JSON transcript for an item: itself, its HTML/text sibling, or its export."""
    item = vault.item(item_id)
    if item.kind == "transcript":
        if item.source.get("role") == "json":
            return item.id
        if item.source.get("json_item"):
            return str(item.source["json_item"])
    for other in vault.state.items.values():
        if (other.kind == "transcript" and other.derived_from == item.id
                and other.source.get("role") == "json"):
            return other.id
    raise ItemNotFound(item_id)


def load_transcript(vault: Vault, item_id: str) -> Conversation:
    """The normalized conversation stored for an import (any of its items' ids works)."""
    json_id = transcript_json_id(vault, item_id)
    data = b"".join(bytes(chunk) for chunk in vault.iter_item(json_id))
    return Conversation.from_dict(json.loads(data.decode("utf-8")))


def transcript_items(vault: Vault) -> list[str]:
    """Ids of every JSON transcript in the vault, withdrawn ones left out."""
    return [i.id for i in vault.state.items.values()
            if i.kind == "transcript" and i.source.get("role") == "json" and not i.withdrawn]
