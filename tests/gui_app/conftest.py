"""The desktop app as a person meets it (the real controller and windows), and a local test
time-stamp authority (no test reaches the internet)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from evidence_app.core.vault import Vault
from evidence_app.gui import workers
from evidence_app.gui.app import AppController
from evidence_app.gui.session import Session
from evidence_app.gui.start_window import PAGE_UNLOCK
from evidence_app.settings import Settings
from tests.helpers import PASSPHRASE
from tests.timestamp.conftest import tsa, tsa_pki  # noqa: F401 - fixtures for these tests


@pytest.fixture
def controller(qapp, tmp_path: Path):
    """The app's controller with its start window, a vault folder in tmp_path."""
    # Reading the words in pictures after adding is on by default; here it is off, so tests
    # of other things do not wait for the engine (test_picture_words*.py turn it on).
    made = AppController(qapp, Settings(language="en", vault_path=str(tmp_path / "vault"),
                                        read_pictures=False))
    made.show()
    yield made
    workers.wait_all()
    if made.session.is_unlocked:
        made.session.lock("user")
    for widget in QApplication.topLevelWidgets():
        widget.close()
    qapp.removeEventFilter(made.safety)


@pytest.fixture
def unlocked(controller, qtbot, tmp_path: Path):
    """The main window of a fresh vault, unlocked through the unlock page."""
    vault, _key = Vault.create(tmp_path / "vault", PASSPHRASE)
    vault.lock()
    controller.start.refresh_unlock_page()
    controller.start.show_page(PAGE_UNLOCK)
    controller.start.unlock_field.setText(PASSPHRASE)
    controller.start.unlock_button.click()
    qtbot.waitUntil(lambda: controller.main is not None and controller.main.isVisible(),
                    timeout=10_000)
    return controller


@pytest.fixture
def session(tmp_path: Path):
    """A session holding a fresh open vault, without windows."""
    vault, _key = Vault.create(tmp_path / "vault", PASSPHRASE)
    made = Session(Settings(language="en", read_pictures=False))
    made.vault = vault
    yield made
    workers.wait_all()
    if vault.is_open:
        made.lock("user")
