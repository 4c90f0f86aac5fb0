"""First screens: choose a language, create a vault (with its recovery key), or unlock it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.errors import (
    MalformedRecoveryKey,
    WrongPassphrase,
    WrongRecoveryKey,
)
from evidence_app.core.vault import HEADER_NAME
from evidence_app.gui.case_dialog import has_draft
from evidence_app.gui.common import (
    PlainLabel,
    button,
    clear_warning,
    quick_exit_button,
    say,
    show_error,
    text_label,
    title_label,
    warn,
)
from evidence_app.gui.consent_page import ConsentPage
from evidence_app.gui.file_dialogs import Place, choose_folder, forget_recent_folders
from evidence_app.gui.hidden_folder import HiddenFolder
from evidence_app.gui.passphrase import (
    StrengthMeter,
    confirm_weak,
    new_passphrase_problem,
    secret_field,
)
from evidence_app.gui.portable_badge import portable_badge
from evidence_app.gui.recovery_key_panel import RecoveryKeyPanel
from evidence_app.gui.session import Session
from evidence_app.i18n import _
from evidence_app.languages import language_name
from evidence_app.messages import describe
from evidence_app.paths import PORTABLE_DATA, default_vault_dir, is_portable, program_dir
from evidence_app.workflows.passwd import change_passphrase

PAGE_LANGUAGE, PAGE_WELCOME, PAGE_CREATE, PAGE_RECOVERY, PAGE_UNLOCK, PAGE_TIMESTAMPS = range(6)


class StartWindow(QWidget):
    """Shown while no vault is open. Emits language_chosen, verify_requested."""

    language_chosen = Signal(str)
    verify_requested = Signal()
    quick_exit_requested = Signal()

    def __init__(self, session: Session, languages: list[str], first_start: bool) -> None:
        super().__init__()
        self.session = session
        self._languages = languages
        self.recovery_key = ""
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        # Portable mode (installer issue): say so, top left.
        badge = portable_badge()
        if badge is not None:
            top.addWidget(badge)
        top.addStretch(1)
        self.quick_exit = quick_exit_button()
        self.quick_exit.clicked.connect(self.quick_exit_requested)
        top.addWidget(self.quick_exit)
        outer.addLayout(top)
        outer.addWidget(self.stack)
        for build in (self._language_page, self._welcome_page, self._create_page,
                      self._recovery_page, self._unlock_page):
            self.stack.addWidget(build())
        # Asked before the passphrase; recorded in the same step that creates the vault.
        self.consent = ConsentPage()
        self.consent.chosen.connect(lambda: self.show_page(PAGE_CREATE))
        self.consent.back.connect(lambda: self.show_page(PAGE_WELCOME))
        self.stack.addWidget(self.consent)
        self.resize(640, 520)
        self.show_page(PAGE_LANGUAGE if first_start else self._landing_page())

    def _landing_page(self) -> int:
        return PAGE_UNLOCK if self.vault_exists(self.vault_path()) else PAGE_WELCOME

    def vault_path(self) -> Path:
        chosen = self.session.settings.vault_path
        return Path(chosen) if chosen else default_vault_dir()

    @staticmethod
    def vault_exists(path: Path) -> bool:
        return (path / HEADER_NAME).is_file()

    def show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        focus = {PAGE_UNLOCK: getattr(self, "unlock_field", None),
                 PAGE_CREATE: getattr(self, "new_pass", None)}.get(index)
        if focus is not None:
            focus.setFocus()
        if index == PAGE_TIMESTAMPS:
            self.consent.focus_choice()

    # --- language ------------------------------------------------------------------------

    def _language_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(title_label("Language · Sprache · ภาษา · Ngôn ngữ · اللغة"))
        self.language_list = QListWidget()
        self.language_list.setAccessibleName(_("Language"))
        for code in self._languages:
            item = QListWidgetItem(language_name(code))
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.language_list.addItem(item)
        self.language_list.setCurrentRow(0)
        self.language_list.itemActivated.connect(lambda _i: self._choose_language())
        lay.addWidget(self.language_list)
        ok = QPushButton("OK")
        ok.setAccessibleName(_("Continue"))
        ok.setDefault(True)
        ok.clicked.connect(self._choose_language)
        lay.addWidget(ok)
        return page

    def select_language(self, code: str) -> None:
        for row in range(self.language_list.count()):
            if self.language_list.item(row).data(Qt.ItemDataRole.UserRole) == code:
                self.language_list.setCurrentRow(row)

    def _choose_language(self) -> None:
        item = self.language_list.currentItem()
        if item is not None:
            self.language_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    # --- welcome -------------------------------------------------------------------------

    def _welcome_page(self) -> QWidget:
        page = QWidget()
        lay = self._welcome_layout = QVBoxLayout(page)
        lay.addWidget(title_label(_("Keep what happened, safely")))
        lay.addWidget(text_label(_(
            "Evidence Locker keeps screenshots, files and chats as evidence, exactly as they "
            "were, locked with a passphrase only you know.")))
        lay.addWidget(text_label(_(
            "It notes when each piece arrived and everything done with it since, so nobody can "
            "say it was changed later.")))
        lay.addWidget(text_label(_(
            "When you are ready, it seals everything into one file the police can check. You "
            "decide what goes in and when.")))
        lay.addStretch(1)
        create = QPushButton(_("&Create a new vault"))
        create.setAccessibleName(_("Create a new vault"))
        create.setDefault(True)
        create.clicked.connect(lambda: self.show_page(PAGE_TIMESTAMPS))
        open_existing = button(_("&Open an existing vault…"), _("Open an existing vault"),
                               self._pick_existing)
        verify = button(_("Check a bundle (for police)…"), _("Check a sealed bundle"),
                        self.verify_requested)
        for choice in (create, open_existing, verify):
            lay.addWidget(choice)
        return page

    def _pick_existing(self) -> None:
        folder = choose_folder(self, _("Choose the vault folder"), Place.DOCUMENTS)
        if folder is None:
            return
        if not self.vault_exists(folder):
            self.welcome_hint(_("That folder is not a vault. Choose the folder you created the "
                                "vault in."))
            return
        self.session.settings.vault_path = str(folder)
        self.session.settings.save()
        self.refresh_unlock_page()
        self.show_page(PAGE_UNLOCK)

    def welcome_hint(self, text: str) -> None:
        self._welcome_layout.addWidget(PlainLabel(text))

    # --- create --------------------------------------------------------------------------

    def _create_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(title_label(_("Create your vault")))
        lay.addWidget(text_label(_("Choose a passphrase. It locks everything in the vault; without "
                              "it (or the recovery key you get next) nobody can open it — not "
                              "even us.")))
        form = QFormLayout()
        self.new_pass = secret_field(_("Passphrase"))
        self.new_pass2 = secret_field(_("Passphrase again"))
        form.addRow(_("&Passphrase:"), self.new_pass)
        form.addRow(_("&Again:"), self.new_pass2)
        self.strength = StrengthMeter(self.new_pass)  # a common one turns Create off
        form.insertRow(1, "", self.strength)  # under the field it judges
        lay.addLayout(form)
        self.strength.assessed.connect(
            lambda found: self.create_button.setEnabled(not found.refused))
        lay.addWidget(text_label(_("Where should the vault be kept?")))
        self.where_default = QRadioButton(_("In my user folder on this computer (recommended)"))
        self.where_portable = QRadioButton(_("Next to the program, e.g. on this USB stick "
                                             "(portable)"))
        self.where_custom = QRadioButton(_("In a folder I choose…"))
        self.where_default.setChecked(not is_portable())
        self.where_portable.setChecked(is_portable())
        for radio in (self.where_default, self.where_portable, self.where_custom):
            lay.addWidget(radio)
        self.create_error = QLabel()  # what is happening, or (in red) what went wrong
        self.create_error.setWordWrap(True)
        self.create_error.setAccessibleName(_("Message"))
        lay.addWidget(self.create_error)
        for field in (self.new_pass, self.new_pass2):  # a said problem goes once retyped
            field.textChanged.connect(lambda _text: say(self.create_error, ""))
        lay.addStretch(1)
        row = QHBoxLayout()
        back = QPushButton(_("Back"))
        back.clicked.connect(lambda: self.show_page(PAGE_TIMESTAMPS))
        self.create_button: QPushButton = QPushButton(_("Create vault"))
        self.create_button.setDefault(True)
        self.create_button.setAccessibleName(_("Create vault"))
        self.create_button.setEnabled(not self.strength.refused)
        self.create_button.clicked.connect(self._create)
        self.new_pass2.returnPressed.connect(self._create)
        row.addWidget(back)
        row.addStretch(1)
        row.addWidget(self.create_button)
        lay.addLayout(row)
        return page

    def _chosen_location(self) -> Path | None:
        if self.where_portable.isChecked():
            return program_dir() / PORTABLE_DATA / "vault"
        if self.where_custom.isChecked():
            folder = choose_folder(self, _("Choose an empty folder"), Place.DOCUMENTS)
            return folder / "evidence-vault" if folder is not None else None
        return default_vault_dir()

    def _create(self) -> None:
        first = self.new_pass.text()
        if self.strength.refused:  # the line under the field already says why (Enter)
            self.new_pass.setFocus()
            return
        problem = new_passphrase_problem(first, self.new_pass2.text())
        if problem:
            warn(self.create_error, problem)
            self.new_pass2.setFocus()
            self.new_pass2.selectAll()
            return
        if self.strength.assessment.needs_confirmation and not confirm_weak(
                self, self.strength.assessment):
            say(self.create_error, "")
            self.new_pass.setFocus()
            return
        location = self._chosen_location()
        if location is None:
            return
        say(self.create_error, _("Creating the vault…"))
        self.create_button.setEnabled(False)
        self.session.settings.vault_path = "" if location == default_vault_dir() else \
            str(location)
        self.session.create_async(location, first, on_done=self._created,
                                  on_error=self._create_failed,
                                  timestamps=self.consent.timestamps_wanted())

    def _create_failed(self, exc: BaseException) -> None:
        self.create_button.setEnabled(True)
        say(self.create_error, "")
        show_error(self, exc)

    def _created(self, recovery_key: str) -> None:
        say(self.create_error, "")
        self.session.settings.save()
        self.new_pass.clear()
        self.new_pass2.clear()
        self.recovery_key = recovery_key
        self.key_panel.set_key(recovery_key)
        self.show_page(PAGE_RECOVERY)

    # --- recovery key --------------------------------------------------------------------

    def _recovery_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(title_label(_("Your recovery key")))
        lay.addWidget(text_label(_("If you ever forget your passphrase, this key is the only way "
                              "back into your vault. It is shown only this once. Write it on "
                              "paper (or print it) and keep it somewhere safe, away from this "
                              "computer. Anyone who has it can open the vault.")))
        self.key_panel = RecoveryKeyPanel()
        lay.addWidget(self.key_panel)
        self.recovery_label = self.key_panel.key_label
        self.key_saved = self.key_panel.key_saved
        self.written_down = self.key_panel.kept
        lay.addStretch(1)
        self.recovery_done = QPushButton(_("Continue to my vault"))
        self.recovery_done.setEnabled(False)
        self.recovery_done.setDefault(True)
        self.written_down.toggled.connect(self.recovery_done.setEnabled)
        self.recovery_done.clicked.connect(self._recovery_finished)
        lay.addWidget(self.recovery_done)
        return page

    recovery_finished = Signal()

    def _recovery_finished(self) -> None:
        self.recovery_key = ""
        self.key_panel.clear()
        self.recovery_finished.emit()

    # --- unlock --------------------------------------------------------------------------

    def _unlock_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(title_label(_("Unlock your vault")))
        form = QFormLayout()
        self.unlock_field = secret_field(_("Passphrase"))
        form.addRow(_("&Passphrase:"), self.unlock_field)
        lay.addLayout(form)
        self.unlock_message = QLabel()
        self.unlock_message.setWordWrap(True)
        self.unlock_message.setAccessibleName(_("Unlock message"))
        lay.addWidget(self.unlock_message)
        self.unlock_field.textChanged.connect(lambda _text: clear_warning(
            self.unlock_message))
        self.unlock_button = QPushButton(_("&Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.setAccessibleName(_("Unlock"))
        self.unlock_button.clicked.connect(self._unlock)
        self.unlock_field.returnPressed.connect(self._unlock)
        lay.addWidget(self.unlock_button)
        self.use_recovery = QCheckBox(_("I forgot my passphrase: use my recovery key"))
        self.use_recovery.setAccessibleName(_("Use the recovery key"))
        lay.addWidget(self.use_recovery)
        self.recovery_box = QWidget()
        rform = QFormLayout(self.recovery_box)
        self.recovery_field = QLineEdit()
        self.recovery_field.setAccessibleName(_("Recovery key"))
        self.recovery_field.setPlaceholderText("____-____-____-____-____-____-____-____")
        self.reset_pass = secret_field(_("New passphrase"))
        self.reset_pass2 = secret_field(_("New passphrase again"))
        rform.addRow(_("&Recovery key:"), self.recovery_field)
        rform.addRow(_("&New passphrase:"), self.reset_pass)
        self.reset_strength = StrengthMeter(self.reset_pass)
        rform.addRow("", self.reset_strength)
        rform.addRow(_("A&gain:"), self.reset_pass2)
        # What is wrong with the key or the new passphrase, said where the person looks.
        self.reset_message = QLabel()
        self.reset_message.setWordWrap(True)
        self.reset_message.setAccessibleName(_("Recovery message"))
        rform.addRow("", self.reset_message)
        for field in (self.recovery_field, self.reset_pass, self.reset_pass2):
            field.textChanged.connect(lambda _text: clear_warning(self.reset_message))
            field.returnPressed.connect(
                lambda: self._unlock() if self.unlock_button.isEnabled() else None)
        self.recovery_box.setVisible(False)
        self.use_recovery.toggled.connect(self.recovery_box.setVisible)
        # While resetting, a common new passphrase turns Unlock off (the meter says why).
        self.reset_strength.assessed.connect(lambda _found: self._sync_unlock_button())
        self.use_recovery.toggled.connect(lambda _on: self._sync_unlock_button())
        self.use_recovery.toggled.connect(lambda on: self.unlock_field.setEnabled(not on))
        lay.addWidget(self.recovery_box)
        lay.addStretch(1)
        self.where = HiddenFolder()
        self.where_button = self.where.button
        lay.addWidget(self.where)
        other = QPushButton(_("Use another vault…"))
        other.clicked.connect(lambda: self.show_page(PAGE_WELCOME))
        verify = QPushButton(_("Check a bundle (for police)…"))
        verify.clicked.connect(self.verify_requested)
        row = QHBoxLayout()
        row.addWidget(other)
        row.addWidget(verify)
        row.addStretch(1)
        lay.addLayout(row)
        return page

    def _sync_unlock_button(self) -> None:
        self.unlock_button.setEnabled(not (self.use_recovery.isChecked()
                                           and self.reset_strength.refused))

    def refresh_unlock_page(self) -> None:
        """Every time the unlock page comes back (start, lock): the folder hidden again, no
        message left over, and no folder from the last session offered in file dialogs."""
        forget_recent_folders()
        self.where.set_folder(self.vault_path())
        say(self.unlock_message, "")
        say(self.reset_message, "")
        self.unlock_button.setEnabled(True)

    def _unlock(self) -> None:
        if not self.unlock_button.isEnabled():  # Enter while unlocking, or refused
            return
        if self.use_recovery.isChecked():
            if self.reset_strength.refused:  # the line under the field says why
                self.reset_pass.setFocus()
                return
            first = self.reset_pass.text()
            problem = new_passphrase_problem(first, self.reset_pass2.text())
            if problem:
                warn(self.reset_message, problem)
                self.reset_pass2.setFocus()
                self.reset_pass2.selectAll()
                return
            found = self.reset_strength.assessment
            if found.needs_confirmation and not confirm_weak(self, found):
                self.reset_pass.setFocus()
                return
            self.unlock_button.setEnabled(False)
            say(self.reset_message, _("Unlocking…"))
            self._pending_new = first
            self.session.unlock_async(self.vault_path(), "", on_error=self._unlock_failed,
                                      recovery_key=self.recovery_field.text())
        else:
            self.unlock_button.setEnabled(False)
            say(self.unlock_message, _("Unlocking…"))
            self._pending_new = ""
            self.session.unlock_async(self.vault_path(), self.unlock_field.text(),
                                      on_error=self._unlock_failed)

    def _unlock_failed(self, exc: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        say(self.unlock_message, "")
        say(self.reset_message, "")
        if isinstance(exc, WrongPassphrase):
            warn(self.unlock_message, describe(exc))
            self.unlock_field.selectAll()
            self.unlock_field.setFocus()
        elif isinstance(exc, MalformedRecoveryKey | WrongRecoveryKey):
            warn(self.reset_message, describe(exc))  # which group to check, beside the key
            self.recovery_field.setFocus()
        else:
            show_error(self, exc)

    def after_unlock(self) -> None:
        """Clear secrets from the fields; apply a new passphrase after recovery."""
        new = getattr(self, "_pending_new", "")
        self._pending_new = ""
        for field in (self.unlock_field, self.recovery_field, self.reset_pass,
                      self.reset_pass2):
            field.clear()
        self.use_recovery.setChecked(False)
        vault = self.session.vault
        if vault is not None and has_draft(vault.vault_id):
            QTimer.singleShot(0, self._reopen_case_details)
        if new:
            self.session.run(change_passphrase, new, stamp=False,
                             on_done=lambda outcome: self._reset_done(outcome.done[0]),
                             on_error=lambda exc: show_error(self, exc))

    def _reopen_case_details(self) -> None:
        """Case details had unsaved changes when the vault locked: back to them, marked as
        not saved (gui/case_dialog.py keeps them)."""
        main = self._main_window()
        if main is not None and self.session.is_unlocked and hasattr(main, "open_case"):
            main.open_case()

    @staticmethod
    def _main_window() -> QMainWindow | None:
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QMainWindow) and w.isVisible()), None)

    def _reset_done(self, new_key: str | None) -> None:
        """Say that the new passphrase is in place (it is the one to use from now on); a
        vault of the first version also gets a new recovery key, shown once."""
        owner = self._main_window() or self.window()
        if new_key:
            from evidence_app.gui.vault_security import show_new_recovery_key

            show_new_recovery_key(owner, new_key, _(
                "Passphrase changed. This vault was made by an earlier version, so it also "
                "has a new recovery key: the old one no longer works."))
            return
        box = QMessageBox(QMessageBox.Icon.Information, _("Passphrase changed"), _(
            "Passphrase changed: unlock with the new one from now on. Your recovery key "
            "stays the same."), QMessageBox.StandardButton.Ok, owner)
        box.setObjectName("passphraseChanged")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
