"""Telegram Desktop "Export chat history" / "Export Telegram data" as JSON (result.json).

A single-chat export is one chat object; a full export has `chats.list` (and
`left_chats.list`) plus `personal_information`, which tells us who "me" is. Text is a
string or a list of plain strings and entity objects. Times: `date_unixtime` is UTC; older
exports have only `date`, the computer's local clock ("device").
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from collections.abc import Iterable, Iterator
from typing import Any

from evidence_app.chats.formats import JsonChatFormat, Probe, json_list
from evidence_app.chats.model import DEVICE_TIME, Attachment, Conversation, Message, MessageLog
from evidence_app.core.errors import ChatParseError, TelegramHtmlExport
from evidence_app.i18n import _

ChatPath = tuple[str | int, ...]  # where a chat's message list is in the document

_MEDIA_KINDS = {
    "sticker": "sticker", "animation": "gif", "video_file": "video", "video_message": "video",
    "voice_message": "voice", "audio_file": "audio",
}
_NOT_INCLUDED = "(File not included"


def flatten_text(value: Any) -> tuple[str, list[str]]:
    """Plain text of a string-or-entities value, and the hidden link targets it carries."""
    if isinstance(value, str):
        return value, []
    if not isinstance(value, list):
        return "", []
    parts: list[str] = []
    links: list[str] = []
    for piece in value:
        if isinstance(piece, str):
            parts.append(piece)
        elif isinstance(piece, dict):
            text = piece.get("text")
            parts.append(text if isinstance(text, str) else "")
            href = piece.get("href")
            if isinstance(href, str) and href and href != text:
                links.append(href)
    return "".join(parts), links


def _utc(seconds: Any) -> str | None:
    try:
        moment = dt.datetime.fromtimestamp(int(seconds), dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _str(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _attachments(raw: dict[str, Any]) -> list[Attachment]:
    found: list[Attachment] = []
    for key in ("photo", "file"):
        path = raw.get(key)
        if not isinstance(path, str) or not path:
            continue
        omitted = path.startswith(_NOT_INCLUDED)
        if key == "photo":
            kind = "photo"
        else:
            kind = _MEDIA_KINDS.get(str(raw.get("media_type")), "document")
        name = _str(raw.get("file_name")) or path.rsplit("/", 1)[-1]
        found.append(Attachment(name="" if omitted else name, kind=kind,
                                path=None if omitted else path, omitted=omitted))
    return found


def _service_text(raw: dict[str, Any]) -> str:
    action = _str(raw.get("action")) or "service"
    parts = [action.replace("_", " ")]
    members = raw.get("members")
    if isinstance(members, list):
        parts.append(", ".join(_str(m) or "?" for m in members))
    for key in ("title", "duration_seconds", "discard_reason", "text"):
        value = raw.get(key)
        if isinstance(value, str | int) and value != "":
            parts.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(parts)


def _message(raw: Any, index: int) -> Message:
    if not isinstance(raw, dict) or raw.get("type") not in ("message", "service"):
        text = json.dumps(raw, ensure_ascii=False)[:100_000]
        return Message(index=index, text=text, unparsed=True)
    msg = Message(index=index, id=_str(raw.get("id")))
    utc = _utc(raw.get("date_unixtime"))
    shown = _str(raw.get("date"))
    if utc is not None:
        msg.time, msg.timezone = utc, "UTC"
        if shown:
            msg.extra["time_shown"] = shown
    else:
        msg.time, msg.timezone = shown, DEVICE_TIME
    text, links = flatten_text(raw.get("text"))
    if links:
        msg.extra["links"] = links
    if raw.get("type") == "service":
        msg.system = True
        msg.sender = _str(raw.get("actor"))
        msg.sender_id = _str(raw.get("actor_id"))
        msg.text = _service_text(raw) if not text else text
        return msg
    msg.sender = _str(raw.get("from"))
    msg.sender_id = _str(raw.get("from_id"))
    msg.text = text
    msg.attachments = _attachments(raw)
    msg.reply_to = _str(raw.get("reply_to_message_id"))
    msg.forwarded_from = _str(raw.get("forwarded_from"))
    if raw.get("edited") or raw.get("edited_unixtime"):
        msg.edited = True
        msg.edited_time = _utc(raw.get("edited_unixtime")) or _str(raw.get("edited"))
    for extra_key in ("sticker_emoji", "location_information", "contact_information", "poll",
                      "via_bot", "duration_seconds"):
        if raw.get(extra_key) is not None:
            msg.extra[extra_key] = raw[extra_key]
    for reaction in json_list(raw.get("reactions")):
        if not isinstance(reaction, dict):
            continue
        emoji = _str(reaction.get("emoji") or reaction.get("document_id")) or "?"
        for who in json_list(reaction.get("recent")) or [{}]:
            actor = _str(who.get("from")) if isinstance(who, dict) else None
            msg.reactions.append({"actor": actor or "", "reaction": emoji})
    return msg


class _ChatBuilder:
    """One chat, built a message at a time (its header is read before its messages)."""

    def __init__(self, raw: Any, source_name: str, me_id: str | None) -> None:
        if not isinstance(raw, dict) or not isinstance(raw.get("messages"), list):
            raise ChatParseError(source_name, "telegram", "structure")
        self.raw = raw
        self.me_id = me_id
        self.log = MessageLog()
        self.participants: dict[str, None] = {}
        self.ids: dict[str, str] = {}
        self.conv = Conversation(platform="telegram", format="telegram_json",
                                 source_name=source_name, title=_str(raw.get("name")) or "")

    def add(self, raw_message: Any) -> None:
        m = _message(raw_message, len(self.log))
        self.log.append(m)
        if m.sender and not m.system and not m.unparsed:
            self.participants.setdefault(m.sender, None)
            if m.sender_id:
                self.ids.setdefault(m.sender, m.sender_id)

    def finish(self) -> Conversation:
        conv, raw = self.conv, self.raw
        conv.messages = self.log
        conv.participants = list(self.participants)
        conv.participant_ids = self.ids
        conv.notes = {"chat_type": _str(raw.get("type")) or "",
                      "chat_id": _str(raw.get("id")) or ""}
        if self.me_id:
            mine = [name for name, pid in conv.participant_ids.items() if pid == self.me_id]
            if mine:
                conv.set_me(mine[0], "export")
        if conv.me is None and raw.get("type") == "personal_chat":
            others = [p for p in conv.participants if p != conv.title]
            if conv.title in conv.participants and len(others) == 1:
                conv.set_me(others[0], "export")
        if (conv.me is None and raw.get("type") == "saved_messages"
                and len(conv.participants) == 1):
            conv.set_me(conv.participants[0], "export")
        return conv


def is_telegram(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if isinstance(data.get("chats"), dict) or "personal_information" in data:
        return True
    msgs = data.get("messages")
    return (isinstance(msgs, list) and "type" in data and "name" in data
            and all(isinstance(m, dict) and "date" in m for m in msgs[:5]))


def _owner(data: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The exporting account's id and contact details (a full export says who "me" is)."""
    info = data.get("personal_information")
    if not isinstance(info, dict):
        return None, []
    me_id = f"user{info['user_id']}" if info.get("user_id") is not None else None
    return me_id, [str(info[k]) for k in ("phone_number", "username") if info.get(k)]


