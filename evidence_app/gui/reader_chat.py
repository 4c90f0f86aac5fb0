"""A chat transcript for the reader, without Qt: rows to show, kept compressed, searchable.

The stored JSON transcript (chats/importer.py) is read as a stream, one message at a time,
and each message becomes one row in the words the HTML transcript and the report use.
Rows are kept in zlib-compressed batches (a 100,000-message chat takes a few megabytes, not
a hundred), so only the page on screen is ever unpacked. Every row carries the message's
number in the export as the report cites it ("item 3, message 17") and, where the platform
numbers its messages (Telegram, Discord), that id too.
"""

from __future__ import annotations

import io
import json
import threading
import zlib
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from evidence_app.bundle.report_case import as_mapping
from evidence_app.chats.importer import transcript_json_id
from evidence_app.chats.jsonstream import iter_messages, read_skeleton
from evidence_app.chats.model import MESSAGE_FIELDS, Attachment, Message
from evidence_app.chats.render import (
    _attachment_lines,
    _flags,
    calendar_words,
    date_order_words,
    sender_text,
    when_text,
)
from evidence_app.chats.words import chat_platform
from evidence_app.core.errors import Cancelled
from evidence_app.core.vault import Vault
from evidence_app.gui.reader_text import visible
from evidence_app.i18n import _, ngettext

