"""The reader: an item's content read in the app (chat bubbles, text, a web page's words,
PDF pages), only when the person asks for it ("Read…").

What it reads is decrypted into memory in a worker thread (text a page at a time), never to
disk; the window drops it when it closes, when the vault locks and on quick exit. Looking
is recorded in the custody history once per item per unlocked session (reader_rules.py),
the same record as showing a picture.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.errors import (
    Cancelled,
    EvidenceError,
    ItemNotFound,
    ItemTooBigToShow,
)
from evidence_app.core.state import Item
from evidence_app.core.vault import Vault
from evidence_app.formatting import untrusted
from evidence_app.gui import workers
from evidence_app.gui.common import NoteLabel, PlainLabel, show_error, title_label
from evidence_app.gui.reader_chat import ChatTranscript, load_chat
from evidence_app.gui.reader_chat_view import ChatPane
from evidence_app.gui.reader_rules import CHAT, HTML, MAX_PDF_BYTES, PDF, VIEWED, reader_kind
from evidence_app.gui.reader_text import (
    SAMPLE_BYTES,
    FilePages,
    MemoryPages,
    PageWords,
    detect_encoding,
    html_encoding,
    html_words,
    visible,
)
from evidence_app.gui.reader_views import PdfPane, TextPane
from evidence_app.gui.session import Session
from evidence_app.i18n import _, ngettext
from evidence_app.item_kinds import item_kind_words
from evidence_app.messages import describe


def record_viewed_once(session: Session, item_id: str, parent: QWidget | None) -> None:
    """The custody record for looking at an item: the first look of this session only."""
    vault = session.require_vault()
    if not VIEWED.first_look(vault, item_id):
        return

    def failed(exc: BaseException) -> None:
        VIEWED.forget(vault, item_id)
        show_error(parent if parent is not None and shiboken6.isValid(parent) else None, exc)

    session.run(lambda v, progress=None, cancel=None: v.record_viewed(item_id),
                on_error=failed)


def ask_to_show_sensitive(parent: QWidget | None) -> bool:
    answer = QMessageBox.question(
        parent, _("Show a sensitive item?"),
        _("This item is marked sensitive. It may be upsetting to see. Show it now?"))
    return answer == QMessageBox.StandardButton.Yes


def open_reader(session: Session, item: Item, parent: QWidget | None) -> ReaderWindow | None:
    """Open the reader for an item, after asking when it is marked sensitive."""
    kind = reader_kind(item)
    if kind is None:
        return None
    if item.sensitive and not ask_to_show_sensitive(parent):
        return None
    window = ReaderWindow(session, item, kind, parent)
    window.show()
    return window


def _load(vault: Vault, item: Item, kind: str, progress: Any = None, cancel: Any = None
          ) -> ChatTranscript | FilePages | tuple[PageWords, MemoryPages] | bytearray:
    """What the reader needs to show an item (runs in a worker, with the vault's lock)."""
    if kind == CHAT:
        return load_chat(vault, item.id, progress, cancel)
    if kind == PDF:
        if item.size > MAX_PDF_BYTES:
            raise ItemTooBigToShow(item.id, item.size, MAX_PDF_BYTES)
        data = bytearray()
        for view in vault.iter_item(item.id):
            if cancel is not None and cancel():
                raise Cancelled()
            data += view
        return data  # the PDF view copies it once into Qt; no third copy here
    sample = vault.read_item_range(item.id, 0, SAMPLE_BYTES)
    if kind == HTML:
        words = html_words((bytes(v) for v in vault.iter_item(item.id)), html_encoding(sample))
        text = words.text
        if words.not_loaded:
            text += "\n\n" + _("Addresses this page would load (none was loaded):") + "\n"
            text += "\n".join(visible(address) for address in words.not_loaded)
        return words, MemoryPages(text)
    return FilePages(item.size, detect_encoding(sample))


class ReaderWindow(QDialog):
    """One item, read; closing drops everything that was decrypted for it."""

    def __init__(self, session: Session, item: Item, kind: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item = item
        self.kind = kind
        self.pane: ChatPane | TextPane | PdfPane | None = None
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowTitle(_("Reader") if session.settings.discreet else
                            _("Reading item {id}: {name}").format(id=item.id,
                                                                  name=untrusted(item.name)))
        self.setAccessibleName(_("Reader"))
        self.resize(960, 720)
        lay = self.body = QVBoxLayout(self)
        self.heading = heading = title_label(untrusted(item.name))
        heading.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(heading)
        lay.addWidget(PlainLabel(_("Item {id}").format(id=item.id) + " · " + item_kind_words(item)))
        self.note = NoteLabel(_("Read from the encrypted vault; the original is not changed. "
                                "Looking at it is noted once in its custody history."))
        lay.addWidget(self.note)
        self.message = NoteLabel(_("Opening…"))
        lay.addWidget(self.message)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(_("Progress"))
        lay.addWidget(self.progress)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self._buttons = buttons
        lay.addWidget(buttons)
        self.task: workers.Task | None = session.run(
            _load, item, kind, changes=False, on_done=self._loaded, on_error=self._failed,
            on_progress=self._progress)

    def _alive(self) -> bool:
        return shiboken6.isValid(self) and self.task is not None

    def _progress(self, done: int, total: int, _message: str) -> None:
        if self._alive() and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _failed(self, exc: BaseException) -> None:
        if not self._alive():
            return
        self.task = None
        self.progress.setVisible(False)
        if self.kind == CHAT and isinstance(exc, ItemNotFound):
            self.message.setText(_("No transcript was made from this chat export, so it "
                                   "cannot be shown as a chat. You can export a copy of it."))
        elif isinstance(exc, EvidenceError):
            self.message.setText(describe(exc))
        else:
            self.message.setText(_("This item could not be shown. The original is kept "
                                   "unchanged; you can export a copy."))

    def _loaded(self, result: Any) -> None:
        if not self._alive():
            return
        self.task = None
        self.progress.setVisible(False)
        self.message.clear()
        if isinstance(result, ChatTranscript):
            self.pane = ChatPane(result, self)
        elif isinstance(result, bytearray):
            self.pane = PdfPane(result, self)
        elif isinstance(result, tuple):
            words, pages = result
            self.message.setText(self._web_note(words))
            self.pane = TextPane(self.session, self.item.id, pages, self)
        else:
            self.pane = TextPane(self.session, self.item.id, result, self)
        self.body.insertWidget(self.body.indexOf(self._buttons), self.pane, 1)
        record_viewed_once(self.session, self.item.id, self)

    @staticmethod
    def _web_note(words: PageWords) -> str:
        parts = [_("A web page, shown as its text: nothing it names was fetched and none "
                   "of its scripts ran.")]
        count = len(words.not_loaded)
        if count:
            parts.append(ngettext("It would have loaded {count} file from elsewhere (listed "
                                  "at the end).", "It would have loaded {count} files from "
                                  "elsewhere (listed at the end).", count).format(count=count))
        if words.truncated:
            parts.append(_("The page is long: only its first part is shown."))
        return " ".join(parts)

    def done(self, result: int) -> None:  # noqa: D102 - closing drops what was decrypted
        if self.task is not None:
            self.task.cancel()
            self.task = None
        if self.pane is not None:
            self.pane.clear()
            self.pane.setParent(None)
            self.pane.deleteLater()
            self.pane = None
        super().done(result)
        self.deleteLater()
