"""The case details, chats and indicators as the report shows them, read tolerantly.

case.json is typed in by a frightened person and chats come from five different apps, so
these readers accept a string where a list was expected, a dict where a string was, and
keep every field they do not know under "other" rather than dropping what the victim wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evidence_app.chats.words import EXPORTED_ON_COMPUTER

_REFERENCE_KEYS = ("reference", "case_reference", "case_ref")
_KNOWN_KEYS = {*_REFERENCE_KEYS, "statement", "incident_dates", "incident_date", "platforms",
               "offender_accounts", "offenders", "payments", "contact", "contacts",
               "case_notes"}  # case notes come from the vault's notes
_IDENTIFIER_KEYS = ("identifier", "account", "handle", "username", "value", "id", "url",
                    "phone", "email")


@dataclass(frozen=True)
class OffenderAccount:
    platform: str
    identifier: str
    name: str = ""
    note: str = ""


@dataclass(frozen=True)
class Payment:
    date: str = ""
    amount: str = ""
    currency: str = ""
    method: str = ""
    reference: str = ""
    wallet: str = ""
    recipient: str = ""
    note: str = ""


@dataclass
class CaseSummary:
    reference: str = ""
    statement: str = ""
    incident_dates: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    offenders: list[OffenderAccount] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    contact: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (text, UTC time)
    other: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ChatAttachment:
    """A file a message carried: its name, its kind ("photo"...), and whether the export
    left it out (then there is often no name, but the officer should still see it was sent)."""

    name: str
    kind: str = ""
    omitted: bool = False


@dataclass(frozen=True)
class ChatMessage:
    time: str | None
    # "UTC", an offset, "device" (a phone's clock, zone not recorded) or "computer" (the
    # clock of the computer that made the export: Telegram Desktop, DiscordChatExporter).
    timezone: str
    sender: str
    text: str
    attachments: list[ChatAttachment] = field(default_factory=list)
    system: bool = False
    edited: bool = False
    deleted: bool = False
    forwarded_from: str = ""
    shown_time: str = ""  # the date as the export wrote it, when `time` was converted
    unparsed: bool = False  # a line no parser understood, kept exactly as found
    sender_from: str = ""  # where the name was found when the message did not give it
    sender_unknown: bool = False  # the export names no sender for this message
    unread: tuple[str, ...] = ()  # fields whose values could not be read (kept as found)


@dataclass
class ChatTranscript:
    title: str
    platform: str
    participants: list[str] = field(default_factory=list)
    me: str = ""
    messages: list[ChatMessage] = field(default_factory=list)
    source_name: str = ""
    item_id: str = ""
    # How the export's dates were read: "dmy" | "mdy" | "ymd", and why ("values",
    # "sequence", or "assumed"/"conflict" when the export itself could not tell).
    date_order: str = ""
    date_order_basis: str = ""
    # The calendar the export's dates were written in ("buddhist", "islamic"...; "unknown"
    # when the years fit two calendars) and how that was known (chats/calendars.py).
    calendar: str = ""
    calendar_basis: str = ""

    @property
    def date_order_uncertain(self) -> bool:
        """True when 03/04/2026 in this export could be 3 April as well as 4 March."""
        return self.date_order in ("dmy", "mdy") and self.date_order_basis in ("assumed",
                                                                                 "conflict")


@dataclass(frozen=True)
class Indicator:
    """Something that points at the offender: an account, number, wallet, IBAN, URL..."""

    kind: str
    value: str
    seen_in: str = ""
    sources: tuple[dict[str, Any], ...] = ()  # as evidence_app.chats.indicators gives them


def as_mapping(value: Any) -> dict[str, Any]:
    """A JSON object read from a vault or bundle as a dict; anything else as an empty one."""
    return value if isinstance(value, dict) else {}


def as_text(value: Any) -> str:
    """Any JSON value as one readable line (dicts as 'key: value; ...')."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {as_text(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, (list, tuple)):
        return ", ".join(as_text(v) for v in value if v not in (None, ""))
    return str(value)


def _as_list(value: Any) -> list[Any]:
    if value in (None, "", [], {}):
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _date_text(value: Any) -> str:
    if isinstance(value, dict) and ("from" in value or "to" in value):
        start, end = as_text(value.get("from")), as_text(value.get("to"))
        return f"{start} – {end}" if start and end else start or end
    return as_text(value)


def _offender(value: Any) -> OffenderAccount:
    if not isinstance(value, dict):
        return OffenderAccount("", as_text(value))
    ident = next((as_text(value[k]) for k in _IDENTIFIER_KEYS if value.get(k)), "")
    return OffenderAccount(
        platform=as_text(value.get("platform")),
        identifier=ident,
        name=as_text(value.get("name") or value.get("display_name")),
        note=as_text(value.get("note") or value.get("notes")),
    )


