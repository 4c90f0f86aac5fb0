"""Which chat app made this export, and parse it: a file, a zip, or an export folder.

`open_export` is the one entry point. It decides from content (not from the file name
alone), parses, and points every attachment at the file the export holds for it. Every
failure is a ChatParseError (or its kinds UnknownChatFormat and TelegramHtmlExport).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_app.chats import discord, jsonstream, meta, telegram, whatsapp
from evidence_app.chats.model import Conversation
from evidence_app.chats.sources import ExportSource, FolderSource, ZipSource, unsafe_reference
from evidence_app.core.errors import (
    ChatExportTooBig,
    ChatParseError,
    InputNotFound,
    NotAnArchive,
    TelegramHtmlExport,
    UnknownChatFormat,
    UnsafeArchive,
)
from evidence_app.core.safezip import CHAT_EXPORT_LIMITS, ZipLimits

FORMATS = ("whatsapp", "telegram", "instagram", "messenger", "discord")
MAX_META_MESSAGES = 200_000  # Instagram/Messenger threads are read whole (to sort them)
_SNIFF = 64 << 10


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
        return fh.read(_SNIFF)


def _kind_of_head(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] == b"{" or re.match(rb"\[\s*[\[{\"\]]", text):
        return "json"
    low = text[:2048].lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low:
        return "html"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def _is_telegram_html(head: bytes, name: str) -> bool:
    low = head.lower()
    return (b"page_wrap" in low or b"telegram" in low
            or posixpath.basename(name).startswith("messages") and name.endswith(".html"))


def _whatsapp_head(head: bytes) -> bool:
    lines = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[:40]
    if len(head) >= _SNIFF and len(lines) > 1:
        lines = lines[:-1]
    return whatsapp.looks_like_whatsapp([x for x in lines if x.strip()][:30])


def _json_format(data: Any, name: str) -> str | None:
    if discord.is_discord(data):
        return "discord"
    if telegram.is_telegram(data):
        return "telegram"
    if meta.is_meta(data):
        return "meta"
    return None


def _read_json(source: ExportSource, name: str, label: str, wanted: str | None,
               siblings: list[str]) -> list[Conversation] | None:
    """The conversations of a JSON export file, read within jsonstream's limits; None
    when it is not an export that `wanted` accepts."""
    opener = source.opener(name)
    skeleton = jsonstream.read_skeleton(opener, label, wanted or "json")
    found = _json_format(skeleton.data, name)
    if found is None or not _accepts(wanted, found):
        return None
    if found == "telegram":
        every = jsonstream.iter_messages(opener, label, found, skeleton.total)
        return telegram.parse_telegram_stream(skeleton.data, every, name)
    if found == "discord":
        every = jsonstream.iter_messages(opener, label, found, skeleton.total)
        messages = (raw for path, raw in every if path == ("messages",))
        return [discord.parse_discord_stream(skeleton.data, messages, name)]
    if skeleton.total > MAX_META_MESSAGES:
        raise ChatExportTooBig(label, "meta", "messages", MAX_META_MESSAGES)
    docs = []
    budget = MAX_META_MESSAGES
    for part in _meta_parts(source, name, siblings):
        doc = jsonstream.load_small(source.opener(part), part if part != name else label,
                                    "meta", budget)
        if isinstance(doc, dict) and isinstance(doc.get("messages"), list):
            budget -= len(doc["messages"])
        docs.append(doc)
    data = meta.merge_parts(docs) if len(docs) > 1 else docs[0]
    platform = wanted if wanted in ("instagram", "messenger") else None
    return [meta.parse_meta(data, name, platform)]


def _accepts(wanted: str | None, kind: str) -> bool:
    if wanted is None:
        return True
    if kind == "meta":
        return wanted in ("instagram", "messenger")
    return wanted == kind


def _parse_member(source: ExportSource, name: str, wanted: str | None,
                  siblings: list[str]) -> list[Conversation] | None:
    head = _head(source, name)
    kind = _kind_of_head(head)
    if kind == "text" and _accepts(wanted, "whatsapp") and _whatsapp_head(head):
        folder = posixpath.dirname(name)
        media = {posixpath.basename(n) for n in siblings if posixpath.dirname(n) == folder}
        with source.open(name) as fh:
            return [whatsapp.parse_whatsapp(fh, source_name=name, media=media,
                                            title_hint=getattr(source, "label", ""))]
    if kind == "json":
        return _read_json(source, name, name, wanted, siblings)
    return None


def _meta_parts(source: ExportSource, name: str, siblings: list[str]) -> list[str]:
    folder = posixpath.dirname(name)
    base = posixpath.basename(name)
    if not (base.startswith("message_") and base.endswith(".json")):
        return [name]
    return sorted((n for n in siblings if posixpath.dirname(n) == folder
                   and posixpath.basename(n).startswith("message_") and n.endswith(".json")),
                  key=lambda n: (len(n), n))


def _candidates(names: list[str]) -> list[str]:
    """Chat files first (the names exports use), each thread's first part only."""
    def rank(name: str) -> tuple[int, str]:
        base = posixpath.basename(name).lower()
        if base == "_chat.txt" or base.startswith("whatsapp") and base.endswith(".txt"):
            return 0, name
        if base == "result.json":
            return 1, name
        if base == "message_1.json" or base == "message.json":
            return 2, name
        if base.endswith(".json") and not base.startswith("message_"):
            return 3, name
        if base.endswith(".txt"):
            return 4, name
        return 9, name

    return [n for n in sorted(names, key=rank) if rank(n)[0] < 9]


