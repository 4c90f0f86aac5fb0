"""Every interactive control has a name a screen reader can say; shortcuts never collide."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QKeySequenceEdit,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from evidence_app.gui.capture_dialog import CaptureDialog
from evidence_app.gui.case_dialog import CaseDialog
from evidence_app.gui.main_window import MainWindow
from evidence_app.gui.seal_wizard import SealWizard
from evidence_app.gui.settings_dialog import SettingsDialog
from evidence_app.gui.start_window import StartWindow
from evidence_app.gui.timestamp_dialog import TimestampDialog
from evidence_app.gui.verify_view import VerifyWindow
from evidence_app.i18n import language, shipped_languages

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit,
               QTextEdit, QAbstractSpinBox, QKeySequenceEdit, QTableWidget)


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        parent = widget.parent()
        if widget.objectName().startswith(("qt_", "_q_")) or isinstance(parent, QLineEdit) or \
                (parent is not None and isinstance(parent.parent(), QComboBox)):
            continue  # Qt's own inner parts (clear buttons, popups) speak for their control
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text.replace("&", "").strip()):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_control_has_a_name(qtbot, session) -> None:
    screens: list[QWidget] = [
        StartWindow(session, ["en", "de"], first_start=True),
        MainWindow(session),
        CaseDialog(session),
        SettingsDialog(session.settings),
        TimestampDialog(session),
        SealWizard(session),
        VerifyWindow(),
        CaptureDialog(session),
    ]
    for screen in screens:
        qtbot.addWidget(screen)
        assert unnamed(screen) == [], type(screen).__name__


def test_main_window_shortcuts_do_not_collide(qtbot, session) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            key = sequence.toString()
            assert key not in seen, f"{key}: {seen.get(key)} and {action.text()}"
            seen[key] = action.text()
    assert "Ctrl+L" in seen  # lock is always one keystroke away


def mnemonic(label: str) -> str | None:
    """The letter Alt presses for a label ("&&" is a literal ampersand, not a mnemonic)."""
    found = re.search(r"&([^&])", label.replace("&&", ""))
    return found.group(1).casefold() if found else None


def mnemonic_clashes(window: MainWindow) -> dict[str, list[str]]:
    """Letters that more than one of the window's labels (toolbar and buttons) claim."""
    labels = [action.text() for action in window.toolbar.actions()]
    labels += [button.text() for button in window.findChildren(QAbstractButton)]
    by_letter: dict[str, list[str]] = {}
    for label in labels:
        letter = mnemonic(label)
        if letter is not None:
            by_letter.setdefault(letter, []).append(label)
    return {letter: found for letter, found in by_letter.items() if len(found) > 1}


@pytest.mark.parametrize("code", shipped_languages())
def test_main_window_mnemonics_do_not_collide(qtbot, session, code: str) -> None:
    """Two buttons on one Alt+letter only move the focus between them; neither is pressed."""
    with language(code):
        window = MainWindow(session)
        qtbot.addWidget(window)
        assert mnemonic(window.settings_action.text()) is not None
        assert mnemonic_clashes(window) == {}
        window.reveal_button.setChecked(True)  # "Blur pictures" replaces "Show pictures"
        assert mnemonic_clashes(window) == {}


def test_keyboard_reaches_the_list_and_the_actions(qtbot, session) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.search.setFocus()
    reached = set()
    for _ in range(40):
        qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Tab)
        reached.add(type(window.focusWidget()).__name__)
    assert {"QTreeView", "QComboBox", "QPushButton"} <= reached
