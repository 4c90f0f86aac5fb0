"""Weak passphrases in the desktop app, driven through the real widgets: creating a vault,
changing the passphrase, and the recovery-key reset. A common one disables the button and
says why under the field; a weak one is asked about in a dialog first. The passphrase itself
is never shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

from evidence_app.core.errors import WrongPassphrase
from evidence_app.core.vault import HEADER_NAME, Vault
from evidence_app.gui.start_window import PAGE_CREATE, PAGE_RECOVERY, PAGE_UNLOCK
from evidence_app.gui.vault_security import ChangePassphraseDialog
from tests.helpers import PASSPHRASE

pytestmark = pytest.mark.gui

WEAK = "tiger-lamp"  # zxcvbn score 2: allowed after a confirmation


def _answer_next_dialog(button_text: str, seen: list[str]) -> None:
    """When the next modal dialog opens, note its text and press the button named so."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, press)
            return
        if isinstance(box, QMessageBox):
            seen.append(box.windowTitle() + "\n" + box.text() + "\n" + box.informativeText())
        for button in box.findChildren(QAbstractButton):
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {seen[-1:]}")

    QTimer.singleShot(0, press)


def _type(qtbot, field, text: str) -> None:
    field.clear()
    if text.isascii():
        qtbot.keyClicks(field, text)
    else:  # QTest types ASCII keys only; insert() is what an input method does
        field.insert(text)


def _shown_text(meter) -> str:
    return " ".join(label.text() for label in meter.findChildren(type(meter.label)))


def test_create_page_refuses_a_common_passphrase_as_it_is_typed(controller, qtbot):
    start = controller.start
    start.show_page(PAGE_CREATE)
    for secret, words in (("12345678", "row of keys"), ("Passwort", "Too common"),
                          ("        ", "Only spaces"), ("qwertyui", "row of keys")):
        _type(qtbot, start.new_pass, secret)
        _type(qtbot, start.new_pass2, secret)
        assert not start.create_button.isEnabled(), secret
        shown = _shown_text(start.strength)
        assert words in shown, shown
        assert "four or more unrelated words" in shown
        assert secret.strip() == "" or secret not in shown
        qtbot.keyClick(start.new_pass2, Qt.Key.Key_Return)  # Enter does not get round it
        assert start.stack.currentIndex() == PAGE_CREATE
    _type(qtbot, start.new_pass, PASSPHRASE)
    assert start.create_button.isEnabled()
    assert "Strong" in _shown_text(start.strength)
    assert not (Path(controller.session.settings.vault_path) / HEADER_NAME).exists()


def test_create_page_asks_before_using_a_weak_passphrase(controller, qtbot, tmp_path: Path):
    start = controller.start
    start.show_page(PAGE_CREATE)
    _type(qtbot, start.new_pass, WEAK)
    _type(qtbot, start.new_pass2, WEAK)
    assert "Weak: easy to guess" in _shown_text(start.strength)
    assert start.create_button.isEnabled()
    seen: list[str] = []
    _answer_next_dialog("Choose another", seen)
    qtbot.mouseClick(start.create_button, Qt.MouseButton.LeftButton)
    assert seen, "no question was asked"
    assert "easy to guess" in seen[0]
    assert WEAK not in seen[0]
    assert start.stack.currentIndex() == PAGE_CREATE
    vault = Path(controller.session.settings.vault_path)
    assert not (vault / HEADER_NAME).exists()
    _answer_next_dialog("Use it anyway", seen)
    qtbot.mouseClick(start.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: start.stack.currentIndex() == PAGE_RECOVERY, timeout=10_000)
    assert len(seen) == 2


def test_strong_passphrase_is_not_questioned(controller, qtbot):
    start = controller.start
    start.show_page(PAGE_CREATE)
    _type(qtbot, start.new_pass, PASSPHRASE)
    _type(qtbot, start.new_pass2, PASSPHRASE)
    qtbot.mouseClick(start.create_button, Qt.MouseButton.LeftButton)  # no dialog to answer
    qtbot.waitUntil(lambda: start.stack.currentIndex() == PAGE_RECOVERY, timeout=10_000)


def test_change_passphrase_dialog_refuses_common_and_asks_about_weak(unlocked, qtbot,
                                                                      tmp_path: Path):
    dialog = ChangePassphraseDialog(unlocked.session, unlocked.main)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.current, PASSPHRASE)
    _type(qtbot, dialog.first, "пароль123")
    _type(qtbot, dialog.second, "пароль123")
    assert not dialog.change.isEnabled()
    assert "Too common" in _shown_text(dialog.strength)
    _type(qtbot, dialog.first, WEAK)
    _type(qtbot, dialog.second, WEAK)
    assert dialog.change.isEnabled()
    seen: list[str] = []
    _answer_next_dialog("Choose another", seen)
    qtbot.mouseClick(dialog.change, Qt.MouseButton.LeftButton)
    assert seen
    assert "easy to guess" in seen[0]
    assert dialog.isVisible()
    assert not unlocked.session._tasks  # nothing was started
    _answer_next_dialog("Use it anyway", seen)
    qtbot.mouseClick(dialog.change, Qt.MouseButton.LeftButton)
    _answer_next_dialog("OK", seen)  # "Passphrase changed."
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    unlocked.session.lock("user")
    Vault.open(tmp_path / "vault", WEAK).lock()
    with pytest.raises(WrongPassphrase):
        Vault.open(tmp_path / "vault", PASSPHRASE)


def test_recovery_reset_asks_before_a_weak_new_passphrase(controller, qtbot, tmp_path: Path):
    vault, key = Vault.create(tmp_path / "vault", PASSPHRASE)
    vault.lock()
    start = controller.start
    start.refresh_unlock_page()
    start.show_page(PAGE_UNLOCK)
    start.use_recovery.setChecked(True)
    start.recovery_field.setText(key)
    _type(qtbot, start.reset_pass, WEAK)
    _type(qtbot, start.reset_pass2, WEAK)
    seen: list[str] = []
    _answer_next_dialog("Choose another", seen)
    qtbot.mouseClick(start.unlock_button, Qt.MouseButton.LeftButton)
    assert seen
    assert "easy to guess" in seen[0]
    assert not controller.session.is_unlocked
    assert start.unlock_button.isEnabled()


def test_recovery_reset_refuses_a_common_new_passphrase(controller, qtbot, tmp_path: Path):
    vault, _key = Vault.create(tmp_path / "vault", PASSPHRASE)
    vault.lock()
    start = controller.start
    start.refresh_unlock_page()
    start.show_page(PAGE_UNLOCK)
    start.use_recovery.setChecked(True)
    _type(qtbot, start.reset_pass, "00000000")
    _type(qtbot, start.reset_pass2, "00000000")
    assert not start.unlock_button.isEnabled()
    assert "Repeats itself" in _shown_text(start.reset_strength)
    _type(qtbot, start.reset_pass, PASSPHRASE + " again")
    assert start.unlock_button.isEnabled()
    start.use_recovery.setChecked(False)
    _type(qtbot, start.reset_pass, "00000000")
    assert start.unlock_button.isEnabled()  # only matters while resetting
