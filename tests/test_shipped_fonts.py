"""The app's own fonts: every language and every script renders with no system font at all.

A victim's laptop may have no Thai, Khmer or Burmese font; a police PC may have no Chinese
one. These tests hide the system's fonts — an empty fontconfig configuration for Qt,
$EVIDENCE_APP_SYSTEM_FONTS=0 for the PDF — and check glyph by glyph that nothing comes out
as a box: the first-start language list, every translated message, and a report page in
every script, whose embedded fonts must all be ours.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from evidence_app.bundle.fonts import (
    SYSTEM_FONTS_ENV,
    choose_fonts,
    font_dirs,
    shipped_font_dir,
    system_font_dirs,
)
from evidence_app.i18n import shipped_languages
from evidence_app.languages import NATIVE_NAMES
from evidence_app.tools.catalogues import po_files

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "resources" / "fonts"
STARTED = "font_probe: first start shown"  # tests/font_probe.py prints it on stderr
# One line of each script a victim, an offender or an officer may write.
SAMPLES = {
    "Latin": "Grüße aus Köln, señora, garçon",
    "Vietnamese": "Tôi bị lừa đảo qua mạng",
    "Cyrillic": "Меня обманули в интернете",
    "Greek": "Με εξαπάτησαν στο διαδίκτυο",
    "Thai": "ผมถูกหลอกให้โอนเงิน",
    "Khmer": "ខ្ញុំត្រូវបានគេបោកប្រាស់",
    "Myanmar": "ကျွန်တော် လိမ်လည်ခံရသည်",
    "Arabic": "لقد تعرضت للاحتيال",
    "Chinese": "我被骗了，请帮助我",
    "Emoji": "😀 👍 🙏 🔒 💰",
    "Symbols": "✗ ✓ ⋮ → ★",
}


def font_files() -> list[Path]:
    return sorted(p for p in FONTS.iterdir() if p.suffix in (".ttf", ".otf"))


def pdf_font_names() -> set[str]:
    """How fpdf2 names our fonts in a PDF: family without spaces, "Bold" for a bold face."""
    names = set()
    for path in font_files():
        name = TTFont(str(path), lazy=True)["name"]
        bold = "Bold" if name.getDebugName(2) == "Bold" else ""
        names.add(name.getDebugName(1).replace(" ", "") + bold)
    return names


def family_names() -> set[str]:
    return {TTFont(str(p), lazy=True)["name"].getDebugName(1) for p in font_files()}


# --- what ships ----------------------------------------------------------------------------


def test_every_shipped_font_has_its_licence_and_provenance() -> None:
    readme = (FONTS / "README.md").read_text("utf-8")
    for path in font_files():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert f"| `{path.name}` |" in readme, path.name
        assert digest in readme, path.name
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "licences" / "OFL.txt").read_text()
    for copyright_file in (FONTS / "licences").glob("*.copyright"):
        assert "Open Font License" in copyright_file.read_text("utf-8")
    total = sum(p.stat().st_size for p in FONTS.rglob("*") if p.is_file())
    assert total < 12_000_000, f"{total / 1e6:.1f} MB of fonts"


def test_the_shipped_fonts_have_every_character_the_app_says() -> None:
    """Every character of every message, in English and in every translation, and every
    language's own name, has a glyph in one of our fonts."""
    covered: set[int] = set()
    for path in font_files():
        covered |= set(TTFont(str(path), lazy=True).getBestCmap())
    texts = list(NATIVE_NAMES.values())
    for po_path in po_files():
        with po_path.open("rb") as fh:
            for message in read_po(fh):
                for text in [message.id, message.string]:
                    texts += [text] if isinstance(text, str) else list(text or ())
    lacking = {c: t[:60] for t in texts for c in t
               if not c.isspace() and ord(c) not in covered}
    assert lacking == {}


# --- the desktop app, with the system's fonts hidden ---------------------------------------


def _fontconfig(tmp_path: Path, *system_fonts: Path) -> dict[str, str]:
    """An environment whose fontconfig sees only `system_fonts` (none: no font at all)."""
    folder = tmp_path / "system-fonts"
    folder.mkdir()
    for font in system_fonts:
        shutil.copy(font, folder)
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"<?xml version='1.0'?>\n<fontconfig><dir>{folder}</dir>"
                    f"<cachedir>{tmp_path}/fc-cache</cachedir></fontconfig>\n", "utf-8")
    home = tmp_path / "home"
    home.mkdir()
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local/share"), SYSTEM_FONTS_ENV: "0"}


