"""What the officer's report says, gathered once from the vault, rendered as HTML and PDF.

The model holds facts, not words: both renderers read the same ReportData, so the HTML and
the PDF can never disagree. Strings from the case (file names, chat text, EXIF) are kept
as they are; the renderers escape them.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from evidence_app.bundle.report_case import (
    CaseSummary,
    ChatAttachment,
    ChatMessage,
    ChatTranscript,
    Indicator,
    as_mapping,
    case_summary,
    indicators_from,
    transcripts_from,
)
from evidence_app.bundle.report_integrity import IntegrityStatus, TimeSpan, integrity_status
from evidence_app.bundle.report_ocr import (
    PictureWords,
    is_sensitive,
    picture_words,
    report_indicators,
)
from evidence_app.core.state import Item
from evidence_app.events import describe_record
from evidence_app.i18n import _
from evidence_app.item_details import gps_place

RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})
# Above this many chat messages, the timeline counts messages per chat and day instead.
TIMELINE_MESSAGE_LIMIT = 200
TIMELINE_SNIPPET = 90

__all__ = [
    "RTL_LANGUAGES", "CaseSummary", "ChatAttachment", "ChatMessage", "ChatTranscript",
    "CustodyEntry", "Indicator", "IntegrityStatus", "PictureWords", "ReportData", "ReportItem",
    "ReportNote", "TimeSpan", "TimelineEntry", "TrustedTime", "build_report_data",
]


@dataclass(frozen=True)
class ReportNote:
    text: str
    time: str
    offset: str


@dataclass(frozen=True)
class TrustedTime:
    """An RFC 3161 timestamp: "time confirmed by <tsa> at <time>"."""

    tsa: str
    time: str


@dataclass(frozen=True)
class ReportItem:
    number: str
    name: str
    media_type: str
    size: int
    sha256: str
    added_at: str
    added_offset: str
    file_mtime: str | None
    file_mtime_offset: str | None
    source: dict[str, Any]
    sensitive: bool
    description: str
    kind: str = "original"
    derived_from: str | None = None
    duplicate_of: str | None = None
    withdrawn_reason: str | None = None
    notes: list[ReportNote] = field(default_factory=list)
    exif: list[tuple[str, str]] = field(default_factory=list)
    image_size: tuple[int, int] | None = None
    trusted_time: TrustedTime | None = None
    thumbnail: bytes | None = None  # JPEG; never set for sensitive items
    words: PictureWords | None = None  # the words read by machine, for a picture read


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline ("messages": how many a chat had on one day)."""

    time: str
    timezone: str  # "UTC", an offset such as "+02:00", or "device" (zone not known)
    kind: str  # "item", "message", "system" (a notice from the app), "messages"
    ref: str  # item number or chat title
    text: str
    count: int = 1
    sender: str = ""
    attachments: list[ChatAttachment] = field(default_factory=list)
    item: str = ""  # the chat's transcript item (two chats can have the same title)
    message: ChatMessage | None = None  # a chat message's sender is said as in its chat


@dataclass(frozen=True)
class CustodyEntry:
    seq: int
    time: str
    offset: str
    event: str
    hash: str


@dataclass
class ReportData:
    language: str
    rtl: bool
    bundle_name: str
    sealed_at: str
    sealed_offset: str
    signer_fingerprint: str
    protection: str  # "recipient" | "passphrase" | "none"
    recipient: str
    software: str
    case: CaseSummary
    items: list[ReportItem]
    chats: list[ChatTranscript]
    indicators: list[Indicator]
    timeline: list[TimelineEntry]
    custody: list[CustodyEntry]
    verify_text: str
    key_times: list[TrustedTime] = field(default_factory=list)  # when the key was stamped
    integrity: IntegrityStatus | None = None
    # Indicators read only from sensitive pictures, left out of the table (not chosen).
    indicators_withheld: int = 0

    @property
    def item_count(self) -> int:
        return len(self.items)


# --- items ---------------------------------------------------------------------------------

_EXIF_KEYS = ("DateTimeOriginal", "OffsetTimeOriginal", "DateTime", "Make", "Model",
              "Software", "LensModel", "Artist", "ImageDescription")


def exif_summary(exif: dict[str, Any]) -> list[tuple[str, str]]:
    """The EXIF fields an investigator asks about, as (tag, value) pairs."""
    rows = [(key, str(exif[key])) for key in _EXIF_KEYS if exif.get(key) not in (None, "")]
    gps = gps_place(exif)
    if gps:
        rows.append(("GPS", gps))
    return rows


def _stamp_item(data: dict[str, Any]) -> str | None:
    subject = as_mapping(data.get("subject"))
    item_id = data.get("item_id") or (subject.get("item_id") if subject.get("kind") == "item"
                                      else None)
    return None if item_id is None else str(item_id)


