"""Words for the machine values that reach a person: attachment kinds and indicator types.

Transcripts and indicators.json keep the English machine values ("photo", "btc", "iban")
so scripts and other tools read every bundle the same way; a transcript or a report shows
them in the reader's language, through these functions, at the moment they are shown.
"""

from __future__ import annotations

from evidence_app.i18n import N_, _

ATTACHMENT_KINDS = {
    "photo": N_("photo"), "video": N_("video"), "audio": N_("audio"),
    "voice": N_("voice message"), "sticker": N_("sticker"), "gif": N_("GIF animation"),
    "document": N_("document"), "file": N_("file"), "link": N_("link"),
    "contact": N_("contact card"),
}

INDICATOR_TYPES = {
    "phone": N_("Phone number"), "email": N_("E-mail address"), "url": N_("Web address"),
    "domain": N_("Domain"), "handle": N_("Account name"), "account_id": N_("Account ID"),
    "iban": N_("IBAN (bank account)"), "amount": N_("Amount of money"),
    "btc": N_("Bitcoin address"), "eth": N_("Ethereum address"), "tron": N_("Tron address"),
    "ltc": N_("Litecoin address"), "doge": N_("Dogecoin address"),
}


def attachment_kind(kind: str) -> str:
    """'photo' -> 'Foto' in German; an unknown kind is shown as it was recorded."""
    word = ATTACHMENT_KINDS.get(kind)
    return _(word) if word else kind


def indicator_type(kind: str) -> str:
    """'btc' -> 'Bitcoin-Adresse' in German; an unknown type is shown as it was recorded."""
    word = INDICATOR_TYPES.get(kind)
    return _(word) if word else kind


# Product names are not translated; known ones are written the way their makers write them.
CHAT_PLATFORMS = {"whatsapp": "WhatsApp", "telegram": "Telegram", "instagram": "Instagram",
                  "messenger": "Facebook Messenger", "discord": "Discord"}


def chat_platform(value: str) -> str:
    """'whatsapp' -> 'WhatsApp'; an unknown platform is shown as it was recorded. The one
    place for these names: the transcripts, the reader and the report all use it."""
    if value.casefold() == "instagram_or_messenger":  # a thread that did not say which
        return _("Instagram or Facebook Messenger")
    return CHAT_PLATFORMS.get(value.casefold(), value)


CALENDARS = {
    "buddhist": N_("Thai Buddhist calendar"),
    "japanese": N_("Japanese calendar (era years)"),
    "roc": N_("Republic of China (Minguo) calendar"),
    "islamic": N_("Islamic (Hijri) calendar"),
    "persian": N_("Persian (Solar Hijri) calendar"),
}


def calendar_name(calendar: str) -> str:
    """'buddhist' -> 'Thai Buddhist calendar' (never the internal key, when it is known)."""
    word = CALENDARS.get(calendar)
    return _(word) if word else calendar


def hijri_variant_note() -> str:
    """Said wherever Islamic dates were converted: the phone's variant is not recorded."""
    return _("Converted with the Umm al-Qura calendar: a phone set to Islamic (civil) or "
             "Islamic (tabular) may be a day or two apart; check one against the phone")


# Where a parser took a sender's name from when the message itself did not give one
# (Message.extra["sender_from"]); said beside the name, so it is never mistaken for one
# the message gives.
SENDER_SOURCES = {
    "chat": N_("name from the chat's title"),
    "from_id": N_("name from another message of the same account"),
    "personal_information": N_("name from the exporting account's own details"),
}


def sender_source(basis: str) -> str:
    word = SENDER_SOURCES.get(basis)
    return _(word) if word else _("name taken from elsewhere in the export")


def unnamed_sender() -> str:
    """A message whose sender the export does not name: said, never blank, never guessed."""
    return _("(sender not named in the export)")


def unread_parts(fields: list[str]) -> str:
    """A message with values the parser could not read (Message.extra["as_found"])."""
    return _("[parts of this message could not be read ({fields}); the JSON transcript "
             "keeps them as the export wrote them]").format(fields=", ".join(fields))


# Apps whose exports are made on a computer (Telegram Desktop, DiscordChatExporter): a
# time without a zone there is that computer's clock when it exported, not a phone's.
EXPORTED_ON_COMPUTER = frozenset({"telegram", "discord"})
