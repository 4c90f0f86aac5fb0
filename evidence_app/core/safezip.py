"""The one place that opens zip archives: every entry checked before anything is read.

Refused: absolute paths, `..`, links, device files, duplicate names, more entries or more
expanded bytes than the limits, and compression ratios only a zip bomb has. Reading enforces
the sizes again, because a hostile archive can lie in its headers.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from evidence_app.core.errors import Cancelled, NotAnArchive, UnsafeArchive
from evidence_app.core.objectstore import CancelCheck, Progress
from evidence_app.core.safefs import private_mkdir

_CHUNK = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 20_000
    max_total_size: int = 64 << 30
    max_ratio: int = 1_000  # expanded / compressed, per entry larger than 1 MiB


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


class SafeZip:
    def __init__(self, path: Path, limits: ZipLimits | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or ZipLimits()
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise NotAnArchive(self.path) from None
        try:
            self.entries = self._check_entries()
        except BaseException:
            self._zip.close()
            raise
        self._by_name = {e.name: e for e in self.entries}

    def _check_entries(self) -> list[ZipEntry]:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_entries:
            raise UnsafeArchive(None, "too_many_entries")
        seen: set[str] = set()
        total = 0
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
            if total > self.limits.max_total_size:
                raise UnsafeArchive(info.filename, "too_large")
            if (
                info.file_size > _CHUNK
                and info.file_size > self.limits.max_ratio * max(1, info.compress_size)
            ):
                raise UnsafeArchive(info.filename, "bomb")
            entries.append(ZipEntry(name, info.file_size, info.compress_size, info.is_dir(),
                                    info))
        return entries

    def close(self) -> None:
        self._zip.close()

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

    def extract_all(
        self,
        dest: Path,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
        digests: dict[str, str] | None = None,
    ) -> list[Path]:
        """Extract into `dest` (created, private); nothing is ever written outside it.

        With `digests`, each file's SHA-256 is computed in the same pass (name -> hex).
        """
        private_mkdir(dest)
        root = dest.resolve()
        total = sum(e.size for e in self.entries)
        done = 0
        written: list[Path] = []
        for entry in self.entries:
            if cancel is not None and cancel():
                raise Cancelled()
            target = (root / entry.name).resolve()
            if root != target and root not in target.parents:
                raise UnsafeArchive(entry.name, "path_escape")
            if entry.is_dir:
                private_mkdir(target)
                continue
            private_mkdir(target.parent)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            flags |= getattr(os, "O_BINARY", 0)
            fd = os.open(target, flags, 0o600)
            hasher = hashlib.sha256()
            with os.fdopen(fd, "wb") as out:
                for chunk in self.iter_chunks(entry.name):
                    out.write(chunk)
                    if digests is not None:
                        hasher.update(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total, entry.name)
            written.append(target)
            if digests is not None:
                digests[entry.name] = hasher.hexdigest()
        return written


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

        def readinto(self, b) -> int:  # type: ignore[override]
            while not self._buf:
                try:
                    self._buf = next(self._chunks)
                except StopIteration:
                    return 0
            n = min(len(b), len(self._buf))
            b[:n] = self._buf[:n]
            self._buf = self._buf[n:]
            return n

    return io.BufferedReader(_Reader(), buffer_size=_CHUNK)
