"""report.pdf: the same report as the HTML, laid out on A4 for printing and for the file.

fpdf2 with HarfBuzz text shaping (uharfbuzz) and per-document fallback fonts, so Thai,
Arabic (right to left), Chinese and emoji render as text, never as boxes. Footers are drawn
last, once the page count is known, so every page says "page X of Y" exactly.
Only thumbnails are embedded, never originals, and never a picture of a sensitive item.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from fpdf import FPDF
from PIL import Image

from evidence_app.bundle import (
    report_chat_words as cw,
    report_integrity_words as iw,
    report_ocr_words as ow,
    report_words as w,
)
from evidence_app.bundle.fonts import FontChoice, choose_fonts
from evidence_app.bundle.pdf_fonts import add_font
from evidence_app.bundle.report_html import render_html
from evidence_app.bundle.report_model import ChatTranscript, PictureWords, ReportData, ReportItem
from evidence_app.bundle.report_pdf_grid import Cell, Grid, fit_widths, use_shaping
from evidence_app.core.safefs import atomic_write
from evidence_app.core.timeutil import parse_utc
from evidence_app.ocr.stored import KINDS as OCR_KINDS

NAVY = (31, 58, 95)
GREY = (85, 85, 85)
RULE = (159, 179, 200)
HEAD_FILL = (232, 238, 244)
NOTE_FILL = (246, 248, 250)
SENSITIVE_FILL = (255, 247, 234)
THUMB_MM = 62


def register_fonts(pdf: FPDF, fonts: FontChoice) -> None:
    """Fonts "body" (regular, bold), "mono" and the fallbacks, with HarfBuzz shaping on.
    Each font file is read once per process (bundle/pdf_fonts.py)."""
    add_font(pdf, "body", "", fonts.regular)
    add_font(pdf, "body", "B", fonts.bold or fonts.regular)
    add_font(pdf, "mono", "", fonts.mono)
    names = ["body"]
    for number, face in enumerate(fonts.fallbacks):
        name = f"fallback{number}"
        add_font(pdf, name, "", face)
        if face.bold is not None:  # bold headings in Thai, Arabic... (fonts.py pairs them)
            add_font(pdf, name, "B", face.bold)
        names.append(name)
    pdf.set_fallback_fonts(names, exact_match=False)
    pdf.set_text_shaping(True)


def shown(text: str, fonts: FontChoice) -> str:
    """Case text ready to draw: hidden controls and glyph-less characters made visible."""
    text = w.clean(text)
    if fonts.missing and any(c in fonts.missing for c in text):
        text = "".join(f"[U+{ord(c):04X}]" if c in fonts.missing else c for c in text)
    return text


class _Report(FPDF):
    def __init__(self, data: ReportData, fonts: FontChoice) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.data = data
        self.font_choice = fonts
        self.align_text = "R" if data.rtl else "L"
        self.set_margins(16, 18, 16)
        self.set_auto_page_break(True, margin=20)
        register_fonts(self, fonts)
        self.set_title(w.title() + " – " + data.bundle_name)
        self.set_lang(data.language.replace("_", "-"))
        self.set_creator(data.software)
        try:
            self.set_creation_date(parse_utc(data.sealed_at))
        except ValueError:
            self.set_creation_date(dt.datetime.now(dt.UTC))

    def t(self, text: str) -> str:
        return shown(text, self.font_choice)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("body", "", 7.5)
        self.set_text_color(*GREY)
        self.set_y(9)
        self.cell(0, 4, self.t(w.title() + " · " + self.data.bundle_name), align=self.align_text)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, 13.5, self.w - self.r_margin, 13.5)
        self.set_y(18)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        """Drawn afterwards by add_footers(), once the number of pages is known."""

    def add_footers(self) -> None:
        """'Page X of Y', the bundle name and the signer key on every page, in one pass."""
        last = self.page
        self.set_auto_page_break(False, margin=self.b_margin)
        for number in range(1, last + 1):
            self.page = number
            # Force every setting out again: this page's stream may have left others active.
            self.set_line_width(0.21)
            self.set_line_width(0.2)
            self.set_draw_color(0)
            self.set_draw_color(*RULE)
            y = self.h - 14
            self.line(self.l_margin, y, self.w - self.r_margin, y)
            self.set_font("mono", "", 7)
            self.set_font("body", "", 7)
            self.set_text_color(*GREY)
            page = w.page_text(number, last)
            left, right = (page, w.footer_text(self.data)) if self.data.rtl else (
                w.footer_text(self.data), page)
            width = self.epw * 0.8
            self.set_xy(self.l_margin, y)
            self.cell(width, 5, self.t(left), new_x="RIGHT", align="L")
            self.cell(self.epw - width, 5, self.t(right), align="R")
        self.page = last
        self.set_text_color(0, 0, 0)

    # --- building blocks ---------------------------------------------------------------

    def ensure(self, height: float) -> None:
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def h2(self, text: str) -> None:
        self.ensure(30)
        self.ln(4)
        self.set_font("body", "B", 13)
        self.set_text_color(*NAVY)
        self.multi_cell(0, 7, self.t(text), align=self.align_text, new_x="LMARGIN",
                        new_y="NEXT")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2.5)
        self.set_text_color(0, 0, 0)

    def h3(self, text: str) -> None:
        self.ensure(25)
        self.ln(2)
        self.set_font("body", "B", 10.5)
        self.multi_cell(0, 6, self.t(text), align=self.align_text, new_x="LMARGIN",
                        new_y="NEXT")
        self.ln(1)

    def para(self, text: str, size: float = 9.5, color: tuple[int, int, int] = (0, 0, 0),
             fill: tuple[int, int, int] | None = None, family: str = "body") -> None:
        self.set_font(family, "", size)
        self.set_text_color(*color)
        if fill:
            self.set_fill_color(*fill)
        align = "L" if family == "mono" else self.align_text
        use_shaping(self, text)
        self.multi_cell(0, size * 0.5, self.t(text), align=align, fill=fill is not None,
                        padding=2 if fill else 0, new_x="LMARGIN", new_y="NEXT")
        self.set_text_shaping(True)
        self.set_text_color(0, 0, 0)
        self.set_fill_color(255, 255, 255)  # tables fill with the current colour
        self.ln(1.5)

    def _ordered(self, cells: list[Cell]) -> list[Cell]:
        return list(reversed(cells)) if self.data.rtl else cells

    def _widths(self, fractions: tuple[float, ...]) -> list[float]:
        total = sum(fractions)
        widths = [self.epw * f / total for f in fractions]
        return list(reversed(widths)) if self.data.rtl else widths

    def _value(self, value: str, kind: str) -> Cell:
        if kind == "mono":
            return Cell(self.t(value), "mono", "L")
        return Cell(self.t(value), "text", self.align_text)

    def kv_table(self, rows: list[w.Row]) -> None:
        grid = Grid(self, self._widths((32, 68)), size=8.8)
        for label, value, kind in rows:
            grid.row(self._ordered([Cell(self.t(label), "label", self.align_text),
                                    self._value(value, kind)]))
        self.ln(2.5)

    def grid(self, header: list[str], rows: list[list[str]],
             mono_cols: tuple[int, ...] = (), spans: dict[int, str] | None = None) -> None:
        """A table whose columns fit their words; `spans[n]` is drawn across the whole
        width after row n (or alone, when row n has no cells: an empty list)."""
        heading = [Cell(self.t(h), "head", self.align_text) for h in header]
        cells = [[self._value(v, "mono" if i in mono_cols else "text")
                  for i, v in enumerate(values)] for values in rows]
        size = 8.3
        widths = fit_widths(self, [heading, *[c for c in cells if c]], self.epw, size)
        grid = Grid(self, list(reversed(widths)) if self.data.rtl else widths, size=size,
                    heading=self._ordered(heading))
        for number, row in enumerate(cells):
            if row:
                grid.row(self._ordered(row))
            if spans and number in spans:
                grid.span(self._value(spans[number], "text"))
        self.ln(2.5)


def _item(pdf: _Report, item: ReportItem) -> None:
    pdf.h3(w.item_heading(item))
    pdf.kv_table(w.item_rows(item))
    if item.sensitive:
        label = ow.sensitive_reading_label() if item.kind in OCR_KINDS else w.sensitive_label()
        pdf.para(label, size=8.5, fill=SENSITIVE_FILL)
    elif item.thumbnail:
        with Image.open(io.BytesIO(item.thumbnail)) as pic:
            px_w, px_h = pic.size
        scale = THUMB_MM / max(px_w, px_h, 1)
        width, height = px_w * scale, px_h * scale
        pdf.ensure(height + 10)
        x = pdf.w - pdf.r_margin - width if pdf.data.rtl else pdf.l_margin
        y = pdf.get_y()
        pdf.image(io.BytesIO(item.thumbnail), x=x, y=y, w=width, h=height)
        pdf.set_draw_color(*RULE)
        pdf.rect(x, y, width, height)
        pdf.set_y(y + height + 1)
        pdf.para(w.thumbnail_caption(), size=7.5, color=GREY)
    if item.words is not None:
        _words(pdf, item.words)
    pdf.ln(2)


def _words(pdf: _Report, words: PictureWords) -> None:
    """The words read by machine under a picture, marked as such (see report_html._words)."""
    if words.withheld:
        pdf.para(ow.withheld_text(words), size=8.5, fill=NOTE_FILL)
        return
    if words.empty:
        pdf.para(ow.empty_text(words), size=8.5, color=GREY)
        return
    pdf.ensure(20)  # the note stays with the first lines
    pdf.para(ow.reading_note(words), size=8.5)
    pdf.para(ow.reading_text(words), size=9, fill=NOTE_FILL)
    more = ow.more_text(words)
    if more:
        pdf.para(more, size=8.5, color=GREY)


def _chat(pdf: _Report, chat: ChatTranscript) -> None:
    pdf.ensure(60)  # the heading and its warnings stay with the first messages
    pdf.h3(cw.chat_heading(chat))
    meta = cw.chat_participants(chat)
    if meta:
        pdf.para(meta, size=8.5, color=GREY)
    for warning in cw.chat_warnings(chat):
        pdf.para(warning, size=8.5, fill=SENSITIVE_FILL)
    pdf.grid(cw.chat_header(), [cw.chat_row(m) for m in chat.messages])


def _payments(pdf: _Report, data: ReportData) -> None:
    """Payments the victim made: a table of what they filled in, their own words beneath."""
    table = w.payment_table(data)
    alone = not table.header
    if alone:
        for number, row in enumerate(table.rows, 1):
            pdf.para(w.payment_note(number, row.note, True), size=9, fill=NOTE_FILL)
        return
    spans = {n: w.payment_note(n + 1, row.note, row.cells is None)
             for n, row in enumerate(table.rows) if row.note}
    pdf.grid(table.header, [row.cells or [] for row in table.rows], mono_cols=table.mono,
             spans=spans)


def _build(data: ReportData, fonts: FontChoice) -> _Report:
    pdf = _Report(data, fonts)
    t = w.section_titles()
    pdf.add_page()
    pdf.set_font("body", "B", 20)
    pdf.set_text_color(*NAVY)
    pdf.multi_cell(0, 10, pdf.t(w.title()), align=pdf.align_text, new_x="LMARGIN",
                   new_y="NEXT")
    pdf.set_draw_color(*NAVY)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(3)
    pdf.para(w.intro_text(), size=8.5, color=GREY)
    pdf.h2(t["summary"])
    pdf.kv_table(w.summary_rows(data))
    integrity = iw.integrity_rows(data)
    if integrity:
        pdf.h2(t["integrity"])
        pdf.kv_table(integrity)
    contact = w.contact_text(data)
    if contact:
        pdf.h2(t["contact"])
        pdf.para(contact, size=10, fill=NOTE_FILL)
        pdf.para(w.contact_note(), size=8, color=GREY)
    pdf.h2(t["statement"])
    pdf.para(data.case.statement or "–", size=10, fill=NOTE_FILL)
    incident = w.incident_rows(data)
    if incident:
        pdf.h2(t["incident"])
        pdf.kv_table(incident)
    if data.case.payments:
        pdf.h2(t["payments"])
        _payments(pdf, data)
    pdf.h2(t["timeline"])
    note = w.timeline_note(data)
    if note:
        pdf.para(note, size=8.5, color=GREY)
    pdf.grid(w.timeline_header(), [w.timeline_row(e) for e in data.timeline])
    pdf.add_page()
    pdf.h2(t["items"])
    for item in data.items:
        _item(pdf, item)
    pdf.h2(t["chats"])
    if any(m.timezone == "device" for c in data.chats for m in c.messages):
        pdf.para(cw.device_time_note(), size=8.5, color=GREY)
    if data.chats:
        for chat in data.chats:
            _chat(pdf, chat)
    else:
        pdf.para(cw.no_chats(), color=GREY)
    pdf.h2(t["indicators"])
    if data.indicators:
        pdf.grid(w.indicator_header(), [w.indicator_row(i) for i in data.indicators],
                 mono_cols=(1,))
    elif not data.indicators_withheld:
        pdf.para(w.no_indicators(), color=GREY)
    if ow.reads_pictures(data.indicators):
        pdf.para(ow.picture_place_note(), size=8, color=GREY)
    if data.indicators_withheld:
        pdf.para(ow.indicators_withheld_text(data.indicators_withheld), size=8.5, color=GREY)
    pdf.h2(t["custody"])
    pdf.grid(w.custody_header(), [w.custody_row(c) for c in data.custody], mono_cols=(3,))
    pdf.h2(t["verify"])
    _verify_block(pdf, data.verify_text or "–")
    return pdf


# --- VERIFY.txt: commands break only between arguments ------------------------------------

_COMMAND = " " * 5  # VERIFY.txt's commands start on lines indented by exactly five spaces
_SCRIPT_START = "python3 -c 'if True:"
_SCRIPT_END = _COMMAND + "'"
VERIFY_SIZE = 7.6
VERIFY_MIN_SIZE = 5.0


def shell_words(text: str) -> list[str]:
    """`text` cut at spaces outside quotes, so a quoted argument is never split."""
    words: list[str] = []
    current = ""
    quote = ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == " ":
            if current:
                words.append(current)
            current = ""
            continue
        current += char
    if current:
        words.append(current)
    return words


def split_command(line: str, fits: Callable[[str], bool]) -> list[str]:
    """A command line too wide for the page, broken between arguments: each piece but the
    last ends in " \\" and the next is indented two more spaces, so the pieces are still one
    command. A line that fits, or a single word too wide by itself, stays as it is."""
    if fits(line):
        return [line]
    indent = line[: len(line) - len(line.lstrip(" "))]
    more = indent + "  "
    words = shell_words(line)
    if len(words) > 1 and words[-1] == "\\":  # a continuation stays with the last word
        words[-2:] = [f"{words[-2]} \\"]
    pieces: list[str] = []
    current = indent
    for word in words:
        candidate = current + word if current.strip() == "" else f"{current} {word}"
        if current.strip() and not fits(candidate + " \\"):
            pieces.append(current + " \\")
            current = more + word
        else:
            current = candidate
    pieces.append(current)
    return pieces


def verify_lines(text: str, fits: Callable[[str], bool]) -> list[tuple[str, bool]]:
    """(line, is_command) for VERIFY.txt as drawn: long commands broken between arguments.
    Lines of a python3 script are never broken (a " \\" would change the script)."""
    out: list[tuple[str, bool]] = []
    in_script = False
    continued = False
    for line in text.splitlines():
        command = in_script or continued or (
            line.startswith(_COMMAND) and line[5:6].strip() != "")
        if in_script:
            out.append((line, True))
            in_script = line != _SCRIPT_END
            continue
        if command and line.endswith(_SCRIPT_START):
            out.append((line, True))
            in_script = True
            continue
        out += [(piece, command) for piece in (split_command(line, fits) if command
                                               else [line])]
        continued = command and line.endswith(" \\")
    return out


def _verify_block(pdf: _Report, text: str) -> None:
    """VERIFY.txt line for line on a tinted block, in monospace. A command too wide for the
    page is broken only between arguments (see split_command); what still does not fit (one
    very long argument, a line of a script) is set smaller rather than wrapped."""
    pdf.set_font("mono", "", VERIFY_SIZE)
    pdf.set_fill_color(*NOTE_FILL)
    width = pdf.epw - 2 * pdf.c_margin

    def fits(line: str) -> bool:
        return pdf.get_string_width(pdf.t(line)) <= width

    use_shaping(pdf, text)
    height = VERIFY_SIZE * 0.5
    pdf.ln(1)
    for line, command in verify_lines(text, fits):
        shown_line = pdf.t(line)
        if command:
            size = VERIFY_SIZE
            while size > VERIFY_MIN_SIZE and pdf.get_string_width(shown_line) > width:
                size -= 0.2
                pdf.set_font("mono", "", size)
            pdf.cell(0, height, shown_line, fill=True, align="L",
                     new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("mono", "", VERIFY_SIZE)
        elif fits(line):
            # One line, drawn as multi_cell draws it (its box first, from the bottom edge,
            # then the text) without fpdf2's line breaker, whose cost grows with the square
            # of a line's length: it was most of a report's fixed time.
            pdf.ensure(height)
            pdf.rect(pdf.x, pdf.y + height, pdf.epw, -height, style="F")
            pdf.cell(0, height, shown_line, align="L", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, height, shown_line, fill=True, align="L",
                           new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_shaping(True)
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(1.5)


def render_pdf_bytes(data: ReportData, fonts: FontChoice | None = None) -> bytes:
    """The report PDF in memory (the seal writes it into the bag)."""
    if fonts is None:
        # Every character the report will show is in its HTML twin; thumbnails are not text.
        text_only = replace(data, items=[replace(i, thumbnail=None) for i in data.items])
        fonts = choose_fonts([html.unescape(render_html(text_only))])
    pdf = _build(data, fonts)
    pdf.add_footers()
    return bytes(pdf.output())


def render_pdf(data: ReportData, out_path: Path) -> Path:
    """Write report.pdf atomically; raises FontsNotFound when no usable font exists."""
    out_path = Path(out_path)
    atomic_write(out_path, render_pdf_bytes(data))
    return out_path
