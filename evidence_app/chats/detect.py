"""Which chat app made this export, and parse it: a file, a zip, or an export folder.

`open_export` is the one entry point. It decides from content (not from the file name
alone), parses, and points every attachment at the file the export holds for it. Every
failure is a ChatParseError (or its kinds UnknownChatFormat and TelegramHtmlExport).
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_app.chats import discord, meta, telegram, whatsapp
from evidence_app.chats.model import Conversation
from evidence_app.chats.sources import ExportSource, FolderSource, ZipSource
from evidence_app.core.errors import (
    ChatParseError,
    InputNotFound,
    NotAnArchive,
    TelegramHtmlExport,
    UnknownChatFormat,
    UnsafeArchive,
)
from evidence_app.core.safezip import ZipLimits

FORMATS = ("whatsapp", "telegram", "instagram", "messenger", "discord")
MAX_JSON = 1 << 30
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


def _load_json(raw: bytes, name: str, fmt: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ChatParseError(name, fmt, "bad_json", "not UTF-8") from None
    except json.JSONDecodeError as exc:
        at_end = exc.pos >= len(raw.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        reason = "truncated" if at_end else "bad_json"
        raise ChatParseError(name, fmt, reason, f"line {exc.lineno}") from None
    except RecursionError:
        raise ChatParseError(name, fmt, "bad_json", "nested too deeply") from None


def _read_limited(source: ExportSource, name: str, fmt: str) -> bytes:
    if source.size(name) > MAX_JSON:
        raise ChatParseError(name, fmt, "too_large")
    with source.open(name) as fh:
        return fh.read(MAX_JSON + 1)


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


def _parse_json(data: Any, name: str, kind: str, wanted: str | None) -> list[Conversation]:
    if kind == "discord":
        return [discord.parse_discord(data, name)]
    if kind == "telegram":
        return telegram.parse_telegram(data, name)
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
        data = _load_json(_read_limited(source, name, wanted or "json"), name, wanted or "json")
        found = _json_format(data, name)
        if found is None or not _accepts(wanted, found):
            return None
        if found == "meta":
            parts = _meta_parts(source, name, siblings)
            if len(parts) > 1:
                docs = [_load_json(_read_limited(source, p, "meta"), p, "meta") for p in parts]
                data = meta.merge_parts(docs)
        return _parse_json(data, name, found, wanted)
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


def _link_media(conversations: list[Conversation], source: ExportSource,
                chat_files: list[str]) -> None:
    bases = {c.source_name: posixpath.dirname(c.source_name) for c in conversations}
    for conv in conversations:
        base = bases.get(conv.source_name, "")
        for msg in conv.messages:
            for att in msg.attachments:
                ref = att.path or (att.name if att.name and not att.omitted else None)
                if ref is None or att.kind == "link":
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
            source = ZipSource(path, limits)
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
    _link_media(convs, source, files)
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
        if path.stat().st_size > MAX_JSON:
            raise ChatParseError(label, wanted or "json", "too_large")
        data = _load_json(path.read_bytes(), label, wanted or "json")
        found = _json_format(data, name)
        if found is None or not _accepts(wanted, found):
            if wanted:
                raise ChatParseError(label, wanted, "structure")
            raise UnknownChatFormat(label)
        if found == "meta" and name.startswith("message_"):
            siblings = [p.name for p in path.parent.glob("message_*.json")]
            parts = _meta_parts(source, name, siblings)
            if len(parts) > 1:
                data = meta.merge_parts([_load_json(source.path(p).read_bytes(), p, "meta")
                                         for p in parts])
        return _parse_json(data, name, found, wanted), [name]
    if kind == "text" and (wanted == "whatsapp" or wanted is None and _whatsapp_head(head)):
        with open(path, "rb") as fh:
            return [whatsapp.parse_whatsapp(fh, source_name=name)], [name]
    if wanted:
        raise ChatParseError(label, wanted, "binary" if kind == "binary" else "structure")
    raise UnknownChatFormat(label)
