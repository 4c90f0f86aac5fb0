"""When the last top-level window was hidden: the quick exit's promise (every window out of
sight within 200 ms) timed from the hide events themselves, not from the cleanup after."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget


class HideClock(QObject):
    """An application-wide event filter; `last` is the monotonic time of the last hide."""

    def __init__(self) -> None:
        super().__init__()
        self.last = time.monotonic()
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Hide and isinstance(watched, QWidget) \
                and watched.isWindow():
            self.last = time.monotonic()
        return False

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)


def quick_exit_hide_time(controller) -> tuple[float, float]:
    """Seconds from pressing quick exit to the last window hidden, and to quick exit having
    returned (locked, temporaries swept, the app told to quit); all windows are hidden."""
    clock = HideClock()
    started = time.monotonic()
    controller.quick_exit()
    returned = time.monotonic() - started
    clock.stop()
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == []
    return clock.last - started, returned
