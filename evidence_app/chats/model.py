"""One normalized model for every chat format, and its JSON form (the stored transcript).

Times are ISO 8601 strings. `timezone` says how to read them: "UTC", an offset such as
"+02:00", or "device" when the export shows the phone's local clock without saying which
zone that was (WhatsApp, older Telegram exports). We never guess a zone.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, overload

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
    refused: bool = False  # the name pointed outside the export, so nothing was read


MESSAGE_FIELDS: dict[str, Any] = {
    "index": 0, "time": None, "timezone": DEVICE_TIME, "sender": None, "text": "",
    "attachments": list, "id": None,
    "reply_to": None,  # the platform id of the message answered
    "forwarded_from": None, "edited": False, "edited_time": None, "deleted": False,
    "system": False,
    "unparsed": False,  # kept exactly as found: the parser could not understand it
    "reactions": list, "sender_id": None, "extra": dict,
    # The date and clock as the export wrote them, when `time` was converted from other
    # digits or another calendar ("٢٥‏/١‏/٢٠٢٢، ٩:٠٥ م", "25/1/2565 21:05").
    "shown_time": None,
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
    shown_time: str | None = None

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


def attachments_of(message: Message) -> list[Attachment]:
    """A message's attachments, without creating an empty list when it has none."""
    return vars(message).get("attachments") or []


def _count(messages: Iterable[Message]) -> dict[str, int]:
    totals = {"messages": 0, "system_messages": 0, "attachments": 0, "unparsed_lines": 0}
    for m in messages:
        _tally(totals, m)
    return totals


def _tally(totals: dict[str, int], m: Message) -> None:
    totals["messages"] += 1
    totals["system_messages"] += m.system
    totals["attachments"] += len(attachments_of(m))
    totals["unparsed_lines"] += m.unparsed


