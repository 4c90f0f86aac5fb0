"""The app says when it runs in portable mode: on the start window and in the status bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from evidence_app import paths
from evidence_app.core.vault import Vault
from evidence_app.gui.app import AppController
from evidence_app.gui.start_window import PAGE_UNLOCK
from evidence_app.paths import PORTABLE_DATA, PORTABLE_MARKER
from evidence_app.settings import Settings
from tests.helpers import PASSPHRASE

pytestmark = pytest.mark.gui


@pytest.fixture
def make_controller(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(paths, "program_dir", lambda: tmp_path / "stick")
    made: list[AppController] = []

    def make(portable: bool) -> AppController:
        (tmp_path / "stick").mkdir(exist_ok=True)
        if portable:
            (tmp_path / "stick" / PORTABLE_MARKER).write_text("portable\n", "utf-8")
        settings = Settings(language="en", vault_path=str(tmp_path / "vault"))
        controller = AppController(qapp, settings)
        controller.show()
        made.append(controller)
        return controller

    yield make
    for controller in made:
        if controller.session.is_unlocked:
            controller.session.lock("user")
        qapp.removeEventFilter(controller.safety)
    for widget in QApplication.topLevelWidgets():
        widget.close()


def _unlock(controller: AppController, qtbot, vault_dir: Path) -> None:
    vault, _key = Vault.create(vault_dir, PASSPHRASE)
    vault.lock()
    controller.start.refresh_unlock_page()
    controller.start.show_page(PAGE_UNLOCK)
    controller.start.unlock_field.setText(PASSPHRASE)
    controller.start.unlock_button.click()
    qtbot.waitUntil(lambda: controller.main is not None and controller.main.isVisible(),
                    timeout=10_000)


def test_portable_mode_is_shown_in_both_windows(make_controller, qtbot, tmp_path: Path) -> None:
    controller = make_controller(portable=True)
    badge = controller.start.findChild(QLabel, "portable_badge")
    assert badge is not None
    assert badge.isVisible()
    assert "portable" in badge.text()
    assert badge.toolTip() == str(tmp_path / "stick" / PORTABLE_DATA)

    _unlock(controller, qtbot, tmp_path / "vault")
    in_status = controller.main.statusBar().findChild(QLabel, "portable_badge")
    assert in_status is not None
    assert in_status.isVisible()


def test_no_badge_when_installed_normally(make_controller, qtbot, tmp_path: Path) -> None:
    controller = make_controller(portable=False)
    assert controller.start.findChild(QLabel, "portable_badge") is None
    _unlock(controller, qtbot, tmp_path / "vault")
    assert controller.main.statusBar().findChild(QLabel, "portable_badge") is None
