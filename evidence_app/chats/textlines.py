"""Lines from a byte stream in constant memory, however long a line is.

A hostile or broken export can hold one line of a gigabyte. We never hold more than
`max_line` bytes of one line: the rest is counted, and the line comes out as a
`LongLine` that says how many bytes were left out (the original stays in the vault).
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


def _make(raw: bytes, dropped: int) -> str:
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    text = raw.decode("utf-8", "replace")
    if dropped:
        line = LongLine(text)
        line.dropped = dropped
        return line
    return text


def _reencode_utf16(stream: Readable, head: bytes) -> Readable:
    data = head + stream.read(_UTF16_MAX)
    return io.BytesIO(data.decode("utf-16", "replace").encode("utf-8"))


def iter_lines(stream: Readable, max_line: int = MAX_LINE) -> Iterator[str]:
    """Decoded lines without their line ends; a UTF-8 BOM is removed, UTF-16 is converted."""
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
        parts = data.split(b"\n")
        pending = parts.pop()
        if parts:
            head = parts[0]
            if dropped or len(head) > max_line:
                extra = max(0, len(head) - max_line)
                yield _make(head[:max_line], dropped + extra)
                dropped = 0
                parts = parts[1:]
            for raw in parts:
                if len(raw) > max_line:
                    yield _make(raw[:max_line], len(raw) - max_line)
                else:
                    yield _make(raw, 0)
        if len(pending) > max_line:
            dropped += len(pending) - max_line
            pending = pending[:max_line]
        chunk = stream.read(CHUNK)
    if pending or dropped:
        yield _make(pending, dropped)
