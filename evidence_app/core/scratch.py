"""Private scratch folders for decrypted temporaries, removed on every way out.

A decrypted bundle, an unpacked bag or any other plaintext that only lives while one job
runs goes into a scratch folder made here: 0700, with files inside created 0600 by the code
that writes them. Each folder is registered and removed when its job ends (normal end,
error, Ctrl-C), when the program is told to stop (SIGTERM, SIGHUP: `stop_on_signals` turns
them into `Interrupted`, so every `finally` runs), and at interpreter exit as a fallback.

What a SIGKILL or a power cut leaves behind is found on the next start (`clean_stale`): the
folders have a recognisable name, and each holds a lock that its owning process keeps while
it lives, so only folders whose owner is gone are removed.

No Qt here: the desktop app calls the same functions from its quick exit and its own signal
handling.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from evidence_app.core.safefs import as_write_error, remove_unfinished

PREFIX = "evidence-app-scratch-"
OWNER_FILE = ".owner"
# A folder without an owner lock (being made just now, or re-made by a job that was told to
# stop) is left alone this long before another start may call it stale.
UNOWNED_GRACE_SECONDS = 120

_lock = threading.Lock()
_live: dict[Path, int] = {}  # scratch folder -> fd of its owner lock (-1: being removed)
# Removed already, but a job still running in another thread could make it again (it
# creates missing parent folders): remove_all looks once more. Names are never reused.
_removed: set[Path] = set()
_atexit_registered = False


class Interrupted(KeyboardInterrupt):
    """The program was told to stop (SIGTERM, SIGHUP, SIGINT) while a job ran.

    A KeyboardInterrupt, so everything that already cleans up after Ctrl-C (context
    managers, `finally`, atomic writes) does the same for the other signals.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        """The conventional status of a program stopped by a signal: 128 + its number."""
        return 128 + self.signum


def stop_signals() -> list[signal.Signals]:
    """The signals that mean "stop now, cleanly" on this system."""
    names = ("SIGINT", "SIGTERM", "SIGHUP")
    return [getattr(signal, name) for name in names if hasattr(signal, name)]


def _take_lock(fd: int, *, wait: bool) -> bool:
    """An exclusive lock the OS drops when the process ends, however it ends."""
    try:
        if sys.platform == "win32":  # (not os.name: type checkers read this one)
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def _own(path: Path) -> int:
    """Lock an owner file inside `path`; it takes its name only once locked, so another start
    never sees it unlocked while we live (Windows cannot rename an open file: made in place)."""
    first = path / (OWNER_FILE if os.name == "nt" else OWNER_FILE + "-new")
    fd = os.open(first, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        _take_lock(fd, wait=True)
        os.write(fd, f"{os.getpid()}\n".encode())
        if first.name != OWNER_FILE:
            os.rename(first, path / OWNER_FILE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def make(purpose: str = "") -> Path:
    """A new private folder in the temp folder, registered for removal on every exit."""
    global _atexit_registered
    label = "".join(c for c in purpose if c.isalnum())[:20]
    try:
        path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{label}{'-' if label else ''}"))  # 0700
    except OSError as exc:
        raise as_write_error(exc, Path(tempfile.gettempdir())) from exc
    try:
        fd = _own(path)
    except BaseException as exc:
        _rmtree(path)
        if isinstance(exc, OSError):
            raise as_write_error(exc, path) from exc
        raise
    with _lock:
        _live[path] = fd
        if not _atexit_registered:
            atexit.register(remove_all)
            _atexit_registered = True
    return path


def remove(path: Path) -> bool:
    """Remove a scratch folder and everything in it; False if something could not go."""
    with _lock:
        fd = _live.get(path)
        if fd is not None:
            _live[path] = -1  # still registered until it is gone: a signal may come mid-way
    if fd is not None and fd >= 0:
        with contextlib.suppress(OSError):
            os.close(fd)  # also drops the lock (Windows cannot delete an open file)
    gone = _rmtree(path)
    if gone:
        with _lock:
            _live.pop(path, None)
            _removed.add(path)
    return gone


def _rmtree(path: Path) -> bool:
    # A job still running in another thread may create a file while the tree is walked: a
    # few rounds catch that; the next start removes anything even later.
    for _attempt in range(3):
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            return True
    return False


def remove_all() -> list[Path]:
    """Remove every scratch folder this process still has (and any a running job made
    again after it was removed), and every output still being written (safefs); returns
    the folders that stayed."""
    remove_unfinished()
    with _lock:
        paths = list(_live)
        again = [path for path in _removed if os.path.lexists(path)]
    return [path for path in [*paths, *again] if not remove(path)]


def live() -> list[Path]:
    """The scratch folders this process holds now (for the quick exit and for tests)."""
    with _lock:
        return list(_live)


@contextlib.contextmanager
def scratch_dir(purpose: str = "") -> Iterator[Path]:
    """A private folder for one job, removed with everything in it when the job ends."""
    path = make(purpose)
    try:
        yield path
    finally:
        remove(path)


def _owner_gone(folder: Path, now: float) -> bool:
    try:
        fd = os.open(folder / OWNER_FILE, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        try:
            return now - folder.lstat().st_mtime > UNOWNED_GRACE_SECONDS
        except OSError:
            return False
    except OSError:
        return False
    try:
        return _take_lock(fd, wait=False)
    finally:
        os.close(fd)  # the lock (if taken) goes with it


def clean_stale(root: Path | None = None) -> int:
    """Remove scratch folders of this app whose process is gone (SIGKILL, power cut).

    Only our own folders: the name starts with PREFIX, it is a real folder (not a link) and,
    where the system has owners, it belongs to this user. Returns how many were removed.
    """
    folder = Path(root) if root is not None else Path(tempfile.gettempdir())
    uid = os.getuid() if hasattr(os, "getuid") else None
    now = time.time()
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    with _lock:
        ours = set(_live)
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        path = Path(entry.path)
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or (uid is not None and info.st_uid != uid):
            continue
        if path in ours or not _owner_gone(path, now):
            continue
        if _rmtree(path):
            removed += 1
    return removed


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM, SIGHUP and SIGINT raise `Interrupted` in it.

    The first signal raises; later ones are ignored so the clean-up it starts can finish.
    The handlers that were there before come back afterwards. Only the main thread can set
    handlers: elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping = False

    def handler(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, handler) for sig in stop_signals()}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