def chat_paths(data: dict[str, Any]) -> list[tuple[Any, ChatPath]]:
    """Each chat of the export and where its message list is, in the order they are shown
    (a single chat, or `chats` then `left_chats`)."""
    if isinstance(data.get("messages"), list):
        return [(data, ("messages",))]
    found: list[tuple[Any, ChatPath]] = []
    for key in ("chats", "left_chats"):
        section = data.get(key)
        if isinstance(section, dict) and isinstance(section.get("list"), list):
            found += [(chat, (key, "list", i, "messages"))
                      for i, chat in enumerate(section["list"])]
    return found


def parse_telegram_stream(data: Any, messages: Iterable[tuple[ChatPath, Any]],
                          source_name: str = "result.json") -> list[Conversation]:
    """Every chat in the export: `data` is its shape (message lists may be cut short),
    `messages` every message with the path of its list, in the file's order."""
    if not isinstance(data, dict):
        raise ChatParseError(source_name, "telegram", "structure")
    me_id, contacts = _owner(data)
    chats = chat_paths(data)
    if not chats:
        raise ChatParseError(source_name, "telegram", "no_messages")
    builders = {path: _ChatBuilder(raw, source_name, me_id) for raw, path in chats}
    for path, raw_message in messages:
        builder = builders.get(path)
        if builder is not None:
            builder.add(raw_message)
    convs = [builders[path].finish() for _raw, path in chats]
    for conv in convs:
        if contacts:
            conv.notes["me_contacts"] = contacts
    return convs


def _in_document(data: dict[str, Any]) -> Iterator[tuple[ChatPath, Any]]:
    for raw, path in chat_paths(data):
        if isinstance(raw, dict) and isinstance(raw.get("messages"), list):
            for message in raw["messages"]:
                yield path, message


def parse_telegram(data: Any, source_name: str = "result.json") -> list[Conversation]:
    """Every chat in the export (one for a single-chat export), from the whole document."""
    if not isinstance(data, dict):
        raise ChatParseError(source_name, "telegram", "structure")
    return parse_telegram_stream(data, _in_document(data), source_name)


def is_telegram_html(head: bytes, name: str) -> bool:
    """Telegram's HTML export (messages.html): readable by people only."""
    low = head.lower()
    return (b"page_wrap" in low or b"telegram" in low
            or posixpath.basename(name).startswith("messages") and name.endswith(".html"))


class TelegramFormat(JsonChatFormat):
    """Telegram Desktop's JSON export: result.json, one chat or the whole account."""

    id = "telegram"
    platforms = ("telegram",)

    def title(self) -> str:
        return _("Telegram")

    def rank(self, name: str) -> int | None:
        base = posixpath.basename(name).lower()
        if base == "result.json":
            return 1
        return 3 if base.endswith(".json") and not base.startswith("message_") else None

    def is_shape(self, data: Any) -> bool:
        return is_telegram(data)

    def parse(self, probe: Probe) -> list[Conversation]:
        skeleton = probe.skeleton()
        with probe.messages(self.id, skeleton.total) as every:
            return parse_telegram_stream(skeleton.data, every, probe.name)

    def whole_export(self, name: str) -> bool:
        return posixpath.basename(name) == "result.json"  # every chat of the account

    def unreadable(self, probe: Probe) -> ChatParseError | None:
        if (probe.single and probe.wanted == "telegram"
                or is_telegram_html(probe.head, probe.name)):
            return TelegramHtmlExport(probe.label)
        return None
