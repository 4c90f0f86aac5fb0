"""Fonts for fpdf2 documents, read once per process instead of once per document.

fpdf2 reads a font's whole character map and widths whenever a document adds it: for the
report, its receipt and every later seal in the same session that was a fixed cost per
font (about a quarter of a second for the Chinese font), whatever the document holds. Here
the first document pays it and later ones copy what was read. Each copy gets its own
font file handle and its own subset, so what a document embeds depends only on what it
draws: the PDF is byte for byte the one fpdf2 makes itself (tests/bundle/test_pdf_fonts.py).
"""

from __future__ import annotations

import copy
import logging
import threading
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.fonts import SubsetMap, TTFFont

from evidence_app.bundle.fonts import FontFace

log = logging.getLogger(__name__)

_read: dict[tuple[str, int, int, int], TTFFont] = {}
_lock = threading.Lock()


def _key(face: FontFace) -> tuple[str, int, int, int] | None:
    try:
        st = face.path.stat()
    except OSError:
        return None
    return str(face.path.resolve()), face.index, st.st_mtime_ns, st.st_size


def _reusable(font: TTFFont) -> bool:
    """Plain outline fonts only: colour fonts are bound to their document, and a font
    fpdf2 had to mend (no .notdef glyph) keeps the mended table only in its own copy."""
    if font.color_font is not None or font.is_compressed:
        return False
    glyf = font.ttfont["glyf"] if "glyf" in font.ttfont else None
    return glyf is None or ".notdef" in glyf.glyphs


def add_font(pdf: FPDF, family: str, style: str, face: FontFace) -> None:
    """pdf.add_font(family, style, face) reusing what this process already read of it."""
    key = _key(face)
    with _lock:
        template = _read.get(key) if key is not None else None
    fontkey = f"{family.lower()}{''.join(sorted(style.upper()))}"
    if template is None or fontkey in pdf.fonts:
        pdf.add_font(family, style, str(face.path), collection_font_number=face.index)
        font = pdf.fonts.get(fontkey)
        if key is not None and isinstance(font, TTFFont) and _reusable(font):
            with _lock:
                _read.setdefault(key, _template(font))
        return
    pdf.fonts[fontkey] = _copy_for(pdf, template, fontkey, style, face.path)
    if template.is_cff and template.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")  # as fpdf2's add_font does for CID-keyed CFF


def _template(font: TTFFont) -> TTFFont:
    """What later documents copy: the tables fpdf2 read, apart from this document's font
    file, whose tables its subsetting will change."""
    template = copy.copy(font)
    template.cmap = dict(font.cmap)
    template.glyph_ids = dict(font.glyph_ids)
    template.cw = font.cw.copy()  # a defaultdict: unknown characters get the default width
    template.ttfont = None
    del template.subset  # the first document's, made anew for each copy
    template._hbfont = None
    return template


def _copy_for(pdf: FPDF, template: TTFFont, fontkey: str, style: str, path: Path) -> TTFFont:
    """A TTFFont for `pdf` sharing the template's read-only tables (widths, glyph ids)."""
    font = copy.copy(template)
    font.i = len(pdf.fonts) + 1
    font.fontkey = fontkey
    font.emphasis = TextEmphasis.coerce(style)
    font.ttfont = ttLib.TTFont(str(path), recalcTimestamp=False,
                               fontNumber=template.collection_font_number, lazy=True)
    font._hbfont = None
    font.cw = template.cw.copy()
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    return font


def forget() -> None:
    """Drop what was read (tests; a font file changed on disk is noticed anyway)."""
    with _lock:
        _read.clear()
