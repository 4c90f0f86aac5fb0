"""Lays out what the app shows in every language and reports each glyph Qt could not find.

Run by tests/test_shipped_fonts.py in a subprocess whose fontconfig sees no system fonts
(`python -m tests.font_probe [--start-only]`, offscreen). Prints one JSON object: the
language names of the first-start list and every translated message, each with the
characters that came out as a box (glyph 0, ".notdef"), and the font families Qt used.
"""

from __future__ import annotations

import gettext
import json
import os
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication

EMOJI_SAMPLE = "Chat: 😀 👍 ❤️ 🙏 🔒"
# PySide6 6.12 on Python 3.11 drops a reference to None on every call of a method that
# returns nothing (None is mortal until 3.12): some 15,000 such calls abort the process
# ("none_dealloc"). So messages are laid out forty at a time, and None gets a ballast.
_NONE_BALLAST = [None] * 1_000_000
CHUNK = 40
STARTED = "font_probe: first start shown"


def has_box(text: str, font: QFont, families: set[str]) -> bool:
    """True when Qt draws some character of `text` in `font` as glyph 0 (a box), which it
    does only when no font it may use has that character. Notes the families it used."""
    layout = QTextLayout(text)  # (text, font) crashes PySide6 6.12 (refcount of None)
    layout.setFont(font)
    layout.beginLayout()
    while layout.createLine().isValid():
        pass  # no width: each line takes the whole text
    layout.endLayout()
    found = False
    for run in layout.glyphRuns():
        families.add(run.rawFont().familyName())
        found = found or 0 in run.glyphIndexes()
    return found


def boxes(texts: list[str], font: QFont, families: set[str]) -> dict[str, str]:
    """Each character drawn as a box -> the first text that has it. Texts are laid out forty
    at a time; only a batch with a box is looked at closer (Qt's string indexes in a run
    that mixes fonts cannot be trusted, so the culprit is found one character at a time)."""
    found: dict[str, str] = {}
    for start in range(0, len(texts), CHUNK):
        batch = [t.replace("\n", " ") for t in texts[start:start + CHUNK]]
        if not has_box("  ".join(batch), font, families):
            continue
        for text in batch:
            if has_box(text, font, families):
                for char in dict.fromkeys(text):
                    if not char.isspace() and has_box(char, font, families):
                        found.setdefault(char, text[:80])
    return found


def main() -> int:
    qapp = QApplication([sys.argv[0]])
    from evidence_app.gui.app import AppController
    from evidence_app.i18n import locale_dir, shipped_languages
    from evidence_app.settings import Settings

    controller = AppController(qapp, Settings(language="", vault_path=""))
    controller.show()
    qapp.processEvents()
    families: set[str] = set()
    names = controller.start.language_list
    language_list = {}
    for row in range(names.count()):
        item = names.item(row)
        own = item.data(Qt.ItemDataRole.FontRole)
        font = own.resolve(names.font()) if isinstance(own, QFont) else names.font()
        language_list[item.data(Qt.ItemDataRole.UserRole)] = "".join(
            boxes([item.text()], font, families))
    # What Qt printed so far (stderr) came from the first start; the test counts it.
    print(STARTED, file=sys.stderr, flush=True)
    screens: dict[str, dict[str, str]] = {}
    for code in shipped_languages() if "--start-only" not in sys.argv else ():
        controller.apply_language(code)
        font = QApplication.font()
        bold = QFont(font)
        bold.setBold(True)
        texts = [EMOJI_SAMPLE]
        if code != "en":
            catalog = gettext.translation("evidence_app", locale_dir(), [code])._catalog
            texts += [t for key, t in catalog.items() if key and t]
        screens[code] = {**boxes(texts, font, families), **boxes(texts, bold, families)}
    print(json.dumps({"language_list": language_list, "screens": screens,
                      "families": sorted(families)}, ensure_ascii=False), flush=True)
    os._exit(0)  # no teardown: freeing the ballast while Qt tears down trips the same bug


if __name__ == "__main__":
    sys.exit(main())
