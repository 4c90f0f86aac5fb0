"""The Qt binding must not leak references: PySide6 6.12.0 on Python 3.11 dropped one
reference to None on every call of a method that returns nothing, and after a few thousand
calls (a long session, a big list) Python aborted with "none_dealloc"."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui

CALLS = 2000


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_calls_that_return_nothing_keep_none_alive(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    font = QFont()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("x")
        font.setBold(True)
    lost = before - sys.getrefcount(None)
    assert lost < CALLS // 10, f"{lost} references to None lost in {2 * CALLS} calls"
