"""Case details the officer needs beyond the files, in the victim's own words.

Nothing typed here is lost by a key press. Esc is also half of the quick exit, so people
press it often: Esc, Cancel and the window's close button never throw away unsaved changes;
the dialog stays open and says so, with "Discard changes" one click away. Nothing is a
modal question, so a second Esc still makes the quick exit at once.

When the vault locks while changes are unsaved (auto-lock, or Lock), they are kept in
memory for that vault and come back the next time Case details is opened, marked as not
saved. A quick exit drops them with the rest of the app: they were never saved, and saving
on the person's behalf would put a half-written statement into the custody history (which
keeps every version and goes into the sealed bundle); writing them anywhere else would
leave them readable on the computer the person just hid the app from.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.case_tables import FittedTable
from evidence_app.gui.common import PlainLabel, show_error
from evidence_app.gui.session import Session
from evidence_app.i18n import _

OFFENDER_COLUMNS = ("platform", "identifier", "name", "note")
OFFENDER_WEIGHTS = [1.0, 1.6, 1.2, 1.6]
PAYMENT_COLUMNS = ("date", "amount", "currency", "method", "reference", "wallet", "note")
PAYMENT_WEIGHTS = [1.0, 0.9, 0.9, 1.2, 1.3, 1.9, 1.5]

# Unsaved changes of a dialog closed by a lock, by vault: in memory only, never on disk.
_drafts: dict[str, dict[str, Any]] = {}


def has_draft(vault_id: str) -> bool:
    """Whether Case details holds changes for this vault that were not saved yet."""
    return vault_id in _drafts


class CaseDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Case details"))
        vault = session.require_vault()
        self._vault_id = vault.vault_id
        self._editing = True  # until saved, discarded or closed with nothing changed
        lay = QVBoxLayout(self)
        intro = QLabel(_("What the police need to know, in your own words. You can change "
                         "this any time; every version is kept in the custody history."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.tabs = QTabWidget()
        lay.addWidget(self.tabs, 1)
        self._build_fields()
        self.unsaved = self._unsaved_bar()
        lay.addWidget(self.unsaved)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

        self.fill(dict(vault.state.case))
        self._saved = self.fields()  # what "unsaved changes" are measured against
        draft = _drafts.get(self._vault_id)
        if draft is not None and draft != self._saved:
            self.fill(draft)
            self._say_unsaved(_("Not saved yet: these are your changes from before the vault "
                                "locked. Save them, or discard them."))
        else:
            _drafts.pop(self._vault_id, None)
        session.locked.connect(self._vault_locked)
        self.resize(960, 640)

    # --- the fields ----------------------------------------------------------------------

    def _build_fields(self) -> None:
        about = QWidget()
        form = QFormLayout(about)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.reference = QLineEdit()
        self.reference.setAccessibleName(_("Case reference"))
        self.reference.setPlaceholderText(_("e.g. the police reference number, if you have one"))
        form.addRow(_("&Reference:"), self.reference)
        self.date_from = QLineEdit()
        self.date_from.setAccessibleName(_("When it started"))
        self.date_from.setPlaceholderText(_("e.g. 3 March 2026, or \"spring 2026\""))
        self.date_to = QLineEdit()
        self.date_to.setAccessibleName(_("When it ended"))
        form.addRow(_("It &started:"), self.date_from)
        form.addRow(_("It &ended:"), self.date_to)
        self.platforms = QLineEdit()
        self.platforms.setAccessibleName(_("Platforms"))
        self.platforms.setPlaceholderText(_("e.g. Instagram, WhatsApp, Telegram"))
        form.addRow(_("&Platforms:"), self.platforms)
        self.contact = QPlainTextEdit()
        self.contact.setAccessibleName(_("How the police can reach you"))
        self.contact.setTabChangesFocus(True)
        form.addRow(_("How to reach &me:"), self.contact)
        self.tabs.addTab(about, _("About the case"))

        self.statement = QPlainTextEdit()
        self.statement.setAccessibleName(_("Your statement"))
        self.statement.setTabChangesFocus(True)
        self.statement.setPlaceholderText(_(
            "What happened, in your own words. Start wherever you like; you can add more "
            "later."))
        self.tabs.addTab(self.statement, _("Your statement"))

        self.offenders = FittedTable(
            OFFENDER_COLUMNS, [_("Platform"), _("Account or number"), _("Name shown"),
                               _("Note")], OFFENDER_WEIGHTS, [],
            _("Accounts of the other person"))
        self.tabs.addTab(self.offenders, _("Their accounts"))
        self.payments = FittedTable(
            PAYMENT_COLUMNS, [_("Date"), _("Amount"), _("Currency"), _("How paid"),
                              _("Reference"), _("Wallet"), _("Note")], PAYMENT_WEIGHTS, [],
            _("Payments made"))
        self.tabs.addTab(self.payments, _("Payments"))

    def fill(self, case: dict[str, Any]) -> None:
        """Show case details (as saved in the vault, or a kept draft)."""
        self.reference.setText(str(case.get("reference", "") or ""))
        dates = case.get("incident_dates") or {}
        dates = dates if isinstance(dates, dict) else {}
        self.date_from.setText(str(dates.get("from", "")))
        self.date_to.setText(str(dates.get("to", "")))
        platforms = case.get("platforms") or []
        self.platforms.setText(", ".join(map(str, platforms)) if isinstance(platforms, list)
                               else str(platforms))
        self.contact.setPlainText(str(case.get("contact", "") or ""))
        self.statement.setPlainText(str(case.get("statement", "") or ""))
        self.offenders.set_rows(list(case.get("offender_accounts") or []))
        self.payments.set_rows(list(case.get("payments") or []))

    def fields(self) -> dict[str, Any]:
        platforms = [p.strip() for p in self.platforms.text().split(",") if p.strip()]
        dates = {k: v for k, v in (("from", self.date_from.text().strip()),
                                   ("to", self.date_to.text().strip())) if v}
        return {
            "reference": self.reference.text().strip(),
            "statement": self.statement.toPlainText().strip(),
            "incident_dates": dates,
            "platforms": platforms,
            "contact": self.contact.toPlainText().strip(),
            "offender_accounts": self.offenders.rows(),
            "payments": self.payments.rows(),
        }

    def has_unsaved_changes(self) -> bool:
        return self.fields() != self._saved

    # --- unsaved changes -----------------------------------------------------------------

    def _unsaved_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("unsavedChanges")
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        bar.setStyleSheet("QFrame#unsavedChanges { background: #fff4ce; color: #3b2f00; }")
        row = QHBoxLayout(bar)
        self.unsaved_text = PlainLabel()
        self.unsaved_text.setWordWrap(True)
        self.unsaved_text.setAccessibleName(_("Unsaved changes"))
        self.discard_button = QPushButton(_("&Discard changes"))
        self.discard_button.setAccessibleName(_("Discard the changes and close"))
        self.discard_button.setAutoDefault(False)
        self.discard_button.clicked.connect(self.discard)
        row.addWidget(self.unsaved_text, 1)
        row.addWidget(self.discard_button)
        bar.setVisible(False)
        return bar

    def _say_unsaved(self, text: str) -> None:
        self.unsaved_text.setText(text)
        self.unsaved.setVisible(True)

    def reject(self) -> None:
        """Esc, Cancel, the close button, the window manager: never lose typed text."""
        if not self.session.is_unlocked:  # locking: never hold it up (_vault_locked keeps)
            super().reject()
            return
        if self.has_unsaved_changes():
            self._say_unsaved(_("Your changes are not saved yet. Save them, or discard them "
                                "to close."))
            return
        self._finish()
        super().reject()

    def discard(self) -> None:
        self._finish()
        super().reject()

    def _finish(self) -> None:
        self._editing = False
        _drafts.pop(self._vault_id, None)

    def _vault_locked(self, reason: str) -> None:
        """Keep what was typed for when the vault is open again, except after a quick exit
        (see the module's docstring)."""
        if not self._editing:
            return
        self._editing = False
        if reason != "quick_exit" and self.has_unsaved_changes():
            _drafts[self._vault_id] = self.fields()
        else:
            _drafts.pop(self._vault_id, None)

    # --- saving ----------------------------------------------------------------------------

    def _save(self) -> None:
        fields = self.fields()
        self.save_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            show_error(self, exc)

        self.session.run(lambda vault, progress=None, cancel=None: vault.update_case(fields),
                         on_done=lambda _r: self._saved_now(), on_error=failed)

    def _saved_now(self) -> None:
        self._finish()
        owner = self.parentWidget()
        if isinstance(owner, QMainWindow):
            owner.statusBar().showMessage(_("Case details saved. Every version is kept in the "
                                            "custody history."), 15_000)
        self.accept()
