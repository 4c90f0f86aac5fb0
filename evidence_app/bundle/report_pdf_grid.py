"""Bordered tables for the PDF report, measured once and drawn row by row.

fpdf2's own table shapes every cell with HarfBuzz again for each character it measures, so a
chat transcript of a thousand messages took half a minute. Here a cell is shaped only when
its script needs it (Arabic, Hebrew, Thai, Indic, Khmer, Myanmar, combining marks, emoji
sequences), measured once, and drawn; a row taller than a page is split across pages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

HEAD_FILL = (232, 238, 244)
BORDER = (140, 154, 168)
PAD = 1.3

_COMPLEX = re.compile(
    "[\u0300-\u036f\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u18af"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufb1d-\ufdff\ufe00-\ufe0f"
    "\ufe20-\ufe2f\ufe70-\ufeff\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff"
    "\U000e0020-\U000e007f]")


_TOKENS = re.compile(r"\S+|\s+")


def needs_shaping(text: str) -> bool:
    """True when the text only renders correctly after HarfBuzz shaping or bidi reordering."""
    return _COMPLEX.search(text) is not None


def use_shaping(pdf: FPDF, text: str) -> None:
    if needs_shaping(text):
        pdf.set_text_shaping(True)
    else:
        pdf.set_text_shaping(False)


def _token_width(pdf: FPDF, token: str, cache: dict[str, float]) -> float:
    width = cache.get(token)
    if width is None:
        use_shaping(pdf, token)
        width = cache[token] = pdf.get_string_width(token)
    return width


def _clusters(word: str) -> list[str]:
    """The word cut only where a new base character starts (never before a mark or ZWJ)."""
    out: list[str] = []
    for char in word:
        joins = out and (unicodedata.combining(char) or unicodedata.category(char) in
                         ("Mn", "Mc", "Me") or char in "\u200d\ufe0f" or out[-1][-1] == "\u200d")
        if joins:
            out[-1] += char
        else:
            out.append(char)
    return out


def wrap(pdf: FPDF, text: str, width: float, cache: dict[str, float]) -> list[str]:
    """Lines that fit `width` in the current font: at spaces, else between characters.

    Words are measured once each (with fallback fonts and shaping, through fpdf2), so long
    transcripts wrap in time proportional to their length. Leading spaces are kept.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for token in _TOKENS.findall(paragraph):
            size = _token_width(pdf, token, cache)
            if used + size <= width:
                line, used = line + token, used + size
                continue
            if token.isspace():
                lines.append(line.rstrip())
                line, used = "", 0.0
                continue
            if line.strip():
                lines.append(line.rstrip())
                line, used = "", 0.0
            if size <= width:
                line, used = token, size
                continue
            for piece in _clusters(token):
                piece_size = _token_width(pdf, piece, cache)
                if used + piece_size > width and line:
                    lines.append(line)
                    line, used = "", 0.0
                line, used = line + piece, used + piece_size
        lines.append(line.rstrip() if line.strip() else "")
    return lines


@dataclass(frozen=True)
class Cell:
    """`style`: "text", "mono", "label" (bold on a tint) or "head" (column heading)."""

    text: str
    style: str = "text"
    align: str = "L"


def set_cell_font(pdf: FPDF, style: str, size: float) -> None:
    if style == "mono":
        pdf.set_font("mono", "", size * 0.9)
    else:
        pdf.set_font("body", "B" if style in ("label", "head") else "", size)


# The most of a table's width one unbroken word may claim before it is broken between
# characters: a wallet address (monospace) fits whole on one line; a heading word is never
# broken; a run of Thai or Chinese (no spaces to break at) wraps between characters.
_WORD_SHARE = {"mono": 0.45, "text": 0.35, "label": 0.35}


_MOST_SHARE = 0.55


def cell_padding(pdf: FPDF) -> float:
    """What a cell's borders and padding take from its width."""
    return 2 * PAD + 2 * pdf.c_margin + 0.4


def fit_widths(pdf: FPDF, rows: Sequence[Sequence[Cell]], total: float,
               size: float) -> list[float]:
    """Column widths (mm) that fit the content, as a browser lays out a table.

    Each column gets at least its longest word (a heading word always, so "Amount" never
    becomes "Amoun t"), then the rest of the width goes to the columns whose text is longer
    than they are, in proportion to what they lack.
    """
    count = len(rows[0])
    least = [0.0] * count
    most = [0.0] * count
    caches: dict[tuple[str, float], dict[str, float]] = {}
    pad = cell_padding(pdf) + 0.3
    for row in rows:
        for column, cell in enumerate(row):
            set_cell_font(pdf, cell.style, size)
            cache = caches.setdefault((cell.style, size), {})
            share = _WORD_SHARE.get(cell.style)
            for line in cell.text.split("\n"):
                used = 0.0
                for token in _TOKENS.findall(line):
                    width = _token_width(pdf, token, cache)
                    used += width
                    if not token.isspace():
                        word = width if share is None else min(width, total * share)
                        least[column] = max(least[column], word + pad)
                most[column] = max(most[column], used + pad)
    most = [max(m, lo) for m, lo in zip(most, least, strict=True)]
    if sum(least) >= total:  # even the words do not fit: share by what each needs
        return [total * lo / sum(least) for lo in least]
    if sum(most) <= total:  # everything fits on one line: spread the rest evenly
        extra = (total - sum(most)) / count
        return [m + extra for m in most]
    # A long message column would take nearly all the room; capped, the short columns
    # (times, names) get enough to stay on one or two lines.
    lacking = [min(m, total * _MOST_SHARE) - lo for m, lo in zip(most, least, strict=True)]
    if sum(lacking) <= 0:
        lacking = [m - lo for m, lo in zip(most, least, strict=True)]
    room = total - sum(least)
    return [lo + room * gap / sum(lacking) for lo, gap in zip(least, lacking, strict=True)]


