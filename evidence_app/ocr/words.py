"""The engine's word boxes (TSV) read back into words, lines and plain text.

Boxes are kept in the original picture's pixels, whatever size the engine read it at, so
the stored TSV and every indicator's box point at the picture as handed in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TSV_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left",
               "top", "width", "height", "conf", "text")
MAX_WORDS = 200_000  # a real screenshot has a few thousand; a hostile answer is cut here

Box = tuple[int, int, int, int]  # left, top, width, height


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    conf: float
    line_key: tuple[int, int, int, int]  # page, block, paragraph, line


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    text: str
    box: Box
    paragraph: tuple[int, int, int]


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


def parse_tsv(tsv: str, scale: float = 1.0, page: int | None = None) -> list[Word]:
    """The words of an engine answer (level 5 rows with text), boxes divided by `scale`;
    `page` numbers the pass of a reading read in several (its words keep their lines)."""
    words: list[Word] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) != len(TSV_COLUMNS) or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        left, top, width, height = (round(_int(c) / scale) for c in cols[6:10])
        try:
            conf = float(cols[10])
        except ValueError:
            conf = -1.0
        key = (page or _int(cols[1]), _int(cols[2]), _int(cols[3]), _int(cols[4]))
        words.append(Word(text=text, box=(left, top, width, height), conf=conf, line_key=key))
        if len(words) >= MAX_WORDS:
            break
    return words


def to_tsv(words: Iterable[Word]) -> str:
    """The words as the engine's TSV columns, in the original picture's pixels (what is
    stored beside the text, readable in any spreadsheet)."""
    rows = ["\t".join(TSV_COLUMNS)]
    counters: dict[tuple[int, int, int, int], int] = {}
    for word in words:
        number = counters[word.line_key] = counters.get(word.line_key, 0) + 1
        page, block, par, line = word.line_key
        left, top, width, height = word.box
        text = word.text.replace("\t", " ").replace("\n", " ")
        rows.append("\t".join(str(v) for v in (5, page, block, par, line, number, left, top,
                                                width, height, f"{word.conf:.2f}", text)))
    return "\n".join(rows) + "\n"


def union(boxes: Iterable[Box]) -> Box:
    boxes = list(boxes)
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return left, top, right - left, bottom - top


def same_place(a: Box | list[int], b: Box | list[int]) -> bool:
    """Two boxes around the same place: more than half of the smaller one shared (a word
    two passes read, or a value found in a piece and again in its whole line)."""
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return width > 0 and height > 0 and width * height * 2 > min(a[2] * a[3], b[2] * b[3])


_NO_SPACES = ("THAI", "LAO", "KHMER", "MYANMAR", "CJK", "HIRAGANA", "KATAKANA")


def _unspaced(char: str) -> bool:
    """A letter of a script written without spaces between words (Thai, Khmer, Chinese...)."""
    name = unicodedata.name(char, "")
    return any(name.startswith(script) for script in _NO_SPACES)


def joined(words: Sequence[Word]) -> str:
    """A line's text: a space between words, except between two pieces of a script written
    without spaces that sit close together (the engine splits those at its own guesses)."""
    parts: list[str] = []
    for before, word in zip([None, *words[:-1]], words, strict=True):
        if before is not None:
            gap = word.box[0] - (before.box[0] + before.box[2])
            close = abs(gap) <= max(2, word.box[3] // 3)
            if not (close and _unspaced(before.text[-1]) and _unspaced(word.text[0])):
                parts.append(" ")
        parts.append(word.text)
    return "".join(parts)


def lines_of(words: list[Word]) -> list[Line]:
    """Words grouped by the engine's lines, in its reading order."""
    grouped: dict[tuple[int, int, int, int], list[Word]] = {}
    for word in words:
        grouped.setdefault(word.line_key, []).append(word)
    return [Line(words=tuple(group), text=joined(group),
                 box=union(w.box for w in group), paragraph=key[:3])
            for key, group in grouped.items()]


def text_of(lines: list[Line]) -> str:
    """Plain text: one line per line, a blank line between paragraphs."""
    out: list[str] = []
    previous: tuple[int, int, int] | None = None
    for line in lines:
        if previous is not None and line.paragraph != previous:
            out.append("")
        out.append(line.text)
        previous = line.paragraph
    return "\n".join(out) + ("\n" if out else "")


def mean_confidence(words: list[Word]) -> float | None:
    known = [w.conf for w in words if w.conf >= 0]
    return round(sum(known) / len(known), 1) if known else None
