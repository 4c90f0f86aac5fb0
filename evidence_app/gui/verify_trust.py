"""What the officer brings to a check from outside the bundle: the receipt and own trust roots.

A bundle that checks out against its own key proves only that whoever sealed it held that
key; the receipt (on paper from the person, or its text file) ties it to them. The officer
opens the receipt file or types the signer key fingerprint printed on it. A root certificate
of a time-stamp authority the app does not list can be added too; nothing inside the bundle
is ever trusted for that.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_app.bundle import pin
from evidence_app.core.errors import EvidenceError, ExpectedValueInvalid, ReceiptUnreadable
from evidence_app.formatting import untrusted
from evidence_app.gui.common import NoteLabel, PlainLabel, button
from evidence_app.gui.file_dialogs import Place, open_file
from evidence_app.gui.seal_pages import BAD, wrapped
from evidence_app.i18n import _
from evidence_app.messages import describe
from evidence_app.timestamp.tsp import read_root_file

_ONE_FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}(?![A-Za-z0-9+/])")


def typed_fingerprint(text: str) -> str:
    """The fingerprint in what was typed or pasted: exactly as on the receipt, or a pasted
    receipt line that holds exactly one ("Signer key fingerprint: SHA256:...")."""
    try:
        return pin.fingerprint_value(text)
    except ExpectedValueInvalid:
        found = set(_ONE_FINGERPRINT.findall(text))
        if len(found) == 1:
            return pin.fingerprint_value(found.pop())
        raise


class TrustInputs(QGroupBox):
    """The receipt (file or typed fingerprint) and the officer's own timestamp roots."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("The receipt the person gave you"), parent)
        self.receipt: pin.Expected | None = None  # as read from a receipt file
        self.roots: list[tuple[str, bytes]] = []  # (file name, PEM) given by the officer
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.fingerprint = QLineEdit()
        self.fingerprint.setFont(mono)
        self.fingerprint.setPlaceholderText("SHA256:…")
        self.fingerprint.setAccessibleName(_("Signer key fingerprint from the receipt"))
        self.fingerprint.textChanged.connect(self._typed)
        self.fingerprint.editingFinished.connect(self._check_typed)
        label = QLabel(_("Signer &key:"))
        label.setBuddy(self.fingerprint)
        self.open_receipt = button(_("Open r&eceipt…"), _("Open the receipt file"),
                                   self._choose_receipt)
        self.receipt_note = NoteLabel()
        self.message = NoteLabel()
        self.message.setStyleSheet(BAD)
        self.message.setAccessibleName(_("Receipt message"))
        self.add_root = button(_("Add trusted roo&t…"),
                               _("Add a root certificate you trust for timestamps"),
                               self._choose_root)
        self.remove_roots = button(_("Remove"), _("Remove the added root certificates"),
                                   self.clear_roots)
        self.roots_note = PlainLabel()
        self.roots_note.setWordWrap(True)
        self._lay_out(label)
        self._show_roots()

    def _lay_out(self, label: QLabel) -> None:
        lay = QVBoxLayout(self)
        hint = wrapped(_("Type or paste the signer key fingerprint printed on the receipt, or "
                         "open the receipt file (NAME.receipt.txt). Without it, this check "
                         "cannot tell whether someone signed the bundle again with another "
                         "key."))
        lay.addWidget(hint)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(label, 0, 0)
        grid.addWidget(self.fingerprint, 0, 1)
        grid.addWidget(self.open_receipt, 0, 2)
        grid.addWidget(self.receipt_note, 1, 1, 1, 2)
        grid.addWidget(self.message, 2, 1, 1, 2)
        grid.addWidget(QLabel(_("Timestamps:")), 3, 0)
        grid.addWidget(self.roots_note, 3, 1)
        roots = QHBoxLayout()
        roots.addWidget(self.remove_roots)
        roots.addWidget(self.add_root)
        grid.addLayout(roots, 3, 2)
        grid.setColumnStretch(1, 1)
        lay.addLayout(grid)

    # --- the receipt ------------------------------------------------------------------------

    def _choose_receipt(self) -> None:
        path = open_file(self, _("Open the receipt"), Place.DOWNLOADS,
                         _("Receipts (*.receipt.txt *.txt);;All files (*)"))
        if path is not None:
            self.load_receipt(path)

    def load_receipt(self, path: Path) -> bool:
        try:
            self.receipt = pin.from_receipt(path)
        except ReceiptUnreadable:
            self.message.setText(_(
                "{file} does not look like a receipt: a receipt shows exactly one bundle "
                "SHA-256 and one signer key fingerprint. Open NAME.receipt.txt, or type the "
                "fingerprint printed on the paper receipt.").format(file=untrusted(path.name)))
            return False
        self.fingerprint.setText(self.receipt.fingerprint or "")
        self.receipt_note.setText(_("From {file}, with the bundle SHA-256 {sha}").format(
            file=untrusted(path.name), sha=self.receipt.sha256))
        self.message.clear()
        self.edited.emit()
        return True

    def _typed(self, text: str) -> None:
        """An edit: a receipt file's values no longer apply once the key differs from it."""
        if self.receipt is None or text.strip() != self.receipt.fingerprint:
            self.receipt = None
            self.receipt_note.clear()
        if self.message.text() and self._valid(text):
            self.message.clear()
        self.edited.emit()

    @staticmethod
    def _valid(text: str) -> bool:
        try:
            typed_fingerprint(text)
        except ExpectedValueInvalid:
            return not text.strip()
        return True

    def _check_typed(self) -> None:
        """When the focus leaves the field: say at once if the fingerprint is malformed."""
        with contextlib.suppress(ExpectedValueInvalid):  # said in the box already
            self.expected()

    def expected(self) -> pin.Expected | None:
        """What to compare with (None: nothing given). A malformed fingerprint is said in
        the box and raises ExpectedValueInvalid."""
        text = self.fingerprint.text()
        if not text.strip():
            self.message.clear()
            return None
        if self.receipt is not None and text.strip() == self.receipt.fingerprint:
            return self.receipt
        try:
            value = typed_fingerprint(text)
        except ExpectedValueInvalid as exc:
            self.message.setText(describe(exc))
            raise
        self.message.clear()
        return pin.Expected(fingerprint=value, source="given")

    # --- the officer's own roots ------------------------------------------------------------

    def _choose_root(self) -> None:
        path = open_file(self, _("Add a trusted root certificate"), Place.DOWNLOADS,
                         _("Certificates (*.pem *.crt *.cer *.der);;All files (*)"))
        if path is not None:
            self.add_root_file(path)

    def add_root_file(self, path: Path) -> bool:
        try:
            pem = read_root_file(path)
        except EvidenceError as exc:
            self.message.setText(describe(exc))
            return False
        self.roots.append((path.name, pem.encode("ascii")))
        self.message.clear()
        self._show_roots()
        self.edited.emit()
        return True

    def clear_roots(self) -> None:
        self.roots.clear()
        self._show_roots()
        self.edited.emit()

    def extra_roots(self) -> list[bytes]:
        return [pem for _name, pem in self.roots]

    def _show_roots(self) -> None:
        self.remove_roots.setVisible(bool(self.roots))
        if self.roots:
            self.roots_note.setText(_("Also trusted: {files}").format(
                files=", ".join(untrusted(name, 60) for name, _pem in self.roots)))
        else:
            self.roots_note.setText(_("Only the authorities the app lists are trusted. Add "
                                      "a root certificate only if you trust it."))
