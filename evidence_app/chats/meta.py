"""Instagram and Facebook Messenger "Download your information" JSON (message_1.json ...).

Meta writes UTF-8 bytes as if each byte were a Latin-1 character ("\\u00f0\\u009f\\u0098\\u0080"
for one emoji). `fix_mojibake` undoes that for every string, only when the result is valid
UTF-8, so text that was already right is never damaged. Messages come newest first; we
sort them oldest first. `timestamp_ms` is UTC. The newer end-to-end encrypted Messenger
export (camelCase keys, plain UTF-8) is read too, and so are threads that have only
`messages` (no `participants`), each with just `sender_name`, `timestamp_ms`, `content`.

Both apps write the same keys (magic_words, joinable_mode, is_still_participant,
is_geoblocked_for_viewer...), so a thread says which app it is from only by the folder
the export puts it in (your_instagram_activity/ or your_facebook_activity/, also in its
media paths) or by `thread_type`, which Messenger's exports of 2018-2022 write. When
nothing says which, or the signs disagree, the platform is "instagram_or_messenger"
(never a guess; see tests/chats/test_meta_platforms.py for the sources of these facts).
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
from collections.abc import Iterable
from typing import Any

from evidence_app.chats import jsonstream
from evidence_app.chats.asfound import MAX_DEPTH, as_text, bounded, keep
from evidence_app.chats.formats import JsonChatFormat, Probe, json_list
from evidence_app.chats.model import Attachment, Conversation, Message, participants_in_order
from evidence_app.core.errors import ChatExportTooBig, ChatParseError
from evidence_app.i18n import _

MAX_META_MESSAGES = 200_000  # a thread is read whole (to sort it)
EITHER = "instagram_or_messenger"  # the platform of a thread that does not say which

_MEDIA_KEYS = (("photos", "photo"), ("videos", "video"), ("audio_files", "audio"),
               ("gifs", "gif"), ("files", "document"))
_INSTAGRAM_FOLDERS = ("your_instagram_activity/",)
_FACEBOOK_FOLDERS = ("your_facebook_activity/", "your_activity_across_facebook/")
_LAST_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_URIS_LOOKED_AT = 200  # messages whose media paths are read to tell the app


def fix_mojibake(value: Any, _depth: int = 0) -> Any:
    """Re-decode Latin-1-escaped UTF-8 strings (only where that is valid), in lists and
    objects down to asfound.MAX_DEPTH levels (deeper values are not read anyway)."""
    if isinstance(value, str):
        if value.isascii():  # most keys and much text: nothing to repair
            return value
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    if _depth > MAX_DEPTH:
        return value
    if isinstance(value, list):
        return [fix_mojibake(v, _depth + 1) for v in value]
    if isinstance(value, dict):
        return {fix_mojibake(k, _depth + 1): fix_mojibake(v, _depth + 1)
                for k, v in value.items()}
    return value


def _ms(value: Any) -> int | None:
    """Milliseconds since 1970 that are a time (not negative, not past year 9999)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return int(value) if 0 <= value <= _LAST_MS else None


