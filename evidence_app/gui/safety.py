"""Safety of the person using the app: quick exit and auto-lock, everywhere at once.

Both work as one application-wide event filter, so they act from any window or dialog,
modal ones included.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

DOUBLE_ESCAPE = "Esc Esc"
DOUBLE_PRESS_SECONDS = 0.7
_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                 QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class SafetyFilter(QObject):
    """Emits quick_exit on the chosen shortcut and idle_timeout after N minutes without input."""

    quick_exit = Signal()
    idle_timeout = Signal()

    def __init__(self, shortcut: str = DOUBLE_ESCAPE, idle_minutes: int = 5) -> None:
        super().__init__()
        self._last_escape = 0.0
        self._sequence = QKeySequence()
        self.set_shortcut(shortcut)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self.idle_timeout)
        self.set_idle_minutes(idle_minutes)

    def set_shortcut(self, shortcut: str) -> None:
        self._shortcut = shortcut or DOUBLE_ESCAPE
        self._sequence = QKeySequence() if self._shortcut == DOUBLE_ESCAPE else \
            QKeySequence(self._shortcut)

    def set_idle_minutes(self, minutes: int, *, seconds: float | None = None) -> None:
        """0 minutes turns auto-lock off; `seconds` is for tests (a short timeout)."""
        total_ms = int((seconds if seconds is not None else minutes * 60) * 1000)
        self._idle.setInterval(max(total_ms, 1))
        self._idle_enabled = total_ms > 0
        self.poke()

    def poke(self) -> None:
        if self._idle_enabled:
            self._idle.start()
        else:
            self._idle.stop()

    def pause_idle(self) -> None:
        self._idle.stop()

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def _matches(self, event: QKeyEvent) -> bool:
        if self._shortcut == DOUBLE_ESCAPE:
            if event.key() != Qt.Key.Key_Escape or event.isAutoRepeat():
                return False
            now = time.monotonic()
            double = now - self._last_escape <= DOUBLE_PRESS_SECONDS
            self._last_escape = 0.0 if double else now
            return double
        if self._sequence.isEmpty():
            return False
        pressed = QKeySequence(event.keyCombination())
        return pressed.matches(self._sequence) == QKeySequence.SequenceMatch.ExactMatch

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        etype = event.type()
        if etype in _INPUT_EVENTS:
            if self._idle_enabled and self._idle.isActive():
                self._idle.start()
            if etype == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and \
                    self._first_delivery(watched) and self._matches(event):
                self.quick_exit.emit()
                return True
        return False

    @staticmethod
    def _first_delivery(watched: QObject) -> bool:
        """A key press reaches the window, the focus widget, then its parents: count it once."""
        if not isinstance(watched, QWidget):
            return False
        focus = QApplication.focusWidget()
        return focus is None or watched is focus


def hide_everything(app: QApplication) -> None:
    """Hide every window and dialog at once (quick exit)."""
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            widget.hide()
