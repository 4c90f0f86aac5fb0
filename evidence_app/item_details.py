"""What the details of one item say, in words a person reads: its marks, the camera's details
(one date, formatted; the place it was taken, with what that means), and what was made from
it. Qt-free, so the words are tested without a screen; the GUI only places them.

EXIF comes from whoever made the picture (often the offender): every value is shown through
`untrusted()` and a place is only shown when both coordinates read as numbers in range.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from evidence_app.core.state import Item
from evidence_app.formatting import untrusted
from evidence_app.i18n import _

_EXIF_TIME = re.compile(r"(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"[+-]\d{2}:\d{2}")


@dataclass(frozen=True)
class CameraDetails:
    text: str  # camera, when taken, where: one fact a line ("" when the file has none)
    place: str | None  # "52.520094, 13.405000" when the picture records where it was taken


def marks_text(item: Item) -> str:
    """'sensitive, left out of the case: added by mistake', or '' when nothing is marked."""
    marks = [_("sensitive")] if item.sensitive else []
    if item.duplicate_of:
        marks.append(_("same content as item {other}").format(other=item.duplicate_of))
    if item.withdrawn:
        reason = (item.withdrawn_reason or "").strip()
        marks.append(_("left out of the case: {reason}").format(reason=untrusted(reason))
                     if reason else _("left out of the case"))
    return ", ".join(marks)


def exif_moment(exif: dict[str, Any]) -> tuple[dt.datetime, str] | None:
    """(when the picture was taken, its UTC offset or "") from EXIF, or None.

    DateTimeOriginal is the moment the shutter opened; DateTime (last changed) only stands
    in when the original time is missing. Impossible dates are refused, not guessed.
    """
    for key, offset_key in (("DateTimeOriginal", "OffsetTimeOriginal"),
                            ("DateTime", "OffsetTime")):
        found = _EXIF_TIME.search(str(exif.get(key, "")))
        if not found:
            continue
        try:
            year, month, day, hour, minute, second = (int(g) for g in found.groups())
            moment = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            continue
        offset = str(exif.get(offset_key, "")).strip()
        return moment, offset if _OFFSET.fullmatch(offset) else ""
    return None


def exif_time(exif: dict[str, Any]) -> str | None:
    """When the picture was taken, once: '2024-03-05 14:22:01 (UTC+01:00)', or with "the
    camera's clock" when the file does not say which time zone that clock was set to."""
    found = exif_moment(exif)
    if found is None:
        return None
    moment, offset = found
    if offset:
        return f"{moment:%Y-%m-%d %H:%M:%S} (UTC{offset})"
    return _("{time} (the camera's clock; its time zone is not recorded)").format(
        time=f"{moment:%Y-%m-%d %H:%M:%S}")


def gps_place(exif: dict[str, Any]) -> str | None:
    """Decimal degrees from EXIF GPS ('52.520094, 13.405000'), or None when absent, broken
    or out of range (a hostile file can hold anything there)."""
    gps = exif.get("GPS")
    if not isinstance(gps, dict):
        return None

    def degrees(value: Any, ref: Any, negative: str, limit: float) -> float | None:
        if not isinstance(value, list) or len(value) != 3:
            return None
        try:
            deg = float(value[0]) + float(value[1]) / 60 + float(value[2]) / 3600
        except (TypeError, ValueError):
            return None
        if not 0 <= deg <= limit:  # also NaN
            return None
        return -deg if str(ref).strip().upper().startswith(negative) else deg

    lat = degrees(gps.get("GPSLatitude"), gps.get("GPSLatitudeRef"), "S", 90)
    lon = degrees(gps.get("GPSLongitude"), gps.get("GPSLongitudeRef"), "W", 180)
    if lat is None or lon is None:
        return None
    return f"{lat:.6f}, {lon:.6f}"


def camera_details(exif: dict[str, Any]) -> CameraDetails:
    """The camera, when the picture was taken and where, one fact a line."""
    lines = []
    camera = " ".join(untrusted(exif[k], 60) for k in ("Make", "Model")
                      if str(exif.get(k, "")).strip())
    if camera:
        lines.append(_("Camera: {camera}").format(camera=camera))
    taken = exif_time(exif)
    if taken:
        lines.append(_("Taken: {time}").format(time=taken))
    place = gps_place(exif)
    if place:
        lines.append(_("Place: {place}").format(place=place))
    return CameraDetails("\n".join(lines), place)


def place_warning() -> str:
    """Said beside a place read from a picture: the victim decides who sees it."""
    return _("This picture records the place where it was taken. Anyone who gets a copy of "
             "it can see that place — it may be your home.")
