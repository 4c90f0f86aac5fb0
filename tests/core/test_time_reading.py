"""Times read from the custody log: the fast path (fromisoformat, for the form the app
writes) reads exactly what the strict strptime form reads, and refuses what it refuses."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from evidence_app.core import timeutil

STRICT = "%Y-%m-%dT%H:%M:%S.%fZ"


def _strict_display(utc_text: str, offset: str) -> str:
    moment = dt.datetime.strptime(utc_text, STRICT).replace(tzinfo=dt.UTC)
    sign = 1 if offset.startswith("+") else -1
    hours, minutes = offset[1:].split(":")
    zone = dt.timezone(dt.timedelta(hours=int(hours), minutes=int(minutes)) * sign)
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M:%S} (UTC{offset})"


def test_written_times_read_and_shown_as_the_strict_form_does() -> None:
    rng = random.Random(17)
    start = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    for _ in range(3000):
        moment = start + dt.timedelta(seconds=rng.randrange(0, 4_000_000_000),
                                      microseconds=rng.randrange(1_000_000))
        text = timeutil.utc_iso(moment)
        offset = rng.choice(["+00:00", "+01:00", "-05:30", "+14:00", "-12:00", "+05:45"])
        assert timeutil.parse_utc(text) == moment
        assert timeutil.local_display(text, offset) == _strict_display(text, offset)


@pytest.mark.parametrize("text", [
    "2026-1-5T1:2:3.5Z",                # unpadded: strptime takes it, the slow way
    "2026-11-23T10:35:12.1Z",            # short fraction
    "2026-11-23T10:35:12Z",              # no fraction: refused by both
    "2026-11-23T10:35:12.1234567Z",      # seven digits: refused by both
    "\u0662\u0660\u0662\u0666-11-23T10:35:12.123456Z",  # Arabic-Indic digits
    "2026-02-30T10:35:12.123456Z",       # no such day
    "2026-11-23T24:00:00.000000Z",       # no such hour
    "2026-11-23T10:35:12.123456+00:00",  # an offset instead of Z
])
def test_odd_times_are_read_as_the_strict_form_reads_them(text: str) -> None:
    try:
        expected = dt.datetime.strptime(text, STRICT).replace(tzinfo=dt.UTC)
    except ValueError:
        with pytest.raises(ValueError, match="."):
            timeutil.parse_utc(text)
        return
    assert timeutil.parse_utc(text) == expected
