"""Fonts for the PDF report and receipt: the app's own first, the system's only for the rest.

An officer must never see empty boxes where the victim or the offender wrote Thai, Arabic,
Chinese or emoji, and the same case must give the same report on every machine. So the
fonts in resources/fonts (Noto, see its README) come first; the system's folders are
searched only for characters those lack (a rare Chinese character, Hebrew, Devanagari...),
and can be left out entirely ($EVIDENCE_APP_SYSTEM_FONTS=0, as the tests do). For the
characters a document actually contains we pick the fallback fonts that cover them, so a
report in German embeds no Chinese font and a report with a Khmer chat gets the Khmer font.
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

FONT_DIR_ENV = "EVIDENCE_APP_FONT_DIR"  # more folders, after the shipped ones
SYSTEM_FONTS_ENV = "EVIDENCE_APP_SYSTEM_FONTS"  # "0": never look in the system's folders
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc")

# File names in order of preference; the first pair is shipped. A (name, index) pair picks
# one face of a collection.
_MAIN = (("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
         ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
_MONO = ("NotoSansMono-Regular.ttf", "DejaVuSansMono.ttf")
# Tried in this order for characters the main font lacks: first what we ship (emoji first:
# it must win over the black-and-white symbols other fonts have for a few of them), then
# what a system may have. A regular face maps to its bold, where there is one.
_FALLBACKS: tuple[tuple[str, int], ...] = (
    ("NotoEmoji-Regular.ttf", 0),
    ("NotoSansSymbols2-Regular-Subset.ttf", 0),  # before Chinese: no full-width ★
    ("NotoSansMath-Regular-Subset.ttf", 0),
    ("NotoSansArabic-Regular.ttf", 0),
    ("NotoSansThai-Regular.ttf", 0),
    ("NotoSansKhmer-Regular.ttf", 0),
    ("NotoSansMyanmar-Regular.ttf", 0),
    ("NotoSansCJKsc-Regular-Subset.otf", 0),
    # not shipped: only where the system has them
    ("NotoColorEmoji.ttf", 0),
    ("NotoNaskhArabic-Regular.ttf", 0),
    ("NotoSansHebrew-Regular.ttf", 0),
    ("NotoSansLao-Regular.ttf", 0),
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
    """One face of a font file (`index` selects a face inside a .ttc collection); `bold` is
    the matching bold face, where one exists (headings in Thai or Arabic stay bold)."""

    path: Path
    index: int = 0
    bold: FontFace | None = None


@dataclass
class FontChoice:
    """The fonts one document uses; `missing` lists characters no font on this system has."""

    regular: FontFace
    bold: FontFace | None
    mono: FontFace
    fallbacks: list[FontFace] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)


def shipped_font_dir() -> Path:
    """resources/fonts: the fonts that ship with the app (see its README.md)."""
    return resources_dir() / "fonts"


def system_fonts_allowed() -> bool:
    """False when $EVIDENCE_APP_SYSTEM_FONTS is 0/no/off/false: only the app's own fonts."""
    value = os.environ.get(SYSTEM_FONTS_ENV, "1").strip().lower()
    return value not in ("0", "no", "off", "false")


def system_font_dirs() -> list[Path]:
    """Where this operating system keeps fonts."""
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        return [windir / "Fonts", home / "AppData/Local/Microsoft/Windows/Fonts"]
    if sys.platform == "darwin":
        return [home / "Library/Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    data_dirs = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share")
    return [home / ".local/share/fonts", home / ".fonts",
            *(Path(p) / "fonts" for p in data_dirs.split(":") if p)]


def font_dirs() -> list[Path]:
    """Where fonts are looked for, in order: the app's own, $EVIDENCE_APP_FONT_DIR, then
    the system's (unless $EVIDENCE_APP_SYSTEM_FONTS=0)."""
    dirs = [shipped_font_dir()]
    env = os.environ.get(FONT_DIR_ENV)
    if env:
        dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    if system_fonts_allowed():
        dirs += system_font_dirs()
    return dirs


@lru_cache(maxsize=8)
def _index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """File name -> first path with that name, walking each folder once (earlier wins)."""
    found: dict[str, Path] = {}
    for base in dirs:
        if not base.is_dir():
            continue
        for root, _subdirs, files in os.walk(base):
            for name in sorted(files):
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


def _face(index: dict[str, Path], name: str, number: int = 0) -> FontFace:
    """The face called `name`, with its bold sibling when the same folder has one."""
    path = index[name]
    bold_path = path.with_name(name.replace("-Regular.", "-Bold."))
    bold = FontFace(bold_path, number) if "-Regular." in name and bold_path.is_file() \
        else None
    return FontFace(path, number, bold)


def _generic_candidates(index: dict[str, Path], listed: set[str]) -> list[FontFace]:
    """Every other regular Noto face, for scripts the ordered list does not name."""
    names = sorted(n for n in index if n.startswith("Noto") and "-Regular." in n
                   and n not in listed and "Serif" not in n and "Mono" not in n)
    return [FontFace(index[n]) for n in names]


def choose_fonts(text: Iterable[str] = (), *, dirs: Sequence[Path] | None = None) -> FontChoice:
    """The fonts to embed for `text` (all strings the document will show), searched in
    `dirs` (default: font_dirs()).

    Raises FontsNotFound when neither Noto Sans nor DejaVu Sans is found.
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
        ordered = [_face(index, n, i) for n, i in _FALLBACKS if n in index]
        for face in ordered + _generic_candidates(index, listed):
            if face.path == regular.path or face in fallbacks:
                continue
            covered = wanted & _coverage(face)
            if covered:
                fallbacks.append(face)
                wanted -= covered
            if not wanted:
                break
    return FontChoice(regular, bold, mono, fallbacks, {chr(c) for c in wanted})
