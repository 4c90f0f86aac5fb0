"""The result of a check, as the officer reads it: the verdict first, then the signer key and
the bundle's SHA-256 against the receipt, then every check and what each timestamp proves.

Three verdicts look different: verified (green; amber while the signer key is not yet
compared with a receipt), time not confirmed (amber, never "verified"), not verified (red).
Everything read from the bundle goes through `untrusted()` into plain-text widgets.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.bundle.report_times import utc_text
from evidence_app.bundle.verify import (
    NOT_VERIFIED,
    TIME_UNCONFIRMED,
    Check,
    VerifyReport,
)
from evidence_app.formatting import untrusted
from evidence_app.gui.common import PlainLabel, button
from evidence_app.gui.seal_pages import BAD, GOOD, big_font, wrapped
from evidence_app.i18n import _, ngettext
from evidence_app.verify_words import (
    check_detail,
    check_line,
    check_name,
    signer_line,
    timestamp_lines,
)

RED = QColor("#b00020")
AMBER = QColor("#8a4b00")
WARN = "color: #8a4b00;"
TIME_ROW = Qt.ItemDataRole.UserRole + 1  # marks the rows that say what a timestamp proves


def check_text(check: Check) -> str:
    """One row of the list: ✓ name, or ✗ name — file: what is wrong (⚠ when unconfirmed)."""
    if check.ok:
        return "✓  " + check_name(check)
    mark = "⚠" if check.unconfirmed else "✗"
    return "{mark}  {name} — {file}: {detail}".format(
        mark=mark, name=check_name(check), file=untrusted(check.file or "-"),
        detail=check_detail(check))


def verdict(report: VerifyReport) -> tuple[str, str, str]:
    """(headline, explanation, style) for the three verdicts, and a verified bundle whose
    signer key was not compared with a receipt."""
    if report.verdict == NOT_VERIFIED:
        count = sum(not c.ok for c in report.checks) or 1
        return (ngettext("✗ Not verified — {count} problem found",
                         "✗ Not verified — {count} problems found", count).format(count=count),
                _("Something in this bundle is not as it was sealed, or it is not the bundle "
                  "on the receipt. The red lines below name each file and what is wrong."),
                BAD)
    if report.verdict == TIME_UNCONFIRMED:
        return (_("⚠ Not verified — a timestamp's time could not be confirmed"),
                _("The content checks out, but a timestamp comes from an authority whose root "
                  "certificate is not trusted here (the line marked ⚠). If you trust that "
                  "authority, add its root certificate with “Add trusted root…” and check "
                  "again."), WARN)
    if not report.pinned:
        return (_("✓ Verified — now compare the signer key with the receipt"),
                _("The bundle is complete and unchanged since it was signed. Only the receipt "
                  "shows that the person who gave it to you signed it: compare the key below "
                  "with the receipt, or give the receipt above and check again."), WARN)
    return (_("✓ Verified — every check passed and it matches the receipt"), "", GOOD)


def sha_line(report: VerifyReport) -> tuple[str, str]:
    """The bundle file's SHA-256 and how it compares with the receipt (when one was given)."""
    check = next((c for c in report.checks if c.key == "pin_sha256"), None)
    sha = report.bundle_sha256
    if check is None:
        return _("Bundle SHA-256: {sha} — compare it with the receipt.").format(sha=sha), WARN
    if check.ok:
        return _("Bundle SHA-256: {sha} — matches the receipt.").format(sha=sha), GOOD
    expected = report.expected.sha256 if report.expected else "-"
    return (_("Bundle SHA-256: {sha} — does NOT match the receipt ({expected}).").format(
        sha=sha, expected=expected), BAD)


def signer_style(report: VerifyReport) -> str:
    pinned = next((c for c in report.checks if c.key == "pin_key"), None)
    if not report.fingerprint or (pinned is not None and not pinned.ok):
        return BAD
    return GOOD if pinned is not None else WARN


