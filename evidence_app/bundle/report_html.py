"""report.html: one self-contained page that opens offline in any browser and prints on A4.

Everything from the case (file names, chat text, EXIF, the statement) comes, in part, from
the offender's side, so every such string is escaped; a Content-Security-Policy forbids
scripts and any network load even if something slipped through. Thumbnails are inline
data: URIs; sensitive items never get one.
"""

from __future__ import annotations

import base64
import html

from evidence_app.bundle import (
    report_chat_words as cw,
    report_integrity_words as iw,
    report_ocr_words as ow,
    report_words as w,
)
from evidence_app.bundle.report_model import ChatTranscript, PictureWords, ReportData, ReportItem
from evidence_app.ocr.stored import KINDS as OCR_KINDS

_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'"

_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
html { background: #fff; }
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #1a1a1a;
  font-size: 10.5pt; line-height: 1.45; max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; }
h1 { font-size: 20pt; margin: 0 0 2mm; border-bottom: 2px solid #1f3a5f; color: #1f3a5f; }
h2 { font-size: 14pt; color: #1f3a5f; margin: 9mm 0 3mm; border-bottom: 1px solid #9fb3c8;
  break-after: avoid; }
h3 { font-size: 11.5pt; margin: 6mm 0 2mm; break-after: avoid; }
p.intro { color: #444; font-size: 9.5pt; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
th, td { border: 1px solid #8c9aa8; padding: 1.2mm 2mm; vertical-align: top;
  text-align: left; overflow-wrap: anywhere; word-wrap: break-word; }
[dir="rtl"] th, [dir="rtl"] td { text-align: right; }
th { background: #e8eef4; font-weight: 600; }
table.kv th { width: 32%; }
tr { break-inside: avoid; }
.mono, pre { font-family: "Noto Sans Mono", "DejaVu Sans Mono", Consolas, monospace;
  font-size: 9pt; }
.case-text { white-space: pre-wrap; unicode-bidi: plaintext; }
.statement, .contact { white-space: pre-wrap; unicode-bidi: plaintext;
  border-inline-start: 3px solid #9fb3c8; padding: 2mm 4mm; background: #f6f8fa; }
pre { white-space: pre-wrap; border: 1px solid #8c9aa8; padding: 3mm; background: #f6f8fa;
  direction: ltr; text-align: left; }
figure { margin: 2mm 0 4mm; break-inside: avoid; }
figure img { max-width: 80mm; max-height: 80mm; border: 1px solid #8c9aa8; }
figcaption { font-size: 8.5pt; color: #555; }
.sensitive { border: 1px dashed #a05a00; background: #fff7ea; padding: 2mm 3mm;
  font-size: 9.5pt; }
.empty { color: #555; font-style: italic; }
.ocr { border: 1px solid #8c9aa8; border-inline-start: 3px solid #6b7f95; padding: 2mm 3mm;
  margin: 1mm 0 4mm; break-inside: auto; }
.ocr p { margin: 0 0 1.5mm; font-size: 8.5pt; }
.ocr .read { white-space: pre-wrap; unicode-bidi: plaintext; overflow-wrap: anywhere;
  font-size: 9.5pt; color: #1a1a1a; margin: 0 0 1.5mm; }
.warning { border: 1px solid #a05a00; background: #fff7ea; padding: 2mm 3mm; }
th { overflow-wrap: normal; }
footer { margin-top: 10mm; border-top: 1px solid #9fb3c8; font-size: 8.5pt; color: #555; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; } }
"""


def _e(text: str) -> str:
    """Escape case text for HTML (after making hidden direction/control characters visible)."""
    return html.escape(w.clean(text), quote=True)


def _cell(value: str, style: str) -> str:
    if style == "mono":
        return f'<td class="mono" dir="ltr">{_e(value)}</td>'
    return f'<td class="case-text">{_e(value)}</td>'


def _kv_table(rows: list[w.Row]) -> str:
    body = "".join(f"<tr><th scope=\"row\">{_e(label)}</th>{_cell(value, style)}</tr>"
                   for label, value, style in rows)
    return f'<table class="kv">{body}</table>'


def _grid(header: list[str], rows: list[list[str]], mono_cols: tuple[int, ...] = (),
          spans: dict[int, str] | None = None) -> str:
    """A table; `spans[n]` is a full-width row after row n (row n may have no cells)."""
    head = "".join(f"<th scope=\"col\">{_e(h)}</th>" for h in header)
    body = []
    for number, row in enumerate(rows):
        if row:
            body.append("<tr>" + "".join(_cell(v, "mono" if i in mono_cols else "text")
                                         for i, v in enumerate(row)) + "</tr>")
        if spans and number in spans:
            body.append(f'<tr><td class="case-text" colspan="{len(header)}">'
                        f"{_e(spans[number])}</td></tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _payments(data: ReportData) -> str:
    table = w.payment_table(data)
    if not table.header:
        return "".join(f'<p class="statement">{_e(w.payment_note(n, row.note, True))}</p>'
                       for n, row in enumerate(table.rows, 1))
    spans = {n: w.payment_note(n + 1, row.note, row.cells is None)
             for n, row in enumerate(table.rows) if row.note}
    return _grid(table.header, [row.cells or [] for row in table.rows], table.mono, spans)


def _empty(text: str) -> str:
    return f'<p class="empty">{_e(text)}</p>'


def _item(item: ReportItem) -> str:
    parts = [f'<article class="item" id="item-{_e(item.number)}">',
             f"<h3>{_e(w.item_heading(item))}</h3>", _kv_table(w.item_rows(item))]
    if item.sensitive:
        label = ow.sensitive_reading_label() if item.kind in OCR_KINDS else w.sensitive_label()
        parts.append(f'<p class="sensitive">{_e(label)}</p>')
    elif item.thumbnail:
        uri = "data:image/jpeg;base64," + base64.b64encode(item.thumbnail).decode("ascii")
        alt = w.item_heading(item)
        parts.append(f'<figure><img src="{uri}" alt="{_e(alt)}">'
                     f"<figcaption>{_e(w.thumbnail_caption())}</figcaption></figure>")
    if item.words is not None:
        parts.append(_words(item.words))
    parts.append("</article>")
    return "".join(parts)


def _words(words: PictureWords) -> str:
    """The words read by machine under a picture, marked as such; for a sensitive picture
    only that they were read and where they are."""
    if words.withheld:
        return f'<div class="ocr"><p>{_e(ow.withheld_text(words))}</p></div>'
    if words.empty:
        return f'<div class="ocr"><p>{_e(ow.empty_text(words))}</p></div>'
    more = ow.more_text(words)
    return (f'<div class="ocr"><p>{_e(ow.reading_note(words))}</p>'
            f'<div class="read" dir="auto">{_e(ow.reading_text(words))}</div>'
            + (f"<p>{_e(more)}</p>" if more else "") + "</div>")


def _chat(chat: ChatTranscript) -> str:
    meta = cw.chat_participants(chat)
    warnings = "".join(f'<p class="warning">{_e(text)}</p>' for text in cw.chat_warnings(chat))
    return (f"<h3>{_e(cw.chat_heading(chat))}</h3>"
            + (f'<p class="case-text">{_e(meta)}</p>' if meta else "") + warnings
            + _grid(cw.chat_header(), [cw.chat_row(m) for m in chat.messages]))


def _section(key: str, titles: dict[str, str], body: str) -> str:
    return f'<section id="{key}"><h2>{_e(titles[key])}</h2>{body}</section>'


def render_html(data: ReportData) -> str:
    """The whole report as one HTML document (UTF-8 text), in the language set by the caller."""
    t = w.section_titles()
    lang = data.language.replace("_", "-")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}" dir="{"rtl" if data.rtl else "ltr"}">',
        '<head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(w.title())} – {_e(data.bundle_name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<header><h1>{_e(w.title())}</h1><p class=\"intro\">{_e(w.intro_text())}</p></header>",
        _section("summary", t, _kv_table(w.summary_rows(data))),
    ]
    integrity = iw.integrity_rows(data)
    if integrity:
        out.append(_section("integrity", t, _kv_table(integrity)))
    contact = w.contact_text(data)
    if contact:
        out.append(_section("contact", t, f'<div class="contact">{_e(contact)}</div>'
                            f'<p class="intro">{_e(w.contact_note())}</p>'))
    statement = data.case.statement
    out.append(_section("statement", t, f'<div class="statement">{_e(statement)}</div>'
                        if statement else _empty("–")))
    incident = w.incident_rows(data)
    out.append(_section("incident", t, _kv_table(incident) if incident else _empty("–")))
    if data.case.payments:
        out.append(_section("payments", t, _payments(data)))
    note = w.timeline_note(data)
    out.append(_section("timeline", t, (f'<p class="intro">{_e(note)}</p>' if note else "")
                        + _grid(w.timeline_header(),
                                [w.timeline_row(e) for e in data.timeline])))
    out.append(_section("items", t, "".join(_item(i) for i in data.items)))
    device = any(m.timezone == "device" for c in data.chats for m in c.messages)
    note = f'<p class="intro">{_e(cw.device_time_note())}</p>' if device else ""
    out.append(_section("chats", t, note + "".join(_chat(c) for c in data.chats)
                        if data.chats else _empty(cw.no_chats())))
    indicators = [w.indicator_row(i) for i in data.indicators]
    withheld = "".join(f'<p class="intro">{_e(text)}</p>' for text in (
        ow.picture_place_note() if ow.reads_pictures(data.indicators) else "",
        ow.indicators_withheld_text(data.indicators_withheld)
        if data.indicators_withheld else "") if text)
    table = (_grid(w.indicator_header(), indicators, (1,)) if indicators
             else "" if withheld else _empty(w.no_indicators()))
    out.append(_section("indicators", t, table + withheld))
    custody = [w.custody_row(c) for c in data.custody]
    out.append(_section("custody", t, _grid(w.custody_header(), custody, (3,))))
    out.append(_section("verify", t, f"<pre>{_e(data.verify_text)}</pre>"))
    out.append(f'<footer><p dir="auto">{_e(w.footer_text(data))}</p></footer>')
    out.append("</body></html>\n")
    return "\n".join(out)
