"""Every "Open…", "Save…" and "Choose folder…" of the app goes through here, so that

- each starts where the files it asks for usually are (Pictures for screenshots and photos,
  Downloads for chat exports and bundles someone sent, Documents for what the person
  keeps), never in whatever folder the program happened to be started from;
- the last folder used is remembered for this run only, in memory, and forgotten when the
  vault locks;
- nothing writes the folders a person visited to disk. Qt's file dialog keeps its history
  and last folder in ~/.config/QtProject.conf, and the desktop's own dialogs add chosen
  files to "recently used" lists (GTK's recently-used.xbel, Windows' MRU lists): someone
  who shares the computer would learn from them where the evidence came from ("Downloads/
  Chat with him", a shelter's address). So Qt's own dialog is used, and its settings have
  nowhere to be written.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, QUrl
from PySide6.QtWidgets import QFileDialog, QSplitter, QWidget


class Place(StrEnum):
    """Where a dialog starts (the person's own folders, as the system names them)."""

    PICTURES = "pictures"
    DOWNLOADS = "downloads"
    DOCUMENTS = "documents"


_LOCATIONS = {Place.PICTURES: QStandardPaths.StandardLocation.PicturesLocation,
              Place.DOWNLOADS: QStandardPaths.StandardLocation.DownloadLocation,
              Place.DOCUMENTS: QStandardPaths.StandardLocation.DocumentsLocation}
_last_used: dict[Place, Path] = {}
_settings_sealed = False


def forget_recent_folders() -> None:
    """Called when the vault locks: the next person at the computer starts afresh."""
    _last_used.clear()


def start_folder(place: Place) -> Path:
    """The last folder used for this kind of file in this run, else the system's folder
    for it (Pictures, Downloads, Documents), else the home folder."""
    remembered = _last_used.get(place)
    if remembered is not None and remembered.is_dir():
        return remembered
    found = QStandardPaths.writableLocation(_LOCATIONS[place])
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


def _no_settings_on_disk() -> None:
    """Give Qt's per-user settings (where QFileDialog keeps "history" and "lastVisited") a
    place that cannot be written: a folder inside a file. Nothing in this app uses QSettings
    for anything else; our settings are settings.py's."""
    global _settings_sealed
    if _settings_sealed:
        return
    nowhere = str(Path(sys.executable).resolve() / "no-qt-settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, nowhere)
    _settings_sealed = True


def _dialog(parent: QWidget | None, title: str, folder: Path, filters: str) -> QFileDialog:
    _no_settings_on_disk()
    dialog = QFileDialog(parent, title, str(folder), filters)
    dialog.setObjectName("fileDialog")
    # The system's own dialogs keep "recently used" lists on disk; Qt's keeps nothing.
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    # The person's own folders one click away (Qt's default is only the home folder).
    own = [Path.home()] + [Path(found) for loc in _LOCATIONS.values()
                           if (found := QStandardPaths.writableLocation(loc))]
    dialog.setSidebarUrls([QUrl("file:")] + [QUrl.fromLocalFile(str(p))
                                             for p in dict.fromkeys(own) if p.is_dir()])
    dialog.resize(860, 540)
    sides = dialog.findChild(QSplitter, "splitter")  # Qt's is sized for "Computer" only
    if sides is not None:
        sides.setSizes([170, 690])
    return dialog


def _run(dialog: QFileDialog, place: Place) -> list[Path]:
    chosen = [Path(p) for p in dialog.selectedFiles()] if dialog.exec() else []
    dialog.setHistory([])
    dialog.deleteLater()
    if chosen:
        first = chosen[0]
        _last_used[place] = first if first.is_dir() else first.parent
    return chosen


def open_file(parent: QWidget | None, title: str, place: Place, filters: str = "") -> Path | None:
    """One existing file, or None when the person cancels."""
    dialog = _dialog(parent, title, start_folder(place), filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    chosen = _run(dialog, place)
    return chosen[0] if chosen else None


def open_files(parent: QWidget | None, title: str, place: Place,
               filters: str = "") -> list[Path]:
    """Any number of existing files (empty when the person cancels)."""
    dialog = _dialog(parent, title, start_folder(place), filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _run(dialog, place)


def save_file(parent: QWidget | None, title: str, place: Place, name: str,
              filters: str = "") -> Path | None:
    """Where to write a new file, suggested name `name`; asks before replacing one."""
    dialog = _dialog(parent, title, start_folder(place), filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.selectFile(name)
    chosen = _run(dialog, place)
    return chosen[0] if chosen else None


def choose_folder(parent: QWidget | None, title: str, place: Place,
                  start: Path | None = None) -> Path | None:
    """An existing folder (a vault, where to write a bundle); `start` when the screen
    already shows one."""
    folder = start if start is not None and start.is_dir() else start_folder(place)
    dialog = _dialog(parent, title, folder, "")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = _run(dialog, place)
    return chosen[0] if chosen else None
