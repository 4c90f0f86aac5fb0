"""Words in pictures, in the main window: the calm line that says what is being read (with
its Cancel), the actions that read on demand, and what is said when reading ends.

Nothing here blocks: the reading runs in the session's workers (picture_reading.py); a
missing engine is said once per unlocked session in the status bar, problems once per batch
in a message that does not stop the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QPushButton, QWidget

from evidence_app.core.state import Item
from evidence_app.gui.item_model import ItemRole
from evidence_app.gui.picture_languages import ReadAgainDialog
from evidence_app.gui.picture_reading import Request, reading_languages
from evidence_app.i18n import _, current_language, ngettext
from evidence_app.messages import describe
from evidence_app.ocr.engine import engine_languages
from evidence_app.ocr.stored import TEXT_KIND
from evidence_app.outcome_words import reading_problems
from evidence_app.workflows.ocr import is_picture
from evidence_app.workflows.outcome import Outcome, SkipReason, StopReason

if TYPE_CHECKING:
    from evidence_app.gui.main_window import MainWindow

NOTICE_MS = 20_000


def reading_line(number: int, total: int) -> str:
    return ngettext("Reading the words in {total} picture… {number} of {total}",
                    "Reading the words in {total} pictures… {number} of {total}",
                    total).format(number=number, total=total)


class PictureActions(QObject):
    """Owned by the main window; talks to the session's PictureReader."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__(main)
        self.main = main
        self.reader = main.session.picture_reader
        self.line = QLabel()
        self.line.setObjectName("readingLine")
        self.line.setAccessibleName(_("Reading the words in pictures"))
        self.line.setVisible(False)
        self.cancel_button = QPushButton(_("Stop reading"))
        self.cancel_button.setObjectName("stopReading")
        self.cancel_button.setAccessibleName(_("Stop reading the words in pictures"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.reader.cancel)
        bar = main.statusBar()
        bar.addPermanentWidget(self.line)
        bar.addPermanentWidget(self.cancel_button)
        self.read_selected = self._action(_("Read the words in the selected pictures"),
                                          self.read_chosen)
        self.read_again = self._action(_("Read again in other languages…"),
                                       self.read_chosen_again)
        self.read_all = self._action(_("Read all pictures not read yet"), self.read_unread)
        self.menu = QMenu(_("Words in pictures"), main)
        self.menu.setObjectName("picturesMenu")
        for action in (self.read_selected, self.read_again, self.read_all):
            self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._name_actions)
        self.reader.progress.connect(self._progress)
        self.reader.finished.connect(self._finished)
        self.reader.unavailable.connect(self._unavailable)
        self.reader.failed.connect(lambda exc: main.statusBar().showMessage(describe(exc),
                                                                          NOTICE_MS))
        self.problems: QMessageBox | None = None

    def _action(self, text: str, slot) -> QAction:
        action = QAction(text, self.main)
        action.triggered.connect(slot)
        return action

    def menu_button(self) -> QPushButton:
        """The button beside the list that opens the menu (the window has no menu bar)."""
        button = QPushButton(_("&Words in pictures"))
        button.setObjectName("picturesMenuButton")
        button.setAccessibleName(_("Words in pictures"))
        button.setMenu(self.menu)
        return button

    def context_menu(self, view: QWidget) -> None:
        """Right-click (or the Menu key) on the list or grid offers the same actions."""
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(
            lambda at: self._popup(view.mapToGlobal(at)))

    def _popup(self, at) -> None:
        self._name_actions()
        self.menu.popup(at)

    # --- what is chosen -----------------------------------------------------------------

    def chosen_pictures(self) -> list[Item]:
        """The selected pictures (a reading's row counts as its picture)."""
        vault = self.main.session.vault
        if vault is None:
            return []
        chosen: dict[str, Item] = {}
        for index in self.main.list.selectionModel().selectedIndexes():
            item = index.data(ItemRole)
            if item is not None and item.kind == TEXT_KIND and item.derived_from:
                item = vault.state.items.get(item.derived_from)
            if item is not None and is_picture(item):
                chosen[item.id] = item
        return list(chosen.values())

    def _name_actions(self) -> None:
        count = len(self.chosen_pictures())
        self.read_selected.setText(ngettext("Read the words in this picture",
                                            "Read the words in these {count} pictures",
                                            max(count, 1)).format(count=count))
        self.read_selected.setEnabled(count > 0)
        self.read_again.setEnabled(count > 0)
        self.read_all.setEnabled(self.main.session.is_unlocked)

    # --- reading on demand --------------------------------------------------------------

    def read_chosen(self) -> None:
        pictures = self.chosen_pictures()
        if pictures:
            self.reader.read(Request([p.id for p in pictures],
                                     reading_languages(self.main.session)))

    def read_picture(self, picture_id: str) -> None:
        self.reader.read(Request([picture_id], reading_languages(self.main.session)))

    def read_chosen_again(self) -> None:
        self.read_again_ids([p.id for p in self.chosen_pictures()])

    def read_again_ids(self, ids: list[str]) -> None:
        if not ids:
            return
        settings = self.main.session.settings
        dialog = ReadAgainDialog(settings.picture_languages, len(ids), self.main)
        try:
            if dialog.exec() and self.main.session.is_unlocked:
                languages = engine_languages(current_language(), dialog.choice.chosen())
                self.reader.read(Request(ids, languages, again=True))
        finally:
            dialog.deleteLater()

    def read_unread(self) -> None:
        """Every picture that has no reading at all, oldest first."""
        vault = self.main.session.vault
        if vault is None:
            return
        items = vault.state.items.values()
        read = {i.derived_from for i in items if i.kind == TEXT_KIND and not i.withdrawn}
        todo = [i.id for i in items if is_picture(i) and i.id not in read]
        if not todo:
            self.main.statusBar().showMessage(_("Every picture has been read."), NOTICE_MS)
            return
        self.reader.read(Request(todo, reading_languages(self.main.session)))

    # --- what is said -------------------------------------------------------------------

    def _progress(self, number: int, total: int) -> None:
        reading = total > 0
        self.line.setVisible(reading)
        self.cancel_button.setVisible(reading)
        if reading:
            self.line.setText(reading_line(number, total))

    def _unavailable(self, exc: BaseException) -> None:
        self.main.statusBar().showMessage(describe(exc), 60_000)

    def _finished(self, outcome: Outcome[Item]) -> None:
        read = len(outcome.done)
        problems = reading_problems(outcome)
        if outcome.failed or outcome.stop is StopReason.FAILED:
            self._show_problems(problems)
        elif problems:  # stopped by the person: one line is enough
            self.main.statusBar().showMessage(problems, NOTICE_MS)
        elif read:
            self.main.statusBar().showMessage(ngettext(
                "The words in {count} picture were read. Search finds them now.",
                "The words in {count} pictures were read. Search finds them now.",
                read).format(count=read), NOTICE_MS)
        elif any(s.reason is SkipReason.ALREADY_READ for s in outcome.skipped):
            self.main.statusBar().showMessage(_(
                "These pictures were already read in these languages. “Read again in other "
                "languages…” reads them again."), NOTICE_MS)

    def _show_problems(self, text: str) -> None:
        """One message per batch, not modal to the app: reading ends in the background, and
        must not take the keyboard from what the person is typing."""
        if self.problems is not None:
            self.problems.close()
        box = self.problems = QMessageBox(self.main)
        box.setObjectName("readingProblems")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Reading the words in pictures"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda: setattr(self, "problems", None))
        box.show()
