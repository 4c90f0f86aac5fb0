"""The desktop app: one controller that owns the session, the windows and the safety filter."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThreadPool, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from evidence_app import APP_NAME, __version__
from evidence_app.core import scratch
from evidence_app.gui import workers
from evidence_app.gui.fonts import apply_language_font, register_shipped_fonts, show_language_names
from evidence_app.gui.main_window import MainWindow
from evidence_app.gui.qt_words import qt_translator
from evidence_app.gui.safety import SafetyFilter, hide_everything
from evidence_app.gui.session import Session
from evidence_app.gui.start_window import PAGE_UNLOCK, PAGE_WELCOME, StartWindow
from evidence_app.gui.stop_signals import StopSignals
from evidence_app.i18n import _, set_language, shipped_languages, system_language
from evidence_app.languages import is_rtl
from evidence_app.paths import vault_dir_from
from evidence_app.settings import Settings

if TYPE_CHECKING:
    from evidence_app.gui.verify_view import VerifyWindow

log = logging.getLogger(__name__)


class AppController(QObject):
    def __init__(self, qapp: QApplication, settings: Settings) -> None:
        super().__init__()
        self.qapp = qapp
        register_shipped_fonts(qapp)
        self.session = Session(settings)
        self.safety = SafetyFilter(settings.quick_exit_shortcut, settings.auto_lock_minutes)
        self.safety.install(qapp)
        self.safety.quick_exit.connect(self.quick_exit)
        self.safety.idle_timeout.connect(self._idle)
        self.session.unlocked.connect(self._unlocked)
        self.session.locked.connect(self._locked)
        self._qt_translator: QTranslator | None = None
        self.main: MainWindow | None = None
        self.verify_window: VerifyWindow | None = None
        self.exit_status = 0  # what run_gui returns after a stop signal (128 + its number)
        self.apply_language(settings.language or system_language())
        self.start = self._make_start(first_start=not settings.language)

    # --- language ------------------------------------------------------------------------

    def apply_language(self, code: str) -> None:
        used = set_language(code)
        if self._qt_translator is not None:
            self.qapp.removeTranslator(self._qt_translator)
            self._qt_translator = None
        self._qt_translator = qt_translator(used, self.qapp)
        if self._qt_translator is not None:
            self.qapp.installTranslator(self._qt_translator)
        apply_language_font(self.qapp, used)
        self.qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft if is_rtl(used)
                                     else Qt.LayoutDirection.LeftToRight)

    def _make_start(self, first_start: bool) -> StartWindow:
        start = StartWindow(self.session, shipped_languages(), first_start)
        show_language_names(start.language_list)
        start.setWindowTitle(self._title())
        start.select_language(self.session.settings.language or system_language())
        start.language_chosen.connect(self._language_chosen)
        start.verify_requested.connect(self.open_verify)
        start.quick_exit_requested.connect(self.quick_exit)
        start.recovery_finished.connect(self._show_main)
        start.refresh_unlock_page()
        return start

    def _title(self) -> str:
        return "Notes" if self.session.settings.discreet else APP_NAME

    def _language_chosen(self, code: str) -> None:
        self.session.settings.language = code
        self.session.settings.save()
        self.apply_language(code)
        old = self.start
        self.start = self._make_start(first_start=False)
        self.start.show()
        old.close()
        old.deleteLater()

    # --- vault open / locked -------------------------------------------------------------

    def _unlocked(self) -> None:
        self.safety.poke()
        if self.start.stack.currentIndex() == PAGE_UNLOCK:
            self.start.after_unlock()
            self._show_main()
            self._tell_notices()
        # After creating a vault, the start window shows the recovery key first.

    def _tell_notices(self) -> None:
        """What opening found and did (an older log, files kept aside...), in words."""
        from evidence_app.messages import notice_text

        vault = self.session.vault
        if vault is None or not vault.notices:
            return
        text = "\n\n".join(notice_text(n) for n in vault.notices)
        box = QMessageBox(QMessageBox.Icon.Warning, _("Please read"), text,
                          QMessageBox.StandardButton.Ok, self.main)
        box.setObjectName("openingNotices")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    def _show_main(self) -> None:
        if self.main is None:
            self.main = MainWindow(self.session)
            self.main.quick_exit_requested.connect(self.quick_exit)
            self.main.lock_requested.connect(lambda: self._lock("user"))
            self.main.settings_requested.connect(self.open_settings)
            self.main.verify_requested.connect(self.open_verify)
        self.main.apply_discreet(self.session.settings.discreet)
        self.main.show()
        self.start.hide()

    def _locked(self, reason: str) -> None:
        if self.main is not None:
            self.main.clear_for_lock()
            for child in self.main.findChildren(QDialog):
                if child.isVisible() and child.isWindow():
                    child.reject()
            self.main.close()
            self.main.deleteLater()
            self.main = None
        if reason == "quick_exit":
            return
        self.start.refresh_unlock_page()
        self.start.show_page(PAGE_UNLOCK if self.start.vault_exists(self.start.vault_path())
                             else PAGE_WELCOME)
        if reason == "idle":
            self.start.unlock_message.setText(_("Locked because the app was not used for a "
                                                "while. Your evidence is safe."))
        self.start.show()

    def _lock(self, reason: str) -> None:
        """Lock; the evidence leaves the screen first, even while background work (a
        timestamp run waiting for an authority) finishes before the keys can be dropped."""
        if self.main is not None and self.session.busy:
            for widget in self.qapp.topLevelWidgets():
                owner: QWidget | None = widget
                while owner is not None and owner is not self.main:
                    owner = owner.parentWidget()
                if owner is self.main and widget.isVisible():
                    widget.hide()
            self.qapp.processEvents()
        self.session.lock(reason)

    def _idle(self) -> None:
        if self.session.is_unlocked:
            self._lock("idle")

    def quick_exit(self, status: int = 0) -> None:
        """Hide every window at once, remove decrypted temporaries, lock the vault, and quit.

        A running check is told to stop but not waited for: its scratch folders are removed
        now, while it runs (run_gui then ends the process without waiting for it either)."""
        hide_everything(self.qapp)
        self.qapp.processEvents()
        workers.cancel_all()
        self.session.lock("quick_exit")  # never waits (the keys go as the work stops)
        try:
            scratch.remove_all()
        except OSError:  # nothing here may keep the app from quitting
            log.warning("quick exit: a temporary file could not be removed", exc_info=True)
        self.exit_status = status  # quit(), not exit(status): outside exec() that would
        self.qapp.quit()           # stop every later event loop of this QApplication

    def stop_for_signal(self, signum: int) -> None:
        """SIGTERM, SIGHUP, SIGINT: the quick exit, with the conventional status."""
        self.quick_exit(128 + signum)

    # --- other windows -------------------------------------------------------------------

    def open_settings(self) -> None:
        from evidence_app.gui.settings_dialog import SettingsDialog

        settings = self.session.settings
        before = settings.language
        if SettingsDialog(settings, self.main, self.session).exec():
            self.safety.set_shortcut(settings.quick_exit_shortcut)
            self.safety.set_idle_minutes(settings.auto_lock_minutes)
            if self.main is not None:
                self.main.apply_discreet(settings.discreet)
            if settings.language != before:
                self.apply_language(settings.language)
                QMessageBox.information(self.main, _("Language"), _(
                    "The new language is used for windows opened from now on. Lock and unlock "
                    "to see it everywhere."))

    def open_verify(self) -> None:
        from evidence_app.gui.verify_view import VerifyWindow

        window = self.verify_window = VerifyWindow(None)
        window.setWindowTitle(_("Check a sealed bundle"))
        window.show()

    def show(self) -> None:
        self.start.show()


def display_available() -> bool:
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or
                    os.environ.get("QT_QPA_PLATFORM"))
    return True


def run_gui(argv: list[str] | None = None, vault: str | None = None) -> int:
    if not display_available():
        print(_("No display found: the desktop app needs a graphical session. The command "
                "line works without one: evidence-app --help"), file=sys.stderr)
        return 1
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else \
        QApplication([sys.argv[0], *(argv or [])])
    qapp.setApplicationName(APP_NAME)
    qapp.setApplicationVersion(__version__)
    settings = Settings.load()
    if vault or os.environ.get("EVIDENCE_APP_VAULT"):
        settings.vault_path = str(vault_dir_from(vault))
    controller = AppController(qapp, settings)
    stops = StopSignals(controller.stop_for_signal)
    controller.show()
    code = qapp.exec() or controller.exit_status
    stops.uninstall()
    if controller.session.is_unlocked:
        controller.session.lock("user")
    scratch.remove_all()
    if QThreadPool.globalInstance().activeThreadCount():  # a task, or its last signal
        _end_now(code)
    return code


def _end_now(code: int) -> None:
    """A check the person walked away from (quick exit, a stop signal) is still running: its
    temporaries are gone, and Qt would wait for it before the process ends. Do not."""
    log.info("leaving %d background task(s) unfinished",
             QThreadPool.globalInstance().activeThreadCount())
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)
