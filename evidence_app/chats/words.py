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
