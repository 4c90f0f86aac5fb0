"""The report's words for chat transcripts: who wrote, what a message carried or the export
left out, which messages are the app's own notices, and how to read the dates and times."""

from __future__ import annotations

from evidence_app.bundle.report_model import ChatAttachment, ChatMessage, ChatTranscript
from evidence_app.bundle.report_times import zone_time
from evidence_app.chats.words import (
    attachment_kind,
    calendar_name,
    chat_platform as chat_platform,  # the one table of names; report_words takes it here
    hijri_variant_note,
    sender_source,
    unnamed_sender,
    unread_parts,
)
from evidence_app.i18n import _, ngettext


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
    calendar = calendar_warning(chat)
    if calendar:
        notices.append(calendar)
    if any(m.timezone == "computer" for m in chat.messages):
        notices.append(_(
            "Times in this chat are as the clock of the computer that made the export "
            "showed them (older Telegram Desktop exports write no time zone); the export "
            "does not say which time zone that computer was set to."))
    return notices


def calendar_warning(chat: ChatTranscript) -> str:
    """Said above a chat whose phone wrote another calendar, or one that could not be told."""
    if chat.calendar == "unknown":
        lines = sum(1 for m in chat.messages if m.unparsed)
        return ngettext(
            "The dates in this export could be Islamic (Hijri) or Persian (Solar Hijri) "
            "years, and nothing in the export tells which. No date was guessed: {count} "
            "line is listed without a time, kept exactly as the export wrote it. To know "
            "the calendar, look at one message on the phone, or at its calendar setting "
            "(iPhone: Settings, General, Language & Region, Calendar).",
            "The dates in this export could be Islamic (Hijri) or Persian (Solar Hijri) "
            "years, and nothing in the export tells which. No date was guessed: {count} "
            "lines are listed without a time, kept exactly as the export wrote them. To "
            "know the calendar, look at one message on the phone, or at its calendar "
            "setting (iPhone: Settings, General, Language & Region, Calendar).",
            lines).format(count=lines)
    if not chat.calendar or chat.calendar == "gregorian":
        return ""
    words = _("Dates in this export use the {calendar}; they are shown converted to the "
              "Gregorian calendar, with the date as the export wrote it beside each "
              "message.").format(calendar=calendar_name(chat.calendar))
    if chat.calendar == "islamic":
        words += " " + hijri_variant_note() + "."
    return words


def chat_sender(message: ChatMessage) -> str:
    """The sender column: a system message is said to be one, whoever the export named; a
    sender the export does not name is said so (never blank, never guessed); a name the
    message did not give says where it was found."""
    if message.unparsed:
        return _("(line not understood, kept exactly as found)")
    if message.system:
        return _("(system message)")
    if message.sender_unknown or not message.sender:
        return unnamed_sender()
    if message.sender_from:
        return f"{message.sender} ({sender_source(message.sender_from)})"
    return message.sender


def chat_time(message: ChatMessage) -> str:
    """The time cell: the time with its clock and, when it was converted from other digits
    or another calendar, the date as the export wrote it, on a line of its own: a line is
    laid out in the direction of its own first letter, so a right-to-left date keeps the
    order the phone shows (beside a left-to-right label the PDF would not reorder it, and
    isolates cannot be used: the report shows them as [U+2068])."""
    when = zone_time(message.time, message.timezone)
    if message.shown_time and message.time:
        when += "\n" + _("written in the export as:") + "\n" + message.shown_time
    return when


def chat_row(message: ChatMessage) -> list[str]:
    text = message_text(message.text, message.attachments,
                        chat_flags(message.edited, message.deleted, message.forwarded_from))
    if message.unread:
        text = "\n".join(part for part in (text, unread_parts(list(message.unread))) if part)
    return [chat_time(message), chat_sender(message), text]


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
