"""The first screens as someone watching over the person's shoulder, or the person under
stress, meets them: the vault's folder is not on the screen unless asked for; a problem is
said once and goes when it is answered; progress is not in the colour of an error; saving
the recovery key and resetting the passphrase say that they worked; a recovery key with
one slip says which group to check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QLineEdit, QMessageBox

from evidence_app.core.vault import Vault
from evidence_app.gui.start_window import PAGE_CREATE, PAGE_RECOVERY, PAGE_UNLOCK
from tests.helpers import PASSPHRASE

pytestmark = pytest.mark.gui

RED = "#a4262c"


def _visible_texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisible()
            and label.text()]


def _colour(label: QLabel) -> str:
    label.ensurePolished()
    return label.palette().color(QPalette.ColorRole.WindowText).name()


def _answer_modals(seen: list[str], stop: list[bool]) -> None:
    """Note and close every message box that opens (so a test never hangs on one)."""

    def look() -> None:
        if stop:
            return
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.windowTitle() + "\n" + box.text())
            box.done(0)
        QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


def _unlock_page(controller, tmp_path: Path) -> str:
    vault, key = Vault.create(tmp_path / "vault", PASSPHRASE)
    vault.lock()
    controller.start.refresh_unlock_page()
    controller.start.show_page(PAGE_UNLOCK)
    return key


def test_unlock_page_hides_where_the_vault_is(controller, qtbot, tmp_path) -> None:
    _unlock_page(controller, tmp_path)
    start = controller.start
    qtbot.waitExposed(start)
    folder = str(tmp_path / "vault")
    assert not any(folder in text for text in _visible_texts(start))
    qtbot.mouseClick(start.where_button, Qt.MouseButton.LeftButton)  # asked for: shown
    assert any(folder in text for text in _visible_texts(start))
    start.refresh_unlock_page()  # after every lock it is hidden again
    assert not any(folder in text for text in _visible_texts(start))


def test_a_passphrase_problem_is_said_once_and_goes_when_answered(controller, qtbot) -> None:
    start = controller.start
    start.show_page(PAGE_CREATE)
    qtbot.waitExposed(start)
    qtbot.keyClicks(start.new_pass, "short")
    qtbot.keyClicks(start.new_pass2, "short")
    qtbot.keyClick(start.new_pass2, Qt.Key.Key_Return)
    said = [t for t in _visible_texts(start) if "8 characters" in t]
    assert len(said) == 1, said
    start.new_pass.clear()
    qtbot.keyClicks(start.new_pass, PASSPHRASE)
    start.new_pass2.clear()
    qtbot.keyClicks(start.new_pass2, PASSPHRASE + "x")
    qtbot.keyClick(start.new_pass2, Qt.Key.Key_Return)
    assert "not the same" in start.create_error.text()
    assert _colour(start.create_error) == RED
    qtbot.keyClick(start.new_pass2, Qt.Key.Key_Backspace)  # now they match
    red = [label.text() for label in start.findChildren(QLabel) if label.isVisible()
           and label.text() and _colour(label) == RED]
    assert red == []


def test_creating_the_vault_is_not_said_in_red(controller, qtbot) -> None:
    start = controller.start
    start.show_page(PAGE_CREATE)
    start.new_pass.setText(PASSPHRASE)
    start.new_pass2.setText(PASSPHRASE)
    start.create_button.click()
    assert start.create_error.text() == "Creating the vault…"
    assert _colour(start.create_error) != RED
    qtbot.waitUntil(lambda: start.stack.currentIndex() == PAGE_RECOVERY, timeout=10_000)


def test_saving_the_recovery_key_says_where(controller, qtbot, tmp_path) -> None:
    start = controller.start
    start.show_page(PAGE_CREATE)
    start.new_pass.setText(PASSPHRASE)
    start.new_pass2.setText(PASSPHRASE)
    start.create_button.click()
    qtbot.waitUntil(lambda: start.stack.currentIndex() == PAGE_RECOVERY, timeout=10_000)
    target = tmp_path / "recovery-key.txt"
    documents = Path(os.environ["HOME"]) / "Documents"  # where the dialog should start
    documents.mkdir(exist_ok=True)
    opened_in: list[str] = []

    def save() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, save)
            return
        opened_in.append(dialog.directory().absolutePath())
        dialog.findChild(QLineEdit, "fileNameEdit").setText(str(target))
        dialog.accept()

    QTimer.singleShot(0, save)
    start.key_panel.save_key()
    assert start.recovery_key in target.read_text(encoding="utf-8")
    said = " ".join(_visible_texts(start))
    assert str(target) in said
    assert "not on this computer" in said
    assert [Path(p) for p in opened_in] == [documents]


def _reset_with(start, qtbot, key: str, until) -> list[str]:
    """Reset the passphrase with `key` as a person does (the recovery box, a new passphrase
    twice, Unlock), answering message boxes; waits until `until(seen)`; returns what the
    boxes said."""
    start.use_recovery.setChecked(True)
    start.recovery_field.setText(key)
    start.reset_pass.setText("green apple tall window")
    start.reset_pass2.setText("green apple tall window")
    seen: list[str] = []
    stop: list[bool] = []
    _answer_modals(seen, stop)
    try:
        start.unlock_button.click()
        qtbot.waitUntil(lambda: until(seen), timeout=10_000)
    finally:
        stop.append(True)
    return seen


def test_recovery_key_with_one_slip_names_the_group(controller, qtbot, tmp_path) -> None:
    key = _unlock_page(controller, tmp_path)
    start = controller.start
    flat = key.replace("-", "")
    slip = flat[:13] + ("Z" if flat[13] != "Z" else "Y") + flat[14:]  # in group 4
    seen = _reset_with(start, qtbot, "-".join(slip[i:i + 4] for i in range(0, 32, 4)),
                       lambda seen: bool(seen) or "Group" in " ".join(_visible_texts(start)))
    said = " ".join(_visible_texts(start)) + " ".join(seen)
    assert "Group 4 of 8 looks mistyped" in said
    assert "complete" not in said
    assert seen == []  # said beside the key, not in a box that hides it
    assert not controller.session.is_unlocked


def test_recovery_reset_says_the_passphrase_changed(controller, qtbot, tmp_path) -> None:
    key = _unlock_page(controller, tmp_path)
    start = controller.start
    _reset_with(start, qtbot, key, lambda seen: any("Passphrase changed" in s for s in seen))
    qtbot.waitUntil(lambda: not controller.session.busy, timeout=10_000)
    controller.session.lock("user")
    Vault.open(tmp_path / "vault", "green apple tall window").lock()
