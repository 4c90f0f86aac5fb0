"""Which chat app made this export, and parse it: a file, a zip, or an export folder.

`open_export` is the one entry point. It asks each format of the registry in turn
(chats/registry.py), decides from content (not from the file name alone), parses, and
points every attachment at the file the export holds for it. Every failure is a
ChatParseError (or its kinds UnknownChatFormat and TelegramHtmlExport), UnsafeArchive, or
Cancelled; whatever ends the parse, the export is closed again.
"""

from __future__ import annotations

import zipfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from evidence_app.chats.formats import SNIFF, ChatFormat, Probe
from evidence_app.chats.model import Conversation
from evidence_app.chats.registry import FORMATS, REGISTRY
from evidence_app.chats.sources import ExportSource, FolderSource, ZipSource
from evidence_app.core.errors import (
    Cancelled,
    ChatParseError,
    InputNotFound,
    NotAnArchive,
    UnknownChatFormat,
)
from evidence_app.core.objectstore import CancelCheck
from evidence_app.core.safezip import CHAT_EXPORT_LIMITS, ZipLimits

__all__ = ["FORMATS", "ParsedExport", "open_export"]

MAX_CANDIDATES = 200  # files of one export tried as chat files
Found = list[tuple[ChatFormat, list[Conversation]]]


@dataclass
class ParsedExport:
    """The parsed conversations, and the source their media can be read from."""

    path: Path
    format: str  # whatsapp_txt, whatsapp_zip, telegram_json, instagram_json, ...
    conversations: list[Conversation]
    source: ExportSource
    chat_files: list[str] = field(default_factory=list)

    @property
    def platform(self) -> str:
        return self.conversations[0].platform if self.conversations else ""

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> ParsedExport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _head(source: ExportSource, name: str) -> bytes:
    with source.open(name) as fh:
        return fh.read(SNIFF)


def _read(probe: Probe) -> tuple[ChatFormat, list[Conversation]] | None:
    """The first format that recognises the file, and what it read; None when no format
    does, or when the one that does is not the one the person named."""
    probe.check_cancel()
    kind = probe.kind
    for fmt in REGISTRY:
        if fmt.reads == kind and fmt.detect(probe):
            return (fmt, fmt.parse(probe)) if fmt.accepts(probe.wanted) else None
    return None


def _unreadable(probe: Probe) -> ChatParseError | None:
    """A web page that some app's export is, in a form that cannot be read."""
    for fmt in REGISTRY:
        error = fmt.unreadable(probe)
        if error is not None:
            return error
    return None


def _candidates(names: list[str]) -> list[str]:
    """Likely chat files first (each format ranks the names its exports use)."""
    ranked = []
    for name in names:
        ranks = [r for f in REGISTRY if (r := f.rank(name)) is not None]
        if ranks:
            ranked.append((min(ranks), name))
    return [name for _rank, name in sorted(ranked)]


def _from_source(source: ExportSource, wanted: str | None, label: str,
                 cancel: CancelCheck | None) -> tuple[Found, list[str]]:
    names = source.names()
    found: Found = []
    chat_files: list[str] = []
    for name in _candidates(names)[:MAX_CANDIDATES]:
        probe = Probe(source, name, name, _head(source, name), wanted, names, cancel=cancel)
        read = _read(probe)
        if read and read[1]:
            found.append(read)
            chat_files.append(name)
            if read[0].whole_export(name):
                break
    if not found:
        for name in [n for n in names if n.lower().endswith(".html")][:5]:
            error = _unreadable(Probe(source, name, label, _head(source, name), wanted, names))
            if error is not None:
                raise error
        raise UnknownChatFormat(label)
    return found, chat_files


def _single_file(path: Path, source: FolderSource, wanted: str | None,
                 cancel: CancelCheck | None) -> Found:
    label = str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF)
    except OSError:
        raise ChatParseError(label, wanted or "unknown", "unreadable") from None
    probe = Probe(source, path.name, label, head, wanted, single=True, cancel=cancel,
                  direct=path)
    kind = probe.kind
    if kind == "html":
        error = _unreadable(probe)
        raise error if error is not None else UnknownChatFormat(label)
    read = _read(probe)
    if read is not None:
        return [read]
    if wanted:
        raise ChatParseError(label, wanted, "binary" if kind == "binary" else "structure")
    raise UnknownChatFormat(label)


def open_export(path: Path, fmt: str | None = None, limits: ZipLimits | None = None,
                cancel: CancelCheck | None = None) -> ParsedExport:
    """Parse a chat export (file, zip or folder); close the result when done with it.

    `cancel` is asked between files and every megabyte or few thousand messages; when it
    says stop, Cancelled is raised. Whatever ends the parse, nothing is left open.
    """
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise UnknownChatFormat(str(path))
    if not path.exists():
        raise InputNotFound(path)
    with ExitStack() as stack:
        parsed = _open(path, fmt, limits, cancel, stack)
        stack.pop_all()  # parsed: the caller closes it now
    return parsed


def _open(path: Path, fmt: str | None, limits: ZipLimits | None, cancel: CancelCheck | None,
          stack: ExitStack) -> ParsedExport:
    label = str(path)
    if path.is_dir():
        source: ExportSource = FolderSource(path, listed=True)
        found, files = _from_source(source, fmt, label, cancel)
        export_format = f"{found[0][1][0].platform}_folder"
    elif zipfile.is_zipfile(path):
        try:
            source = ZipSource(path, limits or CHAT_EXPORT_LIMITS)
        except NotAnArchive:
            raise ChatParseError(label, fmt or "zip", "damaged") from None
        stack.callback(source.close)  # closed on any error from here on
        source.label = path.name
        found, files = _from_source(source, fmt, label, cancel)
        export_format = f"{found[0][1][0].platform}_zip"
    else:
        source = FolderSource(path.parent, listed=False)
        found = _single_file(path, source, fmt, cancel)
        files = [path.name]
        export_format = found[0][1][0].format
    convs = [conv for _fmt, group in found for conv in group]
    if export_format.endswith(("_zip", "_folder")):
        for conv in convs:
            conv.format = export_format
    if cancel is not None and cancel():
        raise Cancelled()
    for chat_format, group in found:
        for conv in group:
            chat_format.link_media(conv, source)
    return ParsedExport(path=path, format=export_format, conversations=convs, source=source,
                        chat_files=files)
