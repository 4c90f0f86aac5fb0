"""A chat transcript in the reader: bubbles, a page of messages at a time, search, and the
export's own message numbers on every bubble so an officer can cite them.

Bubbles are painted from QTextDocuments filled with insertText (never HTML), so nothing in
a message is read as markup; only PAGE messages are laid out at once, whatever the size of
the chat; the search runs over the compressed rows in a worker thread.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QKeySequence,
    QPainter,
    QPen,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui import workers
from evidence_app.gui.common import PlainLabel
from evidence_app.gui.reader_chat import ME, SYSTEM, UNPARSED, ChatRow, ChatTranscript
from evidence_app.i18n import _, ngettext

PAGE = 200  # messages laid out at once
RowRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
_COLOURS = {ME: "#d9fdd3", SYSTEM: "#fff3c4", UNPARSED: "#ffd6d6"}
_INK = QColor("#111111")
_MUTED = QColor("#555555")


class PageModel(QAbstractListModel):
    """The messages of the page on screen."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ChatRow] = []

    def set_rows(self, rows: list[ChatRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.DisplayRole):
            return row.as_text()
        if role == RowRole:
            return row
        return None


def header_text(row: ChatRow) -> str:
    """"Message 17 · Anna · 2026-04-03 10:00 (as shown on the device)". The sender is
    isolated, so a right-to-left name does not pull the time after it into its own order
    ("21:05:12 2022-01-25"); its own direction characters were made visible already."""
    parts = [_("Message {number}").format(number=row.number)]
    if row.platform_id:
        parts[0] += " (" + _("ID {id}").format(id=row.platform_id) + ")"
    if row.sender and row.role not in (SYSTEM, UNPARSED):
        parts.append(f"\u2068{row.sender}\u2069")
    parts.append(row.when)
    return " · ".join(parts)


class BubbleDelegate(QStyledItemDelegate):
    """Paints a message as a bubble: mine on the right, others on the left, system lines
    in the middle; the search term highlighted."""

    MARGIN = 8

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        self.needle = ""
        self._docs: dict[tuple[int, int], QTextDocument] = {}

    def reset(self) -> None:
        self._docs.clear()

    def _document(self, row: ChatRow, width: int, font: QFont) -> QTextDocument:
        key = (row.number, width)
        doc = self._docs.get(key)
        if doc is not None:
            return doc
        doc = QTextDocument()
        doc.setUndoRedoEnabled(False)
        doc.setDefaultFont(font)
        doc.setDocumentMargin(self.MARGIN)
        cursor = QTextCursor(doc)
        small = QTextCharFormat()
        small.setForeground(_MUTED)
        small.setFontPointSize(max(6.0, font.pointSizeF() * 0.85))
        cursor.insertText(header_text(row), small)
        body = QTextCharFormat()
        body.setForeground(_INK)
        body.setFontItalic(row.role == SYSTEM)
        if row.role == UNPARSED:
            body.setFontFamilies(["monospace"])
        if row.text:
            cursor.insertBlock()
            cursor.insertText(row.text, body)
        aside = QTextCharFormat(body)
        aside.setFontItalic(True)
        aside.setForeground(QColor("#333333"))
        for line in row.extra:
            cursor.insertBlock()
            cursor.insertText(line, aside)
        if self.needle:
            mark = QTextCharFormat()
            mark.setBackground(QColor("#ffd54f"))
            found = doc.find(self.needle)
            while not found.isNull():
                found.mergeCharFormat(mark)
                found = doc.find(self.needle, found)
        doc.setTextWidth(width)
        doc.setTextWidth(min(width, doc.idealWidth() + 2 * self.MARGIN + 2))
        if len(self._docs) > 4 * PAGE:
            self._docs.clear()
        self._docs[key] = doc
        return doc

    def _room(self) -> int:
        """The width a row has: the list's visible width (never more, so no sideways
        scrolling and no bubble under the scroll bar)."""
        return max(200, self.view.viewport().width() - 8)

    def _bubble_width(self) -> int:
        return max(160, int(self._room() * 0.78))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        row = index.data(RowRole)
        if row is None:
            return QSize(0, 0)
        doc = self._document(row, self._bubble_width(), option.font)
        return QSize(self._room(), int(doc.size().height()) + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.data(RowRole)
        if row is None:
            return
        doc = self._document(row, self._bubble_width(), option.font)
        width, height = doc.size().width(), doc.size().height()
        rect = option.rect
        room = self._room()
        if row.role == ME:
            left = rect.left() + room - width - 4
        elif row.role == SYSTEM:
            left = rect.left() + (room - width) / 2
        else:
            left = rect.left() + 4
        bubble = QRectF(left, rect.top() + 3, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(QColor("#1a73e8"), 2) if selected else QPen(QColor("#c8ccd2")))
        painter.setBrush(QBrush(QColor(_COLOURS.get(row.role, "#ffffff"))))
        painter.drawRoundedRect(bubble, 8, 8)
        painter.translate(bubble.topLeft())
        doc.drawContents(painter)
        painter.restore()


class ChatPane(QWidget):
    """The header, the page of bubbles, paging, "go to message", and search."""

    def __init__(self, transcript: ChatTranscript, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.transcript = transcript
        self.rows = transcript.rows
        self.start = 0
        self.hits: list[int] = []
        self.hit = -1
        self._search_task: workers.Task | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        facts = PlainLabel("\n".join(f"{label}: {value}" for label, value in transcript.facts))
        facts.setWordWrap(True)
        facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(facts)
        lay.addLayout(self._search_row())
        self.view = QListView()
        self.view.setAccessibleName(_("Messages"))
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(False)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setStyleSheet("QListView { background: #eef0f3; }")
        self.model = PageModel()
        self.delegate = BubbleDelegate(self.view)
        self.view.setModel(self.model)
        self.view.setItemDelegate(self.delegate)
        lay.addWidget(self.view, 1)
        lay.addLayout(self._page_row())
        copy = QShortcut(QKeySequence.StandardKey.Copy, self.view)
        copy.activated.connect(self.copy_selected)
        self.show_page(0)

    def _search_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search this chat"))
        self.search.setAccessibleName(_("Search this chat"))
        self.search.returnPressed.connect(self.find_text)
        self.find_button = QPushButton(_("&Find"))
        self.find_button.clicked.connect(self.find_text)
        self.prev_button = QPushButton(_("Pre&vious"))
        self.prev_button.setAccessibleName(_("Previous match"))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button = QPushButton(_("Ne&xt"))
        self.next_button.setAccessibleName(_("Next match"))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.found = PlainLabel()
        for widget in (self.search, self.find_button, self.prev_button, self.next_button,
                       self.found):
            row.addWidget(widget, 1 if widget is self.search else 0)
        self._steps_enabled(False)
        return row

    def _page_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.earlier = QPushButton(_("◀ &Earlier messages"))
        self.earlier.clicked.connect(lambda: self.show_page(self.start - PAGE))
        self.later = QPushButton(_("&Later messages ▶"))
        self.later.clicked.connect(lambda: self.show_page(self.start + PAGE))
        self.where = PlainLabel()
        self.go_number = QSpinBox()
        self.go_number.setRange(1, 2**31 - 1)
        self.go_number.setAccessibleName(_("Message number"))
        go = QPushButton(_("&Go to message"))
        go.clicked.connect(lambda: self.go_to_number(self.go_number.value()))
        self.go_number.lineEdit().returnPressed.connect(go.click)
        self.missing = PlainLabel()
        for widget in (self.earlier, self.where, self.later):
            row.addWidget(widget)
        row.addStretch(1)
        for control in (self.missing, self.go_number, go):
            row.addWidget(control)
        for button in (self.earlier, self.later):
            button.setVisible(len(self.rows) > PAGE)
        return row

    # --- pages -------------------------------------------------------------------------

    def show_page(self, start: int, select: int | None = None) -> None:
        total = len(self.rows)
        start = max(0, min(start, max(0, total - 1)))
        start -= start % PAGE
        if start != self.start or not self.model.rows:
            self.start = start
            self.delegate.reset()
            self.model.set_rows(self.rows.rows(start, start + PAGE))
        shown = len(self.model.rows)
        self.where.setText(ngettext("Message {first}–{last} of {total}",
                                    "Messages {first}–{last} of {total}", total).format(
            first=start + 1 if shown else 0, last=start + shown, total=total))
        self.earlier.setEnabled(start > 0)
        self.later.setEnabled(start + PAGE < total)
        if select is not None:
            index = self.model.index(select - start)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        else:
            self.view.scrollToTop()

    def go_to_number(self, number: int) -> bool:
        """Show the message the export numbers `number` (as the report cites it)."""
        position = self.rows.position_of(number)
        self.missing.setText("" if position is not None else
                             _("There is no message {number} in this chat.").format(
                                 number=number))
        if position is not None:
            self.show_page(position, select=position)
        return position is not None

    def copy_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            QApplication.clipboard().setText(index.data(RowRole).as_text())

    # --- search ------------------------------------------------------------------------

    def _steps_enabled(self, on: bool) -> None:
        self.prev_button.setEnabled(on)
        self.next_button.setEnabled(on)

    def find_text(self) -> None:  # (QWidget.find is Qt's own)
        needle = self.search.text().strip()
        if self._search_task is not None:
            self._search_task.cancel()
        self.delegate.needle = needle
        self.delegate.reset()
        self.view.viewport().update()
        self.hits, self.hit = [], -1
        self._steps_enabled(False)
        if not needle:
            self.found.setText("")
            return
        self.found.setText(_("Searching…"))
        task = workers.Task(lambda progress=None, cancel=None: self.rows.search(
            needle, cancel=cancel))
        task.signals.finished.connect(self._found)
        task.signals.failed.connect(self._search_failed)
        self._search_task = workers.start(task)

    def _search_failed(self, _exc: object) -> None:
        if shiboken6.isValid(self):
            self.found.setText("")

    def _found(self, hits: list[int]) -> None:
        if not shiboken6.isValid(self):
            return
        self._search_task = None
        self.hits = hits
        if not hits:
            self.found.setText(_("Not found"))
            return
        self._steps_enabled(len(hits) > 1)
        # The first match at or after the page on screen.
        after = [i for i, pos in enumerate(hits) if pos >= self.start]
        self.hit = after[0] if after else 0
        self._show_hit()

    def step(self, by: int) -> None:
        if self.hits:
            self.hit = (self.hit + by) % len(self.hits)
            self._show_hit()

    def _show_hit(self) -> None:
        total = len(self.hits)
        self.found.setText(ngettext("{current} of {total} match", "{current} of {total} matches",
                                    total).format(current=self.hit + 1, total=total))
        self.show_page(self.hits[self.hit], select=self.hits[self.hit])

    def clear(self) -> None:
        """Drop the transcript from memory (the window is closing or the vault locks)."""
        if self._search_task is not None:
            self._search_task.cancel()
        self.delegate.reset()
        self.model.set_rows([])
