"""The vault's own safety in the desktop app, through the real widgets: what opening found
is told in words (an older custody log, files kept aside), Settings brings kept-aside files
back, and a new recovery key replaces the old one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from evidence_app.core.errors import WrongRecoveryKey
from evidence_app.core.vault import Vault
from evidence_app.gui.settings_dialog import SettingsDialog
from evidence_app.gui.start_window import PAGE_UNLOCK
from evidence_app.gui.vault_security import NewRecoveryKeyDialog, RecoverDialog
from tests.helpers import PASSPHRASE

pytestmark = pytest.mark.gui


def _unlock(controller, qtbot) -> None:
    controller.start.refresh_unlock_page()
    controller.start.show_page(PAGE_UNLOCK)
    controller.start.unlock_field.setText(PASSPHRASE)
    controller.start.unlock_button.click()
    qtbot.waitUntil(lambda: controller.main is not None and controller.main.isVisible(),
                    timeout=10_000)


def _answer_dialogs(seen: list[str]) -> QTimer:
    """Answer the modal dialogs the app opens (they run their own event loop), noting what
    they said: message boxes are read and closed; a new recovery key is read, Esc is tried
    (it must not close the window), then the box is ticked and Done pressed."""
    from evidence_app.gui.vault_security import RecoveryKeyShown

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        elif isinstance(box, RecoveryKeyShown) and not box.kept.isChecked():
            box.reject()
            if box.isVisible():
                seen.append("still open after Esc")
            seen.append("KEY " + box.key_label.text())
            box.kept.setChecked(True)
            QTimer.singleShot(0, box.done_button.click)

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(50)
    return timer


def _vault_with_a_rollback(folder: Path) -> None:
    """An older journal put back after an item was added (through the app's own note)."""
    from evidence_app.core.lastseen import LastSeen
    from evidence_app.paths import seen_dir

    seen = LastSeen(seen_dir())
    vault, _key = Vault.create(folder, PASSPHRASE, seen=seen)
    older = {n: (folder / n).read_bytes() for n in ("journal", "head")}
    vault.add_bytes(b"the threat they want gone", "threat.txt", source={"type": "import"})
    vault.lock()
    for name, data in older.items():
        (folder / name).write_bytes(data)


def test_opening_tells_of_an_older_log_and_settings_brings_the_file_back(controller, qtbot,
                                                                           tmp_path: Path):
    _vault_with_a_rollback(tmp_path / "vault")
    _unlock(controller, qtbot)
    qtbot.waitUntil(lambda: controller.main.findChild(QMessageBox, "openingNotices")
                    is not None, timeout=5_000)
    box = controller.main.findChild(QMessageBox, "openingNotices")
    assert "older than the one this computer last saw" in box.text()
    assert "kept aside, not deleted" in box.text()
    box.accept()
    assert controller.session.vault.state.items == {}

    settings = SettingsDialog(controller.session.settings, controller.main, controller.session)
    qtbot.addWidget(settings)
    labels = [b.text() for b in settings.findChildren(QPushButton)]
    assert {"Change passphrase…", "New recovery key…", "Recover kept-aside files…"} <= set(labels)

    dialog = RecoverDialog(controller.session, controller.main)
    qtbot.addWidget(dialog)
    words = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Evidence that can be brought back: 1." in words
    assert dialog.recover.isEnabled()
    assert dialog.recover.text() == "Bring back 1 file"
    dialog.show()
    seen: list[str] = []
    driver = _answer_dialogs(seen)
    dialog.recover.click()
    qtbot.waitUntil(lambda: any("brought back" in t for t in seen), timeout=10_000)
    driver.stop()
    assert "1 item brought back." in " ".join(seen)
    (item,) = controller.session.vault.state.items.values()
    assert item.source["type"] == "recovered"
    assert b"".join(bytes(v) for v in controller.session.vault.iter_item(item.id)) == \
        b"the threat they want gone"


def test_new_recovery_key_from_settings(controller, qtbot, tmp_path: Path):
    vault, old_key = Vault.create(tmp_path / "vault", PASSPHRASE)
    vault.lock()
    _unlock(controller, qtbot)
    dialog = NewRecoveryKeyDialog(controller.session, controller.main)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.current.setText("not the passphrase")
    dialog.make.click()
    qtbot.waitUntil(lambda: "did not open" in dialog.message.text(), timeout=10_000)
    assert dialog.make.isEnabled()
    dialog.current.setText(PASSPHRASE)
    seen: list[str] = []
    driver = _answer_dialogs(seen)
    dialog.make.click()
    qtbot.waitUntil(lambda: any(t.startswith("KEY ") for t in seen), timeout=10_000)
    driver.stop()
    assert "still open after Esc" in seen, seen  # Esc before ticking does not lose the key
    new_key = next(t for t in seen if t.startswith("KEY "))[4:]
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){7}", new_key)
    assert new_key != old_key
    controller.session.lock("user")
    with pytest.raises(WrongRecoveryKey):
        Vault.open_with_recovery_key(tmp_path / "vault", old_key)
    Vault.open_with_recovery_key(tmp_path / "vault", new_key).lock()
