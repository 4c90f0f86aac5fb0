"""Times as the custody log keeps them: UTC, plus the local offset the person saw."""

from __future__ import annotations

import datetime as dt
import functools
import re

# The form utc_iso() writes. Read with fromisoformat (about ten times faster than strptime:
# a list of 10,000 items formats 10,000 times); anything else goes the strict, slow way.
_WRITTEN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", re.ASCII)


def now_utc_and_offset() -> tuple[str, str]:
    local = dt.datetime.now().astimezone()
    return utc_iso(local), offset_text(local)


def utc_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def offset_text(moment: dt.datetime) -> str:
    off = moment.utcoffset() or dt.timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def from_timestamp(seconds: float) -> tuple[str, str]:
    local = dt.datetime.fromtimestamp(seconds).astimezone()
    return utc_iso(local), offset_text(local)


def parse_utc(text: str) -> dt.datetime:
    if _WRITTEN.fullmatch(text):
        return dt.datetime.fromisoformat(text[:-1]).replace(tzinfo=dt.UTC)
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def local_display(utc_text: str, offset: str) -> str:
    """'2026-11-23 11:35:12 (UTC+01:00)': the local time as the person saw it."""
    local = parse_utc(utc_text).astimezone(_zone(offset))
    return f"{local.isoformat(' ', 'seconds')[:19]} (UTC{offset})"


@functools.lru_cache(maxsize=64)
def _zone(offset: str) -> dt.timezone:
    """'+05:30' as a fixed zone (a vault holds a handful; a long list asks thousands of times)."""
    sign = 1 if offset.startswith("+") else -1
    hours, minutes = offset[1:].split(":")
    return dt.timezone(dt.timedelta(hours=int(hours), minutes=int(minutes)) * sign)
