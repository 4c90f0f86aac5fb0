"""What the officer's report says, gathered once from the vault, rendered as HTML and PDF.

The model holds facts, not words: both renderers read the same ReportData, so the HTML and
the PDF can never disagree. Strings from the case (file names, chat text, EXIF) are kept
as they are; the renderers escape them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evidence_app.bundle.report_case import (
    CaseSummary,
    ChatAttachment,
    ChatMessage,
    ChatTranscript,
    Indicator,
    case_summary,
    indicators_from,
    transcripts_from,
)
from evidence_app.core.state import Item
from evidence_app.events import describe_record
from evidence_app.i18n import _

RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})
# Above this many chat messages, the timeline counts messages per chat and day instead.
TIMELINE_MESSAGE_LIMIT = 200
TIMELINE_SNIPPET = 90

__all__ = [
    "RTL_LANGUAGES", "CaseSummary", "ChatAttachment", "ChatMessage", "ChatTranscript",
    "CustodyEntry", "Indicator", "ReportData", "ReportItem", "ReportNote", "TimelineEntry",
    "TrustedTime", "build_report_data",
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


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline. `kind`: "item", "message", "messages" (a day's count)."""

    time: str
    timezone: str  # "UTC", an offset such as "+02:00", or "device" (zone not known)
    kind: str
    ref: str  # item number or chat title
    text: str
    count: int = 1


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

    @property
    def item_count(self) -> int:
        return len(self.items)


# --- items ---------------------------------------------------------------------------------

_EXIF_KEYS = ("DateTimeOriginal", "OffsetTimeOriginal", "DateTime", "Make", "Model",
              "Software", "LensModel", "Artist", "ImageDescription")


def _gps_text(gps: Any) -> str | None:
    """Decimal degrees from EXIF GPS rationals, or None when absent or unreadable."""
    if not isinstance(gps, dict):
        return None

    def degrees(value: Any, ref: Any, negative: str) -> float | None:
        if not isinstance(value, list) or len(value) != 3:
            return None
        try:
            deg = float(value[0]) + float(value[1]) / 60 + float(value[2]) / 3600
        except (TypeError, ValueError):
            return None
        return -deg if str(ref).upper().startswith(negative) else deg

    lat = degrees(gps.get("GPSLatitude"), gps.get("GPSLatitudeRef"), "S")
    lon = degrees(gps.get("GPSLongitude"), gps.get("GPSLongitudeRef"), "W")
    if lat is None or lon is None:
        return None
    return f"{lat:.6f}, {lon:.6f}"


def exif_summary(exif: dict[str, Any]) -> list[tuple[str, str]]:
    """The EXIF fields an investigator asks about, as (tag, value) pairs."""
    rows = [(key, str(exif[key])) for key in _EXIF_KEYS if exif.get(key) not in (None, "")]
    gps = _gps_text(exif.get("GPS"))
    if gps:
        rows.append(("GPS", gps))
    return rows


def _trusted_times(records: list[dict[str, Any]], extra: dict[str, Any]) -> dict[str, TrustedTime]:
    """Item number -> its trusted timestamp, from the journal or from the sealer's `extra`."""
    found: dict[str, TrustedTime] = {}
    for rec in records:
        data = rec.get("data") or {}
        if rec.get("type") != "timestamp_obtained" or not data.get("item_id"):
            continue
        tsa = data.get("tsa") or data.get("tsa_name") or data.get("tsa_url") or ""
        when = data.get("gen_time") or data.get("time") or rec.get("time", "")
        found.setdefault(str(data["item_id"]), TrustedTime(str(tsa), str(when)))  # earliest
    for item_id, info in (extra.get("timestamps") or {}).items():
        found[str(item_id)] = TrustedTime(str(info.get("tsa", "")), str(info.get("time", "")))
    return found