def _trusted_times(records: list[dict[str, Any]], items: list[Item],
                   extra: dict[str, Any]) -> dict[str, TrustedTime]:
    """Item number -> its earliest trusted timestamp, from the journal or the sealer's `extra`.

    A token covers a fingerprint, not an item: an item whose content another item's token
    covers (the same SHA-256) has that time too.
    """
    by_item: dict[str, TrustedTime] = {}
    by_sha: dict[str, TrustedTime] = {}
    for rec in records:
        data = rec.get("data") or {}
        if rec.get("type") != "timestamp_obtained":
            continue
        tsa = data.get("tsa") or data.get("tsa_name") or data.get("tsa_url") or ""
        when = TrustedTime(str(tsa), str(data.get("gen_time") or data.get("time")
                                         or rec.get("time", "")))
        item_id = _stamp_item(data)
        if item_id is not None:
            by_item.setdefault(item_id, when)
        if data.get("sha256"):
            by_sha.setdefault(str(data["sha256"]), when)
    found = {it.id: by_item.get(it.id) or by_sha[it.sha256] for it in items
             if it.id in by_item or it.sha256 in by_sha}
    for item_id, info in (extra.get("timestamps") or {}).items():
        found[str(item_id)] = TrustedTime(str(info.get("tsa", "")), str(info.get("time", "")))
    return found


def _report_item(vault: Any, item: Item, trusted: TrustedTime | None,
                 words: PictureWords | None = None) -> ReportItem:
    sensitive = is_sensitive(item, vault.state.items)
    notes = [ReportNote(n.text, n.edited_at or n.created_at, n.created_offset)
             for n in vault.state.notes_for(item.id)]
    thumb = None
    if not sensitive and item.media_type.startswith("image/"):
        thumb = vault.thumbnail_bytes(item.id)
    image = item.image or {}
    size = (int(image["width"]), int(image["height"])) if "width" in image else None
    return ReportItem(
        number=item.id, name=item.name, media_type=item.media_type, size=item.size,
        sha256=item.sha256, added_at=item.added_at, added_offset=item.added_offset,
        file_mtime=item.file_mtime, file_mtime_offset=item.file_mtime_offset,
        source=dict(item.source), sensitive=sensitive, description=item.description,
        kind=item.kind, derived_from=item.derived_from, duplicate_of=item.duplicate_of,
        withdrawn_reason=item.withdrawn_reason if item.withdrawn else None,
        notes=[] if sensitive else notes,
        exif=[] if sensitive else exif_summary(item.exif),
        image_size=None if sensitive else size,
        trusted_time=trusted, thumbnail=thumb, words=words,
    )


# --- timeline and custody ------------------------------------------------------------------


# A word up to this long is never cut in a snippet: wallet addresses (up to 90 characters),
# IBANs, e-mail addresses and most links are printed whole.
SNIPPET_WORD = 128
# An IBAN written in groups ("DE89 3704 0044 0532 0130 00") is one value despite its spaces.
_GROUPED = re.compile(r"\b[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?\b")


def _snippet(text: str) -> str:
    """The start of a message for the timeline, cut only between words (and never inside
    a grouped IBAN), so an address or number in it is either whole or not there at all."""
    flat = " ".join(text.split())
    if len(flat) <= TIMELINE_SNIPPET:
        return flat
    cut = TIMELINE_SNIPPET
    for match in _GROUPED.finditer(flat):
        if match.start() < cut < match.end():
            cut = match.end()
    if cut < len(flat) and flat[cut] != " ":
        start = flat.rfind(" ", 0, cut) + 1
        end = flat.find(" ", cut)
        end = len(flat) if end < 0 else end
        if end - start <= SNIPPET_WORD:
            cut = end
        elif start > 0:
            cut = start
    if cut >= len(flat):
        return flat
    return flat[:cut].rstrip() + " …"


def _sort_key(time: str) -> str:
    """ISO times sort as text once reduced to 'YYYY-MM-DDTHH:MM:SS'."""
    return time.replace(" ", "T")[:19]


def build_timeline(items: list[ReportItem], chats: list[ChatTranscript]) -> list[TimelineEntry]:
    """Items (when added) and chat messages (when sent), oldest first.

    A message keeps its sender and attachments apart from its text, so the words can say
    what a message that is only an attachment carried; a system notice (the encryption
    notice) has kind "system" and no sender, whoever the export put in front of it.
    """
    entries = [TimelineEntry(i.added_at, "UTC", "item", i.number,
                             i.description if i.sensitive else i.name) for i in items]
    total = sum(len(c.messages) for c in chats)
    for chat in chats:
        if total <= TIMELINE_MESSAGE_LIMIT:
            for m in chat.messages:
                if m.time:
                    entries.append(TimelineEntry(
                        m.time, m.timezone, "system" if m.system else "message", chat.title,
                        _snippet(m.text), sender="" if m.system else m.sender,
                        attachments=list(m.attachments), item=chat.item_id, message=m))
            continue
        per_day: dict[tuple[str, str], list[ChatMessage]] = {}
        for m in chat.messages:
            if m.time:
                per_day.setdefault((m.time[:10], m.timezone), []).append(m)
        for (_day, zone), msgs in per_day.items():
            first = min(msgs, key=lambda m: _sort_key(m.time or ""))
            entries.append(TimelineEntry(first.time or "", zone, "messages", chat.title, "",
                                         count=len(msgs), item=chat.item_id))
    entries.sort(key=lambda e: _sort_key(e.time))
    return entries


