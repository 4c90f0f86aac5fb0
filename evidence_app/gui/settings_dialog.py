"""Settings: language, auto-lock, quick-exit shortcut, discreet mode, where the vault is,
reading the words in pictures, and for the open vault its passphrase, recovery key and
kept-aside files."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.fonts import show_language_names
from evidence_app.gui.picture_settings import PictureSettings
from evidence_app.gui.safety import DOUBLE_ESCAPE
from evidence_app.gui.vault_security import vault_security_rows
from evidence_app.i18n import _, shipped_languages
from evidence_app.languages import language_name
from evidence_app.paths import default_vault_dir, is_portable
from evidence_app.settings import Settings


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 session: Any = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Settings"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language"))
        for code in shipped_languages():
            self.language.addItem(language_name(code), code)
        show_language_names(self.language)
        index = self.language.findData(settings.language or "en")
        self.language.setCurrentIndex(max(index, 0))
        form.addRow(_("&Language:"), self.language)
        self.auto_lock = QSpinBox()
        self.auto_lock.setRange(0, 240)
        self.auto_lock.setSuffix(" " + _("minutes"))
        self.auto_lock.setSpecialValueText(_("never"))
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.auto_lock.setAccessibleName(_("Lock automatically after this many idle minutes"))
        form.addRow(_("&Lock when not used for:"), self.auto_lock)
        shortcut_row = QHBoxLayout()
        self.double_escape = QCheckBox(_("Esc pressed twice"))
        self.double_escape.setAccessibleName(_("Quick exit with Escape pressed twice"))
        self.shortcut = QKeySequenceEdit()
        self.shortcut.setAccessibleName(_("Quick exit shortcut"))
        is_double = settings.quick_exit_shortcut in ("", DOUBLE_ESCAPE)
        self.double_escape.setChecked(is_double)
        if not is_double:
            self.shortcut.setKeySequence(QKeySequence(settings.quick_exit_shortcut))
        self.shortcut.setEnabled(not is_double)
        self.double_escape.toggled.connect(lambda on: self.shortcut.setEnabled(not on))
        shortcut_row.addWidget(self.double_escape)
        shortcut_row.addWidget(self.shortcut)
        quick_label = QLabel(_("&Quick exit:"))
        quick_label.setBuddy(self.double_escape)  # a row of two controls has no buddy of its own
        form.addRow(quick_label, shortcut_row)
        self.discreet = QCheckBox(_("Neutral window title and icon, no pictures in the list"))
        self.discreet.setAccessibleName(_("Discreet mode"))
        self.discreet.setChecked(settings.discreet)
        form.addRow(_("&Discreet mode:"), self.discreet)
        where = settings.vault_path or str(default_vault_dir())
        location = QLabel(where + ("\n" + _("(portable mode: everything stays next to the "
                                            "program)") if is_portable() else ""))
        location.setWordWrap(True)
        location.setAccessibleName(_("Where the vault is"))
        form.addRow(_("Vault folder:"), location)
        vault_security_rows(session, self, form)
        lay.addLayout(form)
        self.pictures = PictureSettings(settings, self)
        lay.addWidget(self.pictures)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _save(self) -> None:
        s = self.settings
        s.language = self.language.currentData()
        s.auto_lock_minutes = self.auto_lock.value()
        sequence = self.shortcut.keySequence().toString()
        s.quick_exit_shortcut = DOUBLE_ESCAPE if self.double_escape.isChecked() or not \
            sequence else sequence
        s.discreet = self.discreet.isChecked()
        self.pictures.save(s)
        s.save()
        self.accept()
