"""A picture read more than once, and what the readings come to together.

The engine misreads the random letters of an address in ways that differ from one reading
to the next, and a language's model reads the Latin letters inside its script badly (the
Thai model reads "AE62" as "46 62"). So a picture is read in the chosen languages with its
text set dark on white (picture.local_contrast), and once more in English alone as it is.
An address is listed when any reading holds it whole and its checksum holds (found.py,
repair.py): a second reading can add an address, never make one up. Measured with
benchmarks/ocr.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from evidence_app.core.objectstore import CancelCheck
from evidence_app.ocr import engine as ocr_engine
from evidence_app.ocr.picture import for_engine
from evidence_app.ocr.words import Line, Word, parse_tsv, text_of

LATIN_MODEL = "eng"
# A word that may be (part of) an address, an IBAN or a number: letters and digits mixed.
_CANDIDATE = re.compile(r"(?=[0-9A-Za-z]*\d)(?=[0-9A-Za-z]*[A-Za-z])[0-9A-Za-z]{10,}")


@dataclass(frozen=True)
class Pass:
    languages: tuple[str, ...]
    contrast: bool


def passes_for(languages: Sequence[str], engine: ocr_engine.Engine) -> list[Pass]:
    """The chosen languages on the contrast-set picture; then English alone on the picture
    as it is (unless the engine lacks English). For English alone the second pass reads the
    same picture another way, and each misreads different letters."""
    passes = [Pass(tuple(languages), contrast=True)]
    if LATIN_MODEL in engine.languages:
        passes.append(Pass((LATIN_MODEL,), contrast=False))
    return passes


def read_passes(grey: Image.Image, engine: ocr_engine.Engine, passes: Sequence[Pass], *,
                cancel: CancelCheck | None = None
                ) -> tuple[list[Word], list[ocr_engine.ReadSettings]]:
    """Every pass's words (each pass its own page number, so lines stay apart)."""
    words: list[Word] = []
    done: list[ocr_engine.ReadSettings] = []
    for number, step in enumerate(passes, 1):
        prepared = for_engine(grey, contrast=step.contrast)
        settings = ocr_engine.ReadSettings(scale=prepared.scale, contrast=step.contrast,
                                           languages=step.languages)
        tsv = ocr_engine.read_tsv(engine, prepared.image, step.languages, settings,
                                  cancel=cancel)
        words += parse_tsv(tsv, prepared.scale, page=number)
        done.append(settings)
    return words, done


def reading_text(lines: list[Line]) -> str:
    """The first pass's text, then the lines of later passes that hold a word that may be
    an address or a number the first did not read the same way."""
    first = [ln for ln in lines if ln.words[0].line_key[0] == 1]
    text = text_of(first)
    seen = re.sub(r"\s+", "", text)
    more = [ln.text for ln in lines if ln.words[0].line_key[0] != 1
            and any(m.group() not in seen for m in _CANDIDATE.finditer(ln.text))]
    if more:
        text += "\n" + "\n".join(more) + "\n"
    return text
