"""Case details the officer needs beyond the files, in the victim's own words."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.common import show_error
from evidence_app.gui.session import Session
from evidence_app.i18n import _

OFFENDER_COLUMNS = ("platform", "identifier", "name", "note")
PAYMENT_COLUMNS = ("date", "amount", "currency", "method", "reference", "wallet", "note")


def _table(columns: tuple[str, ...], labels: list[str], rows: list[dict[str, Any]],
           name: str) -> QTableWidget:
    table = QTableWidget(max(len(rows) + 3, 5), len(columns))
    table.setHorizontalHeaderLabels(labels)
    table.setAccessibleName(name)
    table.horizontalHeader().setStretchLastSection(True)
    for r, row in enumerate(rows):
        for c, key in enumerate(columns):
            table.setItem(r, c, QTableWidgetItem(str(row.get(key, "") or "")))
    return table


def _rows(table: QTableWidget, columns: tuple[str, ...]) -> list[dict[str, str]]:
    rows = []
    for r in range(table.rowCount()):
        row = {}
        for c, key in enumerate(columns):
            cell = table.item(r, c)
            if cell is not None and cell.text().strip():
                row[key] = cell.text().strip()
        if row:
            rows.append(row)
    return rows


class CaseDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Case details"))
        case = dict(session.require_vault().state.case)
        lay = QVBoxLayout(self)
        intro = QLabel(_("What the police need to know, in your own words. You can change "
                         "this any time; every version is kept in the custody history."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        tabs = QTabWidget()
        lay.addWidget(tabs)

        about = QWidget()
        form = QFormLayout(about)
        self.reference = QLineEdit(str(case.get("reference", "")))
        self.reference.setAccessibleName(_("Case reference"))
        self.reference.setPlaceholderText(_("e.g. the police reference number, if you have one"))
        form.addRow(_("&Reference:"), self.reference)
        dates = case.get("incident_dates") or {}
        self.date_from = QLineEdit(str(dates.get("from", "")) if isinstance(dates, dict) else "")
        self.date_from.setAccessibleName(_("When it started"))
        self.date_from.setPlaceholderText(_("e.g. 3 March 2026, or \"spring 2026\""))
        self.date_to = QLineEdit(str(dates.get("to", "")) if isinstance(dates, dict) else "")
        self.date_to.setAccessibleName(_("When it ended"))
        form.addRow(_("It &started:"), self.date_from)
        form.addRow(_("It &ended:"), self.date_to)
        platforms = case.get("platforms") or []
        self.platforms = QLineEdit(", ".join(platforms) if isinstance(platforms, list)
                                   else str(platforms))
        self.platforms.setAccessibleName(_("Platforms"))
        self.platforms.setPlaceholderText(_("e.g. Instagram, WhatsApp, Telegram"))
        form.addRow(_("&Platforms:"), self.platforms)
        self.contact = QPlainTextEdit(str(case.get("contact", "")))
        self.contact.setAccessibleName(_("How the police can reach you"))
        self.contact.setTabChangesFocus(True)
        form.addRow(_("How to reach &me:"), self.contact)
        tabs.addTab(about, _("About the case"))

        self.statement = QPlainTextEdit(str(case.get("statement", "")))
        self.statement.setAccessibleName(_("Your statement"))
        self.statement.setTabChangesFocus(True)
        self.statement.setPlaceholderText(_(
            "What happened, in your own words. Start wherever you like; you can add more "
            "later."))
        tabs.addTab(self.statement, _("Your statement"))

        self.offenders = _table(OFFENDER_COLUMNS, [_("Platform"), _("Account or number"),
                                                  _("Name shown"), _("Note")],
                                list(case.get("offender_accounts") or []),
                                _("Accounts of the other person"))
        tabs.addTab(self.offenders, _("Their accounts"))
        self.payments = _table(PAYMENT_COLUMNS, [_("Date"), _("Amount"), _("Currency"),
                                                 _("How paid"), _("Reference"), _("Wallet"),
                                                 _("Note")],
                               list(case.get("payments") or []), _("Payments made"))
        tabs.addTab(self.payments, _("Payments"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(720, 520)

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
            "offender_accounts": _rows(self.offenders, OFFENDER_COLUMNS),
            "payments": _rows(self.payments, PAYMENT_COLUMNS),
        }

    def _save(self) -> None:
        fields = self.fields()
        self.session.run(lambda vault, progress=None, cancel=None: vault.update_case(fields),
                         on_done=lambda _r: self.accept(),
                         on_error=lambda exc: show_error(self, exc))
