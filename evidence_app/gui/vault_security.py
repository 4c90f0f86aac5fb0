"""Settings for the open vault: change the passphrase, replace the recovery key, and bring
back files kept aside in the quarantine. Each change of a secret starts a new key epoch
(core/vault_header.py); the words here say what that means for the person."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.common import clear_warning, say, show_error, warn
from evidence_app.gui.passphrase import (
    StrengthMeter,
    confirm_weak,
    new_passphrase_problem,
    secret_field,
)
from evidence_app.gui.recovery_key_panel import RecoveryKeyPanel
from evidence_app.i18n import _, ngettext
from evidence_app.workflows.outcome import Outcome
from evidence_app.workflows.passwd import change_passphrase, new_recovery_key


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _passphrase_failed(parent: QWidget, exc: BaseException, button: QPushButton,
                       field: Any, message: QLabel) -> None:
    """A wrong current passphrase is said beside the field; anything else as an error."""
    from evidence_app.core.errors import WrongPassphrase
    from evidence_app.messages import describe

    button.setEnabled(True)
    if isinstance(exc, WrongPassphrase):
        warn(message, describe(exc))
        field.selectAll()
        field.setFocus()
        return
    say(message, "")
    show_error(parent, exc)


class RecoveryKeyShown(QDialog):
    """A new recovery key, shown once: closing needs the person to say they kept it."""

    def __init__(self, recovery_key: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Your new recovery key"))
        lay = QVBoxLayout(self)
        lay.addWidget(_wrapped(intro))
        lay.addWidget(_wrapped(_(
            "Write it on paper and keep it somewhere safe, away from this computer. If you "
            "forget your passphrase, this key is the only way to open the vault. Anyone who "
            "has it can open the vault too.")))
        self.panel = RecoveryKeyPanel(self, scale=1.4)
        self.panel.set_key(recovery_key)
        lay.addWidget(self.panel)
        self.key_label, self.kept = self.panel.key_label, self.panel.kept
        self.done_button = QPushButton(_("Done"))
        self.done_button.setEnabled(False)
        self.kept.toggled.connect(self.done_button.setEnabled)
        self.done_button.clicked.connect(self.accept)
        lay.addWidget(self.done_button)

    def reject(self) -> None:  # Esc must not lose the only showing of the key
        if self.kept.isChecked():
            super().reject()


def show_new_recovery_key(parent: QWidget | None, recovery_key: str, intro: str) -> None:
    dialog = RecoveryKeyShown(recovery_key, intro, parent)
    dialog.exec()
    dialog.deleteLater()


class ChangePassphraseDialog(QDialog):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Change passphrase"))
        lay = QVBoxLayout(self)
        lay.addWidget(_wrapped(_(
            "Anything added from now on is locked under the new passphrase: a copy of the "
            "vault taken earlier, with the old passphrase, cannot read it. Your recovery key "
            "stays the same.")))
        form = QFormLayout()
        self.current = secret_field(_("Current passphrase"))
        self.first = secret_field(_("New passphrase"))
        self.second = secret_field(_("New passphrase again"))
        form.addRow(_("&Current passphrase:"), self.current)
        form.addRow(_("&New passphrase:"), self.first)
        self.strength = StrengthMeter(self.first)  # a common one turns the button off
        form.addRow("", self.strength)
        form.addRow(_("New passphrase &again:"), self.second)
        lay.addLayout(form)
        self.message = _wrapped("")
        lay.addWidget(self.message)
        for field in (self.current, self.first, self.second):  # retyping answers it
            field.textChanged.connect(lambda _text: clear_warning(self.message))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.change = buttons.addButton(_("Change passphrase"),
                                        QDialogButtonBox.ButtonRole.AcceptRole)
        self.change.setEnabled(not self.strength.refused)
        self.strength.assessed.connect(lambda found: self.change.setEnabled(not found.refused))
        buttons.accepted.connect(self._change)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _change(self) -> None:
        if self.strength.refused:  # the line under the field says why
            self.first.setFocus()
            return
        problem = new_passphrase_problem(self.first.text(), self.second.text())
        if problem:
            warn(self.message, problem)
            return
        if self.strength.assessment.needs_confirmation and not confirm_weak(
                self, self.strength.assessment):
            self.first.setFocus()
            return
        current, new = self.current.text(), self.first.text()
        self.change.setEnabled(False)
        say(self.message, _("Changing the passphrase…"))

        self.session.run(change_passphrase, new, current=current, stamp=False,
                         on_done=self._done, on_error=self._failed)

    def _done(self, outcome: Outcome[str | None]) -> None:
        new_key = outcome.done[0]
        for field in (self.current, self.first, self.second):
            field.clear()
        if new_key:
            show_new_recovery_key(self, new_key, _(
                "Passphrase changed. This vault was made by an earlier version, so it also "
                "has a new recovery key: the old one no longer works."))
        else:
            QMessageBox.information(self, _("Change passphrase"), _(
                "Passphrase changed. Use the new one from now on; your recovery key stays "
                "the same."))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        _passphrase_failed(self, exc, self.change, self.current, self.message)


class NewRecoveryKeyDialog(QDialog):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("New recovery key"))
        lay = QVBoxLayout(self)
        lay.addWidget(_wrapped(_(
            "Make a new recovery key if the old one may have been seen or lost. The old key "
            "stops working, and anything added from now on cannot be read with it, even with "
            "an older copy of the vault.")))
        form = QFormLayout()
        self.current = secret_field(_("Current passphrase"))
        form.addRow(_("&Current passphrase:"), self.current)
        lay.addLayout(form)
        self.message = _wrapped("")
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.make = buttons.addButton(_("Make a new recovery key"),
                                      QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._make)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _make(self) -> None:
        secret = self.current.text()
        self.make.setEnabled(False)
        self.session.run(new_recovery_key, secret, stamp=False, on_done=self._done,
                         on_error=self._failed)

    def _done(self, outcome: Outcome[str]) -> None:
        new_key = outcome.done[0]
        self.current.clear()
        show_new_recovery_key(self, new_key, _(
            "This is your new recovery key. The old one no longer opens this vault."))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        _passphrase_failed(self, exc, self.make, self.current, self.message)


class RecoverDialog(QDialog):
    """What the quarantine holds, in words, and one button to bring the evidence back."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Recover kept-aside files"))
        vault = session.require_vault()
        kept = vault.quarantined()
        self.evidence = [q for q in kept if q.recoverable]
        derived = sum(1 for q in kept if q.derived)
        unreadable = sum(1 for q in kept if q.size is None)
        lay = QVBoxLayout(self)
        if not kept:
            text = _("Nothing is kept aside: every encrypted file in the vault is named by the "
                     "custody log.")
        else:
            text = _("The vault keeps files that no custody record names aside instead of "
                     "deleting them: usually a file that was being added when the app was "
                     "interrupted, or evidence whose records were lost when an older copy of "
                     "the vault was put back.") + "\n\n" + _(
                "Evidence that can be brought back: {evidence}. Thumbnails and timestamps "
                "(not evidence themselves): {derived}. Files this vault's keys do not open: "
                "{unreadable}.").format(evidence=len(self.evidence), derived=derived,
                                        unreadable=unreadable)
            if self.evidence:
                text += "\n\n" + _(
                    "Brought-back files become new items named \"recovered-…\"; their "
                    "content and SHA-256 are exactly as kept, and the custody log says they "
                    "were recovered. Their original names were in the lost records.")
        lay.addWidget(_wrapped(text))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.recover = buttons.addButton(
            ngettext("Bring back {count} file", "Bring back {count} files",
                     len(self.evidence)).format(count=len(self.evidence)),
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.recover.setEnabled(bool(self.evidence))
        buttons.accepted.connect(self._recover)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _recover(self) -> None:
        self.recover.setEnabled(False)
        self.session.run(lambda vault, progress=None, cancel=None: vault.recover(),
                         on_done=self._done, on_error=lambda exc: show_error(self, exc))

    def _done(self, items: list[Any]) -> None:
        self.session.changed.emit()
        QMessageBox.information(self, _("Recover kept-aside files"), ngettext(
            "{count} item brought back.", "{count} items brought back.", len(items)).format(
            count=len(items)))
        self.accept()


def vault_security_rows(session: Any, parent: QWidget, form: QFormLayout) -> None:
    """The Settings rows for the open vault (none when no vault is open)."""
    if session is None or session.vault is None or not session.vault.is_open:
        return
    for label, dialog_class in (
            (_("Change passphrase…"), ChangePassphraseDialog),
            (_("New recovery key…"), NewRecoveryKeyDialog),
            (_("Recover kept-aside files…"), RecoverDialog)):
        button = QPushButton(label)

        def open_dialog(_checked: bool = False, cls: Any = dialog_class) -> None:
            dialog = cls(session, parent)
            dialog.exec()
            dialog.deleteLater()

        button.clicked.connect(open_dialog)
        form.addRow("", button)
