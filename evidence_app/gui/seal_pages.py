"""The seal wizard's input pages: which items, the case details, protection, where to save.

Each page reads the vault only when the wizard is built (no task runs then) and hands plain
values to the wizard; none of them touches the vault afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from evidence_app.bundle import agefile
from evidence_app.bundle.report_case import CaseSummary, case_summary
from evidence_app.bundle.report_ocr import is_sensitive
from evidence_app.bundle.report_words import clean, payment_method
from evidence_app.case_fields import case_field
from evidence_app.core.errors import AgeKeyError
from evidence_app.core.state import Item
from evidence_app.formatting import human_size
from evidence_app.gui.common import button
from evidence_app.gui.file_dialogs import Place, choose_folder, open_file
from evidence_app.i18n import _, current_language, ngettext, shipped_languages
from evidence_app.item_kinds import item_kind_words
from evidence_app.languages import language_name as native_language_name
from evidence_app.messages import describe
from evidence_app.ocr.stored import TEXT_KIND
from evidence_app.paths import is_portable, program_dir

MAX_KEY_FILE = 64 * 1024
GOOD = "color: #1b5e20;"
BAD = "color: #b00020;"


def wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label



class ItemsPage(QWizardPage):
    """A checkable list of every item that was not withdrawn; names only, no pictures."""

    def __init__(self, items: list[Item], preselected: list[str] | None) -> None:
        super().__init__()
        self.setTitle(_("Choose the evidence to seal"))
        self.setSubTitle(_("Everything is chosen. Untick what should not go to the police."))
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(_("Evidence to seal"))
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([_("No."), _("Name"), _("Type"), _("Size"), _("Sensitive")])
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        chosen = set(preselected) if preselected is not None else None
        for item in items:
            row = QTreeWidgetItem([
                item.id, clean(item.name), item_kind_words(item), human_size(item.size),
                _("sensitive") if item.sensitive else ""])
            row.setData(0, Qt.ItemDataRole.UserRole, item.id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = chosen is None or item.id in chosen
            row.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.tree.addTopLevelItem(row)
        for col in (0, 2, 3, 4):
            self.tree.resizeColumnToContents(col)
        self.tree.itemChanged.connect(self._changed)
        self.count = QLabel()
        all_button = button(_("Choose &all"), _("Choose all items"),
                            lambda: self._set_all(Qt.CheckState.Checked))
        none_button = button(_("Choose &none"), _("Choose no items"),
                             lambda: self._set_all(Qt.CheckState.Unchecked))
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(all_button)
        buttons.addWidget(none_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        # Off by default, and only asked when it matters: the report is often printed and
        # passed on, so what was read in a sensitive picture stays out of it unless chosen.
        self.sensitive_text = QCheckBox(_("Print the &words read in sensitive pictures in "
                                          "the report"))
        self.sensitive_text.setAccessibleName(_("Print the words read in sensitive pictures "
                                                "in the report"))
        self.sensitive_text_note = wrapped(_(
            "The report is often printed and passed on. When this is off, it only says that "
            "words were read; the police still get them inside the bundle."))
        self.sensitive_text_note.setIndent(24)
        self.asks_sensitive_text = has_sensitive_reading(items)
        for widget in (self.sensitive_text, self.sensitive_text_note):
            widget.setVisible(self.asks_sensitive_text)
            layout.addWidget(widget)
        self._changed()

    def include_sensitive_text(self) -> bool:
        return self.asks_sensitive_text and self.sensitive_text.isChecked()

    def rows(self) -> list[QTreeWidgetItem]:
        return [item for i in range(self.tree.topLevelItemCount())
                if (item := self.tree.topLevelItem(i)) is not None]

    def chosen_ids(self) -> list[str]:
        return [str(r.data(0, Qt.ItemDataRole.UserRole)) for r in self.rows()
                if r.checkState(0) == Qt.CheckState.Checked]

    def _set_all(self, state: Qt.CheckState) -> None:
        for row in self.rows():
            row.setCheckState(0, state)

    def _changed(self, *_args: Any) -> None:
        total = self.tree.topLevelItemCount()
        self.count.setText(ngettext("{chosen} of {total} item chosen",
                                    "{chosen} of {total} items chosen", total).format(
            chosen=len(self.chosen_ids()), total=total))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return bool(self.chosen_ids())


def has_sensitive_reading(items: list[Item]) -> bool:
    """Whether any sensitive picture among `items` has words read by machine."""
    every = {item.id: item for item in items}
    return any(item.kind == TEXT_KIND and is_sensitive(item, every) for item in items)


def case_text(summary: CaseSummary) -> str:
    """The case details as plain text for a read-only review box."""
    missing = _("(not filled in)")
    lines = [_("Case reference: {reference}").format(reference=summary.reference or missing),
             "", _("What happened:"), summary.statement or missing, "",
             _("Dates: {dates}").format(dates=", ".join(summary.incident_dates) or missing),
             _("Platforms: {platforms}").format(
                 platforms=", ".join(summary.platforms) or missing),
             "", _("How the police can reach you (in the report, not among the offender's "
                   "details):")]
    contact = [line for label, value in summary.contact
               for line in (f"{case_field(label)}: {value}" if label else value).splitlines()
               if line.strip()]
    lines += ["  " + line for line in contact] or ["  " + missing]
    lines += ["", _("Accounts used by the offender:")]
    for o in summary.offenders:
        extra = " · ".join(x for x in (o.name, o.note) if x)
        lines.append("  • " + " ".join(x for x in (o.platform + ":" if o.platform else "",
                                                    o.identifier) if x)
                     + (f" ({extra})" if extra else ""))
    if not summary.offenders:
        lines.append("  " + missing)
    lines += ["", _("Payments:")]
    for p in summary.payments:
        parts = [p.date, " ".join(x for x in (p.amount, p.currency) if x),
                 payment_method(p.method),
                 p.recipient, p.wallet, p.reference, p.note]
        lines.append("  • " + " · ".join(x for x in parts if x))
    if not summary.payments:
        lines.append("  " + missing)
    return clean("\n".join(lines))


class CasePage(QWizardPage):
    """Read-only review: what the report will say about the case."""

    def __init__(self, case: dict[str, Any]) -> None:
        super().__init__()
        self.setTitle(_("Check the case details"))
        self.setSubTitle(_("These details go into the report for the police."))
        self.text = QPlainTextEdit(case_text(case_summary(case)))
        self.text.setReadOnly(True)
        self.text.setAccessibleName(_("Case details (read only)"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(wrapped(_(
            "To change them, close this window and open \"Case details\" in the main window. "
            "Nothing is sealed until you press \"Seal now\".")))


def key_from_text(text: str) -> str:
    """The first age public key in pasted text or a key file (also '# public key: age1...')."""
    for line in text.splitlines():
        for word in line.replace(":", " ").split():
            if word.startswith("age1"):
                return word
    return text.strip()


class ProtectionPage(QWizardPage):
    """Passphrase (default), a police unit's age key, or no encryption (confirmed)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Choose how to protect the bundle"))
        self.setSubTitle(_("The bundle is locked so that only the police can open it."))
        self.passphrase = QRadioButton(_("A &passphrase to read aloud (recommended for most "
                                         "people)"))
        self.recipient = QRadioButton(_("A police &unit's key"))
        self.none = QRadioButton(_("&No encryption"))
        self.group = QButtonGroup(self)
        for option in (self.passphrase, self.recipient, self.none):
            option.setAccessibleName(option.text().replace("&", ""))
            self.group.addButton(option)
        self.passphrase.setChecked(True)
        self.key = QLineEdit()
        self.key.setPlaceholderText("age1…")
        self.key.setAccessibleName(_("The police unit's public key"))
        self.load = button(_("&Load key from file…"),
                           _("Load the police unit's key from a file"), self._load_key)
        self.hint = wrapped("")
        self.hint.setAccessibleName(_("Key check"))
        self.confirm = QCheckBox(_("I understand that anyone who gets this file can see all "
                                   "the evidence in it."))
        self.confirm.setAccessibleName(self.confirm.text())
        warning = wrapped(_(
            "Warning: without encryption, anyone who gets the bundle — for example if the USB "
            "stick is lost or copied — can see every picture and message in it. Choose this "
            "only if the police asked for it."))
        warning.setStyleSheet(BAD)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.load)
        layout = QVBoxLayout(self)
        layout.addWidget(self.passphrase)
        layout.addWidget(self._indented(wrapped(_(
            "The app makes a passphrase of a few plain words. You give it to the police "
            "separately, for example by phone; they need it to open the bundle."))))
        layout.addWidget(self.recipient)
        self.key_box = self._indented(wrapped(_(
            "Use this if the police gave you a key. It starts with age1. Paste it here or "
            "load the file they sent.")), key_row, self.hint)
        layout.addWidget(self.key_box)
        layout.addWidget(self.none)
        self.none_box = self._indented(warning, self.confirm)
        layout.addWidget(self.none_box)
        layout.addStretch(1)
        self.setTabOrder(self.passphrase, self.recipient)
        self.setTabOrder(self.recipient, self.key)
        self.setTabOrder(self.key, self.load)
        self.setTabOrder(self.load, self.none)
        self.setTabOrder(self.none, self.confirm)
        self.group.buttonToggled.connect(self._update)
        self.key.textChanged.connect(self._update)
        self.confirm.toggled.connect(self._update)
        self._update()

    @staticmethod
    def _indented(*parts: Any) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(28, 0, 0, 8)
        for part in parts:
            if isinstance(part, QWidget):
                layout.addWidget(part)
            else:
                layout.addLayout(part)
        return box

    def mode(self) -> str:
        if self.recipient.isChecked():
            return "recipient"
        return "none" if self.none.isChecked() else "passphrase"

    def key_valid(self) -> bool:
        try:
            agefile.parse_recipient(self.key.text())
        except AgeKeyError:
            return False
        return True

    def _update(self, *_args: Any) -> None:
        mode = self.mode()
        self.key_box.setVisible(mode == "recipient")  # details only for the chosen way
        self.none_box.setVisible(mode == "none")
        text = self.key.text().strip()
        if not text:
            self.hint.setText(_("Paste the key that starts with age1."))
            self.hint.setStyleSheet("")
        elif self.key_valid():
            self.hint.setText(_("✓ This is a valid police key."))
            self.hint.setStyleSheet(GOOD)
        else:
            self.hint.setText(describe(AgeKeyError("recipient")))
            self.hint.setStyleSheet(BAD)
        self.completeChanged.emit()

    def _load_key(self) -> None:
        path = open_file(self, _("Load the police unit's key"), Place.DOWNLOADS,
                         _("Key files (*.txt *.pub *.age);;All files (*)"))
        if path is not None:
            self.load_key_file(path)

    def load_key_file(self, path: Path) -> None:
        """Put the key from a file into the field (the live check then says if it fits)."""
        try:
            with open(path, "rb") as fh:
                text = fh.read(MAX_KEY_FILE).decode("utf-8", "replace")
        except OSError:
            self.hint.setText(_("That file cannot be read. Choose the key file again."))
            self.hint.setStyleSheet(BAD)
            return
        self.key.setText(key_from_text(text))

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        mode = self.mode()
        if mode == "recipient":
            return self.key_valid()
        return mode == "passphrase" or self.confirm.isChecked()