def _from_source(source: ExportSource, names: list[str], wanted: str | None,
                 label: str) -> tuple[list[Conversation], list[str]]:
    conversations: list[Conversation] = []
    chat_files: list[str] = []
    html = [n for n in names if n.lower().endswith(".html")]
    for name in _candidates(names)[:200]:
        found = _parse_member(source, name, wanted, names)
        if found:
            conversations.extend(found)
            chat_files.append(name)
            if found[0].platform == "whatsapp" or posixpath.basename(name) == "result.json":
                break
    if not conversations:
        if any(_is_telegram_html(_head(source, n), n) for n in html[:5]):
            raise TelegramHtmlExport(label)
        raise UnknownChatFormat(label)
    return conversations, chat_files


def _link_media(conversations: list[Conversation], source: ExportSource) -> None:
    """Point each attachment at the export's own file for it, if the export has one.

    A name that could reach outside the export (see unsafe_reference) is not looked up:
    the attachment is marked refused and the message keeps its text. A file the export
    links to on the internet is not looked for by its name either.
    """
    for conv in conversations:
        base = posixpath.dirname(conv.source_name)
        bare = conv.platform == "whatsapp"
        for _index, att in conv.attachment_refs():
            ref = att.path or (att.name if att.name and not att.omitted else None)
            if ref is None or att.kind == "link" or (att.path is None and att.url):
                continue
            if unsafe_reference(ref, bare=bare):
                att.path = None
                att.refused = True
                continue
            att.path = source.resolve(base, ref)


def open_export(path: Path, fmt: str | None = None,
                limits: ZipLimits | None = None) -> ParsedExport:
    """Parse a chat export (file, zip or folder); close the result when done with it."""
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise UnknownChatFormat(str(path))
    if not path.exists():
        raise InputNotFound(path)
    label = str(path)
    if path.is_dir():
        source: ExportSource = FolderSource(path, listed=True)
        convs, files = _from_source(source, source.names(), fmt, label)
        export_format = f"{convs[0].platform}_folder"
    elif zipfile.is_zipfile(path):
        try:
            source = ZipSource(path, limits or CHAT_EXPORT_LIMITS)
        except NotAnArchive:
            raise ChatParseError(label, fmt or "zip", "damaged") from None
        source.label = path.name
        try:
            convs, files = _from_source(source, source.names(), fmt, label)
        except (UnsafeArchive, ChatParseError):
            source.close()
            raise
        export_format = f"{convs[0].platform}_zip"
    else:
        source = FolderSource(path.parent, listed=False)
        convs, files = _single_file(path, source, fmt)
        export_format = convs[0].format
    for conv in convs:
        conv.format = export_format if export_format.endswith(("_zip", "_folder")) \
            else conv.format
    _link_media(convs, source)
    return ParsedExport(path=path, format=export_format, conversations=convs, source=source,
                        chat_files=files)


def _single_file(path: Path, source: FolderSource,
                 wanted: str | None) -> tuple[list[Conversation], list[str]]:
    name = path.name
    label = str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF)
    except OSError:
        raise ChatParseError(label, wanted or "unknown", "unreadable") from None
    kind = _kind_of_head(head)
    if kind == "html":
        if wanted == "telegram" or _is_telegram_html(head, name):
            raise TelegramHtmlExport(label)
        raise UnknownChatFormat(label)
    if kind == "json":
        siblings = [p.name for p in path.parent.glob("message_*.json")] \
            if name.startswith("message_") else []
        found = _read_json(source, name, label, wanted, siblings)
        if found is None:
            if wanted:
                raise ChatParseError(label, wanted, "structure")
            raise UnknownChatFormat(label)
        return found, [name]
    if kind == "text" and (wanted == "whatsapp" or wanted is None and _whatsapp_head(head)):
        with open(path, "rb") as fh:
            return [whatsapp.parse_whatsapp(fh, source_name=name)], [name]
    if wanted:
        raise ChatParseError(label, wanted, "binary" if kind == "binary" else "structure")
    raise UnknownChatFormat(label)
