"""A folder kept off the screen until asked for: someone watching the screen (or a photo of
it) would learn where the evidence is kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from evidence_app.gui.common import PlainLabel
from evidence_app.i18n import _


class HiddenFolder(QWidget):
    """"Show where the vault is" and, once pressed, the folder (selectable, to copy)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton(_("Show where the vault is"))
        self.button.setFlat(True)
        self.button.setStyleSheet("text-decoration: underline;")
        self.button.setAccessibleName(_("Show or hide the vault's folder"))
        self.label = PlainLabel()
        self.button.clicked.connect(lambda: self.reveal(not self.label.isVisible()))
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.label.setAccessibleName(_("The vault's folder"))
        self.label.setVisible(False)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.label)

    def set_folder(self, folder: Path) -> None:
        """A new folder is always hidden first."""
        self.label.setText(_("Folder: {path}").format(path=folder))
        self.reveal(False)

    def reveal(self, shown: bool) -> None:
        self.label.setVisible(shown)
        self.button.setText(_("Hide where the vault is") if shown
                            else _("Show where the vault is"))