def custody_entries(records: list[dict[str, Any]], item_ids: set[str],
                    sensitive_ids: AbstractSet[str] = frozenset()) -> list[CustodyEntry]:
    """Records about the whole case or about the sealed items (others would leak names).

    A sensitive item's file name is left out here too, as everywhere in the report.
    """
    out: list[CustodyEntry] = []
    for rec in records:
        data = as_mapping(rec.get("data"))
        item_id = None if data.get("item_id") is None else str(data["item_id"])
        if item_id is not None and item_id not in item_ids:
            continue
        if item_id in sensitive_ids and "name" in data:
            rec = dict(rec, data=dict(data, name=_("(sensitive item)")))
        out.append(CustodyEntry(int(rec.get("seq", 0)), str(rec.get("time", "")),
                                str(rec.get("offset", "")), describe_record(rec),
                                str(rec.get("hash", ""))))
    return out


# --- builder -------------------------------------------------------------------------------


def build_report_data(
    vault: Any,
    items: list[Item],
    *,
    bundle_name: str,
    sealed_at: str,
    sealed_offset: str,
    language: str,
    extra: dict[str, Any] | None = None,
) -> ReportData:
    """Gather everything the report shows for the sealed `items` of an open vault.

    `extra` (all optional): "protection" ("recipient" | "passphrase" | "none"),
    "recipient" (the age public key), "verify_text" (VERIFY.txt), "case" (the case.json
    dict, else the vault's case details), "chats" (Conversation dicts or ChatTranscript),
    "indicators" (dicts with type/value/seen_in, or Indicator), "timestamps"
    ({item id: {"tsa", "time"}}), "software", "include_sensitive_text" (print the words
    read from sensitive pictures, and indicators read only from them: the person's choice).
    """
    from evidence_app import __version__

    extra = dict(extra or {})
    trusted = _trusted_times(vault.records, items, extra)
    private_text = bool(extra.get("include_sensitive_text"))
    readings = picture_words(vault, items, include_sensitive=private_text)
    report_items = [_report_item(vault, it, trusted.get(it.id), readings.get(it.id))
                    for it in items]
    case_dict = extra.get("case")
    if case_dict is None:
        case_dict = dict(vault.state.case)
    case_notes = [ReportNote(n.text, n.edited_at or n.created_at, n.created_offset)
                  for n in vault.state.notes_for(None)]
    chats = transcripts_from(extra.get("chats") or [])
    custody = custody_entries(vault.records, {it.id for it in items},
                              {it.number for it in report_items if it.sensitive})
    indicators, withheld = report_indicators(indicators_from(extra.get("indicators") or []),
                                             vault, include_sensitive=private_text)
    return ReportData(
        language=language,
        rtl=language.split("_")[0].split("-")[0] in RTL_LANGUAGES,
        bundle_name=bundle_name,
        sealed_at=sealed_at,
        sealed_offset=sealed_offset,
        signer_fingerprint=vault.fingerprint(),
        protection=str(extra.get("protection", "none")),
        recipient=str(extra.get("recipient", "")),
        software=str(extra.get("software") or f"Evidence Locker {__version__}"),
        case=case_summary(case_dict, [(n.text, n.time) for n in case_notes]),
        items=report_items,
        chats=chats,
        indicators=indicators,
        timeline=build_timeline(report_items, chats),
        custody=custody,
        verify_text=str(extra.get("verify_text", "")),
        key_times=_key_times(vault.records),
        indicators_withheld=withheld,
        integrity=integrity_status(vault, report_items, chats, custody,
                                   hashes_checked=bool(extra.get("hashes_checked"))),
    )


def _key_times(records: list[dict[str, Any]]) -> list[TrustedTime]:
    """Each authority's time for the vault's signing key: "this key existed on DATE"."""
    return [TrustedTime(str(d.get("tsa", "")), str(d.get("time", "")))
            for d in (r.get("data") or {} for r in records
                      if r.get("type") == "timestamp_obtained")
            if isinstance(d.get("subject"), dict) and d["subject"].get("kind") == "key"]
