"""Trusted timestamps in the background: one stamp run after any action that adds evidence.

Every custody record that names evidence (an item, a note, case details, a chat import, a
change or withdrawal, a seal, the consent itself) should get its time witnesses soon, not at
the next manual "Timestamp now". Session.run() asks `wants_stamp()` in the worker after each
piece of vault work; when something now waits, the Stamper starts one `flush_queue` run in
the background, with a short time limit per authority. Runs never overlap: a request during
a run starts one more run when it ends. While timestamps are off nothing is sent.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from evidence_app.core.errors import Cancelled
from evidence_app.core.vault import Vault
from evidence_app.timestamp import waiting
from evidence_app.timestamp.settings import SETTINGS_RECORD
from evidence_app.timestamp.vaultstamps import STAMPED_RECORD_TYPES, FlushResult
from evidence_app.workflows.stamps import stamp_waiting

if TYPE_CHECKING:
    from evidence_app.gui import workers
    from evidence_app.gui.session import Session

log = logging.getLogger(__name__)

# Records after which something may wait for a timestamp: those stamped by their own hash,
# a new item (stamped by its content), and the choice to turn timestamps on.
TRIGGERS = STAMPED_RECORD_TYPES | {"item_added", SETTINGS_RECORD}


def wants_stamp(vault: Vault, records_before: int) -> bool:
    """In the worker, after vault work: did it add evidence that now waits for a timestamp?

    False while timestamps are off (waiting() is empty then), so nothing is ever sent.
    """
    if not vault.is_open:
        return False
    journal = vault.journal
    if journal is None:
        return False
    added = journal.records_after(records_before)
    if not any(record.get("type") in TRIGGERS for record in added):
        return False
    return bool(waiting(vault))


def stamp_run(vault: Vault, progress: Any = None, cancel: Any = None) -> FlushResult:
    """A background run: what waits, with the short time limit (workflows.stamps)."""
    return stamp_waiting(vault, progress=progress, cancel=cancel)


class Stamper(QObject):
    """Starts stamp runs through the session, one at a time. Signals are on the GUI thread."""

    started = Signal()
    finished = Signal(object)  # FlushResult
    failed = Signal(object)  # an exception other than a timestamp error (disk full...)

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session
        self._task: workers.Task | None = None
        self._again = False
        session.locked.connect(self._forget)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done.is_set()

    def request(self) -> None:
        """Stamp what waits, now or right after the run under way."""
        if self.running:
            self._again = True
            return
        if not self.session.is_unlocked:
            return
        self._again = False
        self._task = self.session.run(stamp_run, on_done=self._done, on_error=self._failed)
        self.started.emit()

    def _done(self, result: FlushResult) -> None:
        self._task = None
        if result.error is not None:
            log.info("timestamps: %d waiting (%s)", len(result.waiting),
                     type(result.error).__name__)
        self.finished.emit(result)
        if self._again:
            self.request()

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        if isinstance(exc, Cancelled):
            return
        self.failed.emit(exc)

    def _forget(self, _reason: str = "") -> None:
        self._task = None
        self._again = False


def records_count(vault: Vault) -> int:
    """How many custody records there are (read before vault work, in the worker)."""
    journal = vault.journal
    return journal.count if vault.is_open and journal is not None else 0