Cancel = Callable[[], bool]
MAX_HEAD_CHARS = 16 << 20  # the transcript's first line: platform, title, participants...
MAX_TEXT_CHARS = 20_000  # of one message on screen; the original and the export keep all
BATCH = 512
MAX_HITS = 100_000
ME, THEM, SYSTEM, UNPARSED = "me", "them", "system", "unparsed"
_ATTACHMENT_FIELDS = set(Attachment.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class ChatRow:
    number: int  # the message's place in the export, counted from 1 (as the report cites it)
    platform_id: str  # the platform's own message id, "" when the export has none
    role: str  # ME, THEM, SYSTEM or UNPARSED
    sender: str
    # The time as recorded, with how to read it ("as shown on the device") and, when it was
    # converted from other digits or another calendar, the date as the export wrote it.
    when: str
    text: str
    extra: tuple[str, ...]  # attachments, links, reactions, marks (edited, deleted...)

    def searchable(self) -> str:
        return "\n".join((self.sender, self.text, *self.extra)).casefold()

    def as_text(self) -> str:
        """The message as plain text, numbered, for the clipboard."""
        head = _("Message {number}").format(number=self.number)
        if self.platform_id:
            head += " (" + _("ID {id}").format(id=self.platform_id) + ")"
        who = f"{self.sender}: " if self.sender and self.role != SYSTEM else ""
        return "\n".join((f"{head} · {self.when}", who + self.text, *self.extra)).strip()


def row_of(raw: dict[str, Any], me: str | None, platform: str = "") -> ChatRow:
    """One stored message as the reader shows it, in the words of the HTML transcript.
    Everything the export wrote (names, times, the date as written) has its direction and
    control characters made visible."""
    fields = {k: v for k, v in raw.items() if k in MESSAGE_FIELDS and k != "attachments"}
    message = Message(**fields)
    atts = raw.get("attachments")
    if isinstance(atts, list) and atts:
        message.attachments = [Attachment(**{k: v for k, v in a.items()
                                             if k in _ATTACHMENT_FIELDS})
                               for a in atts if isinstance(a, dict)]
    if message.unparsed:
        role = UNPARSED
    elif message.system:
        role = SYSTEM
    else:
        role = ME if me and message.sender == me else THEM
    text = str(message.text or "")
    flags = _flags(message)
    extra = [*_attachment_lines(message), *(["(" + ", ".join(flags) + ")"] if flags else [])]
    if len(text) > MAX_TEXT_CHARS:
        hidden = len(text) - MAX_TEXT_CHARS
        extra.append(ngettext(
            "{count} more character is not shown here; the original and the exported "
            "transcript have it.",
            "{count} more characters are not shown here; the original and the exported "
            "transcript have them all.", hidden).format(count=hidden))
        text = text[:MAX_TEXT_CHARS]
    if role == UNPARSED:
        extra.append(_("not understood, kept exactly as found"))
    sender = sender_text(message) if role in (ME, THEM) else str(message.sender or "")
    return ChatRow(int(message.index) + 1, str(message.id or ""), role, visible(sender),
                   when_text(message, platform, visible), visible(text),
                   tuple(visible(line) for line in extra))


class ChatRows:
    """Stored messages kept as compressed JSON batches and made into rows only when their
    batch is shown or searched; a few unpacked batches are cached."""

    def __init__(self) -> None:
        self.me: str | None = None  # whose messages are "mine" (known once the head is read)
        self.platform = ""  # which app wrote the export (its clock is said by it)
        self._batches: list[bytes] = []
        self._starts: list[int] = []  # position of each batch's first row
        self._numbers: list[tuple[int, int]] = []  # first and last number of each batch
        self._count = 0
        self._cache: OrderedDict[int, list[ChatRow]] = OrderedDict()
        self._search_text: dict[int, bytes] = {}  # batch -> its rows' searchable text
        self._lock = threading.Lock()  # the page on screen and a search in a worker

    def add_batch(self, messages: list[dict[str, Any]], text: str | None = None) -> None:
        """Messages as stored; `text` is their JSON array as read, when there is one."""
        if not messages:
            return
        if text is None:
            text = json.dumps(messages, ensure_ascii=False, separators=(",", ":"))
        self._batches.append(zlib.compress(text.encode("utf-8", "surrogatepass"), 1))
        self._starts.append(self._count)
        self._numbers.append((_number(messages[0]), _number(messages[-1])))
        self._count += len(messages)

    def __len__(self) -> int:
        return self._count

    def _unpack(self, batch: int) -> list[ChatRow]:
        raws = json.loads(zlib.decompress(self._batches[batch]).decode("utf-8",
                                                                       "surrogatepass"))
        return [row_of(raw, self.me, self.platform) for raw in raws]

    def _batch(self, batch: int) -> list[ChatRow]:
        with self._lock:
            found = self._cache.get(batch)
            if found is not None:
                self._cache.move_to_end(batch)
                return found
        rows = self._unpack(batch)
        with self._lock:
            self._cache[batch] = rows
            while len(self._cache) > 6:
                self._cache.popitem(last=False)
        return rows

    def __getitem__(self, position: int) -> ChatRow:
        if not 0 <= position < self._count:
            raise IndexError(position)
        batch = bisect_right(self._starts, position) - 1
        return self._batch(batch)[position - self._starts[batch]]

    def rows(self, start: int, stop: int) -> list[ChatRow]:
        return [self[i] for i in range(max(0, start), min(stop, self._count))]

    def position_of(self, number: int) -> int | None:
        """Where the message with this number is (None: no such number in this chat)."""
        for batch, (first, last) in enumerate(self._numbers):
            if first <= number <= last:
                for offset, row in enumerate(self._batch(batch)):
                    if row.number == number:
                        return self._starts[batch] + offset
        return None

    def search(self, needle: str, cancel: Callable[[], bool] | None = None,
               progress: Any = None) -> list[int]:
        """Positions of the rows holding `needle` (any letter case) as shown, in order."""
        key = needle.casefold()
        hits: list[int] = []
        if not key:
            return hits
        for batch in range(len(self._batches)):
            if cancel is not None and cancel():
                raise Cancelled()
            for offset, text in enumerate(self._searchable(batch)):
                if key in text:
                    hits.append(self._starts[batch] + offset)
                    if len(hits) >= MAX_HITS:
                        return hits
            if progress is not None:
                progress(batch + 1, len(self._batches), "")
        return hits

    def _searchable(self, batch: int) -> list[str]:
        """What each row of a batch shows, in lower case; made by the first search and kept
        compressed, so the next searches skip making rows (about ten times faster)."""
        with self._lock:
            packed = self._search_text.get(batch)
        if packed is None:
            texts = [row.searchable().replace("\x00", " ") for row in self._unpack(batch)]
            packed = zlib.compress("\x00".join(texts).encode("utf-8", "surrogatepass"), 1)
            with self._lock:
                self._search_text[batch] = packed
            return texts
        return zlib.decompress(packed).decode("utf-8", "surrogatepass").split("\x00")


def _number(raw: dict[str, Any]) -> int:
    return int(raw.get("index", 0)) + 1


@dataclass
class ChatTranscript:
    item_id: str  # the JSON transcript read
    platform: str
    title: str
    rows: ChatRows
    facts: list[tuple[str, str]] = field(default_factory=list)  # what the header shows


class _Views(io.RawIOBase):
    """The decrypted segments of an item as a readable stream (never whole in memory)."""

    def __init__(self, views: Iterator[memoryview]) -> None:
        self._views = views
        self._data = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._data:
            view = next(self._views, None)
            if view is None:
                return 0
            self._data = memoryview(bytes(view))
        count = min(len(buffer), len(self._data))
        buffer[:count] = self._data[:count]
        self._data = self._data[count:]
        return count


_HEAD_END = ', "messages": ['


def _read_lines(fh: io.BufferedReader, rows: ChatRows, cancel: Cancel | None,
                progress: Any, total: int) -> dict[str, Any] | None:
    """The layout Conversation.iter_json writes: the head on the first line, then a line of
    up to 256 messages each; one json.loads a line. None: another layout (older vaults)."""
    first = fh.readline(MAX_HEAD_CHARS).decode("utf-8").lstrip("\ufeff").rstrip("\n")
    if not first.endswith(_HEAD_END):
        return None
    head = json.loads(first[:-len(_HEAD_END)] + "}")
    rows.me = head.get("me")
    rows.platform = str(head.get("platform") or "")
    for raw_line in fh:
        line = raw_line.decode("utf-8").strip()
        if line in ("]}", ""):
            continue
        text = "[" + line.removesuffix(",") + "]"
        rows.add_batch(json.loads(text), text)
        if cancel is not None and cancel():
            raise Cancelled()
        if progress is not None:
            progress(fh.tell() if hasattr(fh, "tell") else 0, total, "")
    return head


def _facts(head: dict[str, Any], count: int) -> list[tuple[str, str]]:
    participants = head.get("participants") or []
    facts = [(_("Platform"), chat_platform(str(head.get("platform") or ""))),
             (_("Chat"), str(head.get("title") or "-")),
             (_("Participants"), ", ".join(map(str, participants)) or "-"),
             (_("The person who imported it"), str(head.get("me") or _("not stated"))),
             (_("Messages"), str(count))]
    if head.get("platform") == "whatsapp":
        notes = as_mapping(head.get("notes"))
        facts.append((_("Times"), _("as shown on the exporting phone; its time zone is not "
                                    "recorded in the export")))
        facts.append((_("Date order"), date_order_words(str(notes.get("date_order", "")),
                                                        str(notes.get("date_order_basis", "")))))
        calendar = str(notes.get("calendar") or "")
        if calendar and calendar != "gregorian":
            facts.append((_("Calendar"), calendar_words(
                calendar, str(notes.get("calendar_basis") or ""))))
    return [(label, visible(value)) for label, value in facts]


def load_chat(vault: Vault, item_id: str, progress: Any = None,
              cancel: Cancel | None = None) -> ChatTranscript:
    """The transcript of a chat import (any of its items' ids), read as a stream."""
    json_id = transcript_json_id(vault, item_id)
    item = vault.item(json_id)

    def opener() -> io.BufferedReader:
        return io.BufferedReader(_Views(vault.iter_item(json_id)), 1 << 20)

    rows = ChatRows()
    with opener() as fh:
        head = _read_lines(fh, rows, cancel, None, item.size)
    if head is None:  # any other layout: the general reader (two passes, slower)
        rows = ChatRows()
        skeleton = read_skeleton(opener, item.name, "transcript")
        head = skeleton.data if isinstance(skeleton.data, dict) else {}
        rows.me = head.get("me")
        rows.platform = str(head.get("platform") or "")
        batch: list[dict[str, Any]] = []
        for _path, raw in iter_messages(opener, item.name, "transcript", skeleton.total):
            if isinstance(raw, dict):
                batch.append(raw)
            if len(batch) >= BATCH:
                rows.add_batch(batch)
                batch = []
                if cancel is not None and cancel():
                    raise Cancelled()
        rows.add_batch(batch)
    return ChatTranscript(json_id, str(head.get("platform") or ""),
                          visible(str(head.get("title") or "")), rows, _facts(head, len(rows)))
