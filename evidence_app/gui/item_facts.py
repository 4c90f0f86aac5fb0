"""What was recorded about the selected item, as a form in the details pane: kind words, not
media types; one formatted camera date; the place a picture records, with what that means;
what it was made from and what belongs to it. A field with nothing to say is not shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from evidence_app.bundle.report_source_words import source_text
from evidence_app.core.state import Item
from evidence_app.formatting import human_size, untrusted, when
from evidence_app.gui.common import NoteLabel, PlainLabel
from evidence_app.i18n import _, ngettext
from evidence_app.item_details import camera_details, marks_text, place_warning
from evidence_app.item_kinds import item_kind_words

WARN = "color: #8a4b00;"
BELONGS_SHOWN = 8


class ItemFacts(QWidget):
    """The form of one item's recorded facts; `fields` by key, `sha256` the fingerprint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.fields: dict[str, PlainLabel] = {}
        for key, label in (("name", _("Name")), ("type", _("Type")), ("size", _("Size")),
                           ("added", _("Added")), ("mtime", _("File last changed")),
                           ("source", _("Source")), ("made_from", _("Made from")),
                           ("belongs", _("Belongs to it")), ("flags", _("Marked")),
                           ("exif", _("Camera details"))):
            value = PlainLabel()
            value.setWordWrap(True)
            value.setMinimumWidth(120)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse |
                                          Qt.TextInteractionFlag.TextSelectableByKeyboard)
            value.setAccessibleName(label)
            self.fields[key] = value
            self.form.addRow(label + ":", value)
        self.place_warning = NoteLabel()
        self.place_warning.setStyleSheet(WARN)
        self.place_warning.setAccessibleName(_("Warning about the place"))
        self.form.addRow("", self.place_warning)
        # The fingerprint is one long word: a read-only line that scrolls and copies whole.
        self.sha256 = QLineEdit()
        self.sha256.setReadOnly(True)
        self.sha256.setAccessibleName(_("Fingerprint (SHA-256)"))
        self.sha256.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.form.addRow(_("Fingerprint (SHA-256)") + ":", self.sha256)

    def show_item(self, item: Item, state: Any) -> None:
        """Fill the form from `item` and the vault's state (for what it was made from)."""
        items: dict[str, Item] = state.items
        camera = camera_details(item.exif)
        original = items.get(item.derived_from or "")
        texts = {
            "name": untrusted(item.name),
            "type": item_kind_words(item),
            "size": human_size(item.size),
            "added": when(item.added_at, item.added_offset),
            "mtime": when(item.file_mtime, item.file_mtime_offset) if item.file_mtime else "",
            "source": source_text(item.source),  # the report's words
            "made_from": _("item {number}: {name}").format(
                number=original.id, name=untrusted(original.name)) if original else "",
            "belongs": self._belongs(item, items),
            "flags": marks_text(item),
            "exif": camera.text,
        }
        for key, text in texts.items():
            self.fields[key].setText(text)
            self.form.setRowVisible(self.fields[key], bool(text))
        self.place_warning.setText(place_warning() if camera.place else "")
        self.form.setRowVisible(self.place_warning, camera.place is not None)
        self.sha256.setText(item.sha256)
        self.sha256.setCursorPosition(0)

    @staticmethod
    def _belongs(item: Item, items: dict[str, Item]) -> str:
        """What was made from this item, one a line: 'Chat transcript: Chat transcript.txt'."""
        made = [other for other in items.values() if other.derived_from == item.id]
        lines = [f"{item_kind_words(other)}: {untrusted(other.name)}" for other in
                 made[:BELONGS_SHOWN]]
        more = len(made) - BELONGS_SHOWN
        if more > 0:
            lines.append(ngettext("and {count} more", "and {count} more", more).format(
                count=more))
        return "\n".join(lines)
