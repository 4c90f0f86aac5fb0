"""Small shared GUI pieces: plain-text labels, error dialogs, blurred previews."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

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
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Something needs your attention"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(describe(exc))
    box.setAccessibleName(_("Message"))
    box.exec()


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
    button = QPushButton(_("Quick exit"), parent)
    button.setObjectName("quickExit")
    button.setAccessibleName(_("Quick exit: hide the app and lock the vault"))
    button.setToolTip(_("Hides every window at once and locks the vault "
                        "(also: press Esc twice)."))
    button.setStyleSheet("QPushButton#quickExit { background: #a4262c; color: white; "
                         "font-weight: bold; padding: 4px 14px; }")
    return button
