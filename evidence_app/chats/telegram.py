"""Telegram Desktop "Export chat history" / "Export Telegram data" as JSON (result.json).

A single-chat export is one chat object; a full export has `chats.list` (and
`left_chats.list`) plus `personal_information`, which tells us who "me" is. Text is a
string or a list of plain strings and entity objects. Times: `date_unixtime` is UTC; older
exports have only `date`, the exporting computer's local clock ("device").

Older versions (Desktop 1.3-2.x, 2018-2022; see tests/chats/test_telegram_old.py for the
exporter's source at each step) write less: no chat `id`, `from_id` or `actor_id` before
December 2018 and plain numbers until April 2021; `edited` on every message until June 2020,
the Unix epoch in the computer's zone when never edited; no `from` on channel posts, null
for a deleted account; no `name` for Saved Messages; `{"id", "type": "unsupported"}` with
no date. A sender the export does not name is taken from what the export says elsewhere
(the same id named before, the other side of a personal chat, the exporter's own profile)
and marked so, or left unknown and marked so: never guessed.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterable, Iterator
from typing import Any

from evidence_app.chats.asfound import as_text, bounded, keep
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
_SHOWN_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\Z")
# "edited" before Desktop 2.1.9: the epoch in the exporting computer's zone = never edited
_NEVER_EDITED = ("1970-01-01T", "1969-12-31T")
_CHANNELS = ("public_channel", "private_channel")
_PEOPLE = ("personal_chat", "bot_chat", "saved_messages")  # a chat whose id is a user's
_KEPT_EXTRAS = ("sticker_emoji", "location_information", "contact_information", "poll",
                "via_bot", "duration_seconds", "saved_from", "author")
_KEPT_EXTRA_KEYS = frozenset(_KEPT_EXTRAS)


def flatten_text(value: Any) -> tuple[str, list[str]]:
    """Plain text of a string-or-entities value, and the hidden link targets it carries."""
    text = _Text(value)
    return text.plain, text.links


class _Text:
    """A message's text: plain, with the link targets and named mentions its entities
    carry; `odd` when some piece was neither a string nor an entity with string text."""

    __slots__ = ("links", "mentions", "odd", "plain")

    def __init__(self, value: Any) -> None:
        self.links: list[str] = []
        self.mentions: list[dict[str, str]] = []
        self.odd = False
        if isinstance(value, str):
            self.plain = value
            return
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.plain, self.odd = str(value), True
            return
        if not isinstance(value, list):
            self.plain, self.odd = "", value is not None
            return
        parts: list[str] = []
        for piece in value:
            if isinstance(piece, str):
                parts.append(piece)
            elif isinstance(piece, dict):
                self._entity(piece, parts)
            elif piece is not None:
                self.odd = True
        self.plain = "".join(parts)

    def _entity(self, piece: dict[str, Any], parts: list[str]) -> None:
        text = piece.get("text")
        if not isinstance(text, str):
            self.odd = self.odd or text is not None
            return
        parts.append(text)
        href = piece.get("href")
        if isinstance(href, str) and href and href != text:
            self.links.append(href)
        user = piece.get("user_id")
        if piece.get("type") == "mention_name" and isinstance(user, int | str):
            self.mentions.append({"text": text, "user_id": str(user)})


def _utc(seconds: Any) -> str | None:
    """A Unix time in seconds (a number, or digits as text) as UTC; None when it is not
    one (negative, past year 9999, not a number)."""
    if isinstance(seconds, str) and seconds.isascii() and seconds.isdigit():
        seconds = int(seconds)
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 0:
        return None
    try:
        moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.isoformat()  # whole seconds: "2024-01-05T10:01:00+00:00"


def _shown(value: Any) -> str | None:
    """The date as the export shows it (the computer's clock), when it has that form."""
    return value if isinstance(value, str) and _SHOWN_DATE.match(value) else None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _ident(msg: Message, raw: dict[str, Any], key: str) -> str | None:
    """An id as the export wrote it (a number or "user123"), else kept as found."""
    value = raw.get(key)
    if isinstance(value, str) or isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is not None:
        keep(msg.extra, key, value)
    return None


def _string(msg: Message, raw: dict[str, Any], key: str) -> str | None:
    """A name or other text field, else kept as found (never a Python repr)."""
    value = raw.get(key)
    if isinstance(value, str):
        return value
    if value is not None:
        keep(msg.extra, key, value)
    return None


def peer_key(value: str | None, kind: str = "user") -> str | None:
    """One spelling for an id: older exports write 5550001 where newer write user5550001."""
    if not value:
        return None
    return f"{kind}{value}" if value.isdigit() else value


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
        name = raw.get("file_name")
        name = name if isinstance(name, str) and name else path.rsplit("/", 1)[-1]
        found.append(Attachment(name="" if omitted else name, kind=kind,
                                path=None if omitted else path, omitted=omitted))
    return found


def _service_text(raw: dict[str, Any]) -> str:
    action = raw.get("action")
    parts = [action.replace("_", " ") if isinstance(action, str) and action else "service"]
    members = raw.get("members")
    if isinstance(members, list):
        parts.append(", ".join(m if isinstance(m, str) else "?" for m in members))
    for key in ("title", "duration_seconds", "discard_reason", "text"):
        value = raw.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
            parts.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(parts)


def _times(msg: Message, raw: dict[str, Any]) -> None:
    """When it was sent, and whether (and when) it was edited."""
    shown = _shown(raw.get("date"))
    if shown is None and raw.get("date") is not None:
        keep(msg.extra, "date", raw["date"])
    utc = _utc(raw.get("date_unixtime"))
    if utc is None and raw.get("date_unixtime") is not None:
        keep(msg.extra, "date_unixtime", raw["date_unixtime"])
    if utc is not None:
        msg.time, msg.timezone = utc, "UTC"
        if shown:
            msg.extra["time_shown"] = shown
    else:
        msg.time, msg.timezone = shown, DEVICE_TIME
    edited_utc = _utc(raw.get("edited_unixtime"))
    edited = raw.get("edited")
    edited_shown = _shown(edited)
    if edited_utc is not None and edited_utc[:4] != "1970":
        msg.edited, msg.edited_time = True, edited_utc
    elif edited_shown is not None:
        if not edited_shown.startswith(_NEVER_EDITED):
            msg.edited, msg.edited_time = True, edited_shown
    elif edited is not None:
        keep(msg.extra, "edited", edited)


def _content(msg: Message, raw: dict[str, Any]) -> None:
    """Text, attachments, reply, forward, reactions and the other fields a message has."""
    text = _Text(raw.get("text"))
    if text.odd:
        keep(msg.extra, "text", raw.get("text"))
    if text.links:
        msg.extra["links"] = text.links
    if text.mentions:
        msg.extra["mentions"] = text.mentions
    if msg.system:
        msg.text = text.plain or _service_text(raw)
        return
    msg.text = text.plain
    msg.attachments = _attachments(raw)
    msg.reply_to = _ident(msg, raw, "reply_to_message_id")
    msg.forwarded_from = _string(msg, raw, "forwarded_from")
    if not _KEPT_EXTRA_KEYS.isdisjoint(raw):  # most messages have none of them
        for extra_key in _KEPT_EXTRAS:
            if raw.get(extra_key) is not None:
                msg.extra[extra_key] = bounded(raw[extra_key])
    for reaction in json_list(raw.get("reactions")):
        if not isinstance(reaction, dict):
            continue
        emoji = _str(reaction.get("emoji") or reaction.get("document_id")) or "?"
        for who in json_list(reaction.get("recent")) or [{}]:
            actor = who.get("from") if isinstance(who, dict) else None
            msg.reactions.append({"actor": actor if isinstance(actor, str) else "",
                                  "reaction": emoji})


class _ChatBuilder:
    """One chat, built a message at a time (its header is read before its messages)."""

    def __init__(self, raw: Any, source_name: str, me_id: str | None,
                 me_name: str | None = None) -> None:
        if not isinstance(raw, dict) or not isinstance(raw.get("messages"), list):
            raise ChatParseError(source_name, "telegram", "structure")
        self.raw = raw
        self.me_id = me_id
        self.me_name = me_name
        self.log = MessageLog()
        self.participants: dict[str, None] = {}
        self.ids: dict[str, str] = {}
        self.names: dict[str, str] = {}  # peer_key(id) -> the name the export gave it
        chat_type = raw.get("type")
        self.chat_type: str = chat_type if isinstance(chat_type, str) else ""
        name = raw.get("name")
        title = name if isinstance(name, str) else ""
        if not title and "name" not in raw and self.chat_type == "saved_messages":
            title = _("Saved Messages")  # what Telegram calls it; the export names it not
        self.title = title
        kind = "user" if self.chat_type in _PEOPLE else \
            "channel" if self.chat_type in _CHANNELS or "supergroup" in self.chat_type \
            else "chat"
        self.chat_key = peer_key(_str(raw.get("id")), kind)
        self.conv = Conversation(platform="telegram", format="telegram_json",
                                 source_name=source_name, title=title)

    def add(self, raw_message: Any) -> None:
        self.log.append(self.message(raw_message, len(self.log)))

    def message(self, raw: Any, index: int) -> Message:
        if not isinstance(raw, dict) or raw.get("type") not in ("message", "service"):
            return Message(index=index, text=as_text(raw), unparsed=True)
        msg = Message(index=index, system=raw.get("type") == "service")
        msg.id = _ident(msg, raw, "id")
        _times(msg, raw)
        if msg.system:
            self._sender(msg, raw, "actor", "actor_id")
        else:
            self._sender(msg, raw, "from", "from_id")
        _content(msg, raw)
        return msg

    def _sender(self, msg: Message, raw: dict[str, Any], name_key: str, id_key: str) -> None:
        """Who wrote it: the name the export gives, or one it gives elsewhere (marked
        `sender_from`), or unknown (marked `sender_unknown`)."""
        msg.sender_id = _ident(msg, raw, id_key)
        key = peer_key(msg.sender_id)
        name = _string(msg, raw, name_key)
        if name:
            msg.sender = name
            if key:
                self.names.setdefault(key, name)
            if not msg.system:
                self.participants.setdefault(name, None)
                if msg.sender_id:
                    self.ids.setdefault(name, msg.sender_id)
            return
        found, basis = self._known(key)
        if found:
            msg.sender = found
            msg.extra["sender_from"] = basis
            if not msg.system:
                self.participants.setdefault(found, None)
        elif not msg.system:
            msg.extra["sender_unknown"] = True

    def _known(self, key: str | None) -> tuple[str | None, str]:
        if key and key in self.names:
            return self.names[key], "from_id"
        if self.title and (key is None and self.chat_type in _CHANNELS
                           or key is not None and key == self.chat_key
                           and self.chat_type in ("personal_chat", "bot_chat")):
            return self.title, "chat"  # a channel posts as itself; the other side's id
        if key is not None and key == self.me_id and self.me_name:
            return self.me_name, "personal_information"
        return None, ""

    def finish(self) -> Conversation:
        conv, raw = self.conv, self.raw
        conv.messages = self.log
        conv.participants = list(self.participants)
        conv.participant_ids = self.ids
        conv.notes = {"chat_type": self.chat_type, "chat_id": _str(raw.get("id")) or ""}
        if self.me_id:
            mine = [name for name, pid in conv.participant_ids.items()
                    if peer_key(pid) == self.me_id]
            if mine:
                conv.set_me(mine[0], "export")
        if conv.me is None and self.chat_type == "personal_chat":
            others = [p for p in conv.participants if p != conv.title]
            if conv.title in conv.participants and len(others) == 1:
                conv.set_me(others[0], "export")
        if (conv.me is None and self.chat_type == "saved_messages"
                and len(conv.participants) == 1):
            conv.set_me(conv.participants[0], "export")
        return conv


def is_telegram(data: Any) -> bool:
    """A full export, or one chat: a type, a name (Saved Messages has none), and messages
    that have dates (an "unsupported" one has only its id)."""
    if not isinstance(data, dict):
        return False
    if isinstance(data.get("chats"), dict) or "personal_information" in data:
        return True
    msgs = data.get("messages")
    if not isinstance(msgs, list) or "type" not in data:
        return False
    if "name" not in data and data.get("type") != "saved_messages":
        return False
    return all(isinstance(m, dict) and ("date" in m or m.get("type") == "unsupported")
               for m in msgs[:5])


def _owner(data: dict[str, Any]) -> tuple[str | None, str | None, list[str]]:
    """The exporting account's id, its name as Telegram shows it, and its contact details
    (a full export says who "me" is)."""
    info = data.get("personal_information")
    if not isinstance(info, dict):
        return None, None, []
    user_id = info.get("user_id")
    me_id = peer_key(str(user_id)) if isinstance(user_id, int | str) else None
    names = [info.get(k) for k in ("first_name", "last_name")]
    me_name = " ".join(n for n in names if isinstance(n, str) and n) or None
    contacts = [info[k] for k in ("phone_number", "username")
                if isinstance(info.get(k), str) and info[k]]
    return me_id, me_name, contacts


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
    me_id, me_name, contacts = _owner(data)
    chats = chat_paths(data)
    if not chats:
        raise ChatParseError(source_name, "telegram", "no_messages")
    builders = {path: _ChatBuilder(raw, source_name, me_id, me_name) for raw, path in chats}
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
