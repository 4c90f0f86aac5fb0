"""The one EXIF time reader the details pane and the report's time span share: a hostile
or broken date is refused, never guessed, and the original time wins over "last changed"."""

from __future__ import annotations

import datetime as dt

from evidence_app.item_details import exif_moment, exif_time


def test_original_time_wins_and_its_offset_is_kept() -> None:
    exif = {"DateTime": "2024:03:06 09:00:00", "DateTimeOriginal": "2024:03:05 14:22:01",
            "OffsetTimeOriginal": "+01:00"}
    assert exif_moment(exif) == (dt.datetime(2024, 3, 5, 14, 22, 1), "+01:00")
    assert exif_time(exif) == "2024-03-05 14:22:01 (UTC+01:00)"


def test_impossible_or_hostile_dates_are_refused() -> None:
    for value in ("2026:13:45 25:61:00", "0000:00:00 00:00:00", "9999:99:99 99:99:99",
                  "", "yesterday", "2026:02:30 10:00:00"):
        assert exif_moment({"DateTimeOriginal": value}) is None, value


def test_last_changed_stands_in_only_without_an_original_time_and_no_zone_is_said() -> None:
    exif = {"DateTime": "2024:03:06 09:00:00", "OffsetTime": "Europe/Berlin"}
    assert exif_moment(exif) == (dt.datetime(2024, 3, 6, 9, 0), "")
    assert "camera's clock" in exif_time(exif)
