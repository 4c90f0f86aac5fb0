"""The window and the command line take the same steps (issue 17): adding a folder with a
file that cannot be added and a link goes on past the bad file, says what was not added and
why, and ends the same way in both. Before, the window stopped at the first error and said
nothing about links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from evidence_app.core.vault import Vault
from evidence_app.gui import workers
from tests.helpers import PASSPHRASE, run_cli

pytestmark = pytest.mark.gui


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "handed-in"
    folder.mkdir()
    os.mkfifo(folder / "a-pipe")  # sorted first: not a regular file, cannot be added
    (folder / "b-chat.txt").write_text("hello\n")
    (folder / "c-photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"x" * 500)
    (folder / "d-link.txt").symlink_to(folder / "b-chat.txt")
    return folder


def _names(vault_path: Path) -> list[str]:
    vault = Vault.open(vault_path, PASSPHRASE)
    try:
        return sorted(i.name for i in vault.state.items.values())
    finally:
        vault.lock()


def test_window_goes_on_past_a_bad_file_and_says_why(unlocked, qtbot, tmp_path) -> None:
    folder = _folder(tmp_path)
    said: list[str] = []

    def read_message() -> None:
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(20, read_message)
            return
        said.append(boxes[0].text())
        boxes[0].accept()

    QTimer.singleShot(0, read_message)
    unlocked.main.add_paths([folder])
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    workers.wait_all()
    text = said[0]
    assert "1 file could not be added" in text
    assert "a-pipe" in text
    assert "1 link inside the folders was not followed" in text
    vault_path = unlocked.session.vault.path
    unlocked.session.lock("user")
    assert _names(vault_path) == ["b-chat.txt", "c-photo.jpg"]


def test_command_line_does_the_same(tmp_path) -> None:
    folder = _folder(tmp_path)
    vault = tmp_path / "vault"
    Vault.create(vault, PASSPHRASE)[0].lock()
    result = run_cli("--vault", str(vault), "add", str(folder))
    assert result.returncode == 1, result.stderr
    assert "1 link inside the folders was not followed" in result.stderr
    assert "a-pipe" in result.stderr
    assert result.stdout.count("added ") == 2
    assert _names(vault) == ["b-chat.txt", "c-photo.jpg"]
