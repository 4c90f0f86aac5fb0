"""Chat JSON read a piece at a time, within limits, by the standard library's C decoder.

A Telegram or Discord export can be hundreds of megabytes, and a hostile file can be
made so that a parser needs many times its size (`[{},{},...]`) or nests a million
levels deep. The document is never held whole: the outer objects and lists are walked
key by key and item by item, each message (and each other value) is decoded on its own,
and every limit is checked before its cost is paid. Reading is done twice: once for the
document's shape without its messages (`read_skeleton`, which also counts them), then
for the messages themselves (`iter_messages`), so any key order works.

(ijson with its yajl backend was measured for this and not used: its key paths make
memory grow with the square of the nesting depth — 20 KB of `[` took 250 MB, 50,000
levels more than 3 GB — and one 100 MB string took 80 s.)
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from evidence_app.core.errors import Cancelled, ChatExportTooBig, ChatParseError
from evidence_app.core.objectstore import CancelCheck

CHUNK = 1 << 20
MAX_VALUE_CHARS = 4 << 20  # one message or other value; chat apps write a few kilobytes
MAX_MESSAGES = 5_000_000  # in one export (every chat of a full Telegram export together)
MAX_OTHER_ITEMS = 1_000_000  # items of other lists (contacts, participants...)
MAX_SKELETON_CHARS = 8 << 20  # all that is kept of a document besides its messages
SAMPLE = 5  # messages kept in the skeleton, to tell the format
_WALK_DEPTH = 3  # objects and lists this near the top are walked, not decoded whole
_WS = re.compile(r"[ \t\n\r]*")
_SECTIONS = ("chats", "left_chats")  # a full Telegram export: {section: {"list": [chat]}}
_KEEP_WHOLE = {("chats", "list"), ("left_chats", "list"), ("participants",)}

Path = tuple[str | int, ...]
Opener = Callable[[], BinaryIO]


def is_message_list(path: Path) -> bool:
    """`messages` at the top, or in a chat of a full Telegram export."""
    if not path or path[-1] != "messages":
        return False
    return len(path) == 1 or (len(path) == 4 and path[0] in _SECTIONS
                              and path[1] == "list" and isinstance(path[2], int))


class _Reader:
    """Walks one JSON document from a byte stream; yields ("value" | "begin" | "end",
    path, value) events (for "begin" the value is "{" or "[")."""

    def __init__(self, fh: BinaryIO, name: str, fmt: str,
                 cancel: CancelCheck | None = None) -> None:
        self._fh = fh
        self._cancel = cancel
        self._name = name
        self._fmt = fmt
        self._utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._started = False
        self._decoder = json.JSONDecoder()
        self.last_chars = 0  # how long the last value decoded whole was, as written

    # --- the buffer ------------------------------------------------------------------------

    def _more(self) -> None:
        """Drop what was read, and read the next chunk (sets _eof at the end); a cancel
        is seen here, once a chunk."""
        if self._cancel is not None and self._cancel():
            raise Cancelled()
        if self._pos:
            self._buf = self._buf[self._pos:]
            self._pos = 0
        raw = self._fh.read(CHUNK)
        try:
            text = self._utf8.decode(raw, final=not raw)
        except UnicodeDecodeError:
            raise ChatParseError(self._name, self._fmt, "bad_json", "not UTF-8") from None
        if not self._started:
            self._started = True
            text = text.removeprefix("\ufeff")
        if not raw:
            self._eof = True
        self._buf += text

    def _next(self) -> str:
        """The next character that is not white space ('' at the end), not consumed."""
        while True:
            self._pos = _WS.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if self._eof:
                return ""
            self._more()

    def _broken(self, truncated: bool, detail: str = "") -> ChatParseError:
        return ChatParseError(self._name, self._fmt, "truncated" if truncated else "bad_json",
                              detail)

    def _value(self) -> Any:
        """Decode the value that starts here, as a whole (at most MAX_VALUE_CHARS)."""
        while True:
            start = self._pos
            try:
                value, end = self._decoder.raw_decode(self._buf, start)
            except json.JSONDecodeError as exc:
                unfinished = (exc.pos >= len(self._buf) - 16
                              or exc.msg.startswith("Unterminated string"))
                if self._eof or not unfinished:
                    raise self._broken(self._eof and unfinished, exc.msg) from None
            except RecursionError:
                raise ChatExportTooBig(self._name, self._fmt, "nesting", 0) from None
            except ValueError as exc:  # a number of more than 4,300 digits
                raise self._broken(False, str(exc)[:80]) from None
            else:
                # A number cut by the end of the buffer ("12", "-0.", "1e") may go on.
                number = isinstance(value, int | float) and not isinstance(value, bool)
                if self._eof or not number or len(self._buf) - end > 32:
                    self._pos = end
                    self.last_chars = end - start
                    return value
            if len(self._buf) - start > MAX_VALUE_CHARS:
                raise ChatExportTooBig(self._name, self._fmt, "value", MAX_VALUE_CHARS)
            self._more()

    def _take(self, expected: str) -> None:
        got = self._next()
        if got != expected:
            raise self._broken(got == "", f"expected {expected!r}")
        self._pos += 1

    # --- the walk --------------------------------------------------------------------------

    def events(self) -> Iterator[tuple[str, Path, Any]]:
        first = self._next()
        if first in ("{", "["):
            yield from self._container(())
        elif first == "":
            raise self._broken(True, "empty")
        else:
            yield "value", (), self._value()
        if self._next() != "":
            raise self._broken(False, "extra data after the end")

    def _container(self, path: Path) -> Iterator[tuple[str, Path, Any]]:
        opener = self._buf[self._pos]
        self._pos += 1
        closer = "}" if opener == "{" else "]"
        items_whole = is_message_list(path)
        yield "begin", path, opener
        if self._next() == closer:
            self._pos += 1
            yield "end", path, opener
            return
        index = 0
        while True:
            if opener == "{":
                if self._next() != '"':
                    raise self._broken(self._next() == "", "expected a key")
                key = self._value()
                self._take(":")
                child: Path = (*path, key)
            else:
                child = (*path, index)
            index += 1
            if (self._next() in ("{", "[") and not items_whole
                    and (len(child) <= _WALK_DEPTH or is_message_list(child))):
                yield from self._container(child)
            else:
                yield "value", child, self._value()
            sep = self._next()
            if sep == ",":
                self._pos += 1
            elif sep == closer:
                self._pos += 1
                break
            else:
                raise self._broken(sep == "", f"expected ',' or {closer!r}")
        yield "end", path, opener


@dataclass
class Skeleton:
    """The document with each message list cut to its first SAMPLE items."""

    data: Any
    counts: dict[Path, int] = field(default_factory=dict)  # message list -> its length

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def read_skeleton(opener: Opener, name: str, fmt: str,
                  max_messages: int | None = None,
                  cancel: CancelCheck | None = None) -> Skeleton:
    """The shape of the export and how many messages it has, holding at most a sample.

    Lists a format needs whole (the chats of a full Telegram export, the participants)
    are kept; any other list keeps its first SAMPLE items. A document that is not an
    object (no chat export is) is not read further: its skeleton is an empty list.
    """
    if max_messages is None:
        max_messages = MAX_MESSAGES
    counts: dict[Path, int] = {}
    total = others = kept = 0
    stack: list[tuple[Any, bool]] = []  # the open containers, and whether each is kept
    root: Any = None
    with opener() as fh:
        reader = _Reader(fh, name, fmt, cancel)
        for kind, path, value in reader.events():
            if kind == "end":
                root = stack.pop()[0]
                continue
            if not path and value == "[":
                return Skeleton([], {})
            keep = not stack or stack[-1][1]
            if path and isinstance(path[-1], int):
                parent = path[:-1]
                if is_message_list(parent):
                    counts[parent] = counts.get(parent, 0) + 1
                    total += 1
                    if total > max_messages:
                        raise ChatExportTooBig(name, fmt, "messages", max_messages)
                    keep = keep and counts[parent] <= SAMPLE
                else:
                    others += 1
                    if others > MAX_OTHER_ITEMS:
                        raise ChatExportTooBig(name, fmt, "items", MAX_OTHER_ITEMS)
                    keep = keep and (path[-1] < SAMPLE or parent in _KEEP_WHOLE)
            if kind == "begin":
                value = {} if value == "{" else []
                if is_message_list(path):
                    counts.setdefault(path, 0)
            if keep:
                kept += 2 if kind == "begin" else reader.last_chars
                if kept > MAX_SKELETON_CHARS:
                    raise ChatExportTooBig(name, fmt, "items", MAX_OTHER_ITEMS)
                if not stack:
                    root = value
                elif isinstance(stack[-1][0], dict):
                    stack[-1][0][path[-1]] = value
                else:
                    stack[-1][0].append(value)
            if kind == "begin":
                stack.append((value, keep))
    return Skeleton(root, counts)


def iter_messages(opener: Opener, name: str, fmt: str, expected: int | None = None,
                  cancel: CancelCheck | None = None) -> Generator[tuple[Path, Any], None, None]:
    """Every message as decoded JSON, with the path of its list, in the file's order;
    `expected` (the skeleton's total) is a limit: more means the file changed meanwhile."""
    seen = 0
    with opener() as fh:
        for kind, path, value in _Reader(fh, name, fmt, cancel).events():
            if kind == "value" and path and is_message_list(path[:-1]):
                seen += 1
                if expected is not None and seen > expected:
                    raise ChatParseError(name, fmt, "changed_while_read")
                yield path[:-1], value


def load_small(opener: Opener, name: str, fmt: str, max_messages: int,
               cancel: CancelCheck | None = None) -> Any:
    """The whole document, for formats read in one piece (Instagram, Messenger), after
    checking that it has at most `max_messages` messages."""
    skeleton = read_skeleton(opener, name, fmt, max_messages, cancel)
    data = skeleton.data
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        every = iter_messages(opener, name, fmt, skeleton.total, cancel)
        with contextlib.closing(every):
            data["messages"] = [raw for _path, raw in every if _path == ("messages",)]
    return data
