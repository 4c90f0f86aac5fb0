"""Fonts for the PDF report and receipt, found on the system so any script renders.

An officer must never see empty boxes where the victim or the offender wrote Thai, Arabic,
Chinese or emoji. We look for Noto (Debian: fonts-noto-core, fonts-noto-cjk,
fonts-noto-color-emoji) with DejaVu (fonts-dejavu-core) as the fallback, and pick, for the
characters a document actually contains, the fallback fonts that cover them — so a report
in German embeds no CJK font, and a report with a Khmer chat gets the Khmer font.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from evidence_app.core.errors import FontsNotFound
from evidence_app.paths import resources_dir

FONT_DIR_ENV = "EVIDENCE_APP_FONT_DIR"
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc")

# File names in order of preference. A (name, index) pair picks one face of a collection.
_MAIN = (("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
         ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
_MONO = ("NotoSansMono-Regular.ttf", "DejaVuSansMono.ttf")
# Tried in this order for characters the main font lacks (emoji first: it must win over the
# black-and-white symbols DejaVu has for a few of them).
_FALLBACKS: tuple[tuple[str, int], ...] = (
    ("NotoColorEmoji.ttf", 0),
    ("NotoSansArabic-Regular.ttf", 0),
    ("NotoNaskhArabic-Regular.ttf", 0),
    ("NotoSansHebrew-Regular.ttf", 0),
    ("NotoSansThai-Regular.ttf", 0),
    ("NotoSansLao-Regular.ttf", 0),
    ("NotoSansKhmer-Regular.ttf", 0),
    ("NotoSansMyanmar-Regular.ttf", 0),
    ("NotoSansDevanagari-Regular.ttf", 0),
    ("NotoSansBengali-Regular.ttf", 0),
    ("NotoSansTamil-Regular.ttf", 0),
    ("NotoSansSinhala-Regular.ttf", 0),
    ("NotoSansGeorgian-Regular.ttf", 0),
    ("NotoSansArmenian-Regular.ttf", 0),
    ("NotoSansEthiopic-Regular.ttf", 0),
    ("NotoSansCJK-Regular.ttc", 2),  # face 2: Simplified Chinese (covers JP/KR too)
    ("NotoSansCJKsc-Regular.otf", 0),
    ("NotoSansSC-Regular.otf", 0),
    ("DejaVuSans.ttf", 0),
    ("NotoSansSymbols-Regular.ttf", 0),
    ("NotoSansSymbols2-Regular.ttf", 0),
    ("NotoSansMath-Regular.ttf", 0),
)


@dataclass(frozen=True)
class FontFace:
    """One face of a font file (`index` selects a face inside a .ttc collection)."""

    path: Path
    index: int = 0


@dataclass
class FontChoice:
    """The fonts one document uses; `missing` lists characters no font on this system has."""

    regular: FontFace
    bold: FontFace | None
    mono: FontFace
    fallbacks: list[FontFace] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)


def font_dirs() -> list[Path]:
    """Where fonts live: the app's own, $EVIDENCE_APP_FONT_DIR, then the system's."""
    dirs: list[Path] = []
    env = os.environ.get(FONT_DIR_ENV)
    if env:
        dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    dirs.append(resources_dir() / "fonts")
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs += [windir / "Fonts", home / "AppData/Local/Microsoft/Windows/Fonts"]
    elif sys.platform == "darwin":
        dirs += [home / "Library/Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    else:
        data_dirs = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share")
        dirs += [home / ".local/share/fonts", home / ".fonts"]
        dirs += [Path(p) / "fonts" for p in data_dirs.split(":") if p]
    return dirs


@lru_cache(maxsize=8)
def _index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """File name -> first path with that name, walking each folder once."""
    found: dict[str, Path] = {}
    for base in dirs:
        if not base.is_dir():
            continue
        for root, _subdirs, files in os.walk(base):
            for name in files:
                if name.lower().endswith(_FONT_SUFFIXES):
                    found.setdefault(name, Path(root) / name)
    return found


@lru_cache(maxsize=64)
def _coverage(face: FontFace) -> frozenset[int]:
    """The code points a face has glyphs for (reads only the cmap table)."""
    try:
        font = TTFont(str(face.path), lazy=True, fontNumber=face.index)
        try:
            cmap = font.getBestCmap() or {}
        finally:
            font.close()
    except (OSError, TTLibError, KeyError, ValueError, AssertionError):
        return frozenset()
    return frozenset(cmap)


def _usable(face: FontFace) -> bool:
    return bool(_coverage(face))


def _needs_glyph(char: str) -> bool:
    """Whitespace, controls and joiners are laid out without a visible glyph."""
    if char.isspace():
        return False
    category = unicodedata.category(char)
    return category not in ("Cc", "Cf", "Cs", "Zl", "Zp")


def _generic_candidates(index: dict[str, Path], listed: set[str]) -> list[FontFace]:
    """Every other regular Noto face, for scripts the ordered list does not name."""
    names = sorted(n for n in index if n.startswith("Noto") and "-Regular." in n
                   and n not in listed and "Serif" not in n and "Mono" not in n)
    return [FontFace(index[n]) for n in names]


def choose_fonts(text: Iterable[str] = (), *, dirs: Sequence[Path] | None = None) -> FontChoice:
    """The fonts to embed for `text` (all strings the document will show).

    Raises FontsNotFound when neither Noto Sans nor DejaVu Sans is installed.
    """
    search = tuple(dirs) if dirs is not None else tuple(font_dirs())
    index = _index(search)
    regular = bold = None
    for reg_name, bold_name in _MAIN:
        if reg_name in index and _usable(FontFace(index[reg_name])):
            regular = FontFace(index[reg_name])
            bold = FontFace(index[bold_name]) if bold_name in index else None
            break
    if regular is None:
        raise FontsNotFound([str(d) for d in search])
    mono = next((FontFace(index[n]) for n in _MONO if n in index), regular)

    wanted: set[int] = set()
    for chunk in text:
        wanted.update(ord(c) for c in chunk if _needs_glyph(c))
    wanted -= _coverage(regular)
    fallbacks: list[FontFace] = []
    if wanted:
        listed = {name for name, _i in _FALLBACKS}
        ordered = [FontFace(index[n], i) for n, i in _FALLBACKS if n in index]
        for face in ordered + _generic_candidates(index, listed):
            if face == regular:
                continue
            covered = wanted & _coverage(face)
            if covered:
                fallbacks.append(face)
                wanted -= covered
            if not wanted:
                break
    return FontChoice(regular, bold, mono, fallbacks, {chr(c) for c in wanted})
