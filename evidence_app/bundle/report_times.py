"""Times in the report, each with the clock it was read on: UTC (the vault's), the phone's
(a chat export that records no zone), the camera's (EXIF), or a stated offset."""

from __future__ import annotations

from evidence_app.core.timeutil import local_display
from evidence_app.i18n import _


def utc_text(iso: str) -> str:
    """'2026-11-23 10:15:02 UTC' from the journal's ISO form (seconds are enough to read)."""
    if not iso:
        return "–"
    return iso.replace("T", " ")[:19] + " UTC" if iso.endswith("Z") else iso


def when_text(iso: str | None, offset: str | None) -> str:
    """UTC, then the local time the person saw: '... UTC · 2026-11-23 11:15:02 (UTC+01:00)'."""
    if not iso:
        return "–"
    try:
        local = local_display(iso, offset or "+00:00")
    except ValueError:
        return iso
    return f"{utc_text(iso)} · {local}"


def zone_time(time: str | None, zone: str) -> str:
    """A chat or timeline time with how to read its clock."""
    if not time:
        return "–"
    if zone == "UTC":
        return utc_text(time if time.endswith("Z") else time + "Z")
    shown = time.replace("T", " ")[:19]
    if zone == "device":
        return _("{time} (phone's clock)").format(time=shown)
    if zone == "computer":  # a chat export made on a computer that wrote no time zone
        return _("{time} (clock of the computer that made the export)").format(time=shown)
    return f"{shown} (UTC{zone})"


def clock_time(time: str, clock: str) -> str:
    """A time with the clock it was read on: UTC, the phone's, the camera's, or an offset."""
    if clock == "camera":
        return _("{time} (camera's clock)").format(time=time.replace("T", " ")[:19])
    return zone_time(time, clock)
