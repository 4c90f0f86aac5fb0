"""The Settings section for words in pictures: read after adding (on by default), the extra
languages, and whether the engine is here, in words."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QVBoxLayout, QWidget

from evidence_app.gui.common import NoteLabel
from evidence_app.gui.picture_languages import LanguageChoice, check_engine, engine_status
from evidence_app.i18n import _
from evidence_app.ocr.engine import Engine
from evidence_app.settings import Settings


class PictureSettings(QGroupBox):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(_("Words in pictures"), parent)
        self.setObjectName("pictureSettings")
        lay = QVBoxLayout(self)
        self.read_after = QCheckBox(_("&Read the words in pictures after adding them"))
        self.read_after.setAccessibleName(_("Read the words in pictures after adding them"))
        self.read_after.setToolTip(_(
            "Screenshots and photos are read by a text-reading engine on this computer, so "
            "the list's search finds the words in them. Nothing leaves the computer."))
        self.read_after.setChecked(settings.read_pictures)
        lay.addWidget(self.read_after)
        self.languages = LanguageChoice(settings.picture_languages, self)
        lay.addWidget(self.languages)
        self.status = NoteLabel(_("Looking for the text-reading engine…"))
        self.status.setObjectName("engineStatus")
        self.status.setAccessibleName(_("Text-reading engine"))
        lay.addWidget(self.status)
        self.engine: Engine | None = None
        self._checked = False
        for box in self.languages.boxes.values():
            box.toggled.connect(lambda _on: self._say_status())
        check_engine(self._found, self)

    def _found(self, engine: Engine | None) -> None:
        self.engine, self._checked = engine, True
        self._say_status()

    def _say_status(self) -> None:
        if self._checked:
            self.status.setText(engine_status(self.engine, self.languages.chosen()))

    def save(self, settings: Settings) -> None:
        settings.read_pictures = self.read_after.isChecked()
        settings.picture_languages = self.languages.chosen()
