"""Digits and calendars of the dates phones write into chat exports.

A phone writes dates in its own digits (Arabic-Indic, Persian, Thai, Burmese, ...) and its
own calendar (Thai Buddhist, Japanese eras, Republic of China, Islamic, Persian). Here a
date is read back into the Gregorian calendar, or refused: a date that does not exist in
its calendar (a 13th month, a 31st in a 30-day month, a Heisei year after Heisei ended)
gives None, never a nearby guess.

Islamic dates are converted with the Umm al-Qura calendar (Saudi Arabia's, iOS's "Islamic
(Umm al-Qura)"; the `hijridate` package, years 1343-1500 AH). Phones set to "Islamic
(civil)" or "Islamic (tabular)" use an arithmetic calendar that can differ by a day or two;
the export does not say which one the phone used. Persian (Solar Hijri) dates use
`jdatetime`, whose leap years follow Iran's official calendar for these years.
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime  # type: ignore[import-untyped]  # no type information shipped
from hijridate import Hijri

GREGORIAN, BUDDHIST, JAPANESE, ROC = "gregorian", "buddhist", "japanese", "roc"
ISLAMIC, PERSIAN = "islamic", "persian"
UNKNOWN = "unknown"  # the years fit more than one calendar and nothing tells which

# The zero of each set of digits phones write; any other digit (mathematical bold digits,
# or two sets in one date) makes a date unreadable rather than read.
_ZEROS = (
    "0", "\u0660", "\u06f0", "\u0966", "\u09e6", "\u0a66", "\u0ae6", "\u0b66", "\u0be6",
    "\u0c66", "\u0ce6", "\u0d66", "\u0e50", "\u0ed0", "\u0f20", "\u1040", "\u1090",
    "\u17e0", "\u1810", "\uff10",
)
_TO_ASCII = {ord(zero) + n: str(n) for zero in _ZEROS for n in range(10)}
_ZERO_OF = {ord(zero) + n: zero for zero in _ZEROS for n in range(10)}
LATIN = "0"
ARABIC_INDIC, PERSIAN_DIGITS, THAI_DIGITS = "\u0660", "\u06f0", "\u0e50"


def digits_of(text: str) -> tuple[str, str] | None:
    """(text with ASCII digits, the zero of the one set of digits it used); None when it
    mixes sets or uses digits no phone writes. Text without digits counts as Latin."""
    if text.isascii():
        return text, LATIN
    zero = None
    for ch in text:
        if ch.isdigit():
            this = _ZERO_OF.get(ord(ch))
            if this is None or (zero is not None and this != zero):
                return None
            zero = this
    return text.translate(_TO_ASCII), zero or LATIN


# Era words a phone writes before or after the date, and the calendar each belongs to.
# Japanese eras: (first day, last day); the year counts from 1 on the first day.
JAPANESE_ERAS = {
    "M": (dt.date(1868, 10, 23), dt.date(1912, 7, 29)),
    "T": (dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    "S": (dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    "H": (dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "R": (dt.date(2019, 5, 1), dt.date.max),
}
_JAPANESE_NAMES = {"明治": "M", "大正": "T", "昭和": "S", "平成": "H", "令和": "R"}
ERAS: dict[str, str] = {
    **{letter: JAPANESE for letter in JAPANESE_ERAS}, **dict.fromkeys(_JAPANESE_NAMES,
                                                                        JAPANESE),
    "民國": ROC, "民国": ROC, "Minguo": ROC, "ROC": ROC,
    "BE": BUDDHIST, "B.E.": BUDDHIST, "พ.ศ.": BUDDHIST, "พ.ศ": BUDDHIST,
    "AH": ISLAMIC, "A.H.": ISLAMIC, "هـ": ISLAMIC, "ه": ISLAMIC,
    "AP": PERSIAN, "ه.ش.": PERSIAN, "ه\u200d.ش.": PERSIAN,
}
# For the header pattern: longest first, so "B.E." is not read as "B".
ERA_PATTERN = "|".join(re.escape(e) for e in sorted(ERAS, key=len, reverse=True))

# When WhatsApp chats can have been written: from its launch to a year past today. Used
# only to choose between calendars, never to refuse a date once the calendar is known.
_FIRST_PLAUSIBLE = dt.date(2009, 1, 1)
_OLDEST, _NEWEST = 1990, 2200  # years a date may have at all (as for Gregorian exports)


def plausible(day: dt.date) -> bool:
    return _FIRST_PLAUSIBLE <= day <= dt.date.today() + dt.timedelta(days=366)


def to_gregorian(calendar: str, year: int, month: int, day: int,
                 era: str | None = None) -> dt.date | None:
    """The Gregorian date of a date in `calendar`, or None when there is no such date (or
    it falls outside 1990-2200)."""
    try:
        found = _convert(calendar, year, month, day, era)
    except (ValueError, OverflowError):
        return None
    if found is None or not _OLDEST <= found.year <= _NEWEST:
        return None
    return found


def _convert(calendar: str, year: int, month: int, day: int,
             era: str | None) -> dt.date | None:
    if calendar == GREGORIAN:
        return dt.date(year, month, day)
    if calendar == BUDDHIST:
        return dt.date(year - 543, month, day) if year > 543 else None
    if calendar == ROC:
        return dt.date(year + 1911, month, day) if year >= 1 else None
    if calendar == JAPANESE:
        letter = _JAPANESE_NAMES.get(era or "", era or "")
        span = JAPANESE_ERAS.get(letter)
        if span is None or year < 1:
            return None
        found = dt.date(span[0].year + year - 1, month, day)
        return found if span[0] <= found <= span[1] else None
    if calendar == ISLAMIC:
        return Hijri(year, month, day).to_gregorian() if 1343 <= year <= 1500 else None
    if calendar == PERSIAN:
        if not 1368 <= year <= 1579:  # 1989-2201: wider than the years a date may have
            return None
        # The locale given, jdatetime does not look it up on every date (slow).
        solar: dt.date = jdatetime.date(year, month, day, locale="fa_IR").togregorian()
        return solar
    return None


def candidates(year_digits: int, era_calendar: str | None) -> tuple[str, ...]:
    """The calendars a date could be in, from its era word or the width of its year."""
    if era_calendar is not None:
        return (era_calendar,)
    if year_digits <= 2:
        return (GREGORIAN,)
    if year_digits == 3:
        return (ROC,)
    return (GREGORIAN, BUDDHIST, ISLAMIC, PERSIAN)
