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
from evidence_app.ocr.repair import Budget, repaired_text
from evidence_app.ocr.words import Box, Line, Word, joined, same_place, union

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
    return -height // 3 <= gap <= 2 * height and min(left, right) <= 2 * height


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
    budget = Budget()
    for piece in pieces:
        extra = repaired[(*piece.box, piece.words[0].line_key[0])] = repaired_text(
            piece.text, budget)
        plain = _CLOCK.sub("\n", piece.text)
        apart = _DIGITS_ON_A_WORD.sub(r"\1 \2", plain)
        text = "\n".join(t for t in (plain, apart if apart != plain else "", extra) if t)
        yield IndicatorSource(text=text, item_id=picture_id, time=time, kind=PICTURE_KIND,
                              box=piece.box, reading_pass=piece.words[0].line_key[0])
    for run in runs:
        alone = {v for part in run
                 for v in repaired.get((*part.box, part.words[0].line_key[0]), "").split("\n")}
        whole = _whole(run)
        across = [v for v in repaired_text(whole.text, budget).split("\n")
                  if v and v not in alone]
        if len({part.words[0].line_key for part in run}) == 1:
            # one line cut apart: a number may run across the cut ("121   056"); what the
            # pieces already hold is found again here and said once (_once_per_place)
            plain = _CLOCK.sub("\n", whole.text)
            across = [plain, _DIGITS_ON_A_WORD.sub(r"\1 \2", plain), *across]
        if across:
            yield IndicatorSource(text="\n".join(across), item_id=picture_id, time=time,
                                  kind=PICTURE_KIND, box=whole.box,
                                  reading_pass=whole.words[0].line_key[0])


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
    mark it as read by machine, say each place once, and drop what only a later pass read
    where the first pass read another value of the same kind (see _second_opinions)."""
    pieces: dict[str, dict[tuple[int, ...], Line]] = {}  # by box and pass
    for entry in found:
        for where in entry.get("sources", []):
            if where.get("kind") != PICTURE_KIND or "box" not in where:
                continue
            picture = str(where.get("item_id"))
            if picture not in pieces:
                pieces[picture] = {}
                cut, runs = reading_pieces(lines_by_picture.get(picture, []))
                for line in [*cut, *(_whole(run) for run in runs)]:
                    pieces[picture].setdefault((*line.box, line.words[0].line_key[0]), line)
            held = pieces[picture].get((*where["box"], where.get("pass", 1)))
            if held is not None:
                where["box"] = list(narrow_box(str(entry.get("value", "")), held))
            where["read_by_machine"] = True
        entry["sources"] = _once_per_place(entry.get("sources", []))
    had = [bool(e.get("sources")) for e in found]
    _second_opinions(found)
    for entry in found:
        for where in entry.get("sources", []):
            where.pop("pass", None)
    found[:] = [e for e, before in zip(found, had, strict=True)
                if e.get("sources") or not before]


# Kinds a checksum confirms: any pass's reading of them is listed.
_CHECKED = frozenset({"btc", "tron", "ltc", "doge", "eth", "iban"})


def _second_opinions(found: list[dict[str, Any]]) -> None:
    """An e-mail, number or name read only by a later pass (English alone), where the first
    pass read another value of the same kind, is a misreading of that value: dropped. Where
    the first pass read none (Thai letters around an e-mail), the later pass's is kept."""
    first: dict[str, list[tuple[str, list[int]]]] = {}
    for entry in found:
        for where in entry.get("sources", []):
            if where.get("pass") == 1:
                first.setdefault(str(entry.get("type")), []).append(
                    (str(where.get("item_id")), where["box"]))
    for entry in found:
        if entry.get("type") in _CHECKED:
            continue
        entry["sources"] = [
            w for w in entry.get("sources", [])
            if not (w.get("pass", 1) > 1 and any(
                picture == str(w.get("item_id")) and same_place(box, w["box"])
                for picture, box in first.get(str(entry.get("type")), [])))]


def _once_per_place(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A value read at the same place of a picture by two passes is said once."""
    kept: list[dict[str, Any]] = []
    for where in sources:
        if where.get("kind") == PICTURE_KIND and "box" in where and any(
                k.get("kind") == PICTURE_KIND and k.get("item_id") == where.get("item_id")
                and "box" in k and same_place(k["box"], where["box"]) for k in kept):
            continue
        kept.append(where)
    return kept
