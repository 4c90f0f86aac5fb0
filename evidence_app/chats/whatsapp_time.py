"""Dates and clocks of WhatsApp export lines, in every locale: digits, eras, calendars.

Split from whatsapp.py, which reads the lines; here each stamp's date and clock are read,
the day/month order and the calendar are chosen for the whole file, and each date becomes
a Gregorian one (chats/calendars.py converts).
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections import Counter
from itertools import groupby, islice
from typing import NamedTuple

from evidence_app.chats import calendars as cal, whatsapp_lang as lang

ERA_BEFORE = "[MTSHR]|令和|平成|昭和|大正|明治|民國|民国"
ERA_AFTER = "BE|B\\.E\\.|พ\\.ศ\\.?|AH|A\\.H\\.|هـ|AP|Minguo|[MTSHR]"
BEFORE_CLOCK = "|".join(lang.AMPM_BEFORE)
# A date as `read_date` sees it: marks gone, digits ASCII.
_DATE = re.compile(
    rf"(?P<pre>{ERA_BEFORE})?[ \u00a0]?(?P<a>\d+)(?:[./\-](?P<b>\d+)[./\-](?P<c>\d+)"
    rf"|年(?P<kb>\d+)月(?P<kc>\d+)日)(?:[ \u00a0]?(?P<post>{ERA_AFTER}))?")
_CLOCK = re.compile(
    rf"(?:({BEFORE_CLOCK})[ \u00a0]?)?(\d{{1,2}})[:.](\d{{2}})(?:[:.](\d{{2}}))?"
    r"[ \u00a0\u202f]*(.*)", re.S)


class StampDate(NamedTuple):
    """A header's date as written: its three numbers (ASCII digits, in the order written),
    the era word if any and its calendar, whether it is year-first by its form ("R4/1/25",
    "令和4年1月25日"), and the zero of the digits it was written in."""

    numbers: tuple[str, str, str]
    era: str | None
    era_calendar: str | None
    ymd: bool
    zero: str


def read_date(date: str) -> StampDate | None:
    """The parts of a header's date; None when it mixes digits or is no date at all."""
    plain = lang.strip_marks(date)
    if plain.isascii():
        zero = cal.LATIN
    else:
        read = cal.digits_of(plain)
        if read is None:
            return None
        plain, zero = read
    found = _DATE.fullmatch(plain)
    if found is None or (found["pre"] and found["post"]):
        return None
    era = found["pre"] or found["post"]
    if found["kb"] is not None:
        numbers, ymd = (found["a"], found["kb"], found["kc"]), True
    else:
        numbers, ymd = (found["a"], found["b"], found["c"]), found["pre"] is not None
    return StampDate(numbers, era, cal.ERAS.get(era) if era else None, ymd, zero)


def date_order(dates: list[str], parts: dict[str, tuple[str, str, str]], clocks: list[str],
                first_sep: str | None, year_first: bool = False) -> tuple[str, str]:
    """("dmy"|"mdy"|"ymd", basis) decided from every header in the file; `parts` holds
    each readable distinct date's three numbers as written; `year_first` says a date's
    form puts the year first (an era before it)."""
    if year_first or any(len(a) >= 3 for a, _b, _c in parts.values()):
        return "ymd", "values"
    # Pairs where both are over 12 are no date in either order; they do not vote.
    pairs = {(int(a), int(b)) for a, b, _c in parts.values()}
    pairs = {(a, b) for a, b in pairs if a <= 12 or b <= 12}
    max_a = max((a for a, _b in pairs), default=0)
    max_b = max((b for _a, b in pairs), default=0)
    if max_a > 12 >= max_b:
        return "dmy", "values"
    if max_b > 12 >= max_a:
        return "mdy", "values"
    if max_a > 12 and max_b > 12:
        return "dmy", "conflict"
    back = {"dmy": 0, "mdy": 0}
    prev = {"dmy": (0, 0, 0), "mdy": (0, 0, 0)}
    for date, _same in groupby(dates):  # a repeated date is no step either way
        numbers = parts.get(date)
        if numbers is None:
            continue
        a, b, y = (int(x) for x in numbers)
        for order, key in (("dmy", (y, b, a)), ("mdy", (y, a, b))):
            if key < prev[order]:
                back[order] += 1
            prev[order] = key
    if back["dmy"] != back["mdy"]:
        return ("dmy" if back["dmy"] < back["mdy"] else "mdy"), "sequence"
    ampm = any(has_ampm(c) for c in dict.fromkeys(clocks))
    return ("mdy" if ampm and first_sep == "/" else "dmy"), "assumed"


def has_ampm(clock: str) -> bool:
    found = _CLOCK.match(clock)
    return found is not None and bool(found.group(1) or found.group(5))


def _ymd(date: StampDate, order: str) -> tuple[str, str, str]:
    """(year, month, day) as written, for the file's day/month order."""
    a, b, c = date.numbers
    if date.ymd or order == "ymd":
        return a, b, c
    return (c, b, a) if order == "dmy" else (c, a, b)


def gregorian(date: StampDate | None, order: str, calendar: str) -> dt.date | None:
    """A header's date in the Gregorian calendar, read in its own era's calendar when it
    names one, else in `calendar` (the file's); None when it is no date there."""
    if date is None:
        return None
    calendar = date.era_calendar or calendar
    if calendar == cal.UNKNOWN:
        return None
    y, mo, d = _ymd(date, order)
    year = int(y)
    if calendar == cal.GREGORIAN and len(y) <= 2:
        year += 2000
    return cal.to_gregorian(calendar, year, int(mo), int(d), date.era)


_CALENDAR_SAMPLE = 5000

