"""The selected item: preview (blurred until asked), what was recorded, notes, custody."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evidence_app.bundle.report_words import source_text
from evidence_app.core.errors import EvidenceError
from evidence_app.core.state import Item
from evidence_app.events import describe_record
from evidence_app.formatting import human_size, when
from evidence_app.gui.common import PlainLabel, blurred, show_error
from evidence_app.gui.session import Session
from evidence_app.i18n import _

PREVIEW_EDGE = 320


class DetailPane(QScrollArea):
    revealed = Signal(str)  # item id whose picture the person chose to see

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item: Item | None = None
        self._shown = False
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
        content.addWidget(self.show_button)
        self.form = QFormLayout()
        self.fields: dict[str, PlainLabel] = {}
        for key, label in (("name", _("Name")), ("type", _("Type")), ("size", _("Size")),
                           ("added", _("Added")), ("mtime", _("File last changed")),
                           ("source", _("Source")), ("flags", _("Marked")),
                           ("exif", _("Camera details")), ("sha256", _("Fingerprint (SHA-256)"))):
            value = PlainLabel()
            value.setWordWrap(True)
            value.setMinimumWidth(120)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse |
                                          Qt.TextInteractionFlag.TextSelectableByKeyboard)
            value.setAccessibleName(label)
            self.fields[key] = value
            self.form.addRow(label + ":", value)
        # The fingerprint is one long word: a read-only line that scrolls and copies whole.
        sha_label = self.fields.pop("sha256")
        self.form.removeRow(sha_label)
        self.sha256 = QLineEdit()
        self.sha256.setReadOnly(True)
        self.sha256.setAccessibleName(_("Fingerprint (SHA-256)"))
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.sha256.setFont(mono)
        self.form.addRow(_("Fingerprint (SHA-256)") + ":", self.sha256)
        content.addLayout(self.form)
        actions = QHBoxLayout()
        self.sensitive_button = QPushButton(_("&Mark as sensitive"))
        self.sensitive_button.setAccessibleName(_("Mark as sensitive"))
        self.sensitive_button.clicked.connect(self._toggle_sensitive)
        self.export_button = QPushButton(_("E&xport a copy…"))
        self.export_button.setAccessibleName(_("Export a copy of the original"))
        self.export_button.clicked.connect(self._export)
        self.withdraw_button = QPushButton(_("&Withdraw…"))
        self.withdraw_button.setAccessibleName(_("Withdraw this item from the case"))
        self.withdraw_button.setToolTip(_("Leaves it out of future bundles. Nothing is deleted; "
                                          "the custody history keeps it."))
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
        history_lay.addWidget(self.history)
        content.addWidget(history_box)
        lay.addWidget(self.content)
        lay.addStretch(1)
        self.show_item(None)

    # --- showing ------------------------------------------------------------------------

    def show_item(self, item: Item | None) -> None:
        self.item = item
        self._shown = False
        self.empty.setVisible(item is None)
        self.content.setVisible(item is not None)
        if item is None:
            self.preview.clear()
            return
        vault = self.session.require_vault()
        f = self.fields
        f["name"].setText(item.name)
        f["type"].setText(item.media_type)
        f["size"].setText(human_size(item.size))
        f["added"].setText(when(item.added_at, item.added_offset))
        f["mtime"].setText(when(item.file_mtime, item.file_mtime_offset))
        f["source"].setText(source_text(item.source))  # the report's words
        marks = [_("sensitive")] if item.sensitive else []
        if item.duplicate_of:
            marks.append(_("same content as item {other}").format(other=item.duplicate_of))
        if item.withdrawn:
            marks.append(_("withdrawn"))
        f["flags"].setText(", ".join(marks) or "-")
        exif = item.exif
        bits = [str(exif[k]) for k in ("Make", "Model", "DateTimeOriginal", "DateTime")
                if k in exif]
        f["exif"].setText(" · ".join(bits) or "-")
        self.sha256.setText(item.sha256)
        self.sha256.setCursorPosition(0)
        self.sensitive_button.setText(_("Unmark sensitive") if item.sensitive else
                                      _("&Mark as sensitive"))
        self.sensitive_button.setAccessibleName(self.sensitive_button.text().replace("&", ""))
        self.withdraw_button.setEnabled(not item.withdrawn)
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
                                     f"{describe_record(record)}")
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
        if data is None:
            self.preview.setText(_("No preview for this kind of file."))
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
        self.preview.setPixmap(pixmap.scaled(PREVIEW_EDGE, PREVIEW_EDGE,
                                             Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))

    def clear_preview(self) -> None:
        self._shown = False
        self.preview.clear()

    def _toggle_picture(self) -> None:
        item = self.item
        if item is None:
            return
        if not self._shown and item.sensitive:
            answer = QMessageBox.question(
                self, _("Show a sensitive item?"),
                _("This item is marked sensitive. It may be upsetting to see. Show it now?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._shown = not self._shown
        self._render_preview()
        if self._shown:
            self.revealed.emit(item.id)
            self.session.run(lambda vault, progress=None, cancel=None: vault.record_viewed(
                item.id), on_error=lambda exc: show_error(self, exc))

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
            self, _("Withdraw item"),
            _("Why should this item be left out (e.g. added by mistake)? It is not deleted: "
              "the custody history keeps it and the reason."))
        if ok and reason.strip():
            self.session.run(lambda vault, progress=None, cancel=None: vault.withdraw_item(
                item.id, reason.strip()), on_error=lambda e: show_error(self, e))

    def _export(self) -> None:
        item = self.item
        if item is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Export a copy"), item.name)
        if path:
            from pathlib import Path

            self.session.run(lambda vault, progress=None, cancel=None: vault.export_item(
                item.id, Path(path), overwrite=True), on_error=lambda e: show_error(self, e))
