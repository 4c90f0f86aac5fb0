"""Instagram and Facebook Messenger "Download your information" JSON (message_1.json ...).

Meta writes UTF-8 bytes as if each byte were a Latin-1 character ("\\u00f0\\u009f\\u0098\\u0080"
for one emoji). `fix_mojibake` undoes that for every string, only when the result is valid
UTF-8, so text that was already right is never damaged. Messages come newest first; we
sort them oldest first. `timestamp_ms` is UTC. The newer end-to-end encrypted Messenger
export (camelCase keys, plain UTF-8) is read too.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from typing import Any

from evidence_app.chats import jsonstream
from evidence_app.chats.formats import JsonChatFormat, Probe, json_list
from evidence_app.chats.model import Attachment, Conversation, Message, participants_in_order
from evidence_app.core.errors import ChatExportTooBig, ChatParseError
from evidence_app.i18n import _

MAX_META_MESSAGES = 200_000  # a thread is read whole (to sort it)

_MEDIA_KEYS = (("photos", "photo"), ("videos", "video"), ("audio_files", "audio"),
               ("gifs", "gif"), ("files", "document"))


def fix_mojibake(value: Any) -> Any:
    """Recursively re-decode Latin-1-escaped UTF-8 strings (only where that is valid)."""
    if isinstance(value, str):
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    if isinstance(value, list):
        return [fix_mojibake(v) for v in value]
    if isinstance(value, dict):
        return {fix_mojibake(k): fix_mojibake(v) for k, v in value.items()}
    return value


def _utc_ms(ms: Any) -> str | None:
    try:
        moment = dt.datetime.fromtimestamp(int(ms) / 1000, dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def is_meta(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        return False
    msgs = [m for m in data["messages"][:5] if isinstance(m, dict)]
    classic = "participants" in data and all(
        "sender_name" in m or "timestamp_ms" in m for m in msgs)
    secure = "participants" in data and msgs != [] and all(
        "senderName" in m and "timestamp" in m for m in msgs)
    return classic or secure


def guess_platform(data: dict[str, Any], path_hint: str) -> str:
    """instagram or messenger, from what the export itself shows."""
    hint = path_hint.lower()
    if "instagram" in hint or "joinable_mode" in data or "magic_words" in data:
        return "instagram"
    blob = json.dumps(data.get("messages", [])[:50])
    if "your_instagram_activity" in blob or "instagram.com" in blob and "facebook" not in hint:
        return "instagram"
    return "messenger"


def _classic(raw: Any, index: int) -> Message:
    if not isinstance(raw, dict) or "timestamp_ms" not in raw:
        return Message(index=index, text=json.dumps(raw, ensure_ascii=False)[:100_000],
                       unparsed=True)
    msg = Message(index=index, time=_utc_ms(raw.get("timestamp_ms")), timezone="UTC",
                  sender=_s(raw.get("sender_name")) or None, text=_s(raw.get("content")))
    for key, kind in _MEDIA_KEYS:
        for media in json_list(raw.get(key)):
            if isinstance(media, dict) and isinstance(media.get("uri"), str):
                uri = media["uri"]
                msg.attachments.append(Attachment(name=uri.rsplit("/", 1)[-1], kind=kind,
                                                  path=uri))
    sticker = raw.get("sticker")
    if isinstance(sticker, dict) and isinstance(sticker.get("uri"), str):
        msg.attachments.append(Attachment(name=sticker["uri"].rsplit("/", 1)[-1],
                                          kind="sticker", path=sticker["uri"]))
    share = raw.get("share")
    if isinstance(share, dict):
        link = _s(share.get("link"))
        msg.extra["share"] = {k: _s(v) for k, v in share.items() if isinstance(v, str)}
        if link:
            msg.attachments.append(Attachment(name=link, kind="link", url=link))
    for reaction in json_list(raw.get("reactions")):
        if isinstance(reaction, dict):
            msg.reactions.append({"actor": _s(reaction.get("actor")),
                                  "reaction": _s(reaction.get("reaction"))})
    if raw.get("is_unsent") or raw.get("is_unsent_image_by_messenger_kid_parent"):
        msg.deleted = True
        msg.extra["unsent"] = True
    kind = _s(raw.get("type"))
    if kind in ("Unsubscribe", "Subscribe", "Call") or raw.get("call_duration") is not None:
        msg.system = kind != "Call"
        if raw.get("call_duration") is not None:
            msg.extra["call_duration"] = raw["call_duration"]
    if kind and kind not in ("Generic", "Share"):
        msg.extra["type"] = kind
    return msg


def _secure(raw: Any, index: int) -> Message:
    if not isinstance(raw, dict) or "timestamp" not in raw:
        return Message(index=index, text=json.dumps(raw, ensure_ascii=False)[:100_000],
                       unparsed=True)
    msg = Message(index=index, time=_utc_ms(raw.get("timestamp")), timezone="UTC",
                  sender=_s(raw.get("senderName")) or None, text=_s(raw.get("text")))
    for media in json_list(raw.get("media")):
        if isinstance(media, dict) and isinstance(media.get("uri"), str):
            msg.attachments.append(Attachment(name=media["uri"].rsplit("/", 1)[-1],
                                              kind="file", path=media["uri"]))
    for reaction in json_list(raw.get("reactions")):
        if isinstance(reaction, dict):
            msg.reactions.append({"actor": _s(reaction.get("actor")),
                                  "reaction": _s(reaction.get("reaction"))})
    if raw.get("isUnsent"):
        msg.deleted = True
        msg.extra["unsent"] = True
    return msg


def parse_meta(data: Any, source_name: str = "message_1.json",
               platform: str | None = None) -> Conversation:
    """One thread; pass several message_N.json parts through merge_parts first."""
    if not is_meta(data):
        raise ChatParseError(source_name, platform or "instagram/messenger", "structure")
    secure = any(isinstance(m, dict) and "senderName" in m for m in data["messages"][:5])
    data = data if secure else fix_mojibake(data)
    platform = platform or guess_platform(data, source_name)
    maker = _secure if secure else _classic
    raw_msgs = list(data["messages"])

    def key(m: Any) -> int:
        if not isinstance(m, dict):
            return 0
        stamp = m.get("timestamp" if secure else "timestamp_ms")
        return stamp if isinstance(stamp, int) else 0

    raw_msgs.sort(key=key)
    messages = [maker(m, i) for i, m in enumerate(raw_msgs)]
    conv = Conversation(platform=platform, format=f"{platform}_json", messages=messages,
                        source_name=source_name)
    title = data.get("title") or data.get("threadName")
    conv.title = _s(title)
    listed = []
    people = data.get("participants")
    for p in people if isinstance(people, list) else []:
        name = _s(p.get("name")) if isinstance(p, dict) else _s(p)
        if name:
            listed.append(name)
    seen = participants_in_order(messages)
    conv.participants = listed + [p for p in seen if p not in listed]
    if len(conv.participants) == 2 and conv.title in conv.participants:
        conv.set_me([p for p in conv.participants if p != conv.title][0], "export")
    return conv


def merge_parts(parts: list[Any]) -> Any:
    """message_1.json, message_2.json ... of one thread as one document."""
    dicts = [p for p in parts if isinstance(p, dict)]
    if not dicts:
        return parts[0] if parts else None
    merged = dict(dicts[0])
    merged["messages"] = []
    for part in dicts:
        msgs = part.get("messages")
        if isinstance(msgs, list):
            merged["messages"].extend(msgs)
    return merged


class MetaFormat(JsonChatFormat):
    """Instagram's and Facebook Messenger's "Download your information" as JSON: one
    folder per thread, its messages in message_1.json, message_2.json ..."""

    id = "meta"
    platforms = ("instagram", "messenger")

    def title(self) -> str:
        return _("Instagram or Facebook Messenger")

    def rank(self, name: str) -> int | None:
        base = posixpath.basename(name).lower()
        return 2 if base in ("message_1.json", "message.json") else None

    def is_shape(self, data: Any) -> bool:
        return is_meta(data)

    def parse(self, probe: Probe) -> list[Conversation]:
        """The thread, read whole (to sort it), its parts together, within one budget."""
        if probe.skeleton().total > MAX_META_MESSAGES:
            raise ChatExportTooBig(probe.label, self.id, "messages", MAX_META_MESSAGES)
        docs = []
        budget = MAX_META_MESSAGES
        for part in self._parts(probe):
            label = part if part != probe.name else probe.label
            doc = jsonstream.load_small(probe.source.opener(part), label, self.id, budget,
                                        probe.cancel)
            if isinstance(doc, dict) and isinstance(doc.get("messages"), list):
                budget -= len(doc["messages"])
            docs.append(doc)
        data = merge_parts(docs) if len(docs) > 1 else docs[0]
        platform = probe.wanted if probe.wanted in self.platforms else None
        return [parse_meta(data, probe.name, platform)]

    @staticmethod
    def _parts(probe: Probe) -> list[str]:
        base = posixpath.basename(probe.name)
        if not (base.startswith("message_") and base.endswith(".json")):
            return [probe.name]
        return sorted(probe.folder_names("message_*.json"), key=lambda n: (len(n), n))
