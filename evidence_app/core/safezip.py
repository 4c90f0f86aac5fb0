"""The one place that opens zip archives: every entry checked before anything is read.

Refused: absolute paths, `..`, links, device files, duplicate names, more entries or more
expanded bytes than the limits, and compression ratios only a zip bomb has (per entry, and
for the whole archive against its file size). The entry count and the central directory's
size are read from the end record before zipfile parses anything, so a million-entry
directory costs a few reads, not a million objects. Reading enforces the sizes again,
because a hostile archive can lie in its headers, and unpacking checks the free space first.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import stat
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO

from evidence_app.core.errors import Cancelled, DiskFull, NotAnArchive, UnsafeArchive
from evidence_app.core.objectstore import CancelCheck, Progress
from evidence_app.core.safefs import as_write_error, private_mkdir

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_CHUNK = 1 << 20
_BLOCK = 4096  # what one more file takes on disk at least
SPACE_MARGIN = 64 << 20  # left free after unpacking, for the log, the report, the system
_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_RECORD = 46  # fixed part of a central directory record
_SMALL_READ = 1 << 17  # zipfile's own reads of the end records are smaller than this


@dataclass(frozen=True)
class ZipLimits:
    """How far an archive may expand; see BUNDLE_LIMITS and CHAT_EXPORT_LIMITS.

    The overall ratio (everything expanded / the archive file's size) applies once the
    archive expands beyond `ratio_floor`: small archives of text compress well and harm no
    one; gigabytes out of megabytes is what a bomb does, however it spreads them.
    """

    max_entries: int = 20_000
    max_total_size: int = 64 << 30
    max_ratio: int = 1_000  # expanded / compressed, per entry larger than 1 MiB
    max_overall_ratio: int = 100
    ratio_floor: int = 256 << 20
    max_record_size: int = 1024  # central directory bytes per declared entry, on average


# A sealed bundle is stored, not compressed (ratio ~1, so 10 leaves room for a re-zipped
# copy), and every file of it is unpacked to disk; evidence can be big (hours of video).
BUNDLE_LIMITS = ZipLimits(max_total_size=256 << 30, max_overall_ratio=10)
# A chat export: media (ratio ~1) and text (JSON compresses 5-20x); only what the chat
# names is read, into the vault.
CHAT_EXPORT_LIMITS = ZipLimits()


@dataclass(frozen=True)
class ZipEntry:
    name: str  # normalized, forward slashes, relative
    size: int
    compressed_size: int
    is_dir: bool
    info: zipfile.ZipInfo


def _check_name(raw: str) -> str:
    name = raw.replace("\\", "/")
    if not name or "\x00" in name:
        raise UnsafeArchive(raw, "bad_name")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchive(raw, "absolute_path")
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise UnsafeArchive(raw, "path_escape")
    if not parts:
        raise UnsafeArchive(raw, "bad_name")
    return "/".join(parts)


# --- the central directory, before zipfile sees it -----------------------------------------


@dataclass(frozen=True)
class _Directory:
    start: int
    size: int


def _end_record(fh: BinaryIO, file_size: int) -> tuple[int, bytes]:
    """Where the end record is and its bytes, found the way zipfile finds it."""
    if file_size < _EOCD.size:
        raise zipfile.BadZipFile("no end record")
    fh.seek(file_size - _EOCD.size)
    data = fh.read(_EOCD.size)
    if data[:4] == b"PK\x05\x06" and data[-2:] == b"\0\0":
        return file_size - _EOCD.size, data
    start = max(file_size - (1 << 16) - _EOCD.size, 0)
    fh.seek(start)
    tail = fh.read(file_size - start)
    found = tail.rfind(b"PK\x05\x06")
    if found < 0 or len(tail) - found < _EOCD.size:
        raise zipfile.BadZipFile("no end record")
    return start + found, tail[found:found + _EOCD.size]


def _zip64_counts(fh: BinaryIO, at: int) -> tuple[int, int] | None:
    """(entries, directory size) from the zip64 end record, if zipfile would use one."""
    if at < _EOCD64_LOCATOR.size:
        return None
    fh.seek(at - _EOCD64_LOCATOR.size)
    sig, disk, _offset, disks = _EOCD64_LOCATOR.unpack(fh.read(_EOCD64_LOCATOR.size))
    if sig != b"PK\x06\x07":
        return None
    if disk != 0 or disks > 1 or at < _EOCD64_LOCATOR.size + _EOCD64.size:
        raise zipfile.BadZipFile("no end record")
    fh.seek(at - _EOCD64_LOCATOR.size - _EOCD64.size)
    record = _EOCD64.unpack(fh.read(_EOCD64.size))
    if record[0] != b"PK\x06\x06":
        return None
    return record[7], record[8]


def _check_directory(fh: BinaryIO, file_size: int, limits: ZipLimits) -> _Directory:
    """Refuse from the end record alone what would make zipfile parse too much: more
    entries than the limit, or a directory larger than that many records can be (zipfile
    reads records until the size is used up, whatever the count says); then count the
    records themselves, stopping at the limit."""
    at, record = _end_record(fh, file_size)
    _sig, _disk, _disk_dir, _here, entries, size, _offset, _comment = _EOCD.unpack(record)
    start = at - size
    zip64 = _zip64_counts(fh, at)
    if zip64 is not None:
        entries, size = zip64
        start = at - size - _EOCD64_LOCATOR.size - _EOCD64.size
    if entries > limits.max_entries:
        raise UnsafeArchive(None, "too_many_entries")
    if size > entries * limits.max_record_size + (1 << 16):
        raise UnsafeArchive(None, "bad_directory")
    if start < 0:
        raise zipfile.BadZipFile("no end record")
    _count_records(fh, start, size, limits.max_entries)
    return _Directory(start, size)


def _count_records(fh: BinaryIO, start: int, size: int, limit: int) -> int:
    """Walk the directory's records as zipfile will (headers only, 1 MiB at a time)."""
    count = done = 0
    pos = base = start
    buf = b""
    while done < size:
        if pos + _RECORD > base + len(buf):
            fh.seek(pos)
            buf, base = fh.read(_CHUNK), pos
            if len(buf) < _RECORD:
                break  # truncated: zipfile says so
        off = pos - base
        if buf[off:off + 4] != b"PK\x01\x02":
            break  # zipfile says so
        name, extra, comment = struct.unpack_from("<3H", buf, off + 28)
        length = _RECORD + name + extra + comment
        done += length
        pos += length
        count += 1
        if count > limit:
            raise UnsafeArchive(None, "too_many_entries")
    return count


class _GuardedFile(io.FileIO):
    """The archive file as zipfile reads it; while zipfile parses, the only large read
    allowed is the central directory that was checked (whatever zipfile's version does)."""

    directory: _Directory | None = None
    parsing = False
    file_size = 0

    def read(self, size: int | None = -1, /) -> bytes:
        if self.parsing:
            pos = self.tell()
            want = self.file_size - pos if size is None or size < 0 else size
            if want > _SMALL_READ and (self.directory is None or (pos, want) != (
                    self.directory.start, self.directory.size)):
                raise UnsafeArchive(None, "bad_directory")
        return super().read(size)


# --- free space ----------------------------------------------------------------------------


def require_space(folder: Path, needed: int) -> None:
    """Refuse before writing when `folder`'s drive has less than `needed` bytes free; the
    error says how much and where (the temp folder, when that is where it goes)."""
    probe = Path(folder).absolute()
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        free = shutil.disk_usage(probe).free
    except OSError:
        return  # cannot tell: a write that fills the disk still says so
    if needed <= free:
        return
    temp = Path(tempfile.gettempdir()).absolute()
    where = temp if probe == temp or temp in probe.parents else probe
    raise DiskFull(where, needed=needed, free=free)


# --- the archive ---------------------------------------------------------------------------


class SafeZip:
    def __init__(self, path: Path, limits: ZipLimits | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or ZipLimits()
        try:
            self._file = _GuardedFile(self.path, "rb")
        except (OSError, ValueError):
            raise NotAnArchive(self.path) from None
        try:
            self.file_size = os.fstat(self._file.fileno()).st_size
            self._file.file_size = self.file_size
            try:
                self._file.directory = _check_directory(self._file, self.file_size,
                                                        self.limits)
                self._file.parsing = True
                self._zip = zipfile.ZipFile(self._file)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
                raise NotAnArchive(self.path) from None
            finally:
                self._file.parsing = False
            try:
                self.entries = self._check_entries()
            except BaseException:
                self._zip.close()
                raise
        except BaseException:
            self._file.close()
            raise
        self._by_name = {e.name: e for e in self.entries}

    def _check_entries(self) -> list[ZipEntry]:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_entries:
            raise UnsafeArchive(None, "too_many_entries")
        seen: set[str] = set()
        total = packed = 0
        entries = []
        for info in infos:
            name = _check_name(info.filename)
            mode = info.external_attr >> 16
            if mode and stat.S_ISLNK(mode):
                raise UnsafeArchive(info.filename, "symlink")
            if mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise UnsafeArchive(info.filename, "special_file")
            if info.flag_bits & 0x1:
                raise UnsafeArchive(info.filename, "encrypted")
            key = name.casefold()
            if key in seen:
                raise UnsafeArchive(info.filename, "duplicate")
            seen.add(key)
            total += info.file_size
            packed += info.compress_size
            if total > self.limits.max_total_size:
                raise UnsafeArchive(info.filename, "too_large")
            if (
                info.file_size > _CHUNK
                and info.file_size > self.limits.max_ratio * max(1, info.compress_size)
            ):
                raise UnsafeArchive(info.filename, "bomb")
            entries.append(ZipEntry(name, info.file_size, info.compress_size, info.is_dir(),
                                    info))
        if packed > self.file_size:  # entries that share their data, or claim more than
            raise UnsafeArchive(None, "bad_directory")  # the file holds
        if total > max(self.limits.ratio_floor,
                       self.limits.max_overall_ratio * self.file_size):
            raise UnsafeArchive(None, "bomb")
        return entries

    def close(self) -> None:
        try:
            self._zip.close()
        finally:
            self._file.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def files(self) -> list[ZipEntry]:
        return [e for e in self.entries if not e.is_dir]

    def entry(self, name: str) -> ZipEntry:
        found = self._by_name.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def iter_chunks(self, name: str) -> Iterator[bytes]:
        """The entry's bytes, never more than its header declared (a lying header fails)."""
        entry = self.entry(name)
        produced = 0
        try:
            with self._zip.open(entry.info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    produced += len(chunk)
                    if produced > entry.size:
                        raise UnsafeArchive(entry.name, "bomb")
                    yield chunk
        except (zipfile.BadZipFile, EOFError, zlib_error(), NotImplementedError):
            raise UnsafeArchive(entry.name, "damaged") from None
        except OSError:  # an offset that points before the start of the file (EINVAL)
            raise UnsafeArchive(entry.name, "damaged") from None

    def read(self, name: str, max_size: int = 256 << 20) -> bytes:
        entry = self.entry(name)
        if entry.size > max_size:
            raise UnsafeArchive(entry.name, "too_large")
        return b"".join(self.iter_chunks(name))

    def space_needed(self) -> int:
        """Disk space unpacking everything takes: the declared sizes (reading never yields
        more), a block per file, and a margin left free."""
        files = self.files()
        return sum(e.size for e in files) + _BLOCK * len(self.entries) + SPACE_MARGIN

    def extract_all(
        self,
        dest: Path,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
        digests: dict[str, str] | None = None,
    ) -> list[Path]:
        """Extract into `dest` (created, private); nothing is ever written outside it.

        Refused before the first byte when `dest`'s drive lacks the space (DiskFull with
        the figures); if the disk fills anyway, what this call wrote is removed and the
        error is DiskFull. With `digests`, each file's SHA-256 is computed in the same pass
        (name -> hex).
        """
        require_space(dest, self.space_needed())
        made_root = not os.path.lexists(dest)
        private_mkdir(dest)
        root = dest.resolve()
        made: list[Path] = [root] if made_root else []
        written: list[Path] = []
        try:
            self._extract_into(root, written, made, progress, cancel, digests)
        except OSError as exc:
            target = written[-1] if written else root
            _remove(written, made)
            raise as_write_error(exc, target) from None
        return written

    def _extract_into(self, root: Path, written: list[Path], made: list[Path],
                      progress: Progress | None, cancel: CancelCheck | None,
                      digests: dict[str, str] | None) -> None:
        total = sum(e.size for e in self.entries)
        done = 0
        for entry in self.entries:
            if cancel is not None and cancel():
                raise Cancelled()
            target = (root / entry.name).resolve()
            if root != target and root not in target.parents:
                raise UnsafeArchive(entry.name, "path_escape")
            if entry.is_dir:
                _make_dirs(target, root, made)
                continue
            _make_dirs(target.parent, root, made)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            flags |= getattr(os, "O_BINARY", 0)
            fd = os.open(target, flags, 0o600)
            written.append(target)  # from here on it is ours to remove if writing fails
            hasher = hashlib.sha256()
            with os.fdopen(fd, "wb") as out:
                for chunk in self.iter_chunks(entry.name):
                    out.write(chunk)
                    if digests is not None:
                        hasher.update(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total, entry.name)
            if digests is not None:
                digests[entry.name] = hasher.hexdigest()


def _make_dirs(folder: Path, root: Path, made: list[Path]) -> None:
    """private_mkdir, remembering which folders it made (to remove them after a failure)."""
    missing = []
    probe = folder
    while probe != root and root in probe.parents and not os.path.lexists(probe):
        missing.append(probe)
        probe = probe.parent
    private_mkdir(folder)
    made.extend(reversed(missing))


def _remove(files: list[Path], folders: list[Path]) -> None:
    """Take back a failed unpack: its files, then the folders it made (deepest first)."""
    for path in files:
        with contextlib.suppress(OSError):
            path.unlink()
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def open_member_stream(archive: SafeZip, name: str) -> BinaryIO:
    """A file-like reader over iter_chunks, for code that wants read()."""
    import io

    class _Reader(io.RawIOBase):
        def __init__(self) -> None:
            self._chunks = archive.iter_chunks(name)
            self._buf = b""

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: WriteableBuffer, /) -> int:
            while not self._buf:
                try:
                    self._buf = next(self._chunks)
                except StopIteration:
                    return 0
            b = memoryview(buffer).cast("B")
            n = min(len(b), len(self._buf))
            b[:n] = self._buf[:n]
            self._buf = self._buf[n:]
            return n

    return io.BufferedReader(_Reader(), buffer_size=_CHUNK)