class Grid:
    """A table with fixed column widths (mm) that repeats its heading row on each page."""

    def __init__(self, pdf: FPDF, widths: Sequence[float], *, size: float = 8.5,
                 heading: Sequence[Cell] | None = None) -> None:
        self.pdf = pdf
        self.widths = list(widths)
        self.size = size
        self.line_h = size * 0.47
        self.heading = list(heading) if heading else None
        self._widths: dict[tuple[str, float], dict[str, float]] = {}
        self.heading_lines = self._measure(self.heading) if self.heading else []
        if self.heading:
            if pdf.get_y() + self._heading_height() + self.line_h + 2 * PAD > \
                    pdf.page_break_trigger:
                pdf.add_page()
            self._draw_heading()

    def _font(self, style: str) -> None:
        set_cell_font(self.pdf, style, self.size)

    def _measure(self, cells: Sequence[Cell], widths: Sequence[float] | None = None
                 ) -> list[list[str]]:
        out = []
        for cell, width in zip(cells, widths or self.widths, strict=True):
            self._font(cell.style)
            key = (cell.style, self.size)
            out.append(wrap(self.pdf, cell.text, self._text_width(width),
                            self._widths.setdefault(key, {})))
        return out

    def _text_width(self, width: float) -> float:
        return width - cell_padding(self.pdf)

    def _heading_height(self) -> float:
        if not self.heading_lines:
            return 0.0
        return max(len(x) for x in self.heading_lines) * self.line_h + 2 * PAD

    def _draw_heading(self) -> None:
        assert self.heading is not None
        count = max(len(x) for x in self.heading_lines)
        self._draw([Cell("\n".join(x), c.style, c.align)
                    for x, c in zip(self.heading_lines, self.heading, strict=True)], count)

    def span(self, cell: Cell) -> None:
        """One cell across every column (a payment described in the victim's own words)."""
        self.row([cell], [sum(self.widths)])

    def row(self, cells: Sequence[Cell], widths: Sequence[float] | None = None) -> None:
        """One row; moved to the next page if it does not fit, split if taller than a page."""
        pdf = self.pdf
        widths = list(widths or self.widths)
        lines = self._measure(cells, widths)
        room_full = pdf.page_break_trigger - pdf.t_margin - self._heading_height()
        per_page = max(1, int((room_full - 2 * PAD) // self.line_h))
        tallest = max(len(x) for x in lines)
        start = 0
        while start < tallest:
            fits = int((pdf.page_break_trigger - pdf.get_y() - 2 * PAD) // self.line_h)
            take = min(tallest - start, per_page)
            if fits < take:
                if tallest - start > per_page and fits >= 3:
                    take = fits  # a row taller than a page: fill this one first
                else:
                    pdf.add_page()
                    if self.heading:
                        self._draw_heading()
                    continue
            self._draw([Cell("\n".join(x[start:start + take]), c.style, c.align)
                        for x, c in zip(lines, cells, strict=True)], take, widths)
            start += take

    def _draw(self, cells: list[Cell], line_count: int,
              widths: Sequence[float] | None = None) -> None:
        pdf = self.pdf
        height = line_count * self.line_h + 2 * PAD
        x, y = pdf.l_margin, pdf.get_y()
        auto, margin = pdf.auto_page_break, pdf.b_margin
        pdf.set_auto_page_break(False, margin=margin)
        pdf.set_draw_color(*BORDER)
        for cell, width in zip(cells, widths or self.widths, strict=True):
            if cell.style in ("label", "head"):
                pdf.set_fill_color(*HEAD_FILL)
                pdf.rect(x, y, width, height, style="DF")
            else:
                pdf.rect(x, y, width, height, style="D")
            self._font(cell.style)
            for number, line in enumerate(cell.text.split("\n")):
                if line.strip():
                    use_shaping(pdf, line)
                    pdf.set_xy(x + PAD, y + PAD + number * self.line_h)
                    pdf.cell(width - 2 * PAD, self.line_h, line, align=cell.align)
            x += width
        pdf.set_auto_page_break(auto, margin=margin)
        pdf.set_xy(pdf.l_margin, y + height)
        pdf.set_text_shaping(True)
