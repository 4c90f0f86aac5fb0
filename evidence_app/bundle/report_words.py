"""The report's words and rows, shared by the HTML and the PDF so both say the same thing.

Every label goes through `_()` when called (the caller has set the language). Rows are
(label, value, style) with style "text" or "mono"; values are raw case text — each renderer
escapes or draws them as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from evidence_app import formatting
from evidence_app.bundle.report_case import Payment
from evidence_app.bundle.report_chat_words import chat_platform, chat_sender, message_text
from evidence_app.bundle.report_model import (
    CustodyEntry,
    Indicator,
    ReportData,
    ReportItem,
    TimelineEntry,
)
from evidence_app.bundle.report_ocr_words import picture_place
from evidence_app.bundle.report_source_words import source_text as source_text
from evidence_app.bundle.report_times import utc_text, when_text, zone_time
from evidence_app.case_fields import case_field
from evidence_app.chats.words import attachment_kind, indicator_type
from evidence_app.i18n import N_, _, ngettext
from evidence_app.item_kinds import item_kind_words
from evidence_app.ocr.found import PICTURE_KIND
from evidence_app.ocr.stored import KINDS as OCR_KINDS

Row = tuple[str, str, str]

clean = formatting.visible_marks


def human_size(size: int) -> str:
    """'8.3 KB (8305 bytes)': rounded for reading, exact for checking (the one size format
    the app uses everywhere, from evidence_app.formatting)."""
    return formatting.human_size(size, exact=size >= 1000)


def protection_text(data: ReportData) -> str:
    if data.protection == "recipient":
        return _("Encrypted with age to the recipient key {key}").format(key=data.recipient)
    if data.protection == "passphrase":
        return _("Encrypted with age using a passphrase (given separately)")
    return _("Not encrypted (the sender chose this)")


def sensitive_label() -> str:
    return _("Sensitive item (e.g. an intimate image): no picture and no file name are "
             "shown. The original is in the bundle, under its item number.")


def title() -> str:
    return _("Evidence report")


def section_titles() -> dict[str, str]:
    return {
        "summary": _("Case summary"),
        "integrity": _("Integrity status"),
        "contact": _("How to reach the person reporting"),
        "statement": _("Statement in the victim's own words"),
        "incident": _("What happened"),
        "payments": _("Payments made"),
        "timeline": _("Timeline"),
        "items": _("Evidence items"),
        "chats": _("Chat transcripts"),
        "indicators": _("Indicators"),
        "custody": _("Custody log"),
        "verify": _("How to verify this bundle"),
    }


# Payment methods written as the app's examples and sample files write them; anything else
# is the victim's own words and is shown exactly as typed.
_PAYMENT_METHODS = {
    "bank transfer": N_("Bank transfer"), "bank_transfer": N_("Bank transfer"),
    "wire transfer": N_("Bank transfer"), "crypto": N_("Cryptocurrency"),
    "cryptocurrency": N_("Cryptocurrency"), "gift card": N_("Gift card"),
    "gift_card": N_("Gift card"), "gift cards": N_("Gift card"), "cash": N_("Cash"),
    "card": N_("Card payment"), "credit card": N_("Card payment"),
    "debit card": N_("Card payment"),
}


def payment_method(value: str) -> str:
    """A known method word in the report's language; the victim's own words unchanged."""
    word = _PAYMENT_METHODS.get(value.strip().casefold())
    return _(word) if word else value


def key_time_text(data: ReportData) -> str:
    """"this key existed on DATE (authority)" for each authority that stamped it."""
    if not data.key_times:
        return _("no trusted timestamp of the key yet (it was made while offline or with "
                 "timestamps off)")
    return "\n".join(_("this key existed on {time} ({authority})").format(
        time=utc_text(t.time), authority=t.tsa) for t in data.key_times)


def summary_rows(data: ReportData) -> list[Row]:
    case = data.case
    return [
        (_("Case reference"), case.reference or _("(none given)"), "text"),
        (_("Bundle"), data.bundle_name, "mono"),
        (_("Sealed at"), when_text(data.sealed_at, data.sealed_offset), "text"),
        (_("Signer key fingerprint"), data.signer_fingerprint, "mono"),
        (_("Signer key existed"), key_time_text(data), "text"),
        (_("Protection"), protection_text(data), "text"),
        (_("Made with"), data.software, "text"),
    ]


def contact_text(data: ReportData) -> str:
    """The victim's own ways to be reached, as they wrote them ("How to reach me"); for the
    officer, and never an offender indicator."""
    return "\n".join(f"{case_field(label)}: {value}" if label else value
                     for label, value in data.case.contact)


def contact_note() -> str:
    return _("The person's own contact details, as they gave them. They are left out of the "
             "indicators.")


def incident_rows(data: ReportData) -> list[Row]:
    case = data.case
    rows: list[Row] = []
    if case.incident_dates:
        rows.append((_("Incident dates"), "\n".join(case.incident_dates), "text"))
    if case.platforms:
        rows.append((_("Platforms"), ", ".join(case.platforms), "text"))
    for acc in case.offenders:
        parts = [p for p in (acc.platform, acc.identifier, acc.name, acc.note) if p]
        rows.append((_("Offender account"), " · ".join(parts), "text"))
    rows += [(case_field(key), value, "text") for key, value in case.other]
    for text, time in case.notes:
        rows.append((_("Case note ({time})").format(time=utc_text(time)), text, "text"))
    return rows


@dataclass(frozen=True)
class PaymentRow:
    """One payment: its table cells (None when the victim only wrote it in words) and
    what they wrote about it, shown on a line of its own under the cells."""

    cells: list[str] | None
    note: str


@dataclass(frozen=True)
class PaymentTable:
    """Only the columns some payment fills; wallets and references in monospace, whole."""

    header: list[str]
    mono: tuple[int, ...]
    rows: list[PaymentRow]


def payment_table(data: ReportData) -> PaymentTable:
    payments = data.case.payments
    # (heading, the cell of one payment, whether the column holds long unbroken text)
    columns: list[tuple[str, Callable[[Payment], str], bool]] = [
        (_("Date"), lambda p: p.date, False),
        (_("Amount"), lambda p: " ".join(x for x in (p.amount, p.currency) if x), False),
        (_("Method"), lambda p: payment_method(p.method), False),
        (_("Recipient"), lambda p: p.recipient, False),
        (_("Wallet or account"), lambda p: p.wallet, True),
        (_("Reference"), lambda p: p.reference, True),
    ]
    used = [c for c in columns if any(c[1](p) for p in payments)]
    rows = []
    for p in payments:
        cells = [c[1](p) for c in used]
        rows.append(PaymentRow(cells if any(cells) else None, p.note))
    return PaymentTable([c[0] for c in used], tuple(i for i, c in enumerate(used) if c[2]),
                        rows)


def payment_note(number: int, note: str, alone: bool) -> str:
    """The victim's own words about a payment ('Payment 1, in the victim's words: ...')."""
    if alone:
        return _("Payment {number}, in the victim's words: {text}").format(number=number,
                                                                           text=note)
    return _("In the victim's words: {text}").format(text=note)


def timeline_header() -> list[str]:
    return [_("Time"), _("What"), _("Where"), _("Details")]


def timeline_row(entry: TimelineEntry) -> list[str]:
    when = zone_time(entry.time, entry.timezone)
    if entry.kind == "item":
        return [when, _("Item added"), _("Item {number}").format(number=entry.ref),
                entry.text or _("Sensitive item")]
    where = entry.ref
    if entry.item:
        where = entry.ref + "\n" + _("(item {number})").format(number=entry.item)
    if entry.kind == "messages":
        return [when, _("Chat messages"), where,
                ngettext("{count} message on this day (it is in the transcript)",
                         "{count} messages on this day (all are in the transcript)",
                         entry.count).format(count=entry.count)]
    body = message_text(entry.text, entry.attachments, [])
    if entry.kind == "system":
        return [when, _("System message"), where, body]
    sender = chat_sender(entry.message) if entry.message is not None else entry.sender
    return [when, _("Chat message"), where, f"{sender}: {body}" if sender else body]


def item_heading(item: ReportItem) -> str:
    if item.sensitive:
        return _("Item {number}: sensitive item").format(number=item.number)
    return _("Item {number}: {name}").format(number=item.number, name=item.name)


def description_text(item: ReportItem) -> str:
    """The item's description; the one the chat importer wrote ("whatsapp photo, message 3",
    "whatsapp transcript (JSON)") in words, or left out where the source already says it."""
    platform = str(item.source.get("platform", ""))
    text = item.description
    if item.kind == "transcript" and platform and re.fullmatch(
            re.escape(platform) + r" transcript \((JSON|HTML|text)\)", text):
        return ""
    media = re.fullmatch(r"(\w+) (\w+), message (\d+)", text)
    if item.source.get("type") == "chat_media" and media:
        shown = _("{kind} from a {platform} chat, message {number}").format(
            kind=attachment_kind(media[2]), platform=chat_platform(media[1]),
            number=int(media[3]) + 1)
        return shown[:1].upper() + shown[1:]
    return text


def type_text(item: ReportItem) -> str:
    """'Picture (image/png)': the word the app uses everywhere, then the exact media type."""
    word = item_kind_words(item)
    if item.kind in OCR_KINDS and item.derived_from:
        word = _("{kind}, item {number}").format(kind=word, number=item.derived_from)
    return f"{word} ({item.media_type})" if item.media_type else word


def item_rows(item: ReportItem) -> list[Row]:
    """What the report says about one item; for sensitive ones only hash, type, description."""
    if item.sensitive:
        rows: list[Row] = [(_("Type"), type_text(item), "text"),
                           (_("SHA-256"), item.sha256, "mono")]
        if description_text(item):
            rows.append((_("Description"), description_text(item), "text"))
        return rows
    rows = [(_("File name"), item.name, "text"),
            (_("Type"), type_text(item), "text"),
            (_("Size"), human_size(item.size), "text"),
            (_("SHA-256"), item.sha256, "mono"),
            (_("Added"), when_text(item.added_at, item.added_offset), "text")]
    if item.file_mtime:
        rows.append((_("File modified"), when_text(item.file_mtime, item.file_mtime_offset),
                     "text"))
    if item.trusted_time is not None:
        rows.append((_("Trusted timestamp"), _("time confirmed by {tsa} at {time}").format(
            tsa=item.trusted_time.tsa, time=utc_text(item.trusted_time.time)), "text"))
    rows.append((_("Source"), source_text(item.source), "text"))
    if description_text(item):
        rows.append((_("Description"), description_text(item), "text"))
    if item.image_size:
        rows.append((_("Picture size"), "{} × {} px".format(*item.image_size), "text"))
    if item.exif:
        rows.append((_("EXIF"), "\n".join(f"{k}: {v}" for k, v in item.exif), "text"))
    if item.derived_from:
        rows.append((_("Made from"), _("Item {number}").format(number=item.derived_from),
                     "text"))
    if item.duplicate_of:
        rows.append((_("Same content as"), _("Item {number}").format(number=item.duplicate_of),
                     "text"))
    if item.withdrawn_reason is not None:
        rows.append((_("Withdrawn"), item.withdrawn_reason, "text"))
    for note in item.notes:
        rows.append((_("Note ({time})").format(time=utc_text(note.time)), note.text, "text"))
    return rows


def thumbnail_caption() -> str:
    return _("Reduced preview. The original, byte for byte, is in the bundle.")


def indicator_header() -> list[str]:
    return [_("Type"), _("Value"), _("Where seen")]


_WHERE_SHOWN = 6


def _where_one(source: dict[str, Any]) -> str:
    item, kind = source.get("item_id"), source.get("kind")
    if kind == PICTURE_KIND:
        return picture_place(source)
    if kind == "note" or source.get("note_id"):
        return _("note {note}").format(note=source.get("note_id", ""))
    if kind == "case" or (source.get("field") and not item):
        return _("case details ({field})").format(field=case_field(str(source.get("field", ""))))
    if source.get("message_index") is not None:
        text = _("item {item}, message {number}").format(
            item=item, number=int(source["message_index"]) + 1)
    else:
        text = _("item {item}").format(item=item)
    if source.get("sender"):
        text += _(", from {sender}").format(sender=source["sender"])
    return text


def _first_places(sources: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    """The first _WHERE_SHOWN places, in their order, with at least the first picture among
    them: a value seen in many messages and read in a picture says both."""
    shown = list(sources[:_WHERE_SHOWN])
    picture = next((s for s in sources if s.get("kind") == PICTURE_KIND), None)
    if picture is not None and picture not in shown:
        shown[-1] = picture
    return shown


def indicator_row(indicator: Indicator) -> list[str]:
    """(type, value, where seen); where: the first few places, then how many more."""
    places = [_where_one(s) for s in _first_places(indicator.sources)]
    if len(indicator.sources) > _WHERE_SHOWN:
        more = len(indicator.sources) - _WHERE_SHOWN
        places.append(ngettext("and {count} more place", "and {count} more places",
                               more).format(count=more))
    where = "; ".join(places) if places else indicator.seen_in
    return [indicator_type(indicator.kind), indicator.value, where]


def no_indicators() -> str:
    return _("No indicators were found in the sealed items.")


def custody_header() -> list[str]:
    return [_("No."), _("Time (UTC)"), _("Event"), _("Record hash")]


def custody_row(entry: CustodyEntry) -> list[str]:
    """The record hash is shortened to 16 characters; custody.jsonl holds it whole."""
    return [str(entry.seq), utc_text(entry.time), entry.event, entry.hash[:16]]


def timeline_note(data: ReportData) -> str:
    """Said above a timeline that mixes the phone's clock with UTC: they are not one clock."""
    zones = {e.timezone for e in data.timeline}
    notes = []
    if "device" in zones:
        notes.append(_("Times marked \"phone's clock\" are as the phone showed them, in a time "
                       "zone the export does not record; times marked UTC come from the "
                       "victim's computer. The two clocks can differ by hours, so the order "
                       "between them may be wrong."))
    if "computer" in zones:  # older Telegram Desktop exports
        notes.append(_("Times marked \"clock of the computer that made the export\" are as "
                       "that computer showed them, in a time zone the export does not "
                       "record; they too can differ from UTC and from a phone's clock by "
                       "hours."))
    return " ".join(notes)


def page_text(page: int, pages: int) -> str:
    return ngettext("Page {page} of {pages}", "Page {page} of {pages}", pages).format(
        page=page, pages=pages)


def footer_text(data: ReportData) -> str:
    return _("Bundle {name} · signer key {fingerprint}").format(
        name=data.bundle_name, fingerprint=data.signer_fingerprint)


def intro_text() -> str:
    return _("This report was made by the sender's Evidence Locker app when the bundle was "
             "sealed. It describes the evidence; the evidence itself is the original files in "
             "the bundle, whose SHA-256 fingerprints are listed here and can be checked "
             "without this app (see \"How to verify this bundle\").")
