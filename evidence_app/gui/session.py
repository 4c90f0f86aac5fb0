"""The open vault as the GUI sees it: unlock, run vault work in the background, lock.

Vault objects are not thread-safe, so every piece of vault work goes through run(), which
holds one lock while the work runs in a worker thread. Widgets re-read vault.state only when
`changed` is emitted (on the GUI thread, after the work is done). Work that adds evidence
is followed by a trusted-timestamp run in the background (stamping.py), when they are on;
pictures added are read for their words in the background (picture_reading.py), when
Settings say so.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from evidence_app.core.errors import TsaAddressInvalid, TsaNoTrustRoot, VaultLocked
from evidence_app.core.lastseen import LastSeen
from evidence_app.core.vault import Vault
from evidence_app.gui import workers
from evidence_app.gui.picture_reading import PictureReader, PictureWords
from evidence_app.gui.stamping import Stamper, records_count, stamp_run, wants_stamp
from evidence_app.paths import seen_dir
from evidence_app.settings import Settings
from evidence_app.timestamp import current_settings, disable, enable

log = logging.getLogger(__name__)


class Session(QObject):
    changed = Signal()  # items, notes or case details changed
    unlocked = Signal()
    locked = Signal(str)  # reason: "user", "idle", "quick_exit"
    busy_changed = Signal(bool)

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self._guard: VaultGuard | None = None
        self._closing: list[VaultGuard] = []  # locked, keys still held by a stopping worker
        self._tasks: set[workers.Task] = set()
        self.stamper = Stamper(self)
        # Words in pictures: the list's search index and the background reading queue.
        self.picture_words = PictureWords(self)
        self.picture_reader = PictureReader(self)

    @property
    def vault(self) -> Vault | None:
        """The open vault (None once locked: the session forgets it at once)."""
        return self._guard.vault if self._guard is not None else None

    @vault.setter
    def vault(self, vault: Vault | None) -> None:
        self._guard = VaultGuard(vault) if vault is not None else None

    @property
    def is_unlocked(self) -> bool:
        return self._guard is not None and self._guard.vault.is_open

    def require_vault(self) -> Vault:
        return self._require_guard().vault

    # --- opening ---------------------------------------------------------------------------

    def _opened(self, vault: Vault) -> None:
        self.vault = vault
        self.unlocked.emit()
        self.changed.emit()
        # What waited while offline is sent, pending OpenTimestamps proofs are upgraded
        # (only when the person turned timestamps on).
        if current_settings(vault).enabled:
            self.stamper.request()

    def unlock_async(self, path: Path, passphrase: str, *, on_error: Callable[[Any], None],
                     recovery_key: str | None = None) -> workers.Task:
        """Key derivation takes about a second: do it off the GUI thread."""

        closing = self._still_closing()

        def open_vault(progress: Any = None, cancel: Any = None) -> Vault:
            _wait_closed(closing)
            seen = LastSeen(seen_dir())
            if recovery_key is not None:
                return Vault.open_with_recovery_key(path, recovery_key, seen=seen)
            return Vault.open(path, passphrase, seen=seen)

        task = workers.Task(open_vault)
        task.signals.finished.connect(self._opened)
        task.signals.failed.connect(on_error)
        return workers.start(task)

    def create_async(self, path: Path, passphrase: str, *, on_done: Callable[[str], None],
                     on_error: Callable[[Any], None],
                     timestamps: bool | None = None) -> workers.Task:
        """Create the vault and, in the same step, record the person's choice about trusted
        timestamps (None: no choice made; then they stay off)."""

        closing = self._still_closing()

        def create(progress: Any = None, cancel: Any = None) -> tuple[Vault, str]:
            _wait_closed(closing)
            vault, recovery_key = Vault.create(path, passphrase, seen=LastSeen(seen_dir()))
            if timestamps is not None:
                record_timestamp_choice(vault, timestamps)
            return vault, recovery_key

        def created(result: tuple[Vault, str]) -> None:
            self._opened(result[0])
            on_done(result[1])

        task = workers.Task(create)
        task.signals.finished.connect(created)
        task.signals.failed.connect(on_error)
        return workers.start(task)

    # --- work ------------------------------------------------------------------------------

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Any], None] | None = None,
            on_progress: Callable[[int, int, str], None] | None = None,
            changes: bool = True, **kwargs: Any) -> workers.Task:
        """Run fn(vault, *args, progress=, cancel=, **kwargs) in the background, one at a time.

        changes=False: work that only reads (the reader's pages), so `changed` is not
        emitted and no timestamp run follows. Otherwise what the work added and now waits
        for a timestamp is sent by one background run after it (the Stamper)."""
        guard = self._require_guard()
        vault = guard.vault
        then: dict[str, bool] = {}

        def guarded(*a: Any, progress: Any = None, cancel: Any = None, **kw: Any) -> Any:
            def stop() -> bool:  # the task's own cancel, or the session was locked
                return guard.lock_requested.is_set() or bool(cancel is not None and cancel())

            try:
                with guard.mutex:
                    if guard.lock_requested.is_set() or not vault.is_open:
                        raise VaultLocked()
                    before = records_count(vault)
                    try:
                        return fn(vault, *a, progress=progress, cancel=stop, **kw)
                    finally:  # also after an error or a cancel: what was added still counts
                        then["stamp"] = (changes and fn is not stamp_run
                                         and not guard.lock_requested.is_set()
                                         and wants_stamp(vault, before))
                        if changes and not guard.lock_requested.is_set():
                            vault.save_snapshot()  # here, so that locking need not
            finally:
                # Out of the vault's lock: a lock asked for while this worker held it (the
                # window could not take it) is carried out here; asked for later, by lock().
                guard.close_if_requested(holding=False)

        task = workers.Task(guarded, *args, **kwargs)
        self._tasks.add(task)
        self.busy_changed.emit(True)

        # After a lock (quick exit, idle) the windows that asked for this work are gone:
        # their callbacks are dropped rather than called on deleted widgets.
        def finished(result: Any) -> None:
            self._forget(task)
            if guard.lock_requested.is_set():
                return
            if changes:
                self.changed.emit()
            if on_done is not None:
                on_done(result)
            if then.get("stamp"):
                self.stamper.request()

        def failed(exc: Any) -> None:
            self._forget(task)
            if guard.lock_requested.is_set():
                return
            if changes:
                self.changed.emit()
            if on_error is not None:
                on_error(exc)
            if then.get("stamp"):
                self.stamper.request()

        task.signals.finished.connect(finished)
        task.signals.failed.connect(failed)
        if on_progress is not None:
            task.signals.progress.connect(
                lambda d, t, m: None if guard.lock_requested.is_set() else on_progress(d, t, m))
        return workers.start(task)

    def _still_closing(self) -> list[VaultGuard]:
        """Vaults locked while a worker still held them: opening one again waits (in the
        worker, never here) until that worker has stopped and let go of it."""
        self._closing = [g for g in self._closing if not g.closed.is_set()]
        return list(self._closing)

    def _require_guard(self) -> VaultGuard:
        if self._guard is None or not self._guard.vault.is_open:
            raise VaultLocked()
        return self._guard

    def _forget(self, task: workers.Task) -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    # --- locking ---------------------------------------------------------------------------

    def lock(self, reason: str = "user") -> None:
        """Lock at once, never waiting on the GUI thread: the session forgets the vault now,
        running work is told to stop, and the keys are dropped now or, when a worker is in
        the middle of a step, by that worker as soon as it stops."""
        guard, self._guard = self._guard, None
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()
        self.busy_changed.emit(False)
        if guard is not None:
            guard.lock_requested.set()
            guard.close_if_requested(holding=False)
            if not guard.closed.is_set():
                self._closing.append(guard)
        log.info("vault locked (%s)", reason)
        self.locked.emit(reason)


class VaultGuard:
    """One open vault and the one lock its work runs under (Vault objects are not
    thread-safe). A lock request is a flag every step sees; the keys are dropped by
    whoever holds the vault when the flag is seen: the GUI thread if nothing runs, else
    the worker as it stops."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.mutex = threading.Lock()
        self.lock_requested = threading.Event()
        self.closed = threading.Event()

    def close_if_requested(self, *, holding: bool) -> None:
        """holding=True: called by the worker inside the mutex; else it is tried without
        waiting (a worker that holds it closes the vault itself on its way out)."""
        if not self.lock_requested.is_set():
            return
        if holding:
            self._close()
            return
        if self.mutex.acquire(blocking=False):
            try:
                self._close()
            finally:
                self.mutex.release()

    def _close(self) -> None:
        try:
            if self.vault.is_open:  # the snapshot was kept after each piece of work
                self.vault.lock(save_snapshot=False)
        finally:
            self.closed.set()


def _wait_closed(guards: list[VaultGuard], timeout: float = 60.0) -> None:
    """In the unlocking worker: let the work still stopping from the last session finish
    (it holds the vault's lock file until then)."""
    for guard in guards:
        guard.closed.wait(timeout)


def record_timestamp_choice(vault: Vault, yes: bool) -> None:
    """The answer to "trusted time?" as a custody record: on with the default authorities
    and OpenTimestamps, or off (recorded too, so the log shows that the person said no)."""
    if not yes:
        disable(vault)
        return
    try:
        enable(vault)
    except (TsaNoTrustRoot, TsaAddressInvalid) as exc:  # the shipped roots file is damaged
        log.warning("trusted timestamps could not be turned on: %s", type(exc).__name__)