def _payment(value: Any) -> Payment:
    if not isinstance(value, dict):
        return Payment(note=as_text(value))
    return Payment(**{
        name: as_text(value.get(name) if value.get(name) is not None else value.get(alias))
        for name, alias in (("date", "time"), ("amount", "value"), ("currency", "asset"),
                            ("method", "via"), ("reference", "transaction_id"),
                            ("wallet", "address"), ("recipient", "to"), ("note", "notes"))
    })


def case_summary(case: dict[str, Any], notes: list[tuple[str, str]] | None = None) -> CaseSummary:
    """The case details for the report from case.json (or the vault's case fields)."""
    reference = next((as_text(case[k]) for k in _REFERENCE_KEYS if case.get(k)), "")
    dates = _as_list(case.get("incident_dates")) or _as_list(case.get("incident_date"))
    contact_raw = case.get("contact") or case.get("contacts")
    if isinstance(contact_raw, dict):
        contact = [(str(k), as_text(v)) for k, v in contact_raw.items() if v not in (None, "")]
    else:
        contact = [("", as_text(v)) for v in _as_list(contact_raw)]
    other = [(str(k), as_text(v)) for k, v in case.items()
             if k not in _KNOWN_KEYS and v not in (None, "", [], {})]
    return CaseSummary(
        reference=reference,
        statement=as_text(case.get("statement")),
        incident_dates=[_date_text(d) for d in dates],
        platforms=[as_text(p) for p in _as_list(case.get("platforms"))],
        offenders=[_offender(o) for o in
                   _as_list(case.get("offender_accounts")) or _as_list(case.get("offenders"))],
        payments=[_payment(p) for p in _as_list(case.get("payments"))],
        contact=contact,
        notes=list(notes or []),
        other=other,
    )


# --- chats and indicators ------------------------------------------------------------------


def _attachment(raw: Any) -> ChatAttachment:
    if not isinstance(raw, dict):
        return ChatAttachment(as_text(raw))
    return ChatAttachment(as_text(raw.get("name")), as_text(raw.get("kind")),
                          bool(raw.get("omitted")))


def _message(raw: dict[str, Any], platform: str = "") -> ChatMessage:
    attachments = [_attachment(a) for a in raw.get("attachments") or []]
    extra = as_mapping(raw.get("extra"))
    timezone = str(raw.get("timezone") or "device")
    if timezone == "device" and platform in EXPORTED_ON_COMPUTER:
        timezone = "computer"  # Telegram Desktop's local dates: the exporting computer's
    unread = as_mapping(extra.get("as_found"))
    return ChatMessage(
        time=raw.get("time") or None,
        timezone=timezone,
        sender=as_text(raw.get("sender")),
        text=as_text(raw.get("text")),
        attachments=[a for a in attachments if a.name or a.omitted],
        system=bool(raw.get("system")),
        edited=bool(raw.get("edited")),
        deleted=bool(raw.get("deleted")),
        forwarded_from=as_text(raw.get("forwarded_from")),
        shown_time=as_text(raw.get("shown_time")),
        unparsed=bool(raw.get("unparsed")),
        sender_from=as_text(extra.get("sender_from")),
        sender_unknown=bool(extra.get("sender_unknown")),
        unread=tuple(str(key) for key in list(unread)[:20]),
    )


def transcript_from(value: Any) -> ChatTranscript:
    """A transcript from a stored Conversation (its to_dict() form) or a ChatTranscript."""
    if isinstance(value, ChatTranscript):
        return value
    data = value.to_dict() if hasattr(value, "to_dict") else dict(value)
    notes = as_mapping(data.get("notes"))
    platform = as_text(data.get("platform"))
    return ChatTranscript(
        title=as_text(data.get("title")) or as_text(data.get("source_name")),
        platform=platform,
        participants=[as_text(p) for p in data.get("participants") or []],
        me=as_text(data.get("me")),
        messages=[_message(m, platform) for m in data.get("messages") or []
                  if isinstance(m, dict)],
        source_name=as_text(data.get("source_name")),
        item_id=as_text(data.get("item_id")),
        date_order=as_text(notes.get("date_order")),
        date_order_basis=as_text(notes.get("date_order_basis")),
        calendar=as_text(notes.get("calendar")),
        calendar_basis=as_text(notes.get("calendar_basis")),
    )


def transcripts_from(values: list[Any]) -> list[ChatTranscript]:
    return [transcript_from(v) for v in values]


def indicators_from(values: list[Any]) -> list[Indicator]:
    """Indicators from dicts (type/kind, value, seen_in/where/sources) or Indicator."""
    out: list[Indicator] = []
    for value in values:
        if isinstance(value, Indicator):
            out.append(value)
        elif isinstance(value, dict):
            sources = tuple(s for s in value.get("sources") or [] if isinstance(s, dict))
            seen = value.get("seen_in") or value.get("where")
            out.append(Indicator(as_text(value.get("type") or value.get("kind")),
                                 as_text(value.get("value")), as_text(seen), sources))
    return out
