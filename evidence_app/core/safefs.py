"""The one place that writes files durably: atomic replace, fsync, private folders, cleanup.

Everything that writes into a vault or a bundle goes through here, so durability rules
(write to a temp file, fsync, rename, fsync the directory) are kept in one spot.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from evidence_app.core.errors import DiskFull, WriteFailed

_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
TEMP_PREFIX = ".tmp-"


def as_write_error(exc: OSError, path: Path) -> DiskFull | WriteFailed:
    """Map an OS write failure to the error a person can act on."""
    if exc.errno in _FULL_ERRNOS:
        return DiskFull(path)
    return WriteFailed(path, exc.strerror or type(exc).__name__)


def fsync_dir(path: Path) -> None:
    """Make a rename or create in `path` durable (no-op where directories cannot be opened)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def private_mkdir(path: Path) -> None:
    """Create a folder (and parents) readable only by the current user.

    Path.mkdir(parents=True) gives missing parents the default mode, not 0700: an unpacked
    bag's inner folders would be world-readable. Each missing parent is made here instead.
    """
    try:
        path.mkdir(exist_ok=True, mode=0o700)
    except FileNotFoundError:
        if path.parent == path:
            raise
        private_mkdir(path.parent)
        path.mkdir(exist_ok=True, mode=0o700)


def write_all(fd: int, data: bytes | bytearray | memoryview) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _temp_path(final: Path) -> Path:
    return final.with_name(f"{TEMP_PREFIX}{final.name}.{secrets.token_hex(4)}")


# Temp files being written now (a bundle, a receipt, an exported copy, a vault object): the
# quick exit removes them while the work that writes them may still run, so no half-made
# output (plain evidence in an exported copy) stays behind when the process ends at once.
_unfinished: set[Path] = set()
_unfinished_lock = threading.Lock()


def _track(tmp: Path, on: bool) -> None:
    with _unfinished_lock:
        if on:
            _unfinished.add(tmp)
        else:
            _unfinished.discard(tmp)


def remove_unfinished() -> int:
    """Unlink every temp file still being written (the work writing it then fails on its
    next write or on publishing, and publishes nothing); returns how many were removed."""
    with _unfinished_lock:
        paths = list(_unfinished)
    removed = 0
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError:  # still open on Windows, or the stick was pulled: tried again later
            continue
        removed += 1
        _track(path, False)
    return removed


class StagedFile:
    """An output written under a temp name beside `final` (0600), durable once written, and
    given its name only by publish(): several outputs can be made first and named last."""

    def __init__(self, final: Path, *, overwrite: bool = True) -> None:
        self.final = final
        self.overwrite = overwrite
        self.tmp = _temp_path(final)
        self.published = False  # True once it has its name (even if making that durable failed)
        try:
            fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as exc:
            raise as_write_error(exc, final) from exc
        _track(self.tmp, True)
        self.file: BinaryIO = os.fdopen(fd, "wb")

    def finish(self) -> None:
        """Flush and fsync the data; the file keeps its temp name."""
        try:
            try:
                self.file.flush()
                os.fsync(self.file.fileno())
            finally:
                self.file.close()
        except OSError as exc:
            self.discard()
            raise as_write_error(exc, self.final) from exc

    def still_there(self) -> bool:
        """False once the quick exit swept the temp file away (remove_unfinished)."""
        return os.path.lexists(self.tmp)

    def publish(self) -> None:
        """Give the finished file its name, durably."""
        try:
            if not self.overwrite and self.final.exists():
                from evidence_app.core.errors import OutputExists

                raise OutputExists(self.final)
            os.replace(self.tmp, self.final)
            self.published = True
            _track(self.tmp, False)
            fsync_dir(self.final.parent)
        except OSError as exc:
            self.discard()
            raise as_write_error(exc, self.final) from exc

    def discard(self) -> None:
        if not self.file.closed:
            with contextlib.suppress(OSError):
                self.file.close()
        _unlink_quietly(self.tmp)
        _track(self.tmp, False)


@contextlib.contextmanager
def atomic_output(final: Path, *, overwrite: bool = True,
                  before_publish: Callable[[], None] | None = None) -> Iterator[BinaryIO]:
    """Yield a file to write; on success it replaces `final` durably, on error it vanishes.

    A reader never sees a half-written `final`: it is either the old file or the new one.
    `before_publish` runs once the data is durable and before it gets its name: that is
    where a copy of evidence is written into the custody log, so no copy can appear that
    the log does not know about (if it raises, nothing is published).
    """
    staged = StagedFile(final, overwrite=overwrite)
    try:
        yield staged.file
        staged.finish()
        if not overwrite and final.exists():
            from evidence_app.core.errors import OutputExists

            raise OutputExists(final)
        if before_publish is not None:
            before_publish()
        staged.publish()
    except OSError as exc:
        staged.discard()
        raise as_write_error(exc, final) from exc
    except BaseException:
        staged.discard()
        raise


def atomic_write(final: Path, data: bytes) -> None:
    with atomic_output(final) as fh:
        fh.write(data)


def append_durably(path: Path, data: bytes) -> None:
    """Append one record and fsync; the caller acknowledges only after this returns."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as exc:
        raise as_write_error(exc, path) from exc
    try:
        before = os.fstat(fd).st_size
        try:
            write_all(fd, data)
            os.fsync(fd)
        except OSError as exc:
            # Do not leave half a record behind: cut back to where we started.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, before)
                os.fsync(fd)
            raise as_write_error(exc, path) from exc
    finally:
        os.close(fd)


def move_durably(src: Path, dst: Path) -> None:
    """Rename within one file system, durable in both folders (never replaces `dst`)."""
    private_mkdir(dst.parent)
    if dst.exists():
        raise FileExistsError(str(dst))
    try:
        os.rename(src, dst)
        fsync_dir(dst.parent)
        fsync_dir(src.parent)
    except OSError as exc:
        raise as_write_error(exc, dst) from exc


def truncate_durably(path: Path, size: int) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def remove_stale_temps(folder: Path) -> int:
    """Remove temp files a crashed write left behind; returns how many were removed."""
    removed = 0
    if not folder.is_dir():
        return 0
    for path in folder.rglob(f"{TEMP_PREFIX}*"):
        if path.is_file():
            _unlink_quietly(path)
            removed += 1
    return removed


def safe_file_name(name: str, fallback: str) -> str:
    """A name that stays inside the folder it is written to, on every system."""
    cleaned = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in name).strip(" .")
    return cleaned[:200] or f"item-{fallback}"
