"""Encrypted object store: random names, one-pass hash+encrypt+write, constant memory.

Object files are named by random ids (nothing about their content), kept in two-character
shard folders. An object becomes part of the case only when the custody journal records it;
the store itself knows nothing about items.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from evidence_app.core import segments
from evidence_app.core.errors import MissingObject
from evidence_app.core.object_pipeline import (
    SNIFF_BYTES,
    CancelCheck,
    PaddedSource,
    Pipeline,
    Progress,
    StoredObject,
)
from evidence_app.core.object_writer import ObjectWriter
from evidence_app.core.safefs import atomic_output, private_mkdir, remove_stale_temps

__all__ = ["CancelCheck", "ObjectStore", "Progress", "StoredObject", "file_size"]

# Inputs at least this big are written with direct I/O where the system allows it.
DIRECT_FROM = 16 << 20
# Through the page cache, start writing to disk every this many bytes (0: leave it all to
# the final fsync).
WRITEBACK_EVERY = 8 << 20


class ObjectStore:
    """Objects under the vault's object keys, one per key epoch; new ones use the last."""

    def __init__(self, root: Path, object_keys: bytes | list[bytes]) -> None:
        self.root = root
        self._keys = [object_keys] if isinstance(object_keys, bytes) else list(object_keys)

    def add_key(self, object_key: bytes) -> None:
        """A new key epoch: objects from now on are written under `object_key`."""
        self._keys.append(object_key)

    def beside(self, root: Path) -> ObjectStore:
        """The same keys over another folder (the vault's quarantine)."""
        return ObjectStore(root, self._keys)

    def path(self, object_id: str) -> Path:
        if len(object_id) != 32 or any(c not in "0123456789abcdef" for c in object_id):
            raise MissingObject(object_id)
        return self.root / object_id[:2] / object_id[2:]

    def exists(self, object_id: str) -> bool:
        return self.path(object_id).is_file()

    def all_ids(self) -> set[str]:
        found: set[str] = set()
        if not self.root.is_dir():
            return found
        with os.scandir(self.root) as shards:
            for shard in shards:
                if shard.is_dir() and len(shard.name) == 2:
                    with os.scandir(shard.path) as files:
                        found.update(shard.name + f.name for f in files
                                     if not f.name.startswith("."))
        return found

    def remove(self, object_id: str) -> None:
        try:
            self.path(object_id).unlink()
        except FileNotFoundError:
            pass

    def clean_temps(self) -> int:
        return remove_stale_temps(self.root)

    def write_bytes(self, data: bytes, *, derived: bool = False) -> StoredObject:
        """`derived`: made by the app from evidence (a thumbnail, a token), not evidence."""
        import io

        return self.write_stream(io.BytesIO(data), total=len(data), derived=derived)

    def write_stream(
        self,
        src: BinaryIO,
        *,
        total: int = 0,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
        derived: bool = False,
    ) -> StoredObject:
        """Hash, encrypt and write `src` in one pass, in constant memory.

        This thread reads a chunk (several segments) and encrypts it into an output buffer,
        one thread hashes and another writes, so the slowest of them sets the pace (hashlib,
        AESGCM and os.write release the GIL). `total`, the expected size when known, only
        feeds progress and chooses direct I/O for large inputs.
        """
        object_id = secrets.token_hex(16)
        final = self.path(object_id)
        private_mkdir(final.parent)
        header, aead = segments.new_header(self._keys[-1], len(self._keys) - 1)
        with (
            atomic_output(final) as out,
            ThreadPoolExecutor(1, thread_name_prefix="hash") as hash_pool,
            ThreadPoolExecutor(1, thread_name_prefix="write") as write_pool,
        ):
            writer = ObjectWriter(out.fileno(), direct=total >= DIRECT_FROM,
                                  writeback_every=WRITEBACK_EVERY)
            return Pipeline(object_id, header, aead, hash_pool, write_pool, writer).run(
                PaddedSource(src, derived), total, progress, cancel)

    def open_raw(self, object_id: str) -> BinaryIO:
        try:
            return open(self.path(object_id), "rb")  # noqa: SIM115 - caller closes
        except FileNotFoundError:
            raise MissingObject(object_id) from None

    def iter_plaintext(self, object_id: str) -> Iterator[memoryview]:
        """Decrypted segments (views valid until the next one); raises CorruptObject."""
        with self.open_raw(object_id) as fh:
            yield from segments.iter_plaintext(fh, self._keys, object_id)

    def read_range(self, object_id: str, offset: int, length: int) -> bytes:
        """Content bytes [offset, offset + length), decrypting only the segments holding
        them (the reader's pages); raises CorruptObject."""
        with self.open_raw(object_id) as fh:
            return segments.read_range(fh, self._keys, object_id, offset, length)

    def kind(self, object_id: str) -> tuple[int, bool]:
        """(content size, derived) without decrypting the whole object."""
        with self.open_raw(object_id) as fh:
            return segments.read_kind(fh, self._keys, object_id)

    def read_bytes(self, object_id: str) -> bytes:
        """Whole plaintext; only for small derived objects such as thumbnails."""
        return b"".join(bytes(v) for v in self.iter_plaintext(object_id))

    def hash_object(
        self, object_id: str, progress: Progress | None = None, done_before: int = 0
    ) -> tuple[str, int]:
        stored = self.reread(object_id, progress, done_before)
        return stored.sha256, stored.size

    def reread(self, object_id: str, progress: Progress | None = None,
               done_before: int = 0) -> StoredObject:
        """What write_stream reported for an object, found again by decrypting it whole."""
        hasher = hashlib.sha256()
        head = b""
        size = 0
        for view in self.iter_plaintext(object_id):
            if len(head) < SNIFF_BYTES:
                head += bytes(view[: SNIFF_BYTES - len(head)])
            hasher.update(view)
            size += len(view)
            if progress is not None:
                progress(done_before + size, 0, "")
        return StoredObject(object_id, size, hasher.hexdigest(), head)


def file_size(src: BinaryIO) -> int:
    try:
        return os.fstat(src.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        return 0
