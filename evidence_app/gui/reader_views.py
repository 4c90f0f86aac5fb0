"""Text, web pages and PDFs in the reader.

Text goes into a read-only QPlainTextEdit, which never interprets markup; a web page is
shown as the words reader_text.html_words took from it, so nothing it names is fetched and
none of its scripts run. A PDF is rendered by Qt's PDF module (pdfium, without JavaScript)
from memory. Pages of a text file are read from the vault one at a time, in the background.
"""

from __future__ import annotations

from functools import partial

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from evidence_app.gui.common import NoteLabel, PlainLabel
from evidence_app.gui.reader_text import (
    Encoding,
    FilePages,
    MemoryPages,
    encoding_label,
    find_page,
)
from evidence_app.gui.session import Session
from evidence_app.i18n import _, ngettext

# What a person can choose when the guess is wrong (Python codec, name shown).
ENCODINGS = [("utf-8", "UTF-8"), ("utf-16-le", "UTF-16 LE"), ("utf-16-be", "UTF-16 BE"),
             ("cp1252", "windows-1252 (Western)"), ("cp1250", "windows-1250 (Central European)"),
             ("cp1251", "windows-1251 (Cyrillic)"), ("cp874", "windows-874 (Thai)"),
             ("cp1258", "windows-1258 (Vietnamese)"), ("gb18030", "GB18030 (Chinese)"),
             ("big5", "Big5 (Chinese)"), ("shift_jis", "Shift_JIS (Japanese)"),
             ("euc_kr", "EUC-KR (Korean)"), ("koi8_r", "KOI8-R"), ("latin_1", "ISO-8859-1")]
MAX_MARKS = 1000  # matches highlighted on one page


def page_of(page: int, count: int) -> str:
    return ngettext("Page {page} of {count}", "Page {page} of {count}", count).format(
        page=page, count=count)


class TextPane(QWidget):
    """Pages of text, one on screen; search across all of them."""

    def __init__(self, session: Session, item_id: str, pages: FilePages | MemoryPages,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item_id = item_id
        self.pages = pages
        self.page = -1
        self._asked = 0  # the latest page asked for: older answers are dropped
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self._search_row())
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setUndoRedoEnabled(False)
        self.view.setAccessibleName(_("Text of the item"))
        self.view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse |
                                          Qt.TextInteractionFlag.TextSelectableByKeyboard)
        lay.addWidget(self.view, 1)
        lay.addLayout(self._page_row())
        self.show_page(0)

    def _search_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search the text"))
        self.search.setAccessibleName(_("Search the text"))
        self.search.returnPressed.connect(lambda: self.find_text(True))
        self.find_button = QPushButton(_("&Find"))
        self.find_button.clicked.connect(lambda: self.find_text(True))
        self.back_button = QPushButton(_("Pre&vious"))
        self.back_button.setAccessibleName(_("Previous match"))
        self.back_button.clicked.connect(lambda: self.find_text(False))
        self.found = PlainLabel()
        row.addWidget(self.search, 1)
        for widget in (self.find_button, self.back_button, self.found):
            row.addWidget(widget)
        if isinstance(self.pages, FilePages):
            self.encoding = QComboBox()
            self.encoding.setAccessibleName(_("Characters (encoding)"))
            detected = self.pages.encoding
            self.encoding.addItem(_("Detected: {name}").format(
                name=encoding_label(detected)), detected.codec)
            for codec, label in ENCODINGS:
                self.encoding.addItem(label, codec)
            self.encoding.currentIndexChanged.connect(self._encoding_chosen)
            row.addWidget(self.encoding)
        return row

    def _page_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.earlier = QPushButton(_("◀ &Earlier page"))
        self.earlier.clicked.connect(lambda: self.show_page(self.page - 1))
        self.later = QPushButton(_("&Later page ▶"))
        self.later.clicked.connect(lambda: self.show_page(self.page + 1))
        self.where = PlainLabel()
        self.go_page = QSpinBox()
        self.go_page.setRange(1, self.pages.count)
        self.go_page.setAccessibleName(_("Page number"))
        go = QPushButton(_("&Go to page"))
        go.clicked.connect(lambda: self.show_page(self.go_page.value() - 1))
        self.go_page.lineEdit().returnPressed.connect(go.click)
        for widget in (self.earlier, self.where, self.later):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.go_page)
        row.addWidget(go)
        for control in (self.go_page, go, self.earlier, self.later):
            control.setVisible(self.pages.count > 1)
        return row

    def _encoding_chosen(self, _index: int) -> None:
        if not isinstance(self.pages, FilePages):
            return
        codec = str(self.encoding.currentData())
        detected = self.encoding.itemData(0)
        bom = self.pages.encoding.bom if codec == detected else 0
        self.pages = FilePages(self.pages.size, Encoding(codec, bom))
        page, self.page = self.page, -1
        self.show_page(max(0, page))

    # --- pages -------------------------------------------------------------------------

    def _read(self, number: int, then) -> None:
        """Read page `number` (from the vault, in the background) and call then(text)."""
        self._asked += 1
        asked = self._asked
        pages = self.pages

        def done(text: str) -> None:
            if shiboken6.isValid(self) and asked == self._asked:
                then(text)

        if isinstance(pages, MemoryPages):
            done(pages.read(None, number))
            return
        item_id = self.item_id
        self.session.run(lambda vault, progress=None, cancel=None: pages.read(
            partial(vault.read_item_range, item_id), number), changes=False,
            on_done=done, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            from evidence_app.messages import describe

            self.found.setText(describe(exc))

    def show_page(self, number: int, then=None) -> None:
        number = max(0, min(number, self.pages.count - 1))

        def shown(text: str) -> None:
            self.page = number
            self.view.setPlainText(text)
            self._mark_all()
            self._page_words()
            if then is not None:
                then()

        self._read(number, shown)

    def _page_words(self) -> None:
        count = self.pages.count
        text = page_of(self.page + 1, count)
        if isinstance(self.pages, FilePages) and count > 1:
            first, last = self.pages.byte_range(self.page)
            text += " · " + _("bytes {first}–{last}").format(first=first, last=last)
        self.where.setText(text)
        self.earlier.setEnabled(self.page > 0)
        self.later.setEnabled(self.page + 1 < count)
        self.go_page.setValue(self.page + 1)

    # --- search ------------------------------------------------------------------------

    def _mark_all(self) -> None:
        needle = self.search.text().strip()
        marks: list[QTextEdit.ExtraSelection] = []
        if needle:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#ffd54f"))
            doc = self.view.document()
            found = doc.find(needle)
            while not found.isNull() and len(marks) < MAX_MARKS:
                mark = QTextEdit.ExtraSelection()
                mark.cursor = found
                mark.format = fmt
                marks.append(mark)
                found = doc.find(needle, found)
        self.view.setExtraSelections(marks)

    def find_text(self, forward: bool) -> None:  # (QWidget.find is Qt's own)
        needle = self.search.text().strip()
        self._mark_all()
        if not needle:
            self.found.setText("")
            return
        flags = QTextDocument.FindFlag(0) if forward else QTextDocument.FindFlag.FindBackward
        if self.view.find(needle, flags):
            self.found.setText("")
            return
        self.found.setText(_("Searching…"))
        pages, start = self.pages, self.page + (1 if forward else -1)
        if start < 0 or start >= pages.count:
            self.found.setText(_("No more matches."))
            return

        def search(vault=None, progress=None, cancel=None):
            read = partial(vault.read_item_range, self.item_id) if vault is not None else None
            return find_page(pages, read, needle, start, forward, cancel)

        if isinstance(pages, MemoryPages):
            self._found(search(), needle, forward)
            return
        self.session.run(search, changes=False, on_error=self._failed,
                         on_done=lambda page: self._found(page, needle, forward))

    def _found(self, page: int | None, needle: str, forward: bool) -> None:
        if not shiboken6.isValid(self):
            return
        if page is None:
            self.found.setText(_("No more matches."))
            return

        def select() -> None:
            cursor = self.view.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.Start if forward else
                                QTextCursor.MoveOperation.End)
            self.view.setTextCursor(cursor)
            self.view.find(needle, QTextDocument.FindFlag(0) if forward else
                           QTextDocument.FindFlag.FindBackward)
            self.found.setText("")

        self.show_page(page, then=select)

    def clear(self) -> None:
        self._asked += 1
        self.view.clear()


