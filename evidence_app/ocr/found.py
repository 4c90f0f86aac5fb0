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
from evidence_app.ocr.words import Box, Line, Word, joined, union

PICTURE_KIND = "picture"  # the kind of an indicator source read from a picture
# A bubble's time read into the same line as the message ("+44 7911 123456 10:32"): the
# number matcher would take the clock for part of the number and refuse it.
_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?(?![\d:])")
# A number whose space before the next word was lost ("+84 912 167 263nhé"): the number
# matcher refuses digits that touch a letter. Read again with the word set apart.
_DIGITS_ON_A_WORD = re.compile(r"(\d)([^\W\d_]{2,})(?=\W|$)")


def _gap(before: Word, word: Word) -> int:
    """The space between two words of a line, whichever way the line runs."""
    return max(word.box[0] - (before.box[0] + before.box[2]),
               before.box[0] - (word.box[0] + word.box[2]))


def pieces_of(line: Line) -> list[Line]:
    """A line cut where its words stand far apart (wider than most of a word's height): a
    chat list beside the chat, or a bubble's time beside its last words, are read as their
    own pieces, not as one run of text."""
    heights = sorted(w.box[3] for w in line.words)
    limit = max(4.0, 0.8 * heights[len(heights) // 2])
    groups: list[list[Word]] = [[line.words[0]]]
    for word in line.words[1:]:
        if _gap(groups[-1][-1], word) > limit:
            groups.append([])
        groups[-1].append(word)
    if len(groups) == 1:
        return [line]
    return [Line(words=tuple(g), text=joined(g), box=union(w.box for w in g),
                 paragraph=line.paragraph) for g in groups]


def _below(upper: Line, lower: Line) -> bool:
    """`lower` continues `upper` in the same bubble: just under it, and starting (or, in
    right-to-left writing, ending) where it does."""
    height = max(4, upper.box[3])
    gap = lower.box[1] - (upper.box[1] + upper.box[3])
    left = abs(lower.box[0] - upper.box[0])
    right = abs((lower.box[0] + lower.box[2]) - (upper.box[0] + upper.box[2]))
    return -height // 3 <= gap <= 1.5 * height and min(left, right) <= 2 * height


def reading_pieces(lines: Iterable[Line]) -> tuple[list[Line], list[tuple[Line, ...]]]:
    """The pieces of a reading, and the runs of pieces an address or IBAN may continue
    across: the pieces of one line (the engine may set a long address's halves apart), and
    a piece with the one above it in the same bubble (an address that wraps)."""
    pieces: list[Line] = []
    runs: list[tuple[Line, ...]] = []
    for line in lines:
        cut = pieces_of(line)
        if len(cut) > 1:
            runs.append(tuple(cut))
        pieces.extend(cut)
    for number, piece in enumerate(pieces):
        above = [p for p in pieces[max(0, number - 12):number] if _below(p, piece)]
        if above:
            runs.append((above[-1], piece))
    return pieces, runs


def _whole(parts: tuple[Line, ...]) -> Line:
    words = tuple(w for part in parts for w in part.words)
    return Line(words=words, text=" ".join(part.text for part in parts),
                box=union(w.box for w in words), paragraph=parts[0].paragraph)


def picture_sources(picture_id: str, lines: Iterable[Line], time: str | None = None
                    ) -> Iterator[IndicatorSource]:
    """One source per piece of a picture's reading, with the addresses repaired in it, and
    one for each address or IBAN that only a run of pieces holds together."""
    pieces, runs = reading_pieces(lines)
    repaired: dict[tuple[int, ...], str] = {}
    for piece in pieces:
        extra = repaired[piece.box] = repaired_text(piece.text)
        plain = _CLOCK.sub("\n", piece.text)
        apart = _DIGITS_ON_A_WORD.sub(r"\1 \2", plain)
        text = "\n".join(t for t in (plain, apart if apart != plain else "", extra) if t)
        yield IndicatorSource(text=text, item_id=picture_id, time=time, kind=PICTURE_KIND,
                              box=piece.box)
    for run in runs:
        alone = {v for part in run for v in repaired.get(part.box, "").split("\n")}
        whole = _whole(run)
        across = [v for v in repaired_text(whole.text).split("\n") if v and v not in alone]
        if across:
            yield IndicatorSource(text="\n".join(across), item_id=picture_id, time=time,
                                  kind=PICTURE_KIND, box=whole.box)


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
    """Narrow each picture source's box from its piece to the words that hold the value,
    and mark it as read by machine."""
    pieces: dict[str, dict[tuple[int, ...], Line]] = {}
    for entry in found:
        for where in entry.get("sources", []):
            if where.get("kind") != PICTURE_KIND or "box" not in where:
                continue
            picture = str(where.get("item_id"))
            if picture not in pieces:
                pieces[picture] = {}
                cut, runs = reading_pieces(lines_by_picture.get(picture, []))
                for line in [*cut, *(_whole(run) for run in runs)]:
                    pieces[picture].setdefault(line.box, line)
            held = pieces[picture].get(tuple(where["box"]))
            if held is not None:
                where["box"] = list(narrow_box(str(entry.get("value", "")), held))
            where["read_by_machine"] = True
