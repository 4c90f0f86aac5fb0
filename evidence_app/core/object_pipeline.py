"""One pass over an input: read, hash, encrypt and write an object, in constant memory.

The input is read in chunks of CHUNK_SEGMENTS segments. This thread reads a chunk and
encrypts its segments, each straight into its place in an output buffer; one thread hashes
the chunk and another writes the output buffer, so reading, hashing, encrypting and writing
overlap (hashlib, AESGCM and os.write release the GIL). What is written is exactly what
segments.py describes: header, then each segment sealed under its STREAM nonce with the
header as associated data; only the size of the pieces handed to each step changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from evidence_app.core import segments
from evidence_app.core.errors import Cancelled, InputUnreadable
from evidence_app.core.object_writer import ALIGN, ObjectWriter, aligned_buffer

Progress = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]

CHUNK_SEGMENTS = 4
INPUT_BUFFERS = 4  # chunks being read, hashed or encrypted at once
OUTPUT_BUFFERS = 3  # chunks of ciphertext being filled or written at once
SNIFF_BYTES = 8192
PROGRESS_EVERY = 16 << 20
_ZEROS = bytes(1 << 20)


@dataclass(frozen=True)
class StoredObject:
    object_id: str
    size: int
    sha256: str
    head: bytes  # the first bytes, for sniffing the media type


def read_full(src: BinaryIO | PaddedSource, buf: memoryview) -> int:
    """Fill `buf` from the input; a read error is the input's fault, not the vault's."""
    got = 0
    try:
        while got < len(buf):
            n = src.readinto(buf[got:])  # type: ignore[union-attr]
            if not n:
                break
            got += n
    except OSError as exc:
        raise InputUnreadable(Path(str(getattr(src, "name", "?"))), exc.strerror or "") from None
    return got


class PaddedSource:
    """The input, then zero bytes and the content length: what an ELOBJ2 object encrypts.

    The padding is decided when the input ends, so the store never needs to know the size
    beforehand (pipes, zip members). `content` counts the input's bytes served so far. The
    zeros are served piece by piece: padding a large file is tens of MiB.
    """

    def __init__(self, src: BinaryIO, derived: bool) -> None:
        self._src = src
        self._derived = derived
        self.name = getattr(src, "name", "?")
        self.content = 0
        self._zeros: int | None = None  # zero bytes still to serve, once the input ended
        self._trailer = memoryview(b"")

    def readinto(self, buf: memoryview) -> int:
        if self._zeros is None:
            n = self._src.readinto(buf)  # type: ignore[attr-defined]
            if n:
                self.content += n
                return int(n)
            plain = segments.padded_plain_size(self.content)
            self._zeros = plain - self.content - segments.TRAILER_SIZE
            self._trailer = memoryview(segments.trailer(self.content, self._derived))
        if self._zeros:
            n = min(len(buf), self._zeros, len(_ZEROS))
            buf[:n] = _ZEROS[:n]
            self._zeros -= n
            return n
        n = min(len(buf), len(self._trailer))
        buf[:n] = self._trailer[:n]
        self._trailer = self._trailer[n:]
        return n


class Pipeline:
    """Writes one object; `run` returns what was stored. The pools and the writer belong to
    the caller, who waits for them and removes the file on any error."""

    def __init__(self, object_id: str, header: bytes, aead: AESGCM,
                 hash_pool: ThreadPoolExecutor, write_pool: ThreadPoolExecutor,
                 writer: ObjectWriter) -> None:
        self.object_id = object_id
        self.header = header
        self.aead = aead
        self.hash_pool = hash_pool
        self.write_pool = write_pool
        self.writer = writer
        seg = segments.SEGMENT_SIZE
        self.chunk = CHUNK_SEGMENTS * seg
        # Anonymous mappings: pages cost nothing until used, so a small object stays cheap.
        self.inputs = [aligned_buffer(self.chunk) for _ in range(INPUT_BUFFERS)]
        # Room for the bytes left over from the previous chunk (less than ALIGN, or the
        # header), then one chunk of sealed segments.
        room = ALIGN + len(header) + self.chunk + CHUNK_SEGMENTS * segments.TAG_SIZE
        self.outputs = [aligned_buffer(room) for _ in range(OUTPUT_BUFFERS)]
        self.hashing: list[Future[None] | None] = [None] * INPUT_BUFFERS
        self.writing: list[Future[None] | None] = [None] * OUTPUT_BUFFERS

    def run(self, padded: PaddedSource, total: int, progress: Progress | None,
            cancel: CancelCheck | None) -> StoredObject:
        hasher = hashlib.sha256()
        cur, out, index = 0, 0, 0
        n_cur = read_full(padded, memoryview(self.inputs[cur]))
        c_cur = padded.content
        head = bytes(self.inputs[cur][: min(c_cur, SNIFF_BYTES)])
        out_view = memoryview(self.outputs[out])
        out_view[: len(self.header)] = self.header
        fill = len(self.header)
        size = reported = 0
        while True:
            if cancel is not None and cancel():
                raise Cancelled()
            nxt = (cur + 1) % INPUT_BUFFERS
            n_nxt = c_nxt = 0
            if n_cur == self.chunk:  # a short read means the (padded) input ended
                _wait(self.hashing[nxt])
                before = padded.content
                n_nxt = read_full(padded, memoryview(self.inputs[nxt]))
                c_nxt = padded.content - before
            last = n_nxt == 0
            plain = memoryview(self.inputs[cur])[:n_cur]
            self.hashing[cur] = self.hash_pool.submit(hasher.update, plain[:c_cur])
            fill, index = self._seal(plain, out_view, fill, index, last)
            size += c_cur
            if last:
                self.writing[out] = self.write_pool.submit(
                    self.writer.write, out_view[:fill], final=True)
                break
            # Hand whole blocks to the writer; the rest starts the next output buffer.
            whole = fill - fill % ALIGN
            out_next = (out + 1) % OUTPUT_BUFFERS
            _wait(self.writing[out_next])
            next_view = memoryview(self.outputs[out_next])
            next_view[: fill - whole] = out_view[whole:fill]
            self.writing[out] = self.write_pool.submit(self.writer.write, out_view[:whole])
            out, out_view, fill = out_next, next_view, fill - whole
            if progress is not None and size - reported >= PROGRESS_EVERY:
                reported = size
                progress(size, max(total, size), "")
            cur, n_cur, c_cur = nxt, n_nxt, c_nxt
        for fut in (*self.hashing, *self.writing):
            _wait(fut)
        if progress is not None:
            progress(size, max(total, size), "")
        return StoredObject(self.object_id, size, hasher.hexdigest(), head)

    def _seal(self, plain: memoryview, out: memoryview, fill: int, index: int,
              last: bool) -> tuple[int, int]:
        """Encrypt a chunk's segments into `out` from `fill`; (new fill, next index)."""
        seg, tag = segments.SEGMENT_SIZE, segments.TAG_SIZE
        for start in range(0, len(plain), seg):
            piece = plain[start:start + seg]
            final = last and start + seg >= len(plain)
            sealed = out[fill:fill + len(piece) + tag]
            self.aead.encrypt_into(segments.nonce(index, final), piece, self.header, sealed)
            fill += len(piece) + tag
            index += 1
        return fill, index


def _wait(fut: Future[None] | None) -> None:
    if fut is not None:
        fut.result()
