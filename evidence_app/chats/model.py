"""One normalized model for every chat format, and its JSON form (the stored transcript).

Times are ISO 8601 strings. `timezone` says how to read them: "UTC", an offset such as
"+02:00", or "device" when the export shows the phone's local clock without saying which
zone that was (WhatsApp, older Telegram exports). We never guess a zone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

TRANSCRIPT_FORMAT = "evidence-locker-transcript"
TRANSCRIPT_VERSION = 1
DEVICE_TIME = "device"


@dataclass(slots=True)
class Attachment:
    """A file a message carried; `path` is where the export kept it, if it did."""

    name: str
    kind: str = "file"  # photo, video, audio, voice, sticker, gif, document, file, link
    path: str | None = None
    omitted: bool = False  # the export says the file was left out
    item_id: str | None = None  # the vault item, once imported
    url: str | None = None


MESSAGE_FIELDS: dict[str, Any] = {
    "index": 0, "time": None, "timezone": DEVICE_TIME, "sender": None, "text": "",
    "attachments": list, "id": None,
    "reply_to": None,  # the platform id of the message answered
    "forwarded_from": None, "edited": False, "edited_time": None, "deleted": False,
    "system": False,
    "unparsed": False,  # kept exactly as found: the parser could not understand it
    "reactions": list, "sender_id": None, "extra": dict,
}
_LAZY = {"attachments": list, "reactions": list, "extra": dict}


class Message:
    """One message. A plain class rather than a dataclass: exports hold hundreds of
    thousands of messages, and most fields keep their class-level default (the lists and
    the dict are created on first use), which makes building one three times cheaper."""

    index: int
    time: str | None
    timezone: str
    sender: str | None
    text: str
    attachments: list[Attachment]
    reactions: list[dict[str, str]]
    extra: dict[str, Any]
    id: str | None = None
    reply_to: str | None = None
    forwarded_from: str | None = None
    edited: bool = False
    edited_time: str | None = None
    deleted: bool = False
    system: bool = False
    unparsed: bool = False
    sender_id: str | None = None

    def __init__(self, index: int, time: str | None = None, timezone: str = DEVICE_TIME,
                 sender: str | None = None, text: str = "", **rest: Any) -> None:
        self.index = index
        self.time = time
        self.timezone = timezone
        self.sender = sender
        self.text = text
        if rest:
            for key, value in rest.items():
                if key not in MESSAGE_FIELDS:
                    raise TypeError(f"Message has no field {key!r}")
                setattr(self, key, value)

    def __getattr__(self, name: str) -> Any:
        make = _LAZY.get(name)
        if make is None:
            raise AttributeError(name)
        value = make()
        setattr(self, name, value)
        return value

    def as_dict(self) -> dict[str, Any]:
        data = {key: getattr(self, key) for key in MESSAGE_FIELDS}
        data["attachments"] = [asdict(a) for a in self.attachments]
        data["reactions"] = [dict(r) for r in self.reactions]
        data["extra"] = dict(self.extra)
        return data

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.as_dict().items()
                          if v not in (None, False, [], {}))
        return f"Message({shown})"


@dataclass
class Conversation:
    platform: str  # whatsapp, telegram, instagram, messenger, discord
    format: str  # whatsapp_txt, whatsapp_zip, telegram_json, instagram_json, ...
    title: str = ""
    participants: list[str] = field(default_factory=list)
    me: str | None = None
    me_basis: str = ""  # "export" (the export says so), "user" (the person said so), ""
    messages: list[Message] = field(default_factory=list)
    source_name: str = ""  # the chat file inside the export
    notes: dict[str, Any] = field(default_factory=dict)  # e.g. how day/month order was read
    participant_ids: dict[str, str] = field(default_factory=dict)

    @property
    def me_unclear(self) -> bool:
        return self.me is None and len(self.participants) > 0

    def counts(self) -> dict[str, int]:
        return {
            "messages": len(self.messages),
            "system_messages": sum(1 for m in self.messages if m.system),
            "attachments": sum(len(m.attachments) for m in self.messages),
            "unparsed_lines": sum(1 for m in self.messages if m.unparsed),
        }

    def set_me(self, name: str | None, basis: str) -> None:
        self.me = name
        self.me_basis = basis

    def to_dict(self) -> dict[str, Any]:
        """The stored transcript; message fields left at their defaults are omitted."""
        data = {f: getattr(self, f) for f in self.__dataclass_fields__ if f != "messages"}
        data = {k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v)
                for k, v in data.items()}
        data["messages"] = [_compact(m.as_dict()) for m in self.messages]
        data["format_version"] = TRANSCRIPT_VERSION
        data["kind"] = TRANSCRIPT_FORMAT
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conversation:
        messages = []
        for raw in data.get("messages", []):
            fields = {k: v for k, v in raw.items() if k in MESSAGE_FIELDS}
            fields["attachments"] = [
                Attachment(**{k: v for k, v in a.items() if k in Attachment.__dataclass_fields__})
                for a in raw.get("attachments", [])]
            messages.append(Message(**fields))
        keep = {k: v for k, v in data.items()
                if k in cls.__dataclass_fields__ and k != "messages"}
        return cls(messages=messages, **keep)


_ALWAYS = {"index", "time", "timezone", "sender", "text"}


def _compact(message: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in message.items():
        if key in _ALWAYS or value not in (None, False, [], {}):
            out[key] = value
    if "attachments" in out:
        out["attachments"] = [{k: v for k, v in a.items() if v not in (None, False)}
                              for a in out["attachments"]]
    return out


def participants_in_order(messages: list[Message]) -> list[str]:
    """Everyone who wrote a (non-system) message, in order of first appearance."""
    seen: dict[str, None] = {}
    for message in messages:
        if message.sender and not message.system and not message.unparsed:
            seen.setdefault(message.sender, None)
    return list(seen)


def match_participant(name: str, participants: list[str]) -> str | None:
    """The participant a typed name means (exact, then ignoring case and spaces)."""
    if name in participants:
        return name
    key = " ".join(name.split()).casefold()
    for candidate in participants:
        if " ".join(candidate.split()).casefold() == key:
            return candidate
    return None