def default_folder() -> Path:
    """The program's drive in portable mode, else Documents (or home)."""
    if is_portable():
        base = program_dir()
        return Path(base.anchor) if os.name == "nt" else base
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def language_name(code: str) -> str:
    """The same own-script names as the language chooser (Qt says "español de España")."""
    return native_language_name(code)


class SavePage(QWizardPage):
    """The report's language and the folder the bundle and receipts are written to."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Choose where to save"))
        self.setSubTitle(_("The bundle and its receipt are saved in this folder."))
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language of the report"))
        for code in shipped_languages():
            self.language.addItem(language_name(code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.folder = QLineEdit(str(default_folder()))
        self.folder.setAccessibleName(_("Folder for the bundle"))
        self.folder.textChanged.connect(self.completeChanged)
        choose = button(_("C&hoose folder…"), _("Choose the folder for the bundle"),
                        self._choose)
        self.note = wrapped("")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        layout = QVBoxLayout(self)
        label = QLabel(_("&Language of the report:"))
        label.setBuddy(self.language)
        layout.addWidget(label)
        layout.addWidget(self.language)
        layout.addSpacing(12)
        label = QLabel(_("&Folder:"))
        label.setBuddy(self.folder)
        layout.addWidget(label)
        layout.addLayout(folder_row)
        layout.addWidget(wrapped(_(
            "Tip: choose your USB stick to bring the bundle to the police on it.")))
        layout.addSpacing(12)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Seal now"))

    def _choose(self) -> None:
        path = choose_folder(self, _("Choose the folder for the bundle"), Place.DOCUMENTS,
                             self.out_dir() if self.folder.text().strip() else None)
        if path is not None:
            self.folder.setText(str(path))

    def out_dir(self) -> Path:
        return Path(self.folder.text().strip()).expanduser()

    def report_language(self) -> str:
        return str(self.language.currentData())

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return bool(self.folder.text().strip())


def big_font(widget: QWidget, factor: float = 1.6, bold: bool = True) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    widget.setFont(font)

