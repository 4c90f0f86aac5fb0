"""The first page's integrity status as facts: what was checked when sealing, which items
are originals and which the app made, the time span on each clock, and which items have a
time confirmed by someone other than the victim's computer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from evidence_app.bundle.report_case import ChatTranscript
from evidence_app.core.journal import check_chain
from evidence_app.core.record_types import RecordType
from evidence_app.item_details import exif_moment
from evidence_app.item_kinds import made_by_app
from evidence_app.ocr.stored import KINDS as OCR_KINDS

if TYPE_CHECKING:
    from evidence_app.bundle.report_model import CustodyEntry, ReportItem

# Custody records that mean something went wrong with the vault; the first page names them.
PROBLEM_RECORDS: frozenset[RecordType] = frozenset({
    "rollback_noticed", "header_restored", "header_changed", "journal_repaired",
    "objects_quarantined"})


@dataclass(frozen=True)
class TimeSpan:
    """First and last time of one kind of time, read on one kind of clock.

    `clock`: "UTC" (the vault's times), "device" (a chat export's phone clock), "camera"
    (EXIF, the camera's clock), or an offset such as "+02:00".
    """

    what: str  # "messages" | "added" | "photos"
    first: str
    last: str
    clock: str


@dataclass(frozen=True)
class IntegrityStatus:
    """What the first page says about how far the evidence can be trusted, as facts."""

    originals: list[str]  # item numbers of what the person handed in
    made_by_app: list[str]  # item numbers of what the app made (transcripts, readings)
    made_from: list[str]  # the originals the chat transcripts were made from
    hashes_checked: bool  # every file re-hashed against its recorded SHA-256 while sealing
    custody_records: int
    chain_checked: bool  # the whole custody log: unbroken, and each record signed
    problems: list[CustodyEntry]  # records of damage, rollback or a replaced key file
    spans: list[TimeSpan]
    rfc3161: list[str]  # item numbers with a time-stamp authority's token
    ots_confirmed: list[str]  # item numbers with an OpenTimestamps proof in Bitcoin
    ots_pending: list[str]  # item numbers whose OpenTimestamps proof still waits
    words_read: list[str] = field(default_factory=list)  # of made_by_app: words in pictures
    words_read_from: list[str] = field(default_factory=list)  # the pictures they were read in

    @property
    def trusted(self) -> list[str]:
        """Item numbers with any independently confirmed time."""
        return sorted(set(self.rfc3161) | set(self.ots_confirmed), key=_number_key)


def _number_key(number: str) -> tuple[int, str]:
    return (int(number), "") if number.isdigit() else (1 << 30, number)


def _ots_states(records: list[dict[str, Any]]) -> dict[str, str]:
    """Fingerprint -> state of its latest OpenTimestamps proof ("pending" | "bitcoin")."""
    return {str(d["sha256"]): str(d.get("state", "pending"))
            for d in (r.get("data") or {} for r in records if r.get("type") == "ots_proof")
            if d.get("sha256")}


def _span(what: str, times: list[tuple[str, str]]) -> list[TimeSpan]:
    """One span per clock: a phone's clock and UTC are never put in one range."""
    by_clock: dict[str, list[str]] = {}
    for time, clock in times:
        if time:
            by_clock.setdefault(clock, []).append(time)
    return [TimeSpan(what, min(found, key=_sort_key), max(found, key=_sort_key), clock)
            for clock, found in by_clock.items()]


def _exif_time(item: ReportItem) -> str | None:
    """When the picture was taken, as the camera's clock showed it (ISO), or None."""
    found = exif_moment(dict(item.exif))
    return f"{found[0]:%Y-%m-%dT%H:%M:%S}" if found else None


def integrity_status(vault: Any, items: list[ReportItem], chats: list[ChatTranscript],
                     custody: list[CustodyEntry], *, hashes_checked: bool) -> IntegrityStatus:
    """What was checked, what is original, the time span and which times are confirmed.

    The whole custody log is checked again here (order, links, hashes, signatures), so the
    first page only says "unbroken and signed" about a log that is; a log that is not stops
    the seal with JournalCorrupt.
    """
    records = vault.records
    check_chain(records, vault.public_key)
    ots = _ots_states(records)
    made = [i for i in items if made_by_app(i.kind)]
    read = [i for i in made if i.kind in OCR_KINDS]
    made_from = {i.derived_from for i in made if i.derived_from and i.kind not in OCR_KINDS}
    spans = _span("messages", [(m.time or "", m.timezone) for c in chats for m in c.messages])
    spans += _span("photos", [(_exif_time(i) or "", "camera") for i in items])
    spans += _span("added", [(i.added_at, "UTC") for i in items])
    return IntegrityStatus(
        originals=[i.number for i in items if not made_by_app(i.kind)],
        made_by_app=[i.number for i in made],
        made_from=sorted(made_from, key=_number_key),
        hashes_checked=hashes_checked,
        custody_records=len(records),
        chain_checked=True,
        problems=[c for c, r in zip(custody, _custody_records(records, custody), strict=True)
                  if r.get("type") in PROBLEM_RECORDS],
        spans=spans,
        rfc3161=[i.number for i in items if i.trusted_time is not None],
        ots_confirmed=[i.number for i in items if ots.get(i.sha256) == "bitcoin"],
        ots_pending=[i.number for i in items if ots.get(i.sha256) == "pending"],
        words_read=[i.number for i in read],
        words_read_from=sorted({i.derived_from for i in read if i.derived_from},
                               key=_number_key),
    )


def _custody_records(records: list[dict[str, Any]],
                     custody: list[CustodyEntry]) -> list[dict[str, Any]]:
    """The journal record behind each custody entry (matched by sequence number)."""
    by_seq = {int(r.get("seq", 0)): r for r in records}
    return [by_seq.get(c.seq, {}) for c in custody]


def _sort_key(time: str) -> str:
    """ISO times sort as text once reduced to 'YYYY-MM-DDTHH:MM:SS'."""
    return time.replace(" ", "T")[:19]
