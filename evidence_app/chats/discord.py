"""Discord channel or DM exported with DiscordChatExporter (JSON format).

Timestamps carry their offset, so they are kept as given. Authors are identified by
their account id as well as their name, which is what a police request to Discord needs.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import Any

from evidence_app.chats.asfound import as_text, keep
from evidence_app.chats.formats import JsonChatFormat, Probe, json_list
from evidence_app.chats.model import Attachment, Conversation, Message, MessageLog
from evidence_app.core.errors import ChatParseError
from evidence_app.i18n import _

_SYSTEM_TYPES = {"RecipientAdd", "RecipientRemove", "Call", "ChannelNameChange",
                 "ChannelIconChange", "ChannelPinnedMessage", "GuildMemberJoin",
                 "ThreadCreated", "ChannelFollowAdd"}


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _text(extra: dict[str, Any], raw: dict[str, Any], key: str, kept_as: str = "") -> str:
    """A text field; any other value is kept as found (asfound.py), never made text."""
    value = raw.get(key)
    if value is None or isinstance(value, str):
        return value or ""
    keep(extra, kept_as or key, value)
    return ""


def is_discord(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("messages"), list)
            and isinstance(data.get("channel"), dict) and "guild" in data)


def _offset(stamp: str) -> str:
    if stamp.endswith("Z"):
        return "UTC"
    tail = stamp[-6:]
    if len(tail) == 6 and tail[0] in "+-" and tail[3] == ":":
        return "UTC" if tail in ("+00:00", "-00:00") else tail
    return "device"


def _message(raw: Any, index: int) -> Message:
    if not isinstance(raw, dict) or not isinstance(raw.get("timestamp"), str):
        return Message(index=index, text=as_text(raw), unparsed=True)
    stamp = raw["timestamp"]
    author = raw.get("author")
    if not isinstance(author, dict):
        author = {}
    extra: dict[str, Any] = {}
    name = _text(extra, author, "name")
    disc = _s(author.get("discriminator"))
    if disc and disc != "0000":
        name = f"{name}#{disc}"
    msg = Message(index=index, time=stamp, timezone=_offset(stamp), id=_s(raw.get("id")),
                  sender=name or None, sender_id=_s(author.get("id")) or None,
                  text=_text(extra, raw, "content"))
    nickname = _text(extra, author, "nickname")
    if nickname and nickname != author.get("name"):
        msg.extra["nickname"] = nickname
    kind = _text(extra, raw, "type")
    if extra:
        msg.extra.update(extra)
    msg.system = kind in _SYSTEM_TYPES
    if kind not in ("", "Default", "Reply"):
        msg.extra["type"] = kind
    if raw.get("timestampEdited"):
        msg.edited = True
        msg.edited_time = _s(raw.get("timestampEdited"))
    ref = raw.get("reference")
    if isinstance(ref, dict) and ref.get("messageId"):
        msg.reply_to = _s(ref.get("messageId"))
    for att in json_list(raw.get("attachments")):
        if isinstance(att, dict):
            url = _s(att.get("url"))
            local = url if url and "://" not in url else None
            msg.attachments.append(Attachment(
                name=_s(att.get("fileName")) or url.rsplit("/", 1)[-1], kind="file",
                path=local, url=url if local is None else None))
    for sticker in json_list(raw.get("stickers")):
        if isinstance(sticker, dict):
            msg.attachments.append(Attachment(name=_s(sticker.get("name")), kind="sticker",
                                              url=_s(sticker.get("sourceUrl")) or None))
    for embed in json_list(raw.get("embeds")):
        if isinstance(embed, dict) and embed.get("url"):
            msg.attachments.append(Attachment(name=_s(embed.get("title")) or _s(embed["url"]),
                                              kind="link", url=_s(embed["url"])))
    for reaction in json_list(raw.get("reactions")):
        if not isinstance(reaction, dict):
            continue
        emoji = reaction.get("emoji")
        if not isinstance(emoji, dict):
            emoji = {}
        label = _s(emoji.get("name")) or _s(emoji.get("code")) or "?"
        users = [u for u in json_list(reaction.get("users")) if isinstance(u, dict)]
        for user in users or [{}]:
            msg.reactions.append({"actor": _s(user.get("name")), "reaction": label})
    return msg


def parse_discord(data: Any, source_name: str = "discord.json") -> Conversation:
    """The channel, from the whole document."""
    if not is_discord(data):
        raise ChatParseError(source_name, "discord", "structure")
    return parse_discord_stream(data, data["messages"], source_name)


def parse_discord_stream(data: Any, messages: Iterable[Any],
                         source_name: str = "discord.json") -> Conversation:
    """The channel: `data` is the document's shape (its message list may be cut short),
    `messages` every message in the file's order."""
    if not is_discord(data):
        raise ChatParseError(source_name, "discord", "structure")
    log = MessageLog()
    participants: dict[str, None] = {}
    ids: dict[str, str] = {}
    for index, raw in enumerate(messages):
        m = _message(raw, index)
        log.append(m)
        if m.sender and not m.system and not m.unparsed:
            participants.setdefault(m.sender, None)
        if m.sender and m.sender_id:
            ids.setdefault(m.sender, m.sender_id)
    guild = data.get("guild") if isinstance(data.get("guild"), dict) else {}
    channel = data["channel"]
    guild_name = _s(guild.get("name"))
    channel_name = _s(channel.get("name"))
    title = channel_name if guild_name in ("", "Direct Messages") else \
        f"{guild_name} / #{channel_name}"
    conv = Conversation(platform="discord", format="discord_json", title=title,
                        messages=log, source_name=source_name)
    conv.participants = list(participants)
    conv.participant_ids = ids
    conv.notes = {"guild": guild_name, "guild_id": _s(guild.get("id")),
                  "channel": channel_name, "channel_id": _s(channel.get("id")),
                  "exported_at": _s(data.get("exportedAt"))}
    return conv


class DiscordFormat(JsonChatFormat):
    """A channel or DM saved by DiscordChatExporter as JSON (one file per channel)."""

    id = "discord"
    platforms = ("discord",)

    def title(self) -> str:
        return _("Discord")

    def rank(self, name: str) -> int | None:
        base = posixpath.basename(name).lower()
        return 3 if base.endswith(".json") and not base.startswith("message_") else None

    def is_shape(self, data: Any) -> bool:
        return is_discord(data)

    def parse(self, probe: Probe) -> list[Conversation]:
        skeleton = probe.skeleton()
        with probe.messages(self.id, skeleton.total) as every:
            messages = (raw for path, raw in every if path == ("messages",))
            return [parse_discord_stream(skeleton.data, messages, probe.name)]