class PdfPane(QWidget):
    """A PDF's pages, rendered by Qt from the bytes in memory (never written to disk)."""

    def __init__(self, data: bytes | bytearray, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.problem = NoteLabel()
        lay.addWidget(self.problem)
        self.buffer = QBuffer(self)
        self.buffer.setData(QByteArray(data))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self.buffer)
        self.view = QPdfView(self)
        self.view.setAccessibleName(_("Pages of the PDF"))
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        lay.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.earlier = QPushButton(_("◀ &Earlier page"))
        self.earlier.clicked.connect(lambda: self.go(self.current() - 1))
        self.later = QPushButton(_("&Later page ▶"))
        self.later.clicked.connect(lambda: self.go(self.current() + 1))
        self.where = PlainLabel()
        smaller = QPushButton(_("Zoom &out"))
        smaller.clicked.connect(lambda: self.zoom(1 / 1.25))
        fit = QPushButton(_("Fit &width"))
        fit.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        bigger = QPushButton(_("Zoom &in"))
        bigger.clicked.connect(lambda: self.zoom(1.25))
        for widget in (self.earlier, self.where, self.later):
            row.addWidget(widget)
        row.addStretch(1)
        for widget in (smaller, fit, bigger):
            row.addWidget(widget)
        lay.addLayout(row)
        self.view.pageNavigator().currentPageChanged.connect(lambda _p: self._page_words())
        if self.document.status() != QPdfDocument.Status.Ready:
            self._broken()
        for button in (self.earlier, self.later):
            button.setVisible(self.document.pageCount() > 1)
        self._page_words()

    def _broken(self) -> None:
        if self.document.error() == QPdfDocument.Error.IncorrectPassword:
            self.problem.setText(_("This PDF is protected by a password. Export a copy and "
                                   "open it with a PDF program that asks for the password."))
        else:
            self.problem.setText(_("This PDF could not be read; it may be damaged. The "
                                   "original is kept unchanged: you can export a copy."))
        self.view.setVisible(False)

    def current(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go(self, page: int) -> None:
        count = self.document.pageCount()
        if count:
            page = max(0, min(page, count - 1))
            self.view.pageNavigator().jump(page, self.view.pageNavigator().currentLocation())
            self._page_words()

    def zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.1, min(8.0, self.view.zoomFactor() * factor)))

    def _page_words(self) -> None:
        if not isValid(self.document):  # the view says "page changed" while it is torn down
            return
        count = self.document.pageCount()
        self.where.setText(page_of(min(self.current() + 1, count), count))
        self.earlier.setEnabled(self.current() > 0)
        self.later.setEnabled(self.current() + 1 < count)

    def clear(self) -> None:
        self.document.close()
        self.buffer.close()
        self.buffer.setData(QByteArray())