# AM/PM words that tell an Arabic phone (Islamic calendar) from a Persian one.
_ARABIC_WORDS = frozenset({"ص", "م", "صباحا", "صباحًا", "مساء", "مساءً"})
_PERSIAN_WORDS = frozenset({"قظ", "بظ", "قبلازظهر", "بعدازظهر"})


def _language_hint(dates: list[StampDate], clocks: list[str]) -> str | None:
    """ISLAMIC or PERSIAN when the export's digits and AM/PM words are those of Arabic or
    of Persian (and not both)."""
    votes = set()
    for date in dates:
        if date.zero == cal.ARABIC_INDIC:
            votes.add(cal.ISLAMIC)
        elif date.zero == cal.PERSIAN_DIGITS:
            votes.add(cal.PERSIAN)
    for clock in islice(dict.fromkeys(clocks), 500):
        found = _CLOCK.match(clock)
        word = found.group(5) if found is not None else ""
        if word:
            word = lang.norm(word.replace(".", "").replace(" ", ""))
            if word in _ARABIC_WORDS:
                votes.add(cal.ISLAMIC)
            elif word in _PERSIAN_WORDS:
                votes.add(cal.PERSIAN)
    return votes.pop() if len(votes) == 1 else None


def pick_calendar(parts: dict[str, StampDate | None], order: str,
              clocks: list[str]) -> tuple[str, str]:
    """(calendar, basis) of the file's dates that name no era (those that do are read in
    their era's). "": plain Gregorian; "years": only this calendar gives dates from when
    WhatsApp has existed; "words": the Arabic or Persian of the clocks and digits chooses
    between Islamic and Persian years; "ambiguous": nothing decides (calendar UNKNOWN, and
    no such date is converted)."""
    dates = [p for p in parts.values() if p is not None and p.era_calendar is None]
    years = [_ymd(p, order)[0] for p in dates]
    if all(len(y) <= 2 or 1990 <= int(y) <= 2200 for y in years):
        return cal.GREGORIAN, ""
    counts: Counter[str] = Counter()
    # A sample is enough to choose (a hostile file can hold a million distinct dates).
    for date, year in islice(zip(dates, years, strict=True), _CALENDAR_SAMPLE):
        for calendar in cal.candidates(len(year), None):
            day = gregorian(date, order, calendar)
            if day is not None and cal.plausible(day):
                counts[calendar] += 1
    best = max(counts.values(), default=0)
    if best == 0:
        return cal.GREGORIAN, ""
    hint = _language_hint(dates, clocks)
    if hint is not None and counts[hint] == best:
        return hint, "words"
    leaders = [c for c, n in counts.items() if n == best]
    return (leaders[0], "years") if len(leaders) == 1 else (cal.UNKNOWN, "ambiguous")


def file_calendar(parts: dict[str, StampDate | None], days: dict[str, str | None],
                   plain: tuple[str, str]) -> tuple[str, str]:
    """What the notes say of the whole file: the calendar most of its readable dates were
    in ("era" when they named it), or `plain` (that of the dates without an era)."""
    if plain[0] == cal.UNKNOWN:
        return plain
    used = Counter(p.era_calendar or plain[0] for d, p in parts.items()
                   if p is not None and days[d] is not None)
    if not used:
        return plain
    found = used.most_common(1)[0][0]
    if found == plain[0]:
        return plain
    return found, "era"


def clock_time(clock: str) -> str | None:
    """"HH:MM" or "HH:MM:SS" (24-hour) for a header's clock, or None when it is no time."""
    if not clock.isascii():
        read = cal.digits_of(clock)
        if read is None:
            return None
        clock = read[0]
    before, hh, mm, ss, after = _CLOCK.match(clock).groups()  # type: ignore[union-attr]
    hour, minute = int(hh), int(mm)
    if before and after:
        return None
    ap = before or after
    if ap:
        # 1-12 ("12:04 AM") and, in some locales, 0-11 ("00:04 AM"): four past midnight.
        word = lang.norm(ap.replace(".", "").replace(" ", ""))
        if word in lang.PM:
            if not 0 <= hour <= 12:
                return None
            hour = hour % 12 + 12
        elif word in lang.AM:
            if not 0 <= hour <= 12:
                return None
            hour %= 12
        elif word not in lang.CLOCK_WORDS:
            return None
    if hour > 23 or minute > 59 or (ss is not None and int(ss) > 59):
        return None
    return f"{hour:02d}:{mm}" if ss is None else f"{hour:02d}:{mm}:{ss}"


def clock_zero(clock: str) -> str | None:
    read = cal.digits_of(clock)
    return read[1] if read is not None else None


def message_times(dates: list[str], days: dict[str, str | None], clocks: list[str],
           zeros: dict[str, str] | None) -> list[str | None]:
    """ISO time per header (None: no real date or time), each distinct date and clock
    read once; the per-message joining runs in C when every value is valid. `zeros` (the
    digits each date was written in), when some are not Latin: a clock in other digits
    than its date makes no time."""
    hours = {c: clock_time(c) for c in dict.fromkeys(clocks)}
    if zeros is not None:
        clock_zeros = {c: clock_zero(c) for c in hours}
        return [None if (day := days[d]) is None or (hour := hours[c]) is None
                or zeros.get(d) != clock_zeros[c] else day + hour
                for d, c in zip(dates, clocks, strict=True)]
    if None in days.values() or None in hours.values():
        return [None if (day := days[d]) is None or (hour := hours[c]) is None else day + hour
                for d, c in zip(dates, clocks, strict=True)]
    return list(map(operator.add, map(days.__getitem__, dates),
                    map(hours.__getitem__, clocks)))
