"""Lines from a byte stream in constant memory, however long a line is.

A hostile or broken export can hold one line of a gigabyte. We never hold more than
`max_line` bytes of one line: the rest is counted, and the line comes out as a
`LongLine` that says how many bytes were left out (the original stays in the vault).
Lines are decoded a block at a time (one decode per megabyte, not per line): this is
the hot loop of the WhatsApp parser.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import Protocol

CHUNK = 1 << 20
MAX_LINE = 1 << 20
_UTF16_MAX = 256 << 20


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class LongLine(str):
    """A line cut at MAX_LINE bytes; `dropped` is how many bytes were not kept."""

    dropped: int = 0


def _long(raw: bytes, max_line: int, dropped: int) -> str:
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    extra = max(0, len(raw) - max_line)
    line = LongLine(raw[:max_line].decode("utf-8", "replace"))
    line.dropped = dropped + extra
    return line


def _reencode_utf16(stream: Readable, head: bytes) -> Readable:
    data = head + stream.read(_UTF16_MAX)
    return io.BytesIO(data.decode("utf-16", "replace").encode("utf-8"))


def _split(block: bytes, max_line: int) -> list[str]:
    """Complete lines of a block that ends just before a newline, as a few text pieces.

    Normally one piece (the lines joined by "\\n"); a line over max_line becomes its own
    LongLine piece.
    """
    if len(block) > max_line and any(len(r) > max_line for r in block.split(b"\n")):
        return [_long(r, max_line, 0) if len(r) > max_line else
                r.decode("utf-8", "replace").removesuffix("\r") for r in block.split(b"\n")]
    text = block.decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if text.endswith("\r"):
            text = text[:-1]
    return [text]


def iter_text_blocks(stream: Readable, max_line: int = MAX_LINE) -> Iterator[str]:
    """Pieces of whole lines ("\\n" between lines, none at the end); a UTF-8 BOM is
    removed, UTF-16 converted; an overlong line comes alone, as a LongLine."""
    first = stream.read(CHUNK)
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        stream = _reencode_utf16(stream, first)
        first = stream.read(CHUNK)
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8):]
    pending = b""
    dropped = 0
    chunk = first
    while chunk:
        data = pending + chunk if pending else chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            pending = data
        else:
            block, pending = data[:cut], data[cut + 1:]
            if dropped:
                head, nl, block = block.partition(b"\n")
                yield _long(head, max_line, dropped)
                dropped = 0
                if nl:
                    yield from _split(block, max_line)
            else:
                yield from _split(block, max_line)
        if len(pending) > max_line:
            dropped += len(pending) - max_line
            pending = pending[:max_line]
        chunk = stream.read(CHUNK)
    if dropped:
        yield _long(pending, max_line, dropped)
    elif pending:
        yield from _split(pending, max_line)


def iter_lines(stream: Readable, max_line: int = MAX_LINE) -> Iterator[str]:
    """One decoded line at a time (see iter_text_blocks)."""
    for piece in iter_text_blocks(stream, max_line):
        if type(piece) is LongLine:
            yield piece
        else:
            yield from piece.split("\n")


class Prefixed:
    """A stream whose first bytes were already read (for sniffing)."""

    def __init__(self, head: bytes, rest: Readable) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0:
                data, self._head = self._head + self._rest.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            if len(data) < size:
                data += self._rest.read(size - len(data))
            return data
        return self._rest.read(size)
