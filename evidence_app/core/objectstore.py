"""Encrypted object store: random names, one-pass hash+encrypt+write, constant memory.

Object files are named by random ids (nothing about their content), kept in two-character
shard folders. An object becomes part of the case only when the custody journal records it;
the store itself knows nothing about items.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from evidence_app.core import segments
from evidence_app.core.errors import Cancelled, InputUnreadable, MissingObject
from evidence_app.core.safefs import atomic_output, private_mkdir, remove_stale_temps, write_all

Progress = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]

PIPELINE_DEPTH = 4
SNIFF_BYTES = 8192
_PROGRESS_EVERY = 16 << 20
# Start writing to disk every this many bytes (0: leave it all to the final fsync).
WRITEBACK_EVERY = 8 << 20
_fadvise = getattr(os, "posix_fadvise", None)


@dataclass(frozen=True)
class StoredObject:
    object_id: str
    size: int
    sha256: str
    head: bytes  # the first bytes, for sniffing the media type


def _read_full(src: BinaryIO | _PaddedSource, buf: memoryview) -> int:
    """Fill `buf` from the input; a read error is the input's fault, not the vault's."""
    got = 0
    try:
        while got < len(buf):
            n = src.readinto(buf[got:])  # type: ignore[attr-defined]
            if not n:
                break
            got += n
    except OSError as exc:
        raise InputUnreadable(Path(str(getattr(src, "name", "?"))), exc.strerror or "") from None
    return got


class _SequentialWriter:
    """Writes an object's segments in order, and has the disk start on them early.

    Left alone, the kernel keeps a whole object as dirty pages until the final fsync, so
    the disk only starts once hashing and encryption are done (the two run one after the
    other), and the page cache fills with ciphertext nobody reads. Dropping written ranges
    (POSIX_FADV_DONTNEED starts their write-back on Linux) overlaps disk and CPU work;
    durability still comes from the fsync at the end.
    """

    def __init__(self, fd: int, start: int) -> None:
        self.fd = fd
        self.pos = start
        self.kicked = start

    def write(self, data: memoryview | bytes) -> None:
        write_all(self.fd, data)
        self.pos += len(data)
        if _fadvise is not None and WRITEBACK_EVERY and self.pos - self.kicked >= WRITEBACK_EVERY:
            _fadvise(self.fd, self.kicked, self.pos - self.kicked, os.POSIX_FADV_DONTNEED)
            self.kicked = self.pos


class _PaddedSource:
    """The input, then zero bytes and the content length: what an ELOBJ2 object encrypts.

    The padding is decided when the input ends, so the store never needs to know the size
    beforehand (pipes, zip members). `content` counts the input's bytes served so far.
    """

    def __init__(self, src: BinaryIO, derived: bool) -> None:
        self._src = src
        self._derived = derived
        self.name = getattr(src, "name", "?")
        self.content = 0
        self._tail: memoryview | None = None

    def readinto(self, buf: memoryview) -> int:
        if self._tail is None:
            n = self._src.readinto(buf)  # type: ignore[attr-defined]
            if n:
                self.content += n
                return n
            pad = segments.padded_plain_size(self.content) - self.content - segments.TRAILER_SIZE
            tail = bytes(pad) + segments.trailer(self.content, self._derived)
            self._tail = memoryview(tail)
        n = min(len(buf), len(self._tail))
        buf[:n] = self._tail[:n]
        self._tail = self._tail[n:]
        return n


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
        """Hash, encrypt and write `src` in one pass.

        Hashing runs in one thread and writing in another while this thread reads and
        encrypts, so the slowest of them sets the pace (hashlib and os.write release the GIL).
        """
        object_id = secrets.token_hex(16)
        final = self.path(object_id)
        private_mkdir(final.parent)
        header, aead = segments.new_header(self._keys[-1], len(self._keys) - 1)
        padded = _PaddedSource(src, derived)
        seg = segments.SEGMENT_SIZE
        tag = segments.TAG_SIZE
        in_bufs = [bytearray(seg) for _ in range(PIPELINE_DEPTH)]
        out_bufs = [bytearray(seg + tag) for _ in range(PIPELINE_DEPTH)]
        hasher = hashlib.sha256()
        hashing: list[Future | None] = [None] * PIPELINE_DEPTH
        writing: list[Future | None] = [None] * PIPELINE_DEPTH
        head = b""
        size = 0
        reported = 0
        with (
            atomic_output(final) as out,
            ThreadPoolExecutor(1, thread_name_prefix="hash") as hash_pool,
            ThreadPoolExecutor(1, thread_name_prefix="write") as write_pool,
        ):
            fd = out.fileno()
            write_all(fd, header)
            writer = _SequentialWriter(fd, len(header))
            cur = 0
            n_cur = _read_full(padded, memoryview(in_bufs[cur]))
            c_cur = padded.content
            head = bytes(in_bufs[cur][: min(c_cur, SNIFF_BYTES)])
            index = 0
            while True:
                if cancel is not None and cancel():
                    raise Cancelled()
                nxt = (cur + 1) % PIPELINE_DEPTH
                n_nxt = c_nxt = 0
                if n_cur == seg:
                    pending = hashing[nxt]
                    if pending is not None:
                        pending.result()
                    before = padded.content
                    n_nxt = _read_full(padded, memoryview(in_bufs[nxt]))
                    c_nxt = padded.content - before
                last = n_nxt == 0
                plain = memoryview(in_bufs[cur])[:n_cur]
                hashing[cur] = hash_pool.submit(hasher.update, plain[:c_cur])
                pending = writing[cur]
                if pending is not None:
                    pending.result()
                sealed = memoryview(out_bufs[cur])[: n_cur + tag]
                aead.encrypt_into(segments.nonce(index, last), plain, header, sealed)
                writing[cur] = write_pool.submit(writer.write, sealed)
                size += c_cur
                if progress is not None and (last or size - reported >= _PROGRESS_EVERY):
                    reported = size
                    progress(size, max(total, size), "")
                if last:
                    break
                cur, n_cur, c_cur = nxt, n_nxt, c_nxt
                index += 1
            for fut in (*hashing, *writing):
                if fut is not None:
                    fut.result()
        return StoredObject(object_id, size, hasher.hexdigest(), head)

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
