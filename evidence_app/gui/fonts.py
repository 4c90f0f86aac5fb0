"""The fonts the app ships, registered with Qt so every language renders on any machine.

A victim's laptop may have no Thai, Khmer or Burmese font at all: without ours, the first
screen would show those language names as boxes, and the people who need them could not find
them. Every window's font is a family list: the script font of the chosen language first
(so Qt lays out its lines with that font's height, and never asks a Latin font for Khmer,
which is what printed "OpenType support missing" at start), then the desktop's own font,
then our Noto fonts for every other script.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QComboBox, QListWidget

from evidence_app.paths import resources_dir

log = logging.getLogger(__name__)

LATIN = "Noto Sans"  # Latin, Cyrillic, Greek, Vietnamese
MONO = "Noto Sans Mono"
EMOJI = "Noto Emoji"
# The shipped family that writes each language whose script Noto Sans lacks.
SCRIPT_FAMILY = {
    "ar": "Noto Sans Arabic",
    "th": "Noto Sans Thai",
    "km": "Noto Sans Khmer",
    "my": "Noto Sans Myanmar",
    "zh_CN": "Noto Sans CJK SC",
}
SYMBOLS = ["Noto Sans Symbols2", "Noto Sans Math"]  # ✗, ⋮, arrows, stars (subsets)
# After the desktop's font: ours, for text in any other script (a Thai name in a German
# window, a Chinese message in a chat). Symbols before the scripts (a ★ must not come from
# the Chinese font, full width); emoji last: its digits must not win.
FALLBACK_FAMILIES = [LATIN, *SYMBOLS, *SCRIPT_FAMILY.values(), EMOJI]

_registered: list[str] | None = None
_desktop_font: QFont | None = None


def shipped_font_files() -> list[Path]:
    """The font files in resources/fonts (in a build: evidence_app/resources/fonts)."""
    folder = resources_dir() / "fonts"
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in (".ttf", ".otf"))


def register_shipped_fonts(qapp: QApplication) -> list[str]:
    """Add our fonts to Qt once per process; returns the families they provide.

    Remembers the desktop's own font first, so a language change can rebuild the list.
    """
    global _registered, _desktop_font
    if _registered is not None:
        return _registered
    _desktop_font = QFont(qapp.font())
    families: list[str] = []
    for path in shipped_font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load the shipped font %s", path.name)
            continue
        families += [f for f in QFontDatabase.applicationFontFamilies(font_id)
                     if f not in families]
    # "monospace" (the recovery key, hashes) is a fontconfig alias, not a family: without
    # one configured it would land on any font at all.
    QFont.insertSubstitution("monospace", MONO)
    missing = [f for f in [*FALLBACK_FAMILIES, MONO] if f not in families]
    if missing:
        log.warning("shipped fonts missing: %s", ", ".join(missing))
    _registered = families
    return families


def families_for(code: str, desktop_family: str | None = None) -> list[str]:
    """The family list for a window in language `code`: its script font, the desktop's,
    then ours for everything else."""
    first = [SCRIPT_FAMILY[code]] if code in SCRIPT_FAMILY else []
    desktop = [desktop_family] if desktop_family else []
    return list(dict.fromkeys([*first, *desktop, *FALLBACK_FAMILIES]))


def language_font(code: str, base: QFont | None = None) -> QFont:
    """`base` (default: the desktop's font) with the family list for language `code`."""
    font = QFont(base if base is not None else (_desktop_font or QFont()))
    desktop = (_desktop_font or font).family()
    font.setFamilies(families_for(code, desktop))
    return font


def apply_language_font(qapp: QApplication, code: str) -> None:
    """Make `code`'s family list the application font (windows opened from now on)."""
    register_shipped_fonts(qapp)
    qapp.setFont(language_font(code))


def show_language_names(widget: QListWidget | QComboBox) -> None:
    """Give each language entry (its code in Qt.UserRole) the font of its own script, so a
    list of native names never asks a Latin font for Khmer or Burmese."""
    role = Qt.ItemDataRole.UserRole
    if isinstance(widget, QListWidget):
        for row in range(widget.count()):
            item = widget.item(row)
            item.setFont(language_font(str(item.data(role)), widget.font()))
    else:
        for index in range(widget.count()):
            font = language_font(str(widget.itemData(index, role)), widget.font())
            widget.setItemData(index, font, Qt.ItemDataRole.FontRole)
