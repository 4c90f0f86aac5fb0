"""Objects no custody record names: kept aside, never deleted, and recoverable.

An object nobody names is usually what a crash left between writing a file and recording
it. But it is also exactly what evidence looks like after someone puts back an older copy
of the custody log. The app cannot tell the two apart, so it never deletes: it moves such
objects into quarantine/ inside the vault, records that it did, and `recover` turns them
back into items (the content and its SHA-256 are in the object; the name and the context
were in the records that are gone, and the new record says the item was recovered).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evidence_app.core import media
from evidence_app.core.errors import CorruptObject, EvidenceError, MissingObject
from evidence_app.core.objectstore import ObjectStore, StoredObject
from evidence_app.core.safefs import move_durably
from evidence_app.core.state import Item
from evidence_app.core.vault_parts import VaultParts

if TYPE_CHECKING:
    from pathlib import Path

log = logging.getLogger(__name__)

QUARANTINE_NAME = "quarantine"
# Thumbnails of recovered pictures are made from a copy in memory up to this size.
_THUMBNAIL_SOURCE_LIMIT = 64 << 20


@dataclass(frozen=True)
class QuarantinedObject:
    object_id: str
    size: int | None  # None: no key of this vault opens it
    derived: bool  # a thumbnail or a timestamp, not evidence

    @property
    def recoverable(self) -> bool:
        return self.size is not None and not self.derived


class QuarantineMixin(VaultParts):
    """Vault methods for the quarantine (mixed into Vault)."""

    path: Path

    def _quarantine_store(self) -> ObjectStore:
        return self._store().beside(self.path / QUARANTINE_NAME)

    def _quarantine_unnamed(self, named: set[str] | None = None) -> int:
        """Move every object no record names into the quarantine; returns how many.
        `named`: the objects the records name, when the caller knows them already."""
        from evidence_app.core.snapshot import referenced_objects

        store = self._store()
        if named is None:
            named = referenced_objects(self._journal().records)
        unnamed = sorted(store.all_ids() - named)
        if not unnamed:
            return 0
        quarantine = self._quarantine_store()
        moved = []
        for object_id in unnamed:
            target = quarantine.path(object_id)
            if target.exists():  # the same name already kept aside: keep both
                log.warning("an object of the same name is already in quarantine")
                continue
            move_durably(store.path(object_id), target)
            moved.append(object_id)
        if moved:
            self._append("objects_quarantined", {"count": len(moved), "objects": moved})
        return len(moved)

    def quarantined(self) -> list[QuarantinedObject]:
        """What the quarantine holds, sorted by id."""
        quarantine = self._quarantine_store()
        found = []
        for object_id in sorted(quarantine.all_ids()):
            try:
                size, derived = quarantine.kind(object_id)
            except (CorruptObject, MissingObject):
                found.append(QuarantinedObject(object_id, None, False))
                continue
            found.append(QuarantinedObject(object_id, size, derived))
        return found

    def recover(self, object_ids: list[str] | None = None,
                progress: Callable[[int, int, str], None] | None = None) -> list[Item]:
        """Turn quarantined evidence back into items (all recoverable ones by default).

        Each object is checked whole (decrypted and hashed) before it moves back; it moves
        before it is recorded, so a crash in between leaves it unnamed, and the next open
        simply puts it back in quarantine.
        """
        if self.problem is not None:
            raise self.problem
        available = {q.object_id: q for q in self.quarantined()}
        wanted = list(available) if object_ids is None else object_ids
        quarantine = self._quarantine_store()
        store = self._store()
        items: list[Item] = []
        for number, object_id in enumerate(wanted, start=1):
            entry = available.get(object_id)
            if entry is None:
                raise MissingObject(object_id)
            if not entry.recoverable:
                continue
            stored = quarantine.reread(object_id)
            move_durably(quarantine.path(object_id), store.path(object_id))
            media_type = media.sniff_media_type(stored.head)
            reopen = None
            if media.is_image(media_type) and stored.size <= _THUMBNAIL_SOURCE_LIMIT:
                def reopen(oid: str = object_id) -> io.BytesIO:
                    return io.BytesIO(store.read_bytes(oid))
            try:
                item = self._record_item(
                    stored, f"recovered-{object_id[:8]}{media.extension_for(media_type)}",
                    source={"type": "recovered", "from": "quarantine"},
                    reopen=reopen, remove_on_failure=False)
            except EvidenceError:
                move_durably(store.path(object_id), quarantine.path(object_id))
                raise
            items.append(item)
            if progress is not None:
                progress(number, len(wanted), "")
        return items

    if TYPE_CHECKING:

        def _record_item(self, stored: StoredObject, name: str, *, source: dict[str, Any],
                         reopen: Any = None, remove_on_failure: bool = True) -> Item: ...