def _utc_ms(ms: int) -> str:
    """"2024-01-07T10:00:00+00:00" (whole seconds, as every transcript writes times)."""
    return (_EPOCH + dt.timedelta(seconds=ms // 1000)).isoformat()


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def is_meta(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        return False
    sample = data["messages"][:5]
    msgs = [m for m in sample if isinstance(m, dict)]
    if "participants" not in data:  # the minimal form: every message has both
        return msgs != [] and len(msgs) == len(sample) and all(
            "sender_name" in m and "timestamp_ms" in m for m in msgs)
    classic = all("sender_name" in m or "timestamp_ms" in m for m in msgs)
    secure = msgs != [] and all("senderName" in m and "timestamp" in m for m in msgs)
    return classic or secure


def _media_paths(data: dict[str, Any]) -> Iterable[str]:
    for raw in data["messages"][:_URIS_LOOKED_AT]:
        if not isinstance(raw, dict):
            continue
        for key in (*(k for k, _kind in _MEDIA_KEYS), "sticker", "media"):
            for media in (raw[key] if isinstance(raw.get(key), list) else [raw.get(key)]):
                if isinstance(media, dict) and isinstance(media.get("uri"), str):
                    yield media["uri"]


def guess_platform(data: dict[str, Any], path_hint: str | Iterable[str]) -> tuple[str, str]:
    """instagram, messenger, or EITHER when the export does not say (or says both); and
    what said so: "folder", "thread_type", or ""."""
    hints = [path_hint] if isinstance(path_hint, str) else list(path_hint)
    places = [h.replace("\\", "/").lower() for h in (*hints, *_media_paths(data))]
    instagram = any(f in p for p in places for f in _INSTAGRAM_FOLDERS)
    facebook = any(f in p for p in places for f in _FACEBOOK_FOLDERS)
    thread_type = isinstance(data.get("thread_type"), str)
    if instagram and not (facebook or thread_type):
        return "instagram", "folder"
    if facebook and not instagram:
        return "messenger", "folder"
    if thread_type and not instagram:
        return "messenger", "thread_type"
    return EITHER, ""


def _sender(msg: Message, raw: dict[str, Any], key: str) -> None:
    name = raw.get(key)
    if isinstance(name, str):
        msg.sender = name or None
    elif name is not None:
        keep(msg.extra, key, name)


def _text(msg: Message, raw: dict[str, Any], key: str) -> None:
    text = raw.get(key)
    if isinstance(text, str):
        msg.text = text
    elif text is not None:
        msg.text = str(text) if isinstance(text, int | float) else ""
        keep(msg.extra, key, text)


def _time(msg: Message, raw: dict[str, Any], key: str) -> None:
    ms = _ms(raw.get(key))
    if ms is None:
        keep(msg.extra, key, raw.get(key))
    else:
        msg.time = _utc_ms(ms)


def _reactions(msg: Message, raw: dict[str, Any]) -> None:
    for reaction in json_list(raw.get("reactions")):
        if isinstance(reaction, dict):
            msg.reactions.append({"actor": _s(reaction.get("actor")),
                                  "reaction": _s(reaction.get("reaction"))})


def _classic(raw: Any, index: int) -> Message:
    if not isinstance(raw, dict) or "timestamp_ms" not in raw:
        return Message(index=index, text=as_text(raw), unparsed=True)
    msg = Message(index=index, timezone="UTC")
    _time(msg, raw, "timestamp_ms")
    _sender(msg, raw, "sender_name")
    _text(msg, raw, "content")
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
        msg.extra["share"] = {k: v for k, v in share.items() if isinstance(v, str)}
        if link:
            msg.attachments.append(Attachment(name=link, kind="link", url=link))
    _reactions(msg, raw)
    if raw.get("is_unsent") or raw.get("is_unsent_image_by_messenger_kid_parent"):
        msg.deleted = True
        msg.extra["unsent"] = True
    kind = _s(raw.get("type"))
    if kind in ("Unsubscribe", "Subscribe", "Call") or raw.get("call_duration") is not None:
        msg.system = kind != "Call"
        if raw.get("call_duration") is not None:
            msg.extra["call_duration"] = bounded(raw["call_duration"])
    if kind and kind not in ("Generic", "Share"):
        msg.extra["type"] = kind
    return msg


def _secure(raw: Any, index: int) -> Message:
    if not isinstance(raw, dict) or "timestamp" not in raw:
        return Message(index=index, text=as_text(raw), unparsed=True)
    msg = Message(index=index, timezone="UTC")
    _time(msg, raw, "timestamp")
    _sender(msg, raw, "senderName")
    _text(msg, raw, "text")
    for media in json_list(raw.get("media")):
        if isinstance(media, dict) and isinstance(media.get("uri"), str):
            msg.attachments.append(Attachment(name=media["uri"].rsplit("/", 1)[-1],
                                              kind="file", path=media["uri"]))
    _reactions(msg, raw)
    if raw.get("isUnsent"):
        msg.deleted = True
        msg.extra["unsent"] = True
    return msg


def _oldest_first(raw_msgs: list[Any], key: str) -> list[Any]:
    """Meta writes newest first: reversed, then sorted by time; a message whose time
    cannot be read stays beside the one before it in the file's order."""
    keyed = []
    last = 0
    for raw in reversed(raw_msgs):
        stamp = _ms(raw.get(key)) if isinstance(raw, dict) else None
        last = stamp if stamp is not None else last
        keyed.append((last, raw))
    keyed.sort(key=lambda pair: pair[0])
    return [raw for _stamp, raw in keyed]


def parse_meta(data: Any, source_name: str = "message_1.json",
               platform: str | None = None,
               hints: Iterable[str] = ()) -> Conversation:
    """One thread; pass several message_N.json parts through merge_parts first. `hints`:
    where the export lies (paths), which may say which app wrote it."""
    if not is_meta(data):
        raise ChatParseError(source_name, platform or "instagram/messenger", "structure")
    secure = any(isinstance(m, dict) and "senderName" in m for m in data["messages"][:5])
    data = data if secure else fix_mojibake(data)
    basis = "chosen"
    if platform is None:
        platform, basis = guess_platform(data, [source_name, *hints])
    maker = _secure if secure else _classic
    raw_msgs = _oldest_first(data["messages"], "timestamp" if secure else "timestamp_ms")
    messages = [maker(m, i) for i, m in enumerate(raw_msgs)]
    conv = Conversation(platform=platform, format=f"{platform}_json", messages=messages,
                        source_name=source_name)
    title = data.get("title") or data.get("threadName")
    conv.title = title if isinstance(title, str) else ""
    conv.notes["platform_from"] = basis
    listed = []
    people = data.get("participants")
    for p in people if isinstance(people, list) else []:
        name = p.get("name") if isinstance(p, dict) else p
        if isinstance(name, str) and name:
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
        return [parse_meta(data, probe.name, platform, _where(probe))]

    @staticmethod
    def _parts(probe: Probe) -> list[str]:
        base = posixpath.basename(probe.name)
        if not (base.startswith("message_") and base.endswith(".json")):
            return [probe.name]
        return sorted(probe.folder_names("message_*.json"), key=lambda n: (len(n), n))


def _where(probe: Probe) -> list[str]:
    """The paths that may name the export's folder: the file's name in the export, the
    file or folder the person chose."""
    root = getattr(probe.source, "root", None)
    return [str(p) for p in (probe.label, probe.direct, root) if p]