class ResultPane(QWidget):
    """Shows one VerifyReport; `open_file(rel)` opens a file of the unpacked bundle."""

    def __init__(self, open_file: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: VerifyReport | None = None
        self.headline = QLabel()
        self.headline.setAccessibleName(_("Result"))
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        big_font(self.headline, 1.6)
        self.explain = wrapped("")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.signer = PlainLabel()
        self.signer.setAccessibleName(_("Signer key"))
        self.sha = PlainLabel()
        self.sha.setAccessibleName(_("Bundle SHA-256"))
        for label in (self.signer, self.sha):
            label.setWordWrap(True)
            label.setFont(mono)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = QFont(mono)
        bold.setBold(True)
        self.signer.setFont(bold)
        self.mismatch_hint = wrapped(_(
            "If you typed the fingerprint, compare it letter by letter with the receipt: "
            "capital and small letters differ."))
        self.checks = QListWidget()
        self.checks.setAccessibleName(_("Checks"))
        self.checks.setWordWrap(True)  # long file names and German words stay readable
        self.summary = {key: PlainLabel() for key in ("name", "items", "sealed", "case")}
        for label in self.summary.values():
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_report = button(_("Open &report"), _("Open the report"),
                                  lambda: open_file("data/report/report.html"))
        self.open_folder = button(_("Open &folder"), _("Open the unpacked bundle folder"),
                                  lambda: open_file(""))
        self._lay_out()

    def _lay_out(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for widget in (self.headline, self.explain, self.signer, self.mismatch_hint, self.sha):
            lay.addWidget(widget)
        lay.addWidget(self.checks, 1)
        self.details = QWidget()
        form = self.form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        for key, text in (("name", _("Bundle:")), ("items", _("Items:")),
                          ("sealed", _("Sealed at:")), ("case", _("Case reference:"))):
            form.addRow(text, self.summary[key])
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_report)
        buttons.addWidget(self.open_folder)
        buttons.addStretch(1)
        form.addRow(buttons)
        lay.addWidget(self.details)

    def show_report(self, report: VerifyReport | None) -> None:
        self.report = report
        self.checks.clear()
        folder = report.folder if report is not None else None
        self.open_report.setEnabled(folder is not None
                                    and (folder / "data/report/report.html").is_file())
        self.open_folder.setEnabled(folder is not None)
        for widget in (self.explain, self.signer, self.sha, self.details, self.mismatch_hint,
                       self.checks):
            widget.setVisible(report is not None)
        if report is None:
            self.set_headline("")
            for label in self.summary.values():
                label.clear()
            return
        headline, explanation, style = verdict(report)
        self.set_headline(headline, style)
        self.explain.setText(explanation)
        self.explain.setVisible(bool(explanation))
        self.signer.setText(signer_line(report))
        self.signer.setStyleSheet(signer_style(report))
        pinned = next((c for c in report.checks if c.key == "pin_key"), None)
        self.mismatch_hint.setVisible(pinned is not None and not pinned.ok and
                                      report.expected is not None and
                                      report.expected.source == "given")
        text, style = sha_line(report)
        self.sha.setText(text)
        self.sha.setStyleSheet(style)
        self.sha.setVisible(bool(report.bundle_sha256))
        self._fill_checks(report)
        info = report.info
        self.summary["name"].setText(untrusted(report.name or report.bundle.name))
        # Nothing unpacked (it could not be decrypted or the zip is damaged): nothing was
        # counted, so no "0 items" as if the bundle had been read and found empty.
        opened = report.folder is not None
        self.summary["items"].setText(str(len(report.items)) if opened else _(
            "could not be read: the bundle could not be opened, so nothing inside it was "
            "checked"))
        for key in ("sealed", "case"):
            self.form.setRowVisible(self.summary[key], opened)
        self.summary["sealed"].setText(untrusted(utc_text(info.get("Sealed-At-UTC", "")), 40))
        case = info.get("Case-Reference", "")
        self.summary["case"].setText(untrusted(case, 80) if case and case != "-"
                                     else _("(none given)"))

    def _fill_checks(self, report: VerifyReport) -> None:
        for check in report.checks:
            row = QListWidgetItem(check_text(check))
            # Qt guesses whether a tooltip is rich text: escaped, a file name stays text.
            row.setToolTip("<p>" + html.escape(check_line(check)) + "</p>")
            if not check.ok:
                row.setForeground(QBrush(AMBER if check.unconfirmed else RED))
            self.checks.addItem(row)
        lines = timestamp_lines(report)
        if lines:
            header = QListWidgetItem(_("What the timestamps show:"))
            font = QFont(self.checks.font())
            font.setBold(True)
            header.setFont(font)
            header.setData(TIME_ROW, True)
            self.checks.addItem(header)
        for line in lines:
            row = QListWidgetItem("      " + line)
            row.setData(TIME_ROW, True)
            self.checks.addItem(row)

    def set_headline(self, text: str, style: str = "") -> None:
        self.headline.setStyleSheet(style)
        self.headline.setText(text)

    def failed_files(self) -> list[str]:
        """The files named by failed checks (what the red lines show)."""
        report = self.report
        return [c.file or "" for c in report.checks if not c.ok] if report else []
