"""File dialogs start where the files are (Pictures, Downloads, Documents), remember the
last folder only while the app runs and the vault is open, and leave no trace on disk of
the folders a person visited: someone who shares the computer must not learn from Qt's
settings file that the evidence came from "Downloads/Shelter Hamburg"."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

pytestmark = pytest.mark.gui

SECRET = "Shelter Hamburg Nordstrasse"


def _home() -> Path:
    return Path(os.environ["HOME"])


@pytest.fixture
def own_folders() -> dict[str, Path]:
    folders = {name: _home() / name for name in ("Pictures", "Downloads", "Documents")}
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    return folders


def _drive(choose: Path | None, seen: list[Path]) -> None:
    """When the next file dialog opens: note its folder, then choose `choose` (or cancel)."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, act)
            return
        seen.append(Path(dialog.directory().absolutePath()))
        if choose is None:
            dialog.reject()
            return
        dialog.setDirectory(str(choose.parent))  # as a person clicks through the folders
        dialog.findChild(QLineEdit, "fileNameEdit").setText(choose.name)
        dialog.accept()

    QTimer.singleShot(0, act)


def test_each_dialog_starts_where_its_files_usually_are(unlocked, qtbot, own_folders) -> None:
    from evidence_app.gui.chat_import import import_chat_dialog
    from evidence_app.gui.verify_view import VerifyWindow

    seen: list[Path] = []
    _drive(None, seen)
    unlocked.main.add_files()  # screenshots and photos
    _drive(None, seen)
    import_chat_dialog(unlocked.session, unlocked.main)  # a chat export just downloaded
    window = VerifyWindow()
    qtbot.addWidget(window)
    _drive(None, seen)
    window._choose_bundle()  # a bundle someone sent
    assert seen == [own_folders["Pictures"], own_folders["Downloads"], own_folders["Downloads"]]
    assert Path.cwd() not in seen


def test_folders_visited_are_kept_in_memory_only(unlocked, qtbot, own_folders) -> None:
    secret = _home() / "Downloads" / SECRET
    secret.mkdir()
    photo = secret / "threat.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    seen: list[Path] = []
    _drive(photo, seen)
    unlocked.main.add_files()
    qtbot.waitUntil(lambda: unlocked.main.model.rowCount() == 1, timeout=10_000)
    needles = {SECRET.encode(), quote(SECRET).encode()}  # as written, and in a file: URL
    # Qt's own settings file (QtProject.conf: its file dialog's "history", "lastVisited"),
    # wherever this process put it, and everything else in the home folder.
    qt_file = Path(QSettings(QSettings.Scope.UserScope, "QtProject").fileName())
    written = [qt_file] if qt_file.is_file() else []
    leaked = [p for p in [*written, *_home().rglob("*")] if p.is_file()
              and secret not in p.parents and any(n in p.read_bytes() for n in needles)]
    assert leaked == []
    _drive(None, seen)
    unlocked.main.add_files()
    assert seen[1] == secret  # the next one starts where the last file came from
    unlocked.main.lock_requested.emit()  # after a lock the next person starts afresh
    _drive(None, seen)
    unlocked.start._pick_existing()
    assert seen[2] == own_folders["Documents"]


def test_every_file_dialog_and_open_folder_goes_through_the_one_helper() -> None:
    """A raw QFileDialog would start in the working folder and write the folders visited to
    QtProject.conf; a raw openUrl fails silently without a file manager."""
    import evidence_app

    package = Path(evidence_app.__file__).parent
    allowed = {package / "gui" / "file_dialogs.py", package / "gui" / "common.py"}
    raw = [str(p.relative_to(package)) for p in package.rglob("*.py") if p not in allowed
           and any(word in p.read_text(encoding="utf-8")
                   for word in ("QFileDialog", "QDesktopServices"))]
    assert raw == []
