"""The one-pass ingest: what it writes is exactly the documented object format, whatever
path the bytes take (chunks, direct I/O, the page cache); cancelling keeps nothing; a file
that changes or is swapped while it is added is recorded as read, or refused."""

from __future__ import annotations

import hashlib
import io
import mmap
import os
import secrets
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from evidence_app.core import objectstore
from evidence_app.core.errors import Cancelled, InputUnreadable
from evidence_app.core.keys import subkey
from evidence_app.core.object_pipeline import PaddedSource
from evidence_app.core.object_writer import ALIGN, ObjectWriter, aligned_buffer
from evidence_app.core.objectstore import ObjectStore
from evidence_app.core.segments import HEADER_SIZE, SEGMENT_SIZE, nonce, padded_plain_size

SEG = SEGMENT_SIZE
MIB = 1 << 20


def expected_object(key: bytes, header: bytes, content: bytes) -> bytes:
    """The object format written out independently (segments.py's docstring, step by step):
    header, then the content, zeros and the 16-byte trailer cut into SEG-byte segments, each
    sealed with AES-GCM under (11-byte index, final flag), the header as associated data."""
    salt, epoch = header[10:26], int.from_bytes(header[26:30], "big")
    assert header[:6] == b"ELOBJ2"
    assert int.from_bytes(header[6:10], "big") == SEG
    assert epoch == 0
    plain = padded_plain_size(len(content))
    padded = (content + bytes(plain - len(content) - 16)
              + len(content).to_bytes(8, "big") + b"\0" * 8)
    aead = AESGCM(subkey(key, "evidence-locker object v1", salt))
    starts = range(0, len(padded), SEG)
    body = b"".join(aead.encrypt(nonce(i, start + SEG >= len(padded)),
                                 padded[start:start + SEG], header)
                    for i, start in enumerate(starts))
    return header + body


@pytest.mark.parametrize("direct", [True, False], ids=["direct-io", "page-cache"])
@pytest.mark.parametrize("size", [0, 1, 4 * SEG - 1, 4 * SEG, 4 * SEG + 1, 9 * SEG + 4093])
def test_written_bytes_are_exactly_the_documented_format(tmp_path, monkeypatch, size, direct):
    monkeypatch.setattr(objectstore, "DIRECT_FROM", 0 if direct else 1 << 62)
    key = secrets.token_bytes(32)
    store = ObjectStore(tmp_path / "objects", key)
    content = os.urandom(size)
    stored = store.write_stream(io.BytesIO(content), total=size)
    on_disk = store.path(stored.object_id).read_bytes()
    assert on_disk == expected_object(key, on_disk[:HEADER_SIZE], content)
    assert (stored.size, stored.sha256) == (size, hashlib.sha256(content).hexdigest())


def test_a_large_file_added_and_exported_is_byte_identical(vault, tmp_path):
    """Bigger than several chunks and than the direct-I/O threshold, not a whole number of
    blocks: what comes back out is the file, and the recorded hash is the file's."""
    src = tmp_path / "video.mp4"
    content = os.urandom(objectstore.DIRECT_FROM + 3 * SEG + 4097)
    src.write_bytes(content)
    seen: list[tuple[int, int]] = []
    item = vault.add_file(src, progress=lambda done, total, _m: seen.append((done, total)))
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    assert item.size == len(content)
    out = b"".join(bytes(v) for v in vault._store().iter_plaintext(item.object_id))
    assert out == content
    # Progress rises to the whole size, at a pace a window can show (not once per MiB).
    assert seen[-1] == (len(content), len(content))
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert 1 < len(seen) <= len(content) // (4 * MIB) + 2


def test_cancel_part_way_keeps_nothing(vault, tmp_path):
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(20 * MIB))
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) >= 3  # after two chunks were read, hashed, encrypted, written

    objects_before = vault._store().all_ids()
    with pytest.raises(Cancelled):
        vault.add_file(src, cancel=cancel)
    assert vault._store().all_ids() == objects_before
    assert not [p for p in vault._store().root.rglob("*") if p.name.startswith(".tmp-")]
    assert vault.state.items == {}


@pytest.mark.parametrize("change", ["shrinks", "grows"])
def test_a_file_changing_while_added_is_recorded_as_read(vault, tmp_path, change):
    """Whatever was read is what is kept and what the record's hash and size describe."""
    src = tmp_path / "changing.bin"
    original = os.urandom(24 * MIB + 5)
    extra = os.urandom(3 * MIB + 11)
    src.write_bytes(original)
    calls = []

    def meddle() -> bool:  # called by the ingest once per chunk, between reads
        calls.append(1)
        if len(calls) == 2:
            if change == "shrinks":
                os.truncate(src, 10 * MIB + 3)
            else:
                with open(src, "ab") as fh:
                    fh.write(extra)
        return False

    item = vault.add_file(src, cancel=meddle)
    kept = b"".join(bytes(v) for v in vault._store().iter_plaintext(item.object_id))
    assert (item.size, item.sha256) == (len(kept), hashlib.sha256(kept).hexdigest())
    if change == "shrinks":
        assert 10 * MIB + 3 <= len(kept) < len(original)
        assert kept == original[: len(kept)]
    else:
        assert kept == original + extra


