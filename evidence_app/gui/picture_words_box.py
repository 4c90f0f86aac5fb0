"""The words read from the selected picture, in the detail pane: plain text, marked as read
by machine, with where each found word sits in the picture (for the preview's boxes).

The text comes from the picture, so from the offender's side: it is shown as plain text with
direction and control characters made visible. A sensitive picture's words are hidden until
the person chooses to see them, as its picture is.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.state import Item
from evidence_app.core.vault import Vault
from evidence_app.formatting import untrusted
from evidence_app.gui.common import NoteLabel, PlainLabel
from evidence_app.gui.reader_text import visible
from evidence_app.gui.session import Session
from evidence_app.i18n import _, ngettext
from evidence_app.languages import language_name
from evidence_app.messages import describe
from evidence_app.ocr.engine import APP_LANGUAGE
from evidence_app.ocr.stored import load_lines, readings_of, stored_text
from evidence_app.ocr.words import Box, Line, same_place
from evidence_app.workflows.ocr import is_picture

FOUND_COLOUR = QColor(255, 200, 0, 150)
MOST_FOUND = 500  # boxes drawn for one search (a wall of "a"s is not worth more)


def _load(vault: Vault, reading_id: str, progress: Any = None,
          cancel: Any = None) -> tuple[str, list[Line]]:
    """In the worker: a reading's text and its lines with their word boxes."""
    reading = vault.item(reading_id)
    return stored_text(vault, reading), load_lines(vault, reading)


def found_boxes(lines: list[Line], needle: str) -> list[Box]:
    """The boxes of the words that hold any of the searched words (case ignored)."""
    parts = [p for p in needle.lower().split() if p]
    if not parts:
        return []
    boxes: list[Box] = []
    for line in lines:
        for word in line.words:
            if (any(p in word.text.lower() for p in parts)
                    and not any(same_place(word.box, b) for b in boxes)):
                boxes.append(word.box)  # a word read by two passes is framed once
    return boxes[:MOST_FOUND]



def about_reading(reading: Item) -> str:
    """Engine, version, languages and word count, in small words."""
    source = reading.source
    languages = [language_name(APP_LANGUAGE.get(str(c), str(c)))
                 for c in source.get("languages") or []]
    words = int(source.get("words") or 0)
    engine = f"{source.get('engine', '')} {source.get('engine_version', '')}"
    return " · ".join([
        untrusted(engine, 60),
        ", ".join(languages),
        ngettext("{count} word", "{count} words", words).format(count=words)])


