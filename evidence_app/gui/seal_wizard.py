"""The seal wizard: choose items, review the case, protect, save, seal in the background, result.

Sealing runs through Session.run, so the window never freezes and Cancel only sets the flag
the core checks; a cancelled or failed seal leaves no bundle (the core writes it atomically).
The passphrase exists only in this window's memory: it is shown and printed, never saved.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QTextDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from evidence_app.bundle.seal import Protection, SealResult, SealStep
from evidence_app.core import errors as e
from evidence_app.gui import workers
from evidence_app.gui.common import PlainLabel, show_error, show_in_file_manager
from evidence_app.gui.seal_pages import (
    BAD,
    GOOD,
    CasePage,
    ItemsPage,
    ProtectionPage,
    SavePage,
    big_font,
    wrapped,
)
from evidence_app.gui.session import Session
from evidence_app.i18n import _
from evidence_app.workflows.outcome import Outcome
from evidence_app.workflows.seal import seal_case

log = logging.getLogger(__name__)
ITEMS, CASE, PROTECT, SAVE, PROGRESS, RESULT = range(6)
_W = QWizard.WizardButton
_NORMAL_BUTTONS = [_W.Stretch, _W.BackButton, _W.NextButton, _W.FinishButton, _W.CancelButton]


def page_for_error(exc: BaseException) -> int:
    """The page where a person can fix what stopped the seal."""
    if isinstance(exc, e.NothingToSeal | e.ItemNotFound | e.CorruptObject | e.MissingObject
                  | e.HashMismatch):
        return ITEMS
    if isinstance(exc, e.AgeKeyError):
        return PROTECT
    return SAVE


class ProgressPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Sealing the bundle"))
        self.setSubTitle(_("Please wait a moment. You can cancel at any time."))
        self.bar = QProgressBar()
        self.bar.setAccessibleName(_("Sealing progress"))
        self.current = PlainLabel()
        self.current.setAccessibleName(_("Item being sealed"))
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(_(
            "Each item is copied into the bundle and its fingerprint checked on the way. If "
            "you cancel, nothing half-made is kept.")))
        layout.addWidget(self.bar)
        layout.addWidget(self.current)
        layout.addStretch(1)
        self.setButtonText(_W.CancelButton, _("&Cancel sealing"))

    def reset(self) -> None:
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.current.setText(_("Preparing the encryption…"))
        # Translated now: while seal() runs it switches the language to the report's.
        self.sealing_text = _("Sealing: {name}")
        self.step_text = {
            SealStep.REPORT: _("Writing the report…"),
            SealStep.TIMESTAMPS: _("Asking for a trusted timestamp…"),
            SealStep.BUNDLE: _("Preparing the encryption…"),
            SealStep.RECEIPTS: _("Writing the receipts…"),
            SealStep.CUSTODY_LOG: _("Recording the bundle in the custody log…"),
        }
        self.cancelling_text = _("Cancelling…")

    def show_progress(self, done: int, total: int, message: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        words = self.step_text.get(message)  # type: ignore[call-overload]
        self.current.setText(words or self.sealing_text.format(name=message))

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return False


class ResultPage(QWizardPage):
    """Where the bundle is, its SHA-256, the receipts, the passphrase and what to do next."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("The bundle is sealed"))
        self.result: SealResult | None = None
        self.path = self._selectable(PlainLabel())
        self.path.setAccessibleName(_("Bundle file"))
        self.open_folder = QPushButton(_("&Open folder"))
        self.open_folder.setAccessibleName(_("Open the folder with the bundle"))
        self.open_folder.clicked.connect(self._open_folder)
        self.sha = self._selectable(PlainLabel())
        self.sha.setAccessibleName(_("Fingerprint (SHA-256) of the bundle"))
        self.sha.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.receipts = self._selectable(PlainLabel())
        self.receipts.setAccessibleName(_("Receipt files"))
        self.protection = wrapped("")
        self.passphrase = self._selectable(PlainLabel())
        self.passphrase.setAccessibleName(_("Passphrase of the bundle"))
        self.passphrase.setWordWrap(True)
        big_font(self.passphrase, 2.0)
        self.print_button = QPushButton(_("&Print passphrase sheet…"))
        self.print_button.setAccessibleName(_("Print the passphrase sheet"))
        self.print_button.clicked.connect(self._print)
        self.noted = QCheckBox(_("I have printed or written down the passphrase"))
        self.noted.setAccessibleName(self.noted.text())
        self.noted.toggled.connect(self.completeChanged)
        self.pass_box = QGroupBox(_("Passphrase"))
        box = QVBoxLayout(self.pass_box)
        box.addWidget(self.passphrase)
        box.addWidget(wrapped(_("It is shown only now and is not saved anywhere. Print it or "
                                "write it down before you close this window.")))
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.noted)
        self.next_steps = wrapped("")
        big_font(self.next_steps, 1.1)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.open_folder)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        for part in (wrapped(_("Saved as:")), path_row, 8,
                     wrapped(_("Fingerprint (SHA-256) of the bundle, also on the receipt:")),
                     self.sha, 8, wrapped(_("Receipt (print it and bring it along):")),
                     self.receipts, 8, self.protection, self.pass_box, 12, self.next_steps):
            if isinstance(part, int):
                layout.addSpacing(part)
            elif isinstance(part, QWidget):
                layout.addWidget(part)
            else:
                layout.addLayout(part)
        layout.addStretch(1)

    @staticmethod
    def _selectable(label: PlainLabel) -> PlainLabel:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return label

    def show_result(self, result: SealResult) -> None:
        self.result = result
        self.path.setText(str(result.bundle_path))
        self.sha.setText(result.sha256)
        self.receipts.setText("\n".join(str(p) for p in result.receipt_paths))
        has_passphrase = bool(result.passphrase)
        self.pass_box.setVisible(has_passphrase)
        self.passphrase.setText(result.passphrase or "")
        self.noted.setChecked(False)
        if result.protection == "recipient":
            self.protection.setText(_("Only the police unit with the matching key can open "
                                      "this bundle."))
        elif result.protection == "none":
            self.protection.setText(_("This bundle is not encrypted: keep the USB stick safe "
                                      "until you hand it over."))
        else:
            self.protection.setText(_("The bundle is locked with the passphrase below."))
        steps = _("What to do next: bring the USB stick with the bundle and the printed "
                  "receipt to the police.")
        if has_passphrase:
            steps += " " + _("Give them the passphrase separately, for example by phone.")
        self.next_steps.setText(steps)
        (self.print_button if has_passphrase else self.open_folder).setFocus()
        self.completeChanged.emit()

    def forget(self) -> None:
        """Drop the passphrase from the window (closing, locking)."""
        self.passphrase.clear()
        if self.result is not None:
            self.result.passphrase = None
        self.result = None

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.result is not None and (not self.result.passphrase
                                            or self.noted.isChecked())

    def _open_folder(self) -> None:
        if self.result is not None:
            show_in_file_manager(self, self.result.bundle_path.parent)

    def sheet(self) -> QTextDocument:
        """The passphrase sheet: the passphrase large, and which bundle it opens."""
        result = self.result
        doc = QTextDocument()
        if result is None:
            return doc
        esc = html.escape
        title = _("Passphrase for an evidence bundle")
        file_label = _("Bundle file")
        sha_label = _("Fingerprint (SHA-256) of the bundle")
        advice = _("Keep this sheet apart from the USB stick. Give the passphrase to the "
                   "police separately, for example by phone.")
        doc.setHtml(
            f"<h1>{esc(title)}</h1>"
            f"<p>{esc(file_label)}: <b>{esc(result.bundle_path.name)}</b></p>"
            f"<p>{esc(sha_label)}:<br><tt>{esc(result.sha256)}</tt></p>"
            f"<p style='font-size:28pt'><b>{esc(result.passphrase or '')}</b></p>"
            f"<p>{esc(advice)}</p>")
        return doc

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
        dialog.setAccessibleName(_("Print"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
            QMessageBox.information(self, _("No printer"), _(
                "No printer was found, and the passphrase is never saved to a file. Please "
                "write it down by hand."))
            return
        self.sheet().print_(printer)


class SealWizard(QWizard):
    """From "which items" to "bring this to the police", in six calm steps."""

    def __init__(self, session: Session, parent: QWidget | None = None,
                 preselected: list[str] | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Seal evidence for the police"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setMinimumSize(720, 560)
        vault = session.require_vault()
        items = sorted((i for i in vault.state.items.values() if not i.withdrawn),
                       key=lambda i: int(i.id) if i.id.isdigit() else 0)
        self.items_page = ItemsPage(items, preselected)
        self.case_page = CasePage(dict(vault.state.case))
        self.protect_page = ProtectionPage()
        self.save_page = SavePage()
        self.progress_page = ProgressPage()
        self.result_page = ResultPage()
        for page_id, page in ((ITEMS, self.items_page), (CASE, self.case_page),
                              (PROTECT, self.protect_page), (SAVE, self.save_page),
                              (PROGRESS, self.progress_page), (RESULT, self.result_page)):
            self.setPage(page_id, page)
        for which, name in ((_W.BackButton, _("Back")), (_W.NextButton, _("Next")),
                            (_W.FinishButton, _("Finish")), (_W.CancelButton, _("Cancel"))):
            self.button(which).setAccessibleName(name)
        self.task: workers.Task | None = None
        self.sealed: Path | None = None  # the last bundle made here (kept after closing)
        self._closed = False
        self.currentIdChanged.connect(self._page_changed)
        session.locked.connect(self._session_locked)
        self.finished.connect(self._forget)

    # --- navigation ------------------------------------------------------------------------

    def _page_changed(self, page_id: int) -> None:
        if page_id == PROGRESS:
            self.setButtonLayout([_W.Stretch, _W.CancelButton])
        elif page_id == RESULT:
            self.setButtonLayout([_W.Stretch, _W.FinishButton])
        else:
            self.setButtonLayout(_NORMAL_BUTTONS)

    def validateCurrentPage(self) -> bool:  # noqa: N802 - Qt override
        if self.currentId() == SAVE and not self._folder_usable():
            return False
        return super().validateCurrentPage()

    def _folder_usable(self) -> bool:
        folder = self.save_page.out_dir()
        probe = folder
        while not probe.exists() and probe.parent != probe:
            probe = probe.parent
        if probe.exists() and not probe.is_dir():
            self._note(_("{path} is a file, not a folder. Choose a folder.").format(
                path=probe), BAD)
            return False
        self._note("", "")
        return True

    def _note(self, text: str, style: str) -> None:
        self.save_page.note.setText(text)
        self.save_page.note.setStyleSheet(style)

    def initializePage(self, page_id: int) -> None:  # noqa: N802 - Qt override
        super().initializePage(page_id)
        if page_id == PROGRESS:
            self._start_seal()

    def _go_back_to(self, page_id: int) -> None:
        while self.currentId() > page_id and self.currentId() > ITEMS:
            self.back()

    # --- sealing ---------------------------------------------------------------------------

    def protection(self) -> Protection:
        mode = self.protect_page.mode()
        if mode == "recipient":
            return Protection.for_recipients([self.protect_page.key.text().strip()])
        if mode == "none":
            return Protection.unencrypted()
        return Protection.with_new_passphrase()

    def _start_seal(self) -> None:
        self.progress_page.reset()
        self._note("", "")
        try:
            protection = self.protection()
            self.task = self.session.run(
                seal_case, self.save_page.out_dir(), protection,
                item_ids=self.items_page.chosen_ids(),
                report_language=self.save_page.report_language(),
                include_sensitive_text=self.items_page.include_sensitive_text(),
                on_done=self._sealed, on_error=self._failed,
                on_progress=self.progress_page.show_progress)
        except e.EvidenceError as exc:
            self._failed(exc)

    def _sealed(self, outcome: Outcome[SealResult]) -> None:
        self.task = None
        if not outcome.done:  # stopped before the bundle was published: nothing was kept
            self._failed(e.Cancelled())
            return
        result = outcome.done[0]
        if self._closed:
            result.passphrase = None
            return
        log.info("bundle sealed with %d items", result.item_count)
        self.sealed = result.bundle_path
        self.result_page.show_result(result)
        self.next()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        if self._closed:
            return
        if isinstance(exc, e.VaultLocked):
            self._close_now()
            return
        target = SAVE if isinstance(exc, e.Cancelled) else page_for_error(exc)
        self._go_back_to(target)
        if isinstance(exc, e.Cancelled):
            self._note(_("Sealing was cancelled. No bundle was saved."), GOOD)
        else:
            show_error(self, exc)

    def reject(self) -> None:
        """While sealing, Cancel (or closing the window) cancels the work first."""
        if self.task is not None:
            self.task.cancel()
            self.progress_page.current.setText(self.progress_page.cancelling_text)
            return
        super().reject()

    # --- closing ---------------------------------------------------------------------------

    def _session_locked(self, _reason: str) -> None:
        self._close_now()

    def _close_now(self) -> None:
        self._closed = True
        if self.task is not None:
            self.task.cancel()
        self._forget()
        if self.isVisible():
            self.done(QDialog.DialogCode.Rejected)

    def _forget(self, *_args: Any) -> None:
        self.result_page.forget()
