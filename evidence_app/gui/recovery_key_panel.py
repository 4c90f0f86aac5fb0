"""The recovery key on screen, shown once: large and selectable, with Print and Save as file,
and the person's word that they kept it. The first start and a new key from Settings show
the same panel, so both offer the same ways to keep it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from evidence_app.core.errors import EvidenceError
from evidence_app.gui.common import PlainLabel, button, say, show_error
from evidence_app.gui.file_dialogs import Place, save_file
from evidence_app.i18n import _


def _key_text(recovery_key: str) -> str:
    return _("Evidence Locker recovery key") + "\n\n" + recovery_key + "\n"


class RecoveryKeyPanel(QWidget):
    """`kept` is ticked by the person once the key is written down, printed or saved."""

    def __init__(self, parent: QWidget | None = None, scale: float = 1.6) -> None:
        super().__init__(parent)
        self.recovery_key = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.key_label = QLabel()
        self.key_label.setTextFormat(Qt.TextFormat.PlainText)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAccessibleName(_("Recovery key"))
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(self.font().pointSizeF() * scale)
        self.key_label.setFont(mono)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.key_label)
        row = QHBoxLayout()
        row.addWidget(button(_("&Print…"), _("Print the recovery key"), self.print_key))
        row.addWidget(button(_("&Save as file…"), _("Save the recovery key as a file"),
                             self.save_key))
        row.addStretch(1)
        lay.addLayout(row)
        self.key_saved = PlainLabel()  # where the file went, and what that means
        self.key_saved.setWordWrap(True)
        self.key_saved.setAccessibleName(_("Recovery key file"))
        lay.addWidget(self.key_saved)
        self.kept = QCheckBox(_("I have written down, printed or saved my recovery key"))
        self.kept.setAccessibleName(_("I have kept my recovery key"))
        lay.addWidget(self.kept)

    def set_key(self, recovery_key: str) -> None:
        self.recovery_key = recovery_key
        self.key_label.setText(recovery_key)

    def clear(self) -> None:
        """Forget the key once it has been kept: it is never shown again."""
        self.recovery_key = ""
        self.key_label.clear()
        self.key_saved.clear()
        self.kept.setChecked(False)

    def print_key(self) -> None:
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec():
            doc = QTextDocument()
            doc.setPlainText(_key_text(self.recovery_key))
            doc.print_(printer)

    def save_key(self) -> None:
        from evidence_app.core.safefs import atomic_write

        path = save_file(self, _("Save recovery key"), Place.DOCUMENTS, "recovery-key.txt",
                         _("Text files (*.txt)"))
        if path is None:
            return
        try:
            atomic_write(path, _key_text(self.recovery_key).encode("utf-8"))
        except EvidenceError as exc:
            show_error(self, exc)
            return
        say(self.key_saved, _("Saved as {path}. Anyone who finds that file can open the vault: "
                              "keep it on a USB stick or on paper, not on this computer.").format(
            path=path))