def test_padding_is_served_in_pieces_not_held_at_once():
    """A 2 GiB input is padded with up to 64 MiB of zeros: they must not sit in memory."""

    class Sparse(io.RawIOBase):  # 2 GiB + 1 of content that costs nothing to "read"
        left = (2 << 30) + 1

        def readable(self) -> bool:
            return True

        def readinto(self, buf) -> int:
            n = min(len(buf), self.left)
            self.left -= n
            return n

    padded = PaddedSource(Sparse(), derived=False)
    buf = memoryview(bytearray(4 * MIB))
    while padded.content < (2 << 30) + 1:
        padded.readinto(buf)
    tracemalloc.start()
    try:
        served = 0
        while n := padded.readinto(buf):
            served += n
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert served == padded_plain_size((2 << 30) + 1) - ((2 << 30) + 1)
    assert served > 32 * MIB
    assert peak < 2 * MIB


def test_writer_falls_back_when_direct_io_is_refused(tmp_path):
    """A misaligned buffer is refused by direct I/O (EINVAL): the writer goes on through the
    page cache and the file is whole."""
    path = tmp_path / "out.bin"
    data = os.urandom(3 * ALIGN + 1)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        writer = ObjectWriter(fd, direct=True)
        aligned = aligned_buffer(2 * ALIGN)
        aligned[:] = data[: 2 * ALIGN]
        writer.write(memoryview(aligned))
        skewed = mmap.mmap(-1, 2 * ALIGN)
        skewed[1 : ALIGN + 1] = data[2 * ALIGN : 3 * ALIGN]
        writer.write(memoryview(skewed)[1 : ALIGN + 1])  # not at a page boundary
        writer.write(memoryview(data[3 * ALIGN :]), final=True)
        os.fsync(fd)
    finally:
        os.close(fd)
    assert path.read_bytes() == data


# --- a file swapped for a FIFO or a device -------------------------------------------------


def test_fifo_and_device_are_refused(vault, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(InputUnreadable):
            vault.add_file(path)
    assert vault.state.items == {}


_FLIPPER = """
import os, sys, time
path, regular, fifo, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
tmp = path + ".swap"
end = time.monotonic() + seconds
while time.monotonic() < end:
    for source in (regular, fifo):
        os.link(source, tmp)
        os.replace(tmp, path)
        if os.path.lexists(tmp):  # renaming over the same file leaves both names
            os.unlink(tmp)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_file_swapped_for_a_fifo_while_added_never_blocks(vault, tmp_path):
    """An attacker who swaps the file for a FIFO right after it was looked at must not make
    the app wait forever for a writer (with the vault's keys in memory), nor record the
    FIFO's contents as the file."""
    regular = tmp_path / "real.jpg.src"
    regular.write_bytes(b"the real file")
    fifo = tmp_path / "pipe.src"
    os.mkfifo(fifo)
    path = tmp_path / "evidence.jpg"
    os.link(regular, path)
    blocked = []
    started = [time.monotonic()]
    stop = threading.Event()

    def watchdog() -> None:
        # An attempt that takes this long is stuck in open() waiting for a writer; opening
        # the FIFO for writing (possible only while a reader waits) lets it go on.
        while not stop.wait(0.05):
            if time.monotonic() - started[0] < 0.5:
                continue
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue
            blocked.append(1)
            os.close(fd)

    flipper = subprocess.Popen([sys.executable, "-c", _FLIPPER, str(path), str(regular),
                                str(fifo), "2.5"])
    guard = threading.Thread(target=watchdog, daemon=True)
    guard.start()
    attempts = 0
    try:
        end = time.monotonic() + 2
        while time.monotonic() < end:
            attempts += 1
            started[0] = time.monotonic()
            try:
                vault.add_file(path)
            except InputUnreadable:
                pass
    finally:
        swapped = flipper.wait(10) == 0
        stop.set()
        guard.join(5)
    assert swapped
    assert attempts > 20
    assert not blocked, f"the ingest waited on the FIFO {len(blocked)} times"
    for item in vault.state.items.values():
        assert item.sha256 == hashlib.sha256(b"the real file").hexdigest()
