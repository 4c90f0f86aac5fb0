"""Indicators read by machine from a picture: one source per line of its text, with the
box on the picture where each was read.

The text goes through the same extractor and the same checks as a chat's (chats/
indicators.py); an address the engine misread is made whole only when its checksum allows
exactly one reading (repair.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from evidence_app.chats.indicators import IndicatorSource
from evidence_app.ocr.repair import repaired_text
from evidence_app.ocr.words import Box, Line, union

PICTURE_KIND = "picture"  # the kind of an indicator source read from a picture
# A bubble's time read into the same line as the message ("+44 7911 123456 10:32"): the
# number matcher would take the clock for part of the number and refuse it.
_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?(?![\d:])")


def picture_sources(picture_id: str, lines: Iterable[Line], time: str | None = None
                    ) -> Iterator[IndicatorSource]:
    """One source per line of a picture's reading (the repaired addresses beside it)."""
    for line in lines:
        extra = repaired_text(line.text)
        text = _CLOCK.sub("\n", line.text) + ("\n" + extra if extra else "")
        yield IndicatorSource(text=text, item_id=picture_id, time=time, kind=PICTURE_KIND,
                              box=line.box)


def _squashed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def narrow_box(value: str, line: Line) -> Box:
    """The box of the fewest words of `line` that hold `value` (its letters and digits; a
    number written "+44 7911 123456" holds "+447911123456"), else the whole line's."""
    wanted = _squashed(value)
    if not wanted:
        return line.box
    words = line.words
    best: tuple[int, Box] | None = None
    for start in range(len(words)):
        joined = ""
        for end in range(start, len(words)):
            joined += _squashed(words[end].text)
            if wanted in joined or _close(wanted, joined):
                size = end - start + 1
                if best is None or size < best[0]:
                    best = (size, union(w.box for w in words[start:end + 1]))
                break
            if len(joined) > len(wanted) + 40:
                break
    return best[1] if best else line.box


def _close(wanted: str, joined: str) -> bool:
    """A repaired reading: as long as the value and differing in at most three places."""
    if len(joined) != len(wanted):
        return False
    return sum(a != b for a, b in zip(wanted, joined, strict=True)) <= 3


def place_indicators(found: list[dict[str, Any]], lines_by_picture: dict[str, list[Line]]
                     ) -> None:
    """Narrow each picture source's box from its line to the words that hold the value, and
    mark it as read by machine."""
    for entry in found:
        for where in entry.get("sources", []):
            if where.get("kind") != PICTURE_KIND or "box" not in where:
                continue
            lines = lines_by_picture.get(str(where.get("item_id")), [])
            line = next((ln for ln in lines if list(ln.box) == list(where["box"])), None)
            if line is not None:
                where["box"] = list(narrow_box(str(entry.get("value", "")), line))
            where["read_by_machine"] = True
