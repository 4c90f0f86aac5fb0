"""The officer's Verify window: open a bundle, give the key or passphrase, see every check.

Verification runs in a worker task (verify_bundle needs no vault). The bundle is unpacked into
one private temporary folder that lives as long as this window and is removed when it closes,
so "Open report" and "Open folder" show exactly the files that were checked.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QBrush,
    QCloseEvent,
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QFontDatabase,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from evidence_app.bundle import agefile
from evidence_app.bundle.report_words import clean, utc_text
from evidence_app.bundle.verify import VerifyReport, encryption_kind, verify_bundle
from evidence_app.core import errors as e
from evidence_app.core.safefs import private_tempdir
from evidence_app.gui import workers
from evidence_app.gui.common import PlainLabel, show_error
from evidence_app.gui.seal_pages import BAD, GOOD, big_font, button, wrapped
from evidence_app.i18n import _
from evidence_app.messages import describe
from evidence_app.verify_words import check_detail, check_line, check_name

log = logging.getLogger(__name__)
BUNDLE_SUFFIXES = (".zip.age", ".age", ".zip")
MAX_IDENTITY_FILE = 64 * 1024
RED = QColor("#b00020")


def check_text(check: Any) -> str:
    """One row of the list: ✓ name, or ✗ name — file: what is wrong."""
    if check.ok:
        return "✓  " + check_name(check)
    return "✗  {name} — {file}: {detail}".format(
        name=check_name(check), file=clean(check.file or "-"), detail=check_detail(check))


class VerifyWindow(QWidget):
    """A top-level window for police: one bundle at a time, every check listed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(_("Check a sealed evidence bundle"))
        self.setAcceptDrops(True)
        self.resize(760, 680)
        self.bundle: Path | None = None
        self.kind: str | None = None
        self.report: VerifyReport | None = None
        self.task: workers.Task | None = None
        self._temp = contextlib.ExitStack()
        self._workdir: Path | None = None
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
        self.kind_note = wrapped("")
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
        self.key_message = wrapped("")
        self.key_message.setStyleSheet(BAD)
        self.verify_button = button(_("&Verify"), _("Verify the bundle"), self.start_verify)
        self.verify_button.setDefault(True)
        self.cancel_button = button(_("&Cancel"), _("Cancel verifying"), self.cancel)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(_("Verification progress"))
        self.headline = QLabel()
        self.headline.setAccessibleName(_("Result"))
        self.headline.setWordWrap(True)
        big_font(self.headline, 1.8)
        self.checks = QListWidget()
        self.checks.setAccessibleName(_("Checks"))
        self.checks.setWordWrap(True)  # long file names and German words stay readable
        self.summary = {key: PlainLabel() for key in ("name", "items", "sealed", "case", "key")}
        for label in self.summary.values():
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary["key"].setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.open_report = button(_("Open &report"), _("Open the report"),
                                  lambda: self._open("data/report/report.html"))
        self.open_folder = button(_("Open &folder"), _("Open the unpacked bundle folder"),
                                  lambda: self._open(""))
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
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(_(
            "Check that a bundle is complete and unchanged since it was sealed. Open the "
            "bundle file (NAME.zip.age or NAME.zip), or drop it on this window.")))
        layout.addWidget(self._row(self.path, self.open_button))
        layout.addWidget(self.kind_note)
        layout.addWidget(self.identity_row)
        layout.addWidget(self.passphrase_row)
        layout.addWidget(self.key_message)
        layout.addWidget(self._row(self.verify_button, self.cancel_button, self.bar))
        layout.addWidget(self.headline)
        layout.addWidget(self.checks, 1)
        self.result_box = QWidget()
        form = QFormLayout(self.result_box)
        form.setContentsMargins(0, 0, 0, 0)
        for key, text in (("name", _("Bundle:")), ("items", _("Items:")),
                          ("sealed", _("Sealed at:")), ("case", _("Case reference:")),
                          ("key", _("Signer key fingerprint (compare with the receipt):"))):
            form.addRow(text, self.summary[key])
        form.addRow(self._row(self.open_report, self.open_folder, QWidget()))
        layout.addWidget(self.result_box)
        note = wrapped(_("The unpacked bundle is kept in a private temporary folder while this "
                         "window is open, and deleted when you close it. The bundle file "
                         "itself is never changed."))
        note.setStyleSheet("color: palette(mid);")
        layout.addWidget(note)
        order = [self.open_button, self.identity, self.identity_button, self.passphrase,
                 self.verify_button, self.cancel_button, self.checks, self.open_report,
                 self.open_folder]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

    # --- choosing ---------------------------------------------------------------------------

    def _choose_bundle(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Open a sealed bundle"), str(Path.home()),
            _("Evidence bundles (*.zip.age *.age *.zip);;All files (*)"))
        if path:
            self.open_bundle(Path(path))

    def _choose_identity(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the unit's identity file"), str(Path.home()),
            _("Identity files (*.txt *.key);;All files (*)"))
        if path:
            self.identity.setText(path)

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
        if self._dropped_bundle(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        path = self._dropped_bundle(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_bundle(path)

    @staticmethod
    def _dropped_bundle(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        ok = len(paths) == 1 and paths[0].name.lower().endswith(BUNDLE_SUFFIXES)
        return paths[0] if ok else None

    # --- verifying --------------------------------------------------------------------------

    def _identity_text(self) -> str | None:
        """The identity file's text, or None after saying kindly what is wrong."""
        try:
            with open(Path(self.identity.text().strip()).expanduser(), "rb") as fh:
                text = fh.read(MAX_IDENTITY_FILE).decode("utf-8", "replace")
            agefile.identities_from_file_text(text)
        except OSError:
            self.key_message.setText(_("That identity file cannot be opened. Choose the file "
                                       "again."))
            return None
        except e.AgeKeyError as exc:
            self.key_message.setText(describe(exc))
            return None
        return text

    def _new_workdir(self) -> Path:
        if self._workdir is None:
            self._workdir = self._temp.enter_context(private_tempdir("evidence-verify-"))
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
            passphrase = " ".join(self.passphrase.text().split())
            if not passphrase:
                self.key_message.setText(_("Please type the passphrase first."))
                self.passphrase.setFocus()
                return
        self._show_report(None)
        self.task = workers.Task(verify_bundle, self.bundle, self._new_workdir(),
                                 identities_text=identity, passphrase=passphrase)
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._verified)
        self.task.signals.failed.connect(self._failed)
        self._set_running(True)
        workers.start(self.task)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.headline.setText(_("Cancelling…"))

    def _set_running(self, running: bool) -> None:
        self.verify_button.setEnabled(not running and self.bundle is not None)
        self.cancel_button.setEnabled(running)
        self.open_button.setEnabled(not running)
        self.bar.setTextVisible(running)
        self.bar.setRange(0, 0 if running else 1)
        self.bar.setValue(0)
        if running:
            self.headline.setStyleSheet("")
            self.headline.setText(_("Checking…"))

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
        self.headline.clear()
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
            self.headline.setText(_("Checking was cancelled."))
        else:
            show_error(self, exc)

    # --- result -----------------------------------------------------------------------------

    def _show_report(self, report: VerifyReport | None) -> None:
        self.report = report
        self.checks.clear()
        folder = report.folder if report is not None else None
        self.open_report.setEnabled(folder is not None
                                    and (folder / "data/report/report.html").is_file())
        self.open_folder.setEnabled(folder is not None)
        self.result_box.setVisible(report is not None)
        if report is None:
            self.headline.clear()
            for label in self.summary.values():
                label.clear()
            return
        failed = [c for c in report.checks if not c.ok]
        if report.ok:
            self.headline.setText(_("✓ Verified — every check passed"))
            self.headline.setStyleSheet(GOOD)
        else:
            self.headline.setText(_("✗ Not verified — {count} problems found; see the lines in "
                                    "red").format(count=len(failed) or 1))
            self.headline.setStyleSheet(BAD)
        for check in report.checks:
            row = QListWidgetItem(check_text(check))
            row.setToolTip(check_line(check))
            if not check.ok:
                row.setForeground(QBrush(RED))
            self.checks.addItem(row)
        info = report.info
        self.summary["name"].setText(clean(report.name or report.bundle.name))
        self.summary["items"].setText(str(len(report.items)))
        self.summary["sealed"].setText(utc_text(info.get("Sealed-At-UTC", "")))
        case = info.get("Case-Reference", "")
        self.summary["case"].setText(clean(case) if case and case != "-" else _("(none given)"))
        self.summary["key"].setText(report.fingerprint or "–")

    def _open(self, rel: str) -> None:
        if self.report is not None and self.report.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.folder / rel)))

    def failed_files(self) -> list[str]:
        """The files named by failed checks (what the red lines show)."""
        report = self.report
        return [c.file or "" for c in report.checks if not c.ok] if report else []

    # --- closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Remove the unpacked bundle; a running check is cancelled and cleans up when done."""
        self.passphrase.clear()
        if self.task is not None:
            self.task.cancel()
            self._cleanup_pending = True
        else:
            self._cleanup()
        super().closeEvent(event)

    def _cleanup(self) -> None:
        self._cleanup_pending = False
        self._show_report(None)
        self._temp.close()
        self._workdir = None
