"""The selected item: preview (blurred until asked), what was recorded, notes, custody."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.errors import EvidenceError
from evidence_app.core.state import Item
from evidence_app.events import describe_for_item
from evidence_app.formatting import when
from evidence_app.gui.common import blurred, show_error
from evidence_app.gui.file_dialogs import Place, save_file
from evidence_app.gui.item_facts import ItemFacts
from evidence_app.gui.picture_words_box import PictureWordsBox
from evidence_app.gui.reader_rules import reader_kind
from evidence_app.gui.session import Session
from evidence_app.i18n import _

PREVIEW_EDGE = 320
FOUND_PEN = QColor(230, 120, 0)
FOUND_FILL = QColor(255, 200, 0, 90)
TURNED = frozenset({5, 6, 7, 8})  # EXIF orientations that swap width and height


def upright_width(item: Item) -> int:
    """The picture's width as it is shown (turned by its EXIF orientation): word boxes are
    in these pixels."""
    image = item.image or {}
    turned = item.exif.get("Orientation") in TURNED if isinstance(item.exif, dict) else False
    value = image.get("height" if turned else "width")
    return int(value) if isinstance(value, int) and value > 0 else 0


def draw_boxes(pixmap: QPixmap, boxes: list, scale: float) -> QPixmap:
    """The found words framed on a copy of the preview (boxes in the picture's pixels)."""
    if not boxes or scale <= 0:
        return pixmap
    framed = QPixmap(pixmap)
    painter = QPainter(framed)
    pen = QPen(FOUND_PEN)
    pen.setWidth(2)
    painter.setPen(pen)
    for left, top, width, height in boxes:
        painter.fillRect(round(left * scale) - 1, round(top * scale) - 1,
                         max(3, round(width * scale) + 2), max(3, round(height * scale) + 2),
                         FOUND_FILL)
        painter.drawRect(round(left * scale) - 2, round(top * scale) - 2,
                         max(4, round(width * scale) + 4), max(4, round(height * scale) + 4))
    painter.end()
    return framed


class DetailPane(QScrollArea):
    revealed = Signal(str)  # item id whose picture the person chose to see

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item: Item | None = None
        self._shown = False
        # The item whose picture the person chose to see: it stays shown while that item is
        # selected (the list re-selects it after every change), until "Hide picture".
        self._shown_id: str | None = None
        self.reader: QWidget | None = None
        self.found_boxes: list = []  # where the searched words are, in the picture's pixels
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.setWidget(body)
        lay = QVBoxLayout(body)
        self.empty = QLabel(_("Choose an item on the left to see its details."))
        self.empty.setWordWrap(True)
        lay.addWidget(self.empty)
        self.content = QWidget()
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(160)
        self.preview.setAccessibleName(_("Preview"))
        content.addWidget(self.preview)
        self.show_button = QPushButton(_("S&how picture"))
        self.show_button.setAccessibleName(_("Show or hide the picture"))
        self.show_button.clicked.connect(self._toggle_picture)
        self.read_button = QPushButton(_("Read…"))
        self.read_button.setAccessibleName(_("Read this item in the app"))
        self.read_button.clicked.connect(self.open_reader)
        look = QHBoxLayout()
        look.addWidget(self.show_button)
        look.addWidget(self.read_button)
        look.addStretch(1)
        content.addLayout(look)
        self.words = PictureWordsBox(session)  # the words read from a picture
        self.words.highlight.connect(self._found)
        content.addWidget(self.words)
        self.facts = ItemFacts()  # what was recorded: gui/item_facts.py
        self.fields = self.facts.fields
        self.sha256 = self.facts.sha256
        content.addWidget(self.facts)
        actions = QHBoxLayout()
        self.sensitive_button = QPushButton(_("&Mark as sensitive"))
        self.sensitive_button.setAccessibleName(_("Mark as sensitive"))
        self.sensitive_button.clicked.connect(self._toggle_sensitive)
        self.export_button = QPushButton(_("E&xport a copy…"))
        self.export_button.setAccessibleName(_("Export a copy of the original"))
        self.export_button.clicked.connect(self._export)
        # No Alt+letter on purpose: a step to take with thought, reached with Tab.
        self.withdraw_button = QPushButton(_("Leave out of the case…"))
        self.withdraw_button.setAccessibleName(_("Leave this item out of the case"))
        self.withdraw_button.setToolTip(_(
            "It will not go into what you seal for the police from now on. Nothing is "
            "deleted: it stays in the vault, and its history shows that you left it out."))
        self.withdraw_button.clicked.connect(self._withdraw)
        actions.addWidget(self.sensitive_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.withdraw_button)
        actions.addStretch(1)
        content.addLayout(actions)
        notes_box = QGroupBox(_("Notes"))
        notes_lay = QVBoxLayout(notes_box)
        self.notes = QListWidget()
        self.notes.setAccessibleName(_("Notes on this item"))
        self.notes.setWordWrap(True)
        notes_lay.addWidget(self.notes)
        row = QHBoxLayout()
        add_note = QPushButton(_("Add &note…"))
        add_note.setAccessibleName(_("Add a note to this item"))
        add_note.clicked.connect(self._add_note)
        self.edit_note_button = QPushButton(_("Edit n&ote…"))
        self.edit_note_button.setAccessibleName(_("Edit the selected note"))
        self.edit_note_button.clicked.connect(self._edit_note)
        row.addWidget(add_note)
        row.addWidget(self.edit_note_button)
        row.addStretch(1)
        notes_lay.addLayout(row)
        content.addWidget(notes_box)
        history_box = QGroupBox(_("Custody history"))
        history_lay = QVBoxLayout(history_box)
        self.history = QListWidget()
        self.history.setAccessibleName(_("Custody history of this item"))
        self.history.setWordWrap(True)  # a whole line readable without scrolling sideways
        history_lay.addWidget(self.history)
        content.addWidget(history_box)
        lay.addWidget(self.content)
        lay.addStretch(1)
        self.show_item(None)

    # --- showing ------------------------------------------------------------------------

    def show_item(self, item: Item | None) -> None:
        self.item = item
        self._shown = item is not None and item.id == self._shown_id
        if item is not None and not self._shown:
            self._shown_id = None  # another item: pictures are blurred again
        self.empty.setVisible(item is None)
        self.content.setVisible(item is not None)
        if item is None:
            self.preview.clear()
            self.words.clear()
            return
        vault = self.session.require_vault()
        self.facts.show_item(item, vault.state)
        self.sensitive_button.setText(_("Unmark sensitive") if item.sensitive else
                                      _("&Mark as sensitive"))
        self.words.show_picture(item)
        self.sensitive_button.setAccessibleName(self.sensitive_button.text().replace("&", ""))
        self.withdraw_button.setEnabled(not item.withdrawn)
        self.withdraw_button.setText(_("Left out of the case") if item.withdrawn else
                                     _("Leave out of the case…"))
        self.notes.clear()
        self._note_ids = []
        for note in vault.state.notes_for(item.id):
            self.notes.addItem(f"{when(note.created_at, note.created_offset)}\n{note.text}")
            self._note_ids.append(note.id)
        self.edit_note_button.setEnabled(bool(self._note_ids))
        self.history.clear()
        seqs = set(item.history)
        for record in vault.records:
            if record["seq"] in seqs:
                self.history.addItem(f"{when(record['time'], record['offset'])}  "
                                     f"{describe_for_item(record)}")
        self._render_preview()

    def _render_preview(self) -> None:
        item = self.item
        self.preview.clear()
        if item is None:
            return
        data = None
        if item.thumbnail and not self.session.settings.discreet:
            try:
                data = self.session.require_vault().thumbnail_bytes(item.id)
            except EvidenceError:
                data = None
        self.show_button.setVisible(data is not None)
        self.preview.setMinimumHeight(160 if data is not None else 0)
        readable = reader_kind(item) is not None
        self.read_button.setVisible(readable)
        if data is None:
            self.preview.setText(_("Press “Read…” to read it here.") if readable else
                                 _("No preview for this kind of file."))
            return
        image = QImage.fromData(data)
        if self._shown:
            pixmap = QPixmap.fromImage(image)
            self.show_button.setText(_("&Hide picture"))
        elif item.sensitive:
            self.preview.setText(_("Sensitive: hidden."))
            self.show_button.setText(_("S&how picture"))
            return
        else:
            pixmap = blurred(image)
            self.show_button.setText(_("S&how picture"))
        shown = pixmap.scaled(PREVIEW_EDGE, PREVIEW_EDGE, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        width = upright_width(item)
        self.preview.setPixmap(draw_boxes(shown, self.found_boxes,
                                          shown.width() / width if width else 0.0))

    def _found(self, boxes: list) -> None:
        """The words searched for in the picture: framed on its preview."""
        if boxes or self.found_boxes:
            self.found_boxes = boxes
            self._render_preview()

    def clear_preview(self) -> None:
        self._shown = False
        self._shown_id = None
        self.found_boxes = []
        self.preview.clear()
        self.words.clear()

    def open_reader(self) -> None:
        """The reader for the selected item: only ever opened by the person."""
        from evidence_app.gui.reader import open_reader

        if self.item is not None:
            self.reader = open_reader(self.session, self.item, self.window())

    def _toggle_picture(self) -> None:
        item = self.item
        if item is None:
            return
        from evidence_app.gui.reader import ask_to_show_sensitive, record_viewed_once

        if not self._shown and item.sensitive and not ask_to_show_sensitive(self):
            return
        self._shown = not self._shown
        self._shown_id = item.id if self._shown else None
        self._render_preview()
        if self._shown:
            self.revealed.emit(item.id)
            record_viewed_once(self.session, item.id, self)  # once per item and session

    # --- changing -----------------------------------------------------------------------

    def _toggle_sensitive(self) -> None:
        item = self.item
        if item is not None:
            self.session.run(lambda vault, progress=None, cancel=None: vault.update_item(
                item.id, sensitive=not item.sensitive), on_error=lambda e: show_error(self, e))

    def _add_note(self) -> None:
        item = self.item
        if item is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, _("Add a note"), _(
            "What does this show? When and where did it happen? (Kept with the item.)"))
        if ok and text.strip():
            self.session.run(lambda vault, progress=None, cancel=None: vault.add_note(
                text.strip(), item.id), on_error=lambda e: show_error(self, e))

    def _edit_note(self) -> None:
        row = self.notes.currentRow()
        if row < 0 and self._note_ids:
            row = 0
        if row < 0:
            return
        note_id = self._note_ids[row]
        old = self.session.require_vault().state.notes[note_id].text
        text, ok = QInputDialog.getMultiLineText(self, _("Edit note"), _(
            "The earlier text stays in the custody history."), old)
        if ok and text.strip() and text != old:
            self.session.run(lambda vault, progress=None, cancel=None: vault.edit_note(
                note_id, text.strip()), on_error=lambda e: show_error(self, e))

    def _withdraw(self) -> None:
        item = self.item
        if item is None or item.withdrawn:
            return
        reason, ok = QInputDialog.getText(
            self, _("Leave this item out of the case"),
            _("Why should it be left out (for example: added by mistake)? It will not go into "
              "what you seal for the police. It is not deleted: it stays in the vault, and its "
              "history keeps your reason."))
        if ok and reason.strip():
            self.session.run(lambda vault, progress=None, cancel=None: vault.withdraw_item(
                item.id, reason.strip()), on_error=lambda e: show_error(self, e))

    def _export(self) -> None:
        item = self.item
        if item is None:
            return
        from pathlib import PurePath

        path = save_file(self, _("Export a copy"), Place.DOCUMENTS, PurePath(item.name).name)
        if path is not None:
            self.session.run(lambda vault, progress=None, cancel=None: vault.export_item(
                item.id, path, overwrite=True), on_error=lambda e: show_error(self, e),
                on_done=lambda _r: self._exported(path))

    def _exported(self, path: Path) -> None:
        """Say where the copy went, and that it is no longer protected by the vault."""
        owner = self.window()
        if isinstance(owner, QMainWindow):
            owner.statusBar().showMessage(_(
                "A copy was saved as {path}. It is not encrypted: keep it somewhere safe, and "
                "delete it when you no longer need it.").format(path=path), 30_000)
