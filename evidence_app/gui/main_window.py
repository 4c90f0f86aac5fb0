"""The main window: the evidence list, the selected item, and every action around them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from evidence_app import APP_NAME
from evidence_app.core.state import Item
from evidence_app.gui.common import quick_exit_button, show_error, show_problems
from evidence_app.gui.detail_pane import DetailPane
from evidence_app.gui.file_dialogs import Place, open_files
from evidence_app.gui.item_model import ItemFilter, ItemRole, ItemTreeModel
from evidence_app.gui.picture_actions import PictureActions
from evidence_app.gui.portable_badge import portable_badge
from evidence_app.gui.session import Session
from evidence_app.gui.workers import Task
from evidence_app.i18n import _, ngettext
from evidence_app.messages import describe
from evidence_app.outcome_words import add_problems, links_text, nothing_added_text
from evidence_app.workflows.add import add_files, plan_add
from evidence_app.workflows.outcome import Outcome

NEUTRAL_TITLE = "Notes"


class MainWindow(QMainWindow):
    quick_exit_requested = Signal()
    lock_requested = Signal()
    settings_requested = Signal()
    verify_requested = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._task: Task | None = None
        self._stamps_said = False
        self.setAcceptDrops(True)
        self.model = ItemTreeModel(session)
        self.proxy = ItemFilter(session.picture_words)
        self.proxy.setSourceModel(self.model)
        self.pictures = PictureActions(self)  # words in pictures: reading, its menu
        self._expanded: set[str] = set()  # originals opened in the list, kept across refreshes
        self._build_toolbar()
        self._build_body()
        self._build_status()
        self.apply_discreet(session.settings.discreet)
        session.changed.connect(self.refresh)
        session.busy_changed.connect(self._busy)
        session.stamper.finished.connect(self._stamps_done)
        session.stamper.failed.connect(
            lambda exc: self.statusBar().showMessage(describe(exc), 15_000))
        self.resize(1100, 720)
        self.refresh()

    # --- layout -------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut: str | None = None,
                icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_toolbar(self) -> None:
        bar = self.toolbar = QToolBar(_("Actions"))
        bar.setObjectName("actions")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        sp = QStyle.StandardPixmap
        self.add_action = self._action(_("&Add files…"), self.add_files, "Ctrl+O",
                                       sp.SP_FileDialogNewFolder)
        self.capture_action = self._action(_("&Screenshot…"), self.open_capture, "Ctrl+Shift+S",
                                           sp.SP_DesktopIcon)
        self.chat_action = self._action(_("Import &chat…"), self.import_chat, "Ctrl+I",
                                        sp.SP_FileDialogDetailedView)
        self.case_action = self._action(_("Case &details…"), self.open_case, "Ctrl+D",
                                        sp.SP_FileDialogInfoView)
        self.seal_action = self._action(_("S&eal for police…"), self.open_seal_wizard,
                                        "Ctrl+E", sp.SP_DialogSaveButton)
        self.timestamp_action = self._action(_("&Timestamps…"), self.open_timestamps)
        for action in (self.add_action, self.capture_action, self.chat_action,
                       self.case_action, self.seal_action):
            bar.addAction(action)
        bar.addSeparator()
        self.verify_action = self._action(_("Check a bundle…"), self.verify_requested)
        self.settings_action = self._action(_("Sett&ings…"), self.settings_requested, "Ctrl+,")
        self.lock_action = self._action(_("&Lock"), self.lock_requested, "Ctrl+L",
                                        sp.SP_DialogCloseButton)
        for action in (self.timestamp_action, self.verify_action, self.settings_action,
                       self.lock_action):
            bar.addAction(action)
        # The red Quick exit sits beside the toolbar, not in it: however long the labels and
        # however narrow the window, it can never end up behind the overflow arrow.
        top = QWidget()
        top.setObjectName("topStrip")
        row = QHBoxLayout(top)
        row.setContentsMargins(0, 0, 6, 0)
        row.addWidget(bar, 1)
        self.quick_exit = quick_exit_button()
        self.quick_exit.clicked.connect(self.quick_exit_requested)
        row.addWidget(self.quick_exit, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setMenuWidget(top)

    def _fit_toolbar(self) -> None:
        """Long translations (Spanish, Russian, Burmese...) would push Lock behind the
        toolbar's overflow arrow: drop labels to icons (the label stays the tooltip), least
        needed first, until everything fits beside Quick exit."""
        order = (self.chat_action, self.capture_action, self.case_action, self.seal_action,
                 self.add_action, self.lock_action)
        buttons = [b for b in map(self.toolbar.widgetForAction, order)
                   if isinstance(b, QToolButton)]
        layout = self.toolbar.layout()
        room = self.width() - self.quick_exit.sizeHint().width() - 12
        for button in buttons:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for button in buttons:
            if layout is not None:
                layout.invalidate()  # else sizeHint() is the one cached before
            if self.toolbar.sizeHint().width() <= room:
                break
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_toolbar()

    def _build_body(self) -> None:
        left = QWidget()
        lay = QVBoxLayout(left)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search names, notes and words in pictures"))
        self.search.setAccessibleName(_("Search names, notes and words in pictures"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search)
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Show which kind"))
        for label, key in ((_("All kinds"), ""), (_("Pictures"), "image"),
                           (_("Videos and audio"), "video"), (_("Documents"), "document"),
                           (_("Chats"), "chat"), (_("Other"), "other")):
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filter(kind=self.kind.currentData()))
        self.added = QComboBox()
        self.added.setAccessibleName(_("Added when"))
        for label, days in ((_("Any time"), 0), (_("Today"), 1), (_("Last 7 days"), 7),
                            (_("Last 30 days"), 30)):
            self.added.addItem(label, days)
        self.added.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filter(days=self.added.currentData()))
        filters.addWidget(self.search, 1)
        filters.addWidget(self.kind)
        filters.addWidget(self.added)
        lay.addLayout(filters)
        view_row = QHBoxLayout()
        self.grid_button = QPushButton(_("&Grid"))
        self.grid_button.setCheckable(True)
        self.grid_button.setAccessibleName(_("Show as a grid"))
        self.grid_button.toggled.connect(self.set_grid)
        self.reveal_button = QPushButton(_("Show &pictures"))
        self.reveal_button.setCheckable(True)
        self.reveal_button.setAccessibleName(_("Show pictures unblurred"))
        self.reveal_button.toggled.connect(self._reveal_all)
        view_row.addWidget(self.grid_button)
        view_row.addWidget(self.reveal_button)
        view_row.addWidget(self.pictures.menu_button())
        view_row.addStretch(1)
        lay.addLayout(view_row)
        # The list: a tree, so what was made from an original sits under it (Right opens,
        # Left closes). The grid shows the originals; both share one selection.
        self.list = QTreeView()
        self.list.setModel(self.proxy)
        self.list.setAccessibleName(_("Evidence"))
        self.list.setHeaderHidden(True)
        self.list.setUniformRowHeights(True)
        self.list.setIconSize(QSize(48, 48))
        self.list.setAnimated(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep ".exe" in sight
        self.list.expanded.connect(lambda index: self._remember_open(index, True))
        self.list.collapsed.connect(lambda index: self._remember_open(index, False))
        self.grid = QListView()
        self.grid.setModel(self.proxy)
        self.grid.setSelectionModel(self.list.selectionModel())
        self.grid.setAccessibleName(_("Evidence"))
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(96, 96))
        self.grid.setGridSize(self.model.grid_item_size() + QSize(10, 10))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setWordWrap(True)
        self.grid.setUniformItemSizes(True)
        self.views = QStackedWidget()
        self.views.addWidget(self.list)
        self.views.addWidget(self.grid)
        self.list.selectionModel().currentChanged.connect(lambda cur, _prev: self._select(cur))
        for view in (self.list, self.grid):  # double-click or Enter: the same as "Read…"
            view.activated.connect(lambda _index: self._read_current())
        self.model.modelReset.connect(self._reopen)
        for view in (self.list, self.grid):
            self.pictures.context_menu(view)
        lay.addWidget(self.views, 1)
        self.empty_hint = QLabel(_("Nothing here yet. Add files with \"Add files…\", drag them "
                                   "into this window, take a screenshot, or import a chat."))
        self.empty_hint.setWordWrap(True)
        lay.addWidget(self.empty_hint)
        self.detail = DetailPane(self.session)
        self.detail.revealed.connect(lambda item_id: self.model.reveal(item_id))
        self.detail.words.read_requested.connect(self.pictures.read_picture)
        self.detail.words.read_again_requested.connect(
            lambda item_id: self.pictures.read_again_ids([item_id]))
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([560, 520])
        self.setCentralWidget(splitter)
        self.set_grid(self.session.settings.grid_view)

    def _build_status(self) -> None:
        self.count_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(240)
        self.progress.setVisible(False)
        self.progress.setAccessibleName(_("Progress"))
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self._cancel)
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        # Portable mode (installer issue): say so, beside the progress.
        badge = portable_badge()
        if badge is not None:
            self.statusBar().addPermanentWidget(badge)

    # --- state --------------------------------------------------------------------------

    def apply_discreet(self, on: bool) -> None:
        self.model.discreet = on
        if on:
            self.setWindowTitle(NEUTRAL_TITLE)
            self.setWindowIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
        else:
            vault = self.session.vault
            case = vault.state.case if vault is not None and vault.is_open else {}
            ref = case.get("reference") if case else ""
            self.setWindowTitle(f"{APP_NAME} — {ref}" if ref else APP_NAME)
            self.setWindowIcon(QIcon())
        self.model.refresh()

    def refresh(self) -> None:
        if not self.session.is_unlocked:
            return
        current = self.detail.item.id if self.detail.item else None
        self.model.refresh()
        count = len(self.model.items)
        made = sum(1 for item in self.model.items if item.derived_from)
        originals = count - made
        if made:  # a chat's transcripts are not more evidence than the export itself
            text = ngettext("{count} item, plus {made} the app made from it",
                            "{count} items, plus {made} the app made from them", originals)
        else:
            text = ngettext("{count} item", "{count} items", originals)
        self.count_label.setText(text.format(count=originals, made=made))
        self.empty_hint.setVisible(count == 0)
        if current is not None:
            self._select_id(current)

    def _select_id(self, item_id: str) -> None:
        index = self.proxy.mapFromSource(self.model.index_of(item_id))
        if not index.isValid():
            return  # filtered out: the search stays as the person set it
        parent = index.parent()
        while parent.isValid():
            self.list.expand(parent)
            parent = parent.parent()
        self.list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.scrollTo(index)
        self.detail.show_item(index.data(ItemRole))

    def _remember_open(self, index: QModelIndex, is_open: bool) -> None:
        item = index.data(ItemRole)
        if item is not None:
            (self._expanded.add if is_open else self._expanded.discard)(item.id)

    def _reopen(self) -> None:
        """A refresh rebuilds the tree closed; open again what the person had opened."""
        for item_id in list(self._expanded):
            index = self.proxy.mapFromSource(self.model.index_of(item_id))
            if index.isValid():
                self.list.expand(index)

    def _search(self, text: str) -> None:
        """The list shows what matches; the selected picture frames the same words."""
        self.proxy.set_filter(text=text)
        self.detail.words.set_search(text)

    def _read_current(self) -> None:
        if not self.detail.read_button.isHidden():
            self.detail.open_reader()

    def _select(self, index) -> None:
        self.detail.show_item(index.data(ItemRole) if index.isValid() else None)

    def set_grid(self, on: bool) -> None:
        self.grid_button.setChecked(on)
        shown = self.views.currentWidget()
        had_focus = shown is not None and shown.hasFocus()
        self.model.set_compact(on)
        target = self.grid if on else self.list
        self.views.setCurrentWidget(target)
        if had_focus:
            target.setFocus()
        self.session.settings.grid_view = on

    def evidence_view(self) -> QTreeView | QListView:
        """The list or the grid, whichever is shown."""
        return self.grid if self.views.currentWidget() is self.grid else self.list

    def _reveal_all(self, on: bool) -> None:
        self.model.set_reveal_all(on)
        self.reveal_button.setText(_("Blur &pictures") if on else _("Show &pictures"))

    def clear_for_lock(self) -> None:
        """Drop every preview and thumbnail from memory."""
        self.detail.show_item(None)
        self.model.clear_previews()

    # --- background work ----------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        # Reading pictures says its own progress (picture_actions.py): no second, empty bar.
        self.progress.setVisible(busy and (self._task is not None
                                           or not self.session.picture_reader.running))
        self.cancel_button.setVisible(busy and self._task is not None)
        if not busy:
            self._task = None

    def _progress(self, done: int, total: int, _message: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _stamps_done(self, result) -> None:
        self._say_stamps(result.error is not None and bool(result.waiting))

    def _say_stamps(self, failed: bool) -> None:
        """A timestamp run: quiet when it worked; one calm line when it did not, said once
        (offline, every action would repeat it) until a run works again."""
        if not failed:
            self._stamps_said = False
        elif not self._stamps_said:
            self._stamps_said = True
            self.statusBar().showMessage(_(
                "Trusted timestamps could not be obtained just now. They will be tried again "
                "later; your evidence is safe."), 15_000)

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def add_paths(self, paths: list[Path]) -> None:
        vault = self.session.vault
        # Links inside folders are not followed; the vault's own files are never evidence.
        plan = plan_add(paths, vault.path if vault is not None else None)
        if not plan.files:
            text = nothing_added_text([str(p) for p in paths])
            if plan.links:  # only links: said, as the command line says it
                text += " " + links_text(plan.links)
            self.statusBar().showMessage(text, 10_000)
            return
        self._task = self.session.run(add_files, plan, stamp=False, on_progress=self._progress,
                                      on_done=self._added, on_error=lambda e: show_error(self, e))
        self.cancel_button.setVisible(True)

    def _added(self, outcome: Outcome[Item]) -> None:
        """Say what was added; what was not, and why, in one message."""
        items = outcome.done
        if items:
            self.statusBar().showMessage(ngettext(
                "{count} file added to the vault.", "{count} files added to the vault.",
                len(items)).format(count=len(items)), 8000)
            self._select_id(items[-1].id)
            if outcome.stop is None:  # as on the command line: not after a stopped add
                self.session.picture_reader.read_added(items)
        self._say_stamps(outcome.stamps.error is not None and outcome.stamps.waiting > 0)
        problems = add_problems(outcome)
        if problems:
            show_problems(self, _("Adding files"), problems)

    def add_files(self) -> None:
        chosen = open_files(self, _("Add files to the vault"), Place.PICTURES)
        if chosen:  # cancelled: nothing to say
            self.add_paths(chosen)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.add_paths(paths)

    # --- other screens ------------------------------------------------------------------

    def open_case(self) -> None:
        from evidence_app.gui.case_dialog import CaseDialog

        CaseDialog(self.session, self).exec()

    def open_capture(self) -> None:
        from evidence_app.gui.capture_dialog import CaptureDialog

        CaptureDialog(self.session, self).exec()

    def open_seal_wizard(self) -> None:
        from evidence_app.gui.seal_wizard import SealWizard

        selected = [i.data(ItemRole).id for i in self.list.selectionModel().selectedIndexes()
                    if i.data(ItemRole) is not None]
        SealWizard(self.session, self, preselected=selected or None).exec()

    def open_timestamps(self) -> None:
        from evidence_app.gui.timestamp_dialog import TimestampDialog

        dialog = TimestampDialog(self.session, self)
        dialog.exec()
        dialog.deleteLater()

    def import_chat(self) -> None:
        from evidence_app.gui.chat_import import import_chat_dialog

        import_chat_dialog(self.session, self)
