"""The officer's Verify window: open a bundle, give the key or passphrase and the receipt,
see every check.

Verification runs in a worker task (workflows.verify needs no vault). The bundle is unpacked into
one private scratch folder (core/scratch.py) that lives as long as this window and is removed
when it closes, so "Open report" and "Open folder" show exactly the files that were checked.
Closing during a check removes it at once, without waiting for the check to stop. The receipt
and the officer's own trust roots: verify_trust.py; the result: verify_result.py.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evidence_app.bundle.verify import VerifyReport, encryption_kind
from evidence_app.core import errors as e, scratch
from evidence_app.gui import workers
from evidence_app.gui.common import NoteLabel, button, show_error, show_in_file_manager
from evidence_app.gui.file_dialogs import Place, open_file
from evidence_app.gui.seal_pages import BAD, wrapped
from evidence_app.gui.verify_result import ResultPane
from evidence_app.gui.verify_trust import TrustInputs
from evidence_app.i18n import _
from evidence_app.messages import describe
from evidence_app.workflows.secrets import bundle_passphrase, read_identity_file
from evidence_app.workflows.verify import verify

log = logging.getLogger(__name__)
BUNDLE_SUFFIXES = (".zip.age", ".age", ".zip")
RECEIPT_SUFFIX = ".receipt.txt"


class VerifyWindow(QWidget):
    """A top-level window for police: one bundle at a time, every check listed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(_("Check a sealed evidence bundle"))
        self.setAcceptDrops(True)
        self.resize(820, 820)
        self.bundle: Path | None = None
        self.kind: str | None = None
        self.report: VerifyReport | None = None
        self.task: workers.Task | None = None
        self._workdir: Path | None = None  # the scratch folder, made for the first check
        self._runs = 0
        self._cleanup_pending = False
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._cleanup)

        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("No bundle chosen yet"))
        self.path.setAccessibleName(_("Bundle file"))
        self.open_button = button(_("&Open bundle…"), _("Open a bundle file"),
                                  self._choose_bundle)
        self.kind_note = NoteLabel()
        self.identity = QLineEdit()
        self.identity.setPlaceholderText(_("The unit's age identity file (AGE-SECRET-KEY-1…)"))
        self.identity.setAccessibleName(_("Identity file"))
        self.identity_button = button(_("Choose &identity file…"), _("Choose the identity file"),
                                      self._choose_identity)
        self.identity_row = self._row(self.identity, self.identity_button)
        self.passphrase = QLineEdit()
        self.passphrase.setPlaceholderText(_("The words given with the bundle"))
        self.passphrase.setAccessibleName(_("Bundle passphrase"))
        self.passphrase_label = QLabel(_("&Passphrase:"))
        self.passphrase_label.setBuddy(self.passphrase)
        self.passphrase_row = self._row(self.passphrase_label, self.passphrase)
        self.key_message = NoteLabel()
        self.key_message.setStyleSheet(BAD)
        self.trust = TrustInputs()
        # The result always belongs to the receipt and roots shown: a change clears it.
        self.trust.edited.connect(lambda: self._show_report(None) if self.task is None
                                  else None)
        self.verify_button = button(_("&Verify"), _("Verify the bundle"), self.start_verify)
        self.verify_button.setDefault(True)
        self.cancel_button = button(_("&Cancel"), _("Cancel verifying"), self.cancel)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(_("Verification progress"))
        self.result = ResultPane(self._open)
        self.headline = self.result.headline
        self.checks = self.result.checks
        self.summary = self.result.summary
        self.open_report = self.result.open_report
        self.open_folder = self.result.open_folder
        self._lay_out()
        self._set_bundle(None)

    @staticmethod
    def _row(*widgets: QWidget) -> QWidget:
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in widgets:
            layout.addWidget(w, 1 if isinstance(w, QLineEdit | QProgressBar) else 0)
        return box

    def _lay_out(self) -> None:
        inputs = QWidget()
        layout = QVBoxLayout(inputs)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(wrapped(_(
            "Check that a bundle is complete, unchanged since it was sealed, and the one on "
            "the receipt. Open the bundle file (NAME.zip.age or NAME.zip), or drop it on this "
            "window.")))
        layout.addWidget(self._row(self.path, self.open_button))
        layout.addWidget(self.kind_note)
        layout.addWidget(self.identity_row)
        layout.addWidget(self.passphrase_row)
        layout.addWidget(self.key_message)
        layout.addWidget(self.trust)
        layout.addWidget(self._row(self.verify_button, self.cancel_button, self.bar))
        layout.addWidget(self.result, 1)
        note = wrapped(_("The unpacked bundle is kept in a private temporary folder while this "
                         "window is open, and deleted when you close it. The bundle file "
                         "itself is never changed."))
        note.setStyleSheet("color: palette(mid);")
        layout.addWidget(note)
        scroll = QScrollArea()  # small screens and long translations: nothing is cut off
        scroll.setWidget(inputs)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll)
        order = [self.open_button, self.identity, self.identity_button, self.passphrase,
                 self.trust.fingerprint, self.trust.open_receipt, self.trust.add_root,
                 self.trust.remove_roots, self.verify_button, self.cancel_button, self.checks,
                 self.open_report, self.open_folder]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

    # --- choosing ---------------------------------------------------------------------------

    def _choose_bundle(self) -> None:
        path = open_file(self, _("Open a sealed bundle"), Place.DOWNLOADS,
                         _("Evidence bundles (*.zip.age *.age *.zip);;All files (*)"))
        if path is not None:
            self.open_bundle(path)

    def _choose_identity(self) -> None:
        path = open_file(self, _("Choose the unit's identity file"), Place.DOCUMENTS,
                         _("Identity files (*.txt *.key);;All files (*)"))
        if path is not None:
            self.identity.setText(str(path))

    def open_bundle(self, path: Path) -> None:
        """Show the bundle and only the field its encryption needs."""
        if self.task is not None:
            return
        try:
            kind = encryption_kind(path)
        except OSError:
            show_error(self, e.InputUnreadable(path, "open"))
            return
        self._set_bundle(path, kind)

    def _set_bundle(self, path: Path | None, kind: str | None = None) -> None:
        self.bundle, self.kind = path, kind
        self.path.setText(str(path) if path else "")
        self.identity_row.setVisible(kind == "identity")
        self.passphrase_row.setVisible(kind == "passphrase")
        self.key_message.clear()
        self.kind_note.setText("" if path is None else {
            "identity": _("This bundle is encrypted to a police unit's key. Choose the unit's "
                          "age identity file."),
            "passphrase": _("This bundle is locked with a passphrase. Type the words the "
                            "person gave you, separated by spaces."),
        }.get(kind or "", _("This bundle is not encrypted; it can be checked right away.")))
        self._show_report(None)
        self._set_running(False)
        if kind == "passphrase":
            self.passphrase.setFocus()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._dropped(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        path = self._dropped(event)
        if path is None:
            return
        event.acceptProposedAction()
        if path.name.lower().endswith(RECEIPT_SUFFIX):
            self.trust.load_receipt(path)
        else:
            self.open_bundle(path)

    @staticmethod
    def _dropped(event: QDragEnterEvent | QDropEvent) -> Path | None:
        """One bundle file, or one receipt (NAME.receipt.txt)."""
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        ok = len(paths) == 1 and paths[0].name.lower().endswith(
            (*BUNDLE_SUFFIXES, RECEIPT_SUFFIX))
        return paths[0] if ok else None

    # --- verifying --------------------------------------------------------------------------

    def _identity_text(self) -> str | None:
        """The identity file's text, or None after saying kindly what is wrong."""
        try:
            return read_identity_file(Path(self.identity.text().strip()).expanduser())
        except e.EvidenceError as exc:
            self.key_message.setText(describe(exc))
            return None

    def _new_workdir(self) -> Path:
        if self._workdir is None or self._workdir not in scratch.live():  # none, or removed
            self._workdir = scratch.make("verify")
        for old in self._workdir.iterdir():  # one bundle at a time: drop the last one
            shutil.rmtree(old, ignore_errors=True)
        self._runs += 1
        return self._workdir / f"run-{self._runs}"

    def start_verify(self) -> None:
        if self.bundle is None or self.task is not None:
            return
        self.key_message.clear()
        identity = passphrase = None
        if self.kind == "identity":
            identity = self._identity_text()
            if identity is None:
                self.identity.setFocus()
                return
        elif self.kind == "passphrase":
            passphrase = bundle_passphrase(self.passphrase.text())
            if not passphrase:
                self.key_message.setText(_("Please type the passphrase first."))
                self.passphrase.setFocus()
                return
        try:
            expected = self.trust.expected()
        except e.ExpectedValueInvalid:  # said in the receipt box
            self.trust.fingerprint.setFocus()
            self.trust.fingerprint.selectAll()
            return
        self._show_report(None)
        workdir = self._new_workdir()
        self.task = workers.Task(verify, self.bundle, workdir=workdir,
                                 identity_text=identity, passphrase=passphrase,
                                 expected=expected, extra_roots=self.trust.extra_roots())
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._verified)
        self.task.signals.failed.connect(self._failed)
        self._set_running(True)
        workers.start(self.task)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.result.set_headline(_("Cancelling…"))

    def _set_running(self, running: bool) -> None:
        self.verify_button.setEnabled(not running and self.bundle is not None)
        self.cancel_button.setEnabled(running)
        self.open_button.setEnabled(not running)
        self.trust.setEnabled(not running)
        self.bar.setTextVisible(running)
        self.bar.setRange(0, 0 if running else 1)
        self.bar.setValue(0)
        if running:
            self.result.set_headline(_("Checking…"))

    def _progress(self, done: int, total: int, _message: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _finished_task(self) -> bool:
        """Forget the task; False when the window closed meanwhile (then clean up)."""
        self.task = None
        if self._cleanup_pending:
            self._cleanup()
            return False
        self._set_running(False)
        return True

    def _verified(self, report: VerifyReport) -> None:
        if self._finished_task():
            self._show_report(report)
            log.info("bundle verified: ok=%s, %d checks", report.ok, len(report.checks))

    def _failed(self, exc: BaseException) -> None:
        if not self._finished_task():
            return
        self.result.set_headline("")
        if isinstance(exc, e.WrongBundleKey):
            # Not describe(): its words point at the receipt, which never holds the passphrase.
            self.key_message.setText(_(
                "That passphrase does not open this bundle. Check each word with the person "
                "who gave it to you, and try again.") if self.kind == "passphrase"
                else describe(exc))
            field = self.passphrase if self.kind == "passphrase" else self.identity
            field.setFocus()
            field.selectAll()
        elif isinstance(exc, e.Cancelled):
            self.result.set_headline(_("Checking was cancelled."))
        else:
            show_error(self, exc)

    # --- result -----------------------------------------------------------------------------

    def _show_report(self, report: VerifyReport | None) -> None:
        self.report = report
        self.result.show_report(report)

    def _open(self, rel: str) -> None:
        if self.report is not None and self.report.folder is not None:
            show_in_file_manager(self, self.report.folder / rel)

    def failed_files(self) -> list[str]:
        """The files named by failed checks (what the red lines show)."""
        return self.result.failed_files()

    # --- closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Remove the unpacked bundle now; a running check is cancelled, not waited for,
        and whatever it writes before it notices is removed when it ends."""
        self.passphrase.clear()
        if self.task is not None:
            self.task.cancel()
        self._cleanup()
        super().closeEvent(event)

    def _cleanup(self) -> None:
        self._show_report(None)
        if self._workdir is not None:
            scratch.remove(self._workdir)
        self._cleanup_pending = self.task is not None
        if not self._cleanup_pending:
            self._workdir = None
