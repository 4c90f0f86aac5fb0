"""Zip archives an attacker would send, built in a second without writing what they expand to.

Used by tests/security/test_archive_limits.py and benchmarks/archive_bombs.py.

- Deflated zeros at ratio ~855: zlib's stream for 96 KiB of zeros, flushed to a byte
  boundary, is the same bytes every time once it is running, so a 4 GiB entry is that
  segment written 43,690 times (about 5 MB) - a valid stream with a valid CRC-32 (computed
  by combining, not by reading 4 GiB).
- Many entries: one real member and a central directory that names it a million times (the
  records are identical, so the file is one `bytes * count`).
- Holes: a stored entry whose data is a sparse hole, so a file can declare gigabytes and
  take no disk space.

Also `run_measured`: the CLI in a subprocess, with its peak RSS (from wait4, so only that
process) and the most space a folder took while it ran.
"""

from __future__ import annotations

import functools
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

KIB = 1 << 10
MIB = 1 << 20
GIB = 1 << 30
SEGMENT = 96 * KIB  # 96 KiB of zeros per repeated deflate segment: ratio ~855
FOUR_GIB_SEGMENTS = 43_690  # 43,690 x 96 KiB = 4 GiB - 64 KiB, just under the zip64 limit
_U32 = 0xFFFFFFFF
_DOS_TIME = (0x0000, 0x5821)  # 2024-01-01 00:00


# --- CRC-32 of long runs of zeros, without reading them ------------------------------------


def _gf2_times(matrix: list[int], vector: int) -> int:
    total = 0
    row = 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's crc32_combine)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << (n - 1) for n in range(1, 32)]  # one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


@functools.lru_cache(maxsize=64)
def crc32_of_zeros(length: int) -> int:
    if length <= 64 << 20:  # small enough to hash for real, in C
        return zlib.crc32(bytes(length))
    result = 0
    block, block_len = zlib.crc32(b"\0"), 1
    while length:
        if length & 1:
            result = crc32_combine(result, block, block_len)
        block = crc32_combine(block, block, block_len)
        block_len *= 2
        length >>= 1
    return result


# --- members -------------------------------------------------------------------------------


@dataclass
class Member:
    name: str
    size: int  # what it expands to
    compressed_size: int
    crc: int
    method: int  # 0 stored, 8 deflated
    write: Callable[[BinaryIO], None]  # writes the compressed bytes at the current offset


