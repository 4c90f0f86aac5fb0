"""Every chat format the app reads, in the order they are asked (see formats.ChatFormat).

Adding a format is one module with its ChatFormat and one entry here. Order matters only
when two formats could claim the same file: the one listed first reads it, so the most
specific shapes come first (a Discord export has channel, guild and messages; a
Telegram one may have as little as a personal_information key).
"""

from __future__ import annotations

from evidence_app.chats.discord import DiscordFormat
from evidence_app.chats.formats import ChatFormat
from evidence_app.chats.meta import MetaFormat
from evidence_app.chats.telegram import TelegramFormat
from evidence_app.chats.whatsapp import WhatsAppFormat

REGISTRY: tuple[ChatFormat, ...] = (WhatsAppFormat(), DiscordFormat(), TelegramFormat(),
                                    MetaFormat())

# What --format accepts, in the order people know the apps by (the menu, the help).
_SHOWN = ("whatsapp", "telegram", "instagram", "messenger", "discord")
FORMATS: tuple[str, ...] = tuple(sorted(
    (p for f in REGISTRY for p in f.platforms),
    key=lambda p: (_SHOWN.index(p) if p in _SHOWN else len(_SHOWN), p)))


def format_for(platform: str) -> ChatFormat | None:
    """The format that reads exports of `platform` (a --format name), if any."""
    return next((f for f in REGISTRY if platform in f.platforms), None)