class PictureWordsBox(QGroupBox):
    """Shown under a picture's preview; hidden for anything else."""

    highlight = Signal(list)  # boxes (left, top, width, height) in the picture's pixels
    read_requested = Signal(str)  # picture id: read its words now
    read_again_requested = Signal(str)  # picture id: read again in other languages

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(_("Words in the picture"), parent)
        self.setObjectName("pictureWords")
        self.session = session
        self.picture: Item | None = None
        self.reading: Item | None = None
        self.lines: list[Line] = []
        self._shown_sensitive: str | None = None  # picture whose words the person chose to see
        self._shown_reading: str | None = None  # the reading whose words are on screen
        lay = QVBoxLayout(self)
        self.state = NoteLabel()
        self.state.setObjectName("wordsState")
        lay.addWidget(self.state)
        self.machine = NoteLabel(_("Read by machine from the picture — check against the "
                                   "picture."))
        self.machine.setObjectName("readByMachine")
        lay.addWidget(self.machine)
        self.about = PlainLabel()
        self.about.setObjectName("readingAbout")
        self.about.setWordWrap(True)
        small = self.about.font()
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.about.setFont(small)
        self.about.setAccessibleName(_("How the words were read"))
        lay.addWidget(self.about)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setObjectName("wordsText")
        self.text.setAccessibleName(_("Words read from the picture"))
        self.text.setMaximumHeight(160)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        lay.addWidget(self.text)
        self.finder = QLineEdit()
        self.finder.setPlaceholderText(_("Find a word in the picture"))
        self.finder.setAccessibleName(_("Find a word in the picture"))
        self.finder.setClearButtonEnabled(True)
        self.finder.textChanged.connect(self._find)
        lay.addWidget(self.finder)
        row = QHBoxLayout()
        self.show_words = QPushButton(_("Show the words"))
        self.show_words.setAccessibleName(_("Show the words read from this sensitive picture"))
        self.show_words.clicked.connect(self._show_sensitive)
        self.read_button = QPushButton(_("Read the words"))
        self.read_button.setAccessibleName(ngettext(  # the menu's words, for one picture
            "Read the words in this picture", "Read the words in these {count} pictures",
            1).format(count=1))
        self.read_button.clicked.connect(lambda: self._ask(self.read_requested))
        self.again_button = QPushButton(_("Read again in other languages…"))
        self.again_button.setAccessibleName(_("Read the words again in other languages"))
        self.again_button.clicked.connect(lambda: self._ask(self.read_again_requested))
        for widget in (self.show_words, self.read_button, self.again_button):
            row.addWidget(widget)
        row.addStretch(1)
        lay.addLayout(row)
        session.picture_reader.progress.connect(lambda _n, _t: self._say_pending())
        self.show_picture(None)

    # --- which picture ------------------------------------------------------------------

    def show_picture(self, item: Item | None) -> None:
        """The words of this picture (None or not a picture: the box hides)."""
        same = item is not None and self.picture is not None and item.id == self.picture.id
        if not same:
            self._shown_sensitive = None
        self.picture = item if item is not None and is_picture(item) else None
        self.setVisible(self.picture is not None)
        vault = self.session.vault
        readings = readings_of(vault, self.picture.id) if self.picture and vault else []
        latest = readings[-1] if readings else None
        hidden = self.picture is not None and self.picture.sensitive \
            and self._shown_sensitive != self.picture.id
        if same and not hidden and latest is not None and latest.id == self._shown_reading:
            return  # the list refreshed; the same words are already shown
        self.reading = latest
        self._clear_words()
        if self.picture is None:
            return
        self.again_button.setVisible(latest is not None)
        self.read_button.setVisible(latest is None)
        if latest is None:
            self._say_pending()
            return
        if hidden:
            self.state.setText(_("This picture is marked sensitive: the words read from it "
                                 "are hidden too."))
            self.show_words.setVisible(True)
            return
        self.state.setText(_("Loading the words…"))
        reading_id = latest.id
        self.session.run(_load, reading_id, changes=False,
                         on_done=lambda result: self._loaded(reading_id, result),
                         on_error=lambda exc: self._load_failed(reading_id, exc))

    def _say_pending(self) -> None:
        """A picture not read yet: waiting for its turn, or not asked for."""
        if self.picture is None or self.reading is not None:
            return
        pending = self.session.picture_reader.pending(self.picture.id)
        self.state.setText(_("Reading the words in this picture…") if pending else
                           _("The words in this picture have not been read yet."))
        self.read_button.setVisible(not pending)

    def _clear_words(self) -> None:
        self._shown_reading = None
        self.lines = []
        self.text.clear()
        for widget in (self.machine, self.about, self.text, self.finder, self.show_words):
            widget.setVisible(False)
        self.state.clear()
        self.highlight.emit([])

    def _loaded(self, reading_id: str, result: tuple[str, list[Line]]) -> None:
        if not shiboken6.isValid(self) or self.reading is None or self.reading.id != reading_id:
            return  # another picture was chosen meanwhile
        text, self.lines = result
        self._shown_reading = reading_id
        self.state.setText("" if text.strip() else _("No words were found in this picture."))
        self.machine.setVisible(True)
        self.about.setText(about_reading(self.reading))
        self.about.setVisible(True)
        self.text.setPlainText(visible(text))
        self.text.setVisible(bool(text.strip()))
        self.finder.setVisible(bool(self.lines))
        self._find(self.finder.text())

    def _load_failed(self, reading_id: str, exc: BaseException) -> None:
        if shiboken6.isValid(self) and self.reading is not None and self.reading.id == reading_id:
            self.state.setText(describe(exc))

    def _show_sensitive(self) -> None:
        from evidence_app.gui.reader import ask_to_show_sensitive, record_viewed_once

        picture = self.picture
        if picture is None or not ask_to_show_sensitive(self):
            return
        self._shown_sensitive = picture.id
        self.reading = None  # load it now
        self.show_picture(picture)
        record_viewed_once(self.session, picture.id, self)

    def _ask(self, signal: Any) -> None:
        if self.picture is not None:
            signal.emit(self.picture.id)

    # --- finding ------------------------------------------------------------------------

    def set_search(self, text: str) -> None:
        """The list's search, carried here: the same words are found in the picture."""
        self.finder.setText(text)

    def _find(self, needle: str) -> None:
        self.highlight.emit(found_boxes(self.lines, needle))
        marks: list[QTextEdit.ExtraSelection] = []
        document = self.text.document()
        for part in needle.split():
            cursor = QTextCursor(document)
            while len(marks) < MOST_FOUND:
                cursor = document.find(part, cursor, QTextDocument.FindFlag(0))
                if cursor.isNull():
                    break
                mark = QTextEdit.ExtraSelection()
                look = QTextCharFormat()
                look.setBackground(FOUND_COLOUR)
                mark.cursor = cursor
                mark.format = look
                marks.append(mark)
        self.text.setExtraSelections(marks)
        self.text.setAccessibleDescription(
            ngettext("{count} place found", "{count} places found", len(marks)).format(
                count=len(marks)) if needle.strip() else "")

    def clear(self) -> None:
        """Locked: drop the words from memory."""
        self.picture = self.reading = None
        self._shown_sensitive = None
        self._clear_words()
        self.setVisible(False)