def _is_sensitive(item: Item, every: dict[str, Item]) -> bool:
    """Sensitive, or made from a sensitive item (a derived copy shows the same picture)."""
    seen: set[str] = set()
    current: Item | None = item
    while current is not None and current.id not in seen:
        if current.sensitive:
            return True
        seen.add(current.id)
        current = every.get(current.derived_from) if current.derived_from else None
    return False


def _report_item(vault: Any, item: Item, trusted: TrustedTime | None) -> ReportItem:
    sensitive = _is_sensitive(item, vault.state.items)
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
        trusted_time=trusted, thumbnail=thumb,
    )


# --- timeline and custody ------------------------------------------------------------------


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= TIMELINE_SNIPPET else flat[: TIMELINE_SNIPPET - 1] + "…"


def _sort_key(time: str) -> str:
    """ISO times sort as text once reduced to 'YYYY-MM-DDTHH:MM:SS'."""
    return time.replace(" ", "T")[:19]


def build_timeline(items: list[ReportItem], chats: list[ChatTranscript]) -> list[TimelineEntry]:
    """Items (when added) and chat messages (when sent), oldest first."""
    entries = [TimelineEntry(i.added_at, "UTC", "item", i.number,
                             i.description if i.sensitive else i.name) for i in items]
    total = sum(len(c.messages) for c in chats)
    for chat in chats:
        if total <= TIMELINE_MESSAGE_LIMIT:
            for m in chat.messages:
                if m.time:
                    who = m.sender or ""
                    text = f"{who}: {_snippet(m.text)}" if who else _snippet(m.text)
                    entries.append(TimelineEntry(m.time, m.timezone, "message", chat.title, text))
            continue
        per_day: dict[tuple[str, str], list[ChatMessage]] = {}
        for m in chat.messages:
            if m.time:
                per_day.setdefault((m.time[:10], m.timezone), []).append(m)
        for (_day, zone), msgs in per_day.items():
            first = min(msgs, key=lambda m: _sort_key(m.time or ""))
            entries.append(TimelineEntry(first.time or "", zone, "messages", chat.title, "",
                                         count=len(msgs)))
    entries.sort(key=lambda e: _sort_key(e.time))
    return entries


def custody_entries(records: list[dict[str, Any]], item_ids: set[str],
                    sensitive_ids: set[str] = frozenset()) -> list[CustodyEntry]:  # type: ignore[assignment]
    """Records about the whole case or about the sealed items (others would leak names).

    A sensitive item's file name is left out here too, as everywhere in the report.
    """
    out: list[CustodyEntry] = []
    for rec in records:
        data = rec.get("data") if isinstance(rec.get("data"), dict) else {}
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
    ({item id: {"tsa", "time"}}), "software".
    """
    from evidence_app import __version__

    extra = dict(extra or {})
    trusted = _trusted_times(vault.records, extra)
    report_items = [_report_item(vault, it, trusted.get(it.id)) for it in items]
    case_dict = extra.get("case")
    if case_dict is None:
        case_dict = dict(vault.state.case)
    case_notes = [ReportNote(n.text, n.edited_at or n.created_at, n.created_offset)
                  for n in vault.state.notes_for(None)]
    chats = transcripts_from(extra.get("chats") or [])
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
        indicators=indicators_from(extra.get("indicators") or []),
        timeline=build_timeline(report_items, chats),
        custody=custody_entries(vault.records, {it.id for it in items},
                                {it.number for it in report_items if it.sensitive}),
        verify_text=str(extra.get("verify_text", "")),
        key_times=_key_times(vault.records),
    )


def _key_times(records: list[dict[str, Any]]) -> list[TrustedTime]:
    """Each authority's time for the vault's signing key: "this key existed on DATE"."""
    return [TrustedTime(str(d.get("tsa", "")), str(d.get("time", "")))
            for d in (r.get("data") or {} for r in records
                      if r.get("type") == "timestamp_obtained")
            if isinstance(d.get("subject"), dict) and d["subject"].get("kind") == "key"]
