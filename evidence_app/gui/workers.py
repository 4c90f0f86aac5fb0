"""Long work off the GUI thread: a task gets progress and cancel as plain callables.

The core functions take progress(done, total, message) and a cancel check; here they run in a
QThreadPool, and a small proxy turns their calls into Qt signals. Workers never touch widgets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class TaskSignals(QObject):
    progress = Signal(int, int, str)  # done, total, message (sizes above 2**31 are scaled)
    finished = Signal(object)  # the task's return value
    failed = Signal(object)  # the exception (a typed EvidenceError, or unexpected)


class Task(QRunnable):
    """Run fn(progress=..., cancel=...) in the pool; connect to .signals before start()."""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, message: str) -> None:
        scale = 1
        while total // scale > 2**31 - 1 or done // scale > 2**31 - 1:
            scale *= 1024
        self.signals.progress.emit(done // scale, total // scale, message)

    def run(self) -> None:
        try:
            result = self._fn(*self._args, progress=self._progress,
                              cancel=self._cancel.is_set, **self._kwargs)
        except Exception as exc:  # handed to the GUI thread, which shows one sentence
            log.info("task failed: %s", type(exc).__name__, exc_info=True)
            self.done.set()
            self.signals.failed.emit(exc)
            return
        self.done.set()
        self.signals.finished.emit(result)


_running: set[Task] = set()


def start(task: Task) -> Task:
    """Start a task; keeps a reference until it ends so Python does not collect it."""
    _running.add(task)
    task.signals.finished.connect(lambda _r: _running.discard(task))
    task.signals.failed.connect(lambda _e: _running.discard(task))
    QThreadPool.globalInstance().start(task)
    return task


def cancel_all() -> None:
    """Ask every running task to stop (quick exit); returns at once, waits for none."""
    for task in list(_running):
        task.cancel()


def wait_all(timeout_ms: int = 30_000) -> bool:
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
