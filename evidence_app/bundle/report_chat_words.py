"""The report's words for chat transcripts: who wrote, what a message carried or the export
left out, which messages are the app's own notices, and how to read the dates and times."""

from __future__ import annotations

from evidence_app.bundle.report_model import ChatAttachment, ChatMessage, ChatTranscript
from evidence_app.bundle.report_times import zone_time
from evidence_app.chats.words import attachment_kind
from evidence_app.i18n import _

# Product names are not translated; known ones are written the way their makers write them.
_CHAT_PLATFORMS = {"whatsapp": "WhatsApp", "telegram": "Telegram", "instagram": "Instagram",
                   "messenger": "Facebook Messenger", "discord": "Discord"}


def chat_platform(value: str) -> str:
    """'whatsapp' -> 'WhatsApp'; an unknown platform is shown as it was recorded."""
    if value.casefold() == "instagram_or_messenger":  # a thread that did not say which
        return _("Instagram or Facebook Messenger")
    return _CHAT_PLATFORMS.get(value.casefold(), value)


def chat_header() -> list[str]:
    return [_("Time"), _("From"), _("Message")]


def chat_heading(chat: ChatTranscript) -> str:
    """'Anna (WhatsApp)': the platform as its makers write it, never the stored key."""
    platform = chat_platform(chat.platform) if chat.platform else ""
    return f"{chat.title} ({platform})" if platform else chat.title


def chat_participants(chat: ChatTranscript) -> str:
    """Which item holds the chat, and who took part (the person who imported it marked)."""
    names = [_("{name} (the person reporting)").format(name=name) if name == chat.me
             else name for name in chat.participants]
    parts = [_("Item {number}").format(number=chat.item_id)] if chat.item_id else []
    if names:
        parts.append(_("Participants: {names}").format(names=", ".join(names)))
    return " · ".join(parts)


def chat_warnings(chat: ChatTranscript) -> list[str]:
    """What the officer must know before reading the dates of this chat."""
    notices = []
    if chat.date_order_uncertain:
        day_first = chat.date_order == "dmy"
        notices.append(_(
            "Dates in this export can be read two ways: 03/04/2026 may be 3 April or "
            "4 March. The export does not say which, and this app read them {order}. If "
            "the phone writes dates the other way, every date in this chat is wrong; check "
            "one message on the phone.").format(
                order=_("day first (03/04/2026 = 3 April 2026)") if day_first
                else _("month first (03/04/2026 = 4 March 2026)")))
    return notices


def chat_sender(message: ChatMessage) -> str:
    """The sender column: a system message is said to be one, whoever the export named."""
    return _("(system message)") if message.system else message.sender


def chat_row(message: ChatMessage) -> list[str]:
    return [zone_time(message.time, message.timezone), chat_sender(message),
            message_text(message.text, message.attachments,
                         chat_flags(message.edited, message.deleted, message.forwarded_from))]


def attachment_text(attachment: ChatAttachment) -> str:
    """'[Foto: IMG-001.jpg]', or '[Foto nicht im Export enthalten]' for a left-out file."""
    kind = attachment_kind(attachment.kind or "file")
    if attachment.omitted and attachment.kind in ("", "file"):
        return _("[a photo, video, voice message or other file was sent here; the export "
                 "left it out]")
    if attachment.omitted:
        return _("[{kind} not included in the export]").format(kind=kind)
    if attachment.kind in ("", "file"):
        return _("[attachment: {name}]").format(name=attachment.name)
    return _("[{kind}: {name}]").format(kind=kind, name=attachment.name)


def message_text(text: str, attachments: list[ChatAttachment], flags: list[str]) -> str:
    parts = [text] if text else []
    parts += [attachment_text(a) for a in attachments]
    parts += flags
    return "\n".join(parts)


def chat_flags(edited: bool, deleted: bool, forwarded_from: str) -> list[str]:
    flags = []
    if edited:
        flags.append(_("[edited]"))
    if deleted:
        flags.append(_("[deleted]"))
    if forwarded_from:
        flags.append(_("[forwarded from {name}]").format(name=forwarded_from))
    return flags


def device_time_note() -> str:
    return _("Times marked \"phone's clock\" are as the phone showed them; the chat export "
             "does not say which time zone that was.")


def no_chats() -> str:
    return _("No chat transcripts are part of this bundle.")