def _probe(env: dict[str, str], *args: str) -> tuple[dict, str]:
    """Run tests/font_probe.py; returns its findings and what Qt printed at first start."""
    done = subprocess.run([sys.executable, "-m", "tests.font_probe", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert STARTED in done.stderr, done.stderr[-3000:]
    return json.loads(done.stdout), done.stderr.split(STARTED)[0]


@pytest.mark.gui
def test_every_language_renders_with_no_system_font(tmp_path: Path) -> None:
    found, at_start = _probe(_fontconfig(tmp_path))
    assert found["language_list"] == dict.fromkeys(shipped_languages(), ""), \
        "language names drawn as boxes"
    assert found["screens"] == {code: {} for code in shipped_languages()}, \
        "translated messages with characters drawn as boxes"
    assert set(found["families"]) <= family_names(), "Qt drew with a font we do not ship"
    assert "OpenType support missing" not in at_start, at_start


@pytest.mark.gui
def test_first_start_on_a_latin_only_machine_prints_nothing_about_fonts(tmp_path: Path) -> None:
    """The cause of the "OpenType support missing" lines: Qt asked the desktop's Latin font
    for the Khmer language name, and then every other font it knew."""
    found, at_start = _probe(_fontconfig(tmp_path, FONTS / "NotoSansMono-Regular.ttf"),
                             "--start-only")
    assert found["language_list"] == dict.fromkeys(shipped_languages(), "")
    assert "OpenType support missing" not in at_start, at_start


# --- the PDF report, with the system's fonts left out --------------------------------------


def test_the_pdf_font_finder_can_be_kept_off_the_system(monkeypatch) -> None:
    monkeypatch.setenv(SYSTEM_FONTS_ENV, "0")
    monkeypatch.delenv("EVIDENCE_APP_FONT_DIR", raising=False)
    assert font_dirs() == [shipped_font_dir()]
    monkeypatch.setenv(SYSTEM_FONTS_ENV, "1")
    assert font_dirs()[0] == shipped_font_dir()  # ours first, the system's after
    assert font_dirs()[1:] == system_font_dirs()


def _pdf_tool(*args: str) -> str:
    tool = shutil.which(args[0])
    assert tool, f"{args[0]} is missing: installer/system-packages.txt lists poppler-utils"
    return subprocess.run([tool, *args[1:]], capture_output=True, text=True,
                          check=True).stdout


def test_a_report_page_in_every_script_uses_only_our_fonts(vault, tmp_path: Path,
                                                           monkeypatch) -> None:
    from evidence_app.bundle.report_model import build_report_data
    from evidence_app.bundle.report_pdf import render_pdf

    monkeypatch.setenv(SYSTEM_FONTS_ENV, "0")
    item = vault.add_bytes("\n".join(SAMPLES.values()).encode(), "chat-" + SAMPLES["Thai"],
                           source={"type": "import", "path": "/home/a/chat.txt"},
                           note=SAMPLES["Khmer"] + " " + SAMPLES["Emoji"])
    vault.update_case({"statement": "\n".join(SAMPLES.values())})
    data = build_report_data(vault, [vault.item(item.id)], bundle_name="AZ-1_20261123T1015Z",
                             sealed_at="2026-11-23T10:15:02.000000Z", sealed_offset="+01:00",
                             language="en")
    text = "\n".join(SAMPLES.values())
    chosen = choose_fonts([text])
    assert chosen.missing == set()
    used = [chosen.regular, chosen.mono, *chosen.fallbacks]
    assert {face.path.parent for face in used} == {shipped_font_dir()}

    pdf = render_pdf(data, tmp_path / "report.pdf")
    listed = _pdf_tool("pdffonts", str(pdf)).splitlines()[2:]
    embedded = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in listed}
    assert all(" yes " in line for line in listed), listed  # every font embedded
    assert embedded <= pdf_font_names(), f"not ours: {embedded - pdf_font_names()}"
    for script in ("NotoSans", "NotoSansThai", "NotoSansKhmer", "NotoSansMyanmar",
                   "NotoSansArabic", "NotoSansCJKSC", "NotoEmoji", "NotoSansSymbols2",
                   "NotoSansMath", "NotoSansThaiBold"):  # Thai bold: the Thai file name
        assert script in embedded, (script, embedded)
    plain = _pdf_tool("pdftotext", str(pdf), "-")
    for script, line in SAMPLES.items():
        if script in ("Arabic", "Khmer", "Myanmar"):
            # pdftotext gives these in visual order (vowels before consonants, spaces
            # between clusters): every character is there, in another order.
            assert not Counter(line.replace(" ", "")) - Counter(plain), script
        else:  # (spaces between symbols from different fonts may go)
            assert line.replace(" ", "") in plain.replace(" ", ""), script
