"""Small shared GUI pieces: plain-text labels, error dialogs, blurred previews, and "Open
folder" that says where the files are when the computer cannot show them."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QElapsedTimer, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QImage, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.i18n import _
from evidence_app.messages import describe

log = logging.getLogger(__name__)


class PlainLabel(QLabel):
    """A label that never interprets rich text: names and chat text come from offenders."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)


class NoteLabel(PlainLabel):
    """A wrapped line that takes no room while it has nothing to say (hints, messages)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setVisible(bool(text))

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")


def title_label(text: str) -> QLabel:
    """A page's heading: large, bold, wrapped."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def text_label(text: str) -> QLabel:
    """A paragraph of our own words, wrapped, never read as rich text."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """One calm sentence in a dialog; details only in the log file."""
    if not hasattr(exc, "__traceback__") or exc.__traceback__ is None:
        log.info("error shown: %s", type(exc).__name__)
    else:
        log.info("error shown: %s", type(exc).__name__, exc_info=exc)
    show_problems(parent, _("Something needs your attention"), describe(exc))


def blurred(image: QImage, strength: int = 12) -> QPixmap:
    """Heavily blurred version of an image: shrink hard, then scale back up smoothly."""
    if image.isNull():
        return QPixmap()
    small = image.scaled(max(1, image.width() // strength), max(1, image.height() // strength),
                         Qt.AspectRatioMode.IgnoreAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
    return QPixmap.fromImage(small.scaled(image.width(), image.height(),
                                          Qt.AspectRatioMode.IgnoreAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))


def quick_exit_button(parent: QWidget | None = None) -> QPushButton:
    """The same red Quick exit button on every screen (Esc twice does the same)."""
    widget = QPushButton(_("Quick exit"), parent)
    widget.setObjectName("quickExit")
    widget.setAccessibleName(_("Quick exit: hide the app and lock the vault"))
    widget.setToolTip(_("Hides every window at once and locks the vault "
                        "(also: press Esc twice)."))
    widget.setStyleSheet("QPushButton#quickExit { background: #a4262c; color: white; "
                         "font-weight: bold; padding: 4px 14px; }")
    return widget


ERROR_COLOUR = "#a4262c"


def button(text: str, name: str, slot: Any) -> QPushButton:
    """A push button with its accessible name and action in one line."""
    widget = QPushButton(text)
    widget.setAccessibleName(name)
    widget.clicked.connect(slot)
    return widget


def show_problems(parent: QWidget | None, title: str, text: str) -> None:
    """What part of a piece of work could not do, in plain text (names may hold markup)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setAccessibleName(_("Message"))
    box.exec()


def say(label: QLabel, text: str) -> None:
    """What is happening now ("Creating the vault…"), in the ordinary colour: work in
    progress is never said in the colour of an error."""
    label.setStyleSheet("")
    label.setText(text)


def warn(label: QLabel, text: str) -> None:
    """What went wrong, in red, on the same line."""
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.setText(text)


def clear_warning(label: QLabel) -> None:
    """Retyping answers a problem that was said: the red line goes, work in progress
    ("Unlocking…") stays."""
    if label.styleSheet():
        say(label, "")


# --- "Open folder" ---------------------------------------------------------------------------

_LAUNCH_WATCH_MS = 3000  # xdg-open that fails does so at once; a file manager stays open
_launches: set[subprocess.Popen] = set()


def show_in_file_manager(parent: QWidget | None, path: Path) -> None:
    """Open a folder (or a file) with the computer's own program for it. When there is none
    (a desktop without a file manager, a USB-stick system), say where it is instead, with a
    button that copies the path: failing silently leaves a person looking for their bundle."""
    target = Path(path)
    if sys.platform.startswith(("win", "darwin")) or not shutil.which("xdg-open"):
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            WhereItIs(target, parent).open()
        return
    # On Linux Qt starts xdg-open and reports success before xdg-open finds out that no
    # program opens folders; run it ourselves and listen for its answer.
    env = dict(os.environ)
    if "LD_LIBRARY_PATH_ORIG" in env:  # frozen app: give the file manager the host's libraries
        env["LD_LIBRARY_PATH"] = env["LD_LIBRARY_PATH_ORIG"]
    elif getattr(sys, "frozen", False):
        env.pop("LD_LIBRARY_PATH", None)
    try:
        launch = subprocess.Popen(  # noqa: S603 - a fixed program, the path as one argument
            [shutil.which("xdg-open") or "xdg-open", str(target)], env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
    except OSError:
        WhereItIs(target, parent).open()
        return
    _launches.add(launch)
    watch = QElapsedTimer()
    watch.start()
    window = parent.window() if parent is not None else None

    def check() -> None:
        code = launch.poll()
        if code is None and watch.elapsed() < _LAUNCH_WATCH_MS:
            QTimer.singleShot(50, check)
            return
        _launches.discard(launch)
        if code in (None, 0):
            return
        # Not after the window was closed or hidden (quick exit): nobody is there to read it.
        if window is None or (shiboken6.isValid(window) and window.isVisible()):
            WhereItIs(target, window).open()

    QTimer.singleShot(50, check)


class WhereItIs(QDialog):
    """Where a folder or file is, in words a person can act on, with a Copy button."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whereItIs")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Where the files are"))
        folder = not path.is_file()
        lay = QVBoxLayout(self)
        lay.addWidget(text_label(
            _("This computer has no program set up to show folders, so the folder could not "
              "be opened. The files are in this folder:") if folder else
            _("This computer has no program set up to open this file. It is here:")))
        self.path = QLineEdit(str(path))
        self.path.setReadOnly(True)
        self.path.setAccessibleName(_("Folder") if folder else _("File"))
        self.setMinimumWidth(520)  # the sentence wraps into a few lines, not a dozen
        self.path.setMinimumWidth(min(self.fontMetrics().horizontalAdvance(str(path)) + 24,
                                      720))
        self.path.setCursorPosition(0)
        lay.addWidget(self.path)
        self.copied = NoteLabel()
        lay.addWidget(self.copied)
        row = QHBoxLayout()
        self.copy_button = QPushButton(_("&Copy the path"))
        self.copy_button.setAccessibleName(_("Copy the path"))
        self.copy_button.clicked.connect(self._copy)
        close = QPushButton(_("Close"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        row.addWidget(self.copy_button)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)

    def _copy(self) -> None:
        QApplication.clipboard().setText(self.path.text())
        self.copied.setText(_("Copied. Paste it into the address bar of a file window."))