class MessageLog:
    """Messages kept compressed in memory, BATCH at a time; append, then read in order.

    A big export holds a million messages, and as Python objects they take about a
    kilobyte each. Here each full batch is kept as zlib-compressed JSON (under a tenth
    of that) and is read back a batch at a time, as new Message objects: change a message
    before appending it, not after. Attachments are the exception: they stay the same
    objects (they are few, and the importer notes on them where each file was found and
    which vault item it became).
    """

    BATCH = 1024

    def __init__(self, messages: Iterable[Message] = ()) -> None:
        self._batches: list[bytes] = []
        self._pending: list[Message] = []
        self._attachments: dict[int, tuple[int, list[Attachment]]] = {}  # position -> index
        self._totals = {"messages": 0, "system_messages": 0, "attachments": 0,
                        "unparsed_lines": 0}
        for m in messages:
            self.append(m)

    def append(self, message: Message) -> None:
        atts = attachments_of(message)
        if atts:
            self._attachments[self._totals["messages"]] = (message.index, atts)
        _tally(self._totals, message)
        self._pending.append(message)
        if len(self._pending) >= self.BATCH:
            rows = [{k: v for k, v in vars(m).items() if k != "attachments"}
                    for m in self._pending]
            text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
            self._batches.append(zlib.compress(text.encode("utf-8", "surrogatepass"), 1))
            self._pending = []

    def counts(self) -> dict[str, int]:
        return dict(self._totals)

    def attachments(self) -> Iterator[tuple[int, Attachment]]:
        """(message index, attachment) for every attachment, without reading the batches."""
        for index, atts in self._attachments.values():
            for att in atts:
                yield index, att

    def compact_rows(self) -> Iterator[dict[str, Any]]:
        """Each message as the stored transcript writes it, without building Messages."""
        position = 0
        for blob in self._batches:
            for row in json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass")):
                found = self._attachments.get(position)
                yield _compact_fields(row, found[1] if found else [])
                position += 1
        for message in self._pending:
            yield _compact_fields(vars(message), attachments_of(message))

    def _batch(self, number: int) -> list[Message]:
        if number == len(self._batches):
            return self._pending
        rows = json.loads(zlib.decompress(self._batches[number]).decode("utf-8",
                                                                          "surrogatepass"))
        out = []
        position = number * self.BATCH
        for row in rows:
            message = Message(**row)
            found = self._attachments.get(position)
            if found is not None:
                message.attachments = found[1]
            out.append(message)
            position += 1
        return out

    def __len__(self) -> int:
        return self._totals["messages"]

    def __iter__(self) -> Iterator[Message]:
        for number in range(len(self._batches) + 1):
            yield from self._batch(number)

    @overload
    def __getitem__(self, position: int) -> Message: ...

    @overload
    def __getitem__(self, position: slice) -> list[Message]: ...

    def __getitem__(self, position: int | slice) -> Message | list[Message]:
        if isinstance(position, slice):
            return list(self)[position]
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError(position)
        return self._batch(position // self.BATCH)[position % self.BATCH]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MessageLog | list | tuple):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                          strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"MessageLog({len(self)} messages)"


@dataclass
class Conversation:
    platform: str  # whatsapp, telegram, instagram, messenger, discord
    format: str  # whatsapp_txt, whatsapp_zip, telegram_json, instagram_json, ...
    title: str = ""
    participants: list[str] = field(default_factory=list)
    me: str | None = None
    me_basis: str = ""  # "export" (the export says so), "user" (the person said so), ""
    messages: list[Message] | MessageLog = field(default_factory=list)
    source_name: str = ""  # the chat file inside the export
    notes: dict[str, Any] = field(default_factory=dict)  # e.g. how day/month order was read
    participant_ids: dict[str, str] = field(default_factory=dict)

    @property
    def me_unclear(self) -> bool:
        return self.me is None and len(self.participants) > 0

    def counts(self) -> dict[str, int]:
        if isinstance(self.messages, MessageLog):
            return self.messages.counts()
        return _count(self.messages)

    def attachment_refs(self) -> Iterator[tuple[int, Attachment]]:
        """(message index, attachment) for every attachment in the chat."""
        if isinstance(self.messages, MessageLog):
            yield from self.messages.attachments()
            return
        for m in self.messages:
            for att in attachments_of(m):
                yield m.index, att

    def refused_attachments(self) -> int:
        """How many attachments named a file outside the export (not imported)."""
        return sum(1 for _index, att in self.attachment_refs() if att.refused)

    def set_me(self, name: str | None, basis: str) -> None:
        self.me = name
        self.me_basis = basis

    def _head(self) -> dict[str, Any]:
        data = {f: getattr(self, f) for f in self.__dataclass_fields__ if f != "messages"}
        data = {k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v)
                for k, v in data.items()}
        data["format_version"] = TRANSCRIPT_VERSION
        data["kind"] = TRANSCRIPT_FORMAT
        return data

    def to_dict(self) -> dict[str, Any]:
        """The stored transcript; message fields left at their defaults are omitted."""
        data = self._head()
        data["messages"] = [_compact(m.as_dict()) for m in self.messages]
        return data

    def iter_json(self) -> Iterator[str]:
        """to_dict() as JSON text, a few hundred messages at a time (and to a line), so a
        big chat is never one string in memory."""
        head = _ENCODE(self._head())
        yield head[:-1] + ', "messages": [\n'
        if isinstance(self.messages, MessageLog):
            rows = self.messages.compact_rows()
        else:
            rows = (_compact_fields(vars(m), attachments_of(m)) for m in self.messages)
        batch: list[dict[str, Any]] = []
        sep = ""
        for row in rows:
            batch.append(row)
            if len(batch) >= 256:
                yield sep + _ENCODE(batch)[1:-1]
                batch, sep = [], ",\n"
        if batch:
            yield sep + _ENCODE(batch)[1:-1]
        yield "\n]}\n"

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
_ATTACHMENT_FIELDS = tuple(Attachment.__dataclass_fields__)
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _compact(message: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in message.items():
        if key in _ALWAYS or value not in (None, False, [], {}):
            out[key] = value
    if "attachments" in out:
        out["attachments"] = [{k: v for k, v in a.items() if v not in (None, False)}
                              for a in out["attachments"]]
    return out


def _compact_fields(fields: dict[str, Any], atts: list[Attachment]) -> dict[str, Any]:
    """_compact(message.as_dict()) from a message's own fields (vars), without building it:
    the fields always written, then those set to something other than their default."""
    out = {"index": fields["index"], "time": fields.get("time"),
           "timezone": fields.get("timezone", DEVICE_TIME), "sender": fields.get("sender"),
           "text": fields.get("text", "")}
    if atts:
        out["attachments"] = [{f: v for f in _ATTACHMENT_FIELDS
                               if (v := getattr(a, f)) is not None and v is not False}
                              for a in atts]
    for key, value in fields.items():
        if key not in _ALWAYS and key != "attachments" and value not in (None, False, [], {}):
            out[key] = value
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