def deflated_zeros(name: str, segments: int) -> Member:
    """`segments` x 96 KiB of zeros at ratio ~855: a valid stream, written in one pass."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    first = comp.compress(bytes(SEGMENT)) + comp.flush(zlib.Z_SYNC_FLUSH)
    again = comp.compress(bytes(SEGMENT)) + comp.flush(zlib.Z_SYNC_FLUSH)
    assert comp.compress(bytes(SEGMENT)) + comp.flush(zlib.Z_SYNC_FLUSH) == again
    tail = comp.flush(zlib.Z_FINISH)

    def write(fh: BinaryIO) -> None:
        fh.write(first)
        left = segments - 1
        while left:
            n = min(left, 4096)
            fh.write(again * n)
            left -= n
        fh.write(tail)

    return Member(name, segments * SEGMENT, len(first) + len(again) * (segments - 1) + len(tail),
                  crc32_of_zeros(segments * SEGMENT), 8, write)


def deflated_bytes(name: str, data: bytes) -> Member:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    packed = comp.compress(data) + comp.flush()
    return Member(name, len(data), len(packed), zlib.crc32(data), 8,
                  lambda fh: fh.write(packed))


def stored_hole(name: str, size: int) -> Member:
    """`size` zeros stored as a sparse hole: declared in full, no disk space taken."""
    return Member(name, size, size, crc32_of_zeros(size), 0, lambda fh: fh.seek(size, 1))


def lying_member(name: str, size: int, compressed_size: int) -> Member:
    """Declares `size` from `compressed_size` bytes it does not really hold (a hole): for
    refusals that must come from the headers alone, before any data is read."""
    return Member(name, size, compressed_size, 0, 8,
                  lambda fh: fh.seek(compressed_size, 1))


# --- writing -------------------------------------------------------------------------------


def _local_header(m: Member, name: bytes) -> bytes:
    zip64 = m.size >= _U32 or m.compressed_size >= _U32
    extra = struct.pack("<HHQQ", 1, 16, m.size, m.compressed_size) if zip64 else b""
    sizes = (_U32, _U32) if zip64 else (m.compressed_size, m.size)
    return struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 45 if zip64 else 20, 0, m.method,
                       *_DOS_TIME, m.crc, *sizes, len(name), len(extra)) + name + extra


def _central_record(m: Member, name: bytes, offset: int) -> bytes:
    zip64 = m.size >= _U32 or m.compressed_size >= _U32 or offset >= _U32
    if zip64:
        extra = struct.pack("<HHQQQ", 1, 24, m.size, m.compressed_size, offset)
        csize, usize, where = _U32, _U32, _U32
    else:
        extra, csize, usize, where = b"", m.compressed_size, m.size, offset
    return struct.pack(
        "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 0x0314, 45 if zip64 else 20, 0, m.method,
        *_DOS_TIME, m.crc, csize, usize, len(name), len(extra), 0, 0, 0,
        0o100644 << 16, where) + name + extra


def _end_records(count: int, cd_offset: int, cd_size: int) -> bytes:
    if count < 0xFFFF and cd_offset < _U32 and cd_size < _U32:
        return struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, cd_size,
                           cd_offset, 0)
    eocd64_at = cd_offset + cd_size
    record = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count,
                         cd_size, cd_offset)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, eocd64_at, 1)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, _U32, _U32, 0)
    return record + locator + end


def write_zip(path: Path, members: Iterable[Member]) -> Path:
    """A zip of `members` (zip64 where sizes, offsets or the count need it)."""
    central = bytearray()
    count = 0
    with open(path, "wb") as fh:
        for m in members:
            name = m.name.encode("utf-8")
            offset = fh.tell()
            fh.write(_local_header(m, name))
            start = fh.tell()
            m.write(fh)
            assert fh.tell() - start == m.compressed_size, m.name
            central += _central_record(m, name, offset)
            count += 1
        cd_offset = fh.tell()
        fh.write(central)
        fh.write(_end_records(count, cd_offset, len(central)))
    return path


def write_many_entries(path: Path, count: int, declared: int | None = None) -> Path:
    """One empty file, and a central directory that lists it `count` times; the end record
    says there are `declared` entries (default: the truth)."""
    member = Member("a", 0, 0, 0, 0, lambda fh: None)
    local = _local_header(member, b"a")
    record = _central_record(member, b"a", 0)
    with open(path, "wb") as fh:
        fh.write(local)
        fh.write(record * count)
        fh.write(_end_records(count if declared is None else declared, len(local),
                              len(record) * count))
    return path


# --- the attacks from issue 15, as a person receives them ----------------------------------


def two_huge_entries(path: Path, root: str = "case/data/evidence") -> Path:
    """Two ~4 GiB entries at ratio ~855 in a 10 MB file."""
    return write_zip(path, [
        deflated_zeros(f"{root}/video-1.mp4", FOUR_GIB_SEGMENTS),
        deflated_zeros(f"{root}/video-2.mp4", FOUR_GIB_SEGMENTS),
    ])


def many_mebibytes(path: Path, count: int = 8_000, root: str = "case/data/evidence") -> Path:
    """`count` entries of exactly 1 MiB of zeros (each under the per-entry ratio check)."""
    one = deflated_bytes("x", bytes(MIB))
    members = (Member(f"{root}/IMG-{i:05d}.jpg", one.size, one.compressed_size, one.crc,
                      one.method, one.write) for i in range(count))
    return write_zip(path, members)


def whatsapp_export(path: Path, bombs: list[Member]) -> Path:
    """A WhatsApp "export with media" zip whose attachments are `bombs`."""
    lines = ["12/30/23, 9:15 PM - Sam Fiction: Hi Alex, I saw your profile."]
    lines += [f"12/30/23, 9:16 PM - Sam Fiction: {m.name} (file attached)" for m in bombs]
    chat = ("\n".join(lines) + "\n").encode()
    return write_zip(path, [deflated_bytes("WhatsApp Chat with Sam Fiction.txt", chat),
                            *bombs])


def whatsapp_bombs(kind: str) -> list[Member]:
    if kind == "two_huge":
        return [deflated_zeros(f"VID-20231230-WA000{i}.mp4", FOUR_GIB_SEGMENTS)
                for i in (1, 2)]
    one = deflated_bytes("x", bytes(MIB))
    return [Member(f"IMG-20231230-WA{i:05d}.jpg", one.size, one.compressed_size, one.crc,
                   one.method, one.write) for i in range(8_000)]


# --- measuring the CLI ---------------------------------------------------------------------


def folder_usage(folder: Path) -> int:
    """Bytes of disk the files under `folder` take now (0 if it is gone)."""
    total = 0
    for top, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(top, name)).st_blocks * 512
            except OSError:
                continue
    return total


@dataclass
class Measured:
    returncode: int | None  # None: killed at the timeout
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int  # bytes, of the CLI process alone (0 if it was killed)
    peak_written: int  # bytes: the most the watched folders grew while it ran
    watched: list[Path] = field(default_factory=list)


# The command runs under this small launcher, which reports its peak RSS from wait4: a
# process forked straight from a big one (pytest, or the benchmark that built the bombs in
# memory) starts with the parent's high-water mark, and keeps it through exec.
_LAUNCHER = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[2:])\n"
    "_pid, status, usage = os.wait4(child.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss * 1024))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_measured(args: list[str], *, env: dict[str, str] | None = None,
                 watch: Iterable[Path] = (), timeout: float = 60,
                 command: list[str] | None = None) -> Measured:
    """Run `evidence-app ARGS` (or `command`), sampling the watched folders' disk usage
    every 20 ms, with the peak RSS of that one process."""
    watched = list(watch)
    base = sum(folder_usage(w) for w in watched)
    full_env = dict(os.environ, **(env or {}))
    cmd = command or [sys.executable, "-m", "evidence_app", *args]
    with tempfile.TemporaryDirectory() as work:
        rss_file = Path(work, "rss")
        out_path, err_path = Path(work, "out"), Path(work, "err")
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            started = time.monotonic()
            proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(rss_file), *cmd],
                                    stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                    env=full_env, start_new_session=True)
            peak = 0
            killed = False
            while proc.poll() is None:
                if watched:
                    peak = max(peak, sum(folder_usage(w) for w in watched) - base)
                if time.monotonic() - started > timeout:
                    os.killpg(proc.pid, 9)
                    proc.wait()
                    killed = True
                    break
                time.sleep(0.02)
            seconds = time.monotonic() - started
        if watched:
            peak = max(peak, sum(folder_usage(w) for w in watched) - base)
        rss = int(rss_file.read_text()) if rss_file.exists() else 0
        return Measured(None if killed else proc.returncode,
                        out_path.read_text("utf-8", "replace"),
                        err_path.read_text("utf-8", "replace"), seconds, rss, peak, watched)
