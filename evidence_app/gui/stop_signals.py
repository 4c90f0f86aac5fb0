"""SIGTERM, SIGHUP and SIGINT in the desktop app: the same clean way out as Quick exit.

Python runs a signal handler only when the interpreter next gets control, and Qt's event
loop (C++) may not give it any for a long time. So the Python handler does nothing; Python's
C-level handler writes the signal number into a socket (signal.set_wakeup_fd), a
QSocketNotifier on the other end wakes the event loop, and the slot asks for the clean exit.
What that exit removes is decided in core/scratch.py, as for the command line.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier

from evidence_app.core.scratch import stop_signals

log = logging.getLogger(__name__)


def _ignore(_signum: int, _frame: FrameType | None) -> None:
    """The work is done by the socket notifier; a handler must exist so the default action
    (ending the process at once, leaving temporaries behind) does not happen."""


class StopSignals(QObject):
    """While installed, each stop signal calls on_signal(signum) on the GUI thread."""

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._write.fileno())
        self._previous = {sig: signal.signal(sig, _ignore) for sig in stop_signals()}
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    def _woken(self) -> None:
        try:
            numbers = self._read.recv(64)
        except OSError:
            return
        if numbers:
            log.info("stop signal %d received", numbers[0])
            self._on_signal(numbers[0])

    def uninstall(self) -> None:
        """Give back the handlers that were there before."""
        self._notifier.setEnabled(False)
        for sig, old in self._previous.items():
            signal.signal(sig, old)
        signal.set_wakeup_fd(self._previous_fd)
        for end in (self._read, self._write):
            with contextlib.suppress(OSError):
                end.close()
