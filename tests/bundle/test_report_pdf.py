"""report.pdf, read back with poppler's tools as an officer's computer would."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from evidence_app.bundle.fonts import choose_fonts, shipped_font_dir
from evidence_app.bundle.report_pdf import render_pdf
from evidence_app.core.errors import FontsNotFound
from evidence_app.i18n import set_language
from tests.bundle.test_report_samples import HOSTILE_NAME, SENSITIVE_NAME, fill_case, report_data

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils is installed by .ci/run")

WORDS = ["Grüße", "Köln", "Привет", "Анна", "สวัสดีครับ", "มถูกหลอก", "مرحبا", "المال",
         "你好", "我被骗了", "😀", "🔒", "Überweisung_Беларусь_โอนเงิน_转账.txt"]


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M).group(1))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One rendered report shared by the read-only checks below (rendering takes seconds)."""
    from evidence_app.core.vault import Vault
    from tests.helpers import PASSPHRASE

    base = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(base))
        set_language("en")
        vault, _recovery = Vault.create(base / "vault", PASSPHRASE)
        try:
            ids = fill_case(vault)
            data = report_data(vault)
            out = render_pdf(data, base / "report.pdf")
            yield vault, ids, data, out
        finally:
            vault.lock()


def test_text_in_every_script_is_real_text(rendered):
    _vault, _ids, data, pdf = rendered
    text = _run("pdftotext", "-layout", str(pdf), "-")
    plain = _run("pdftotext", str(pdf), "-")
    for word in WORDS:
        assert word in text or word in plain, word
    assert HOSTILE_NAME in plain
    assert "invoice[U+202E]gpj.exe" in plain
    for item in data.items:
        assert item.sha256 in plain
    assert "time confirmed by FreeTSA at 2026-11-23 10:15:02 UTC" in plain
    assert "sha256sum -c manifest-sha256.txt" in plain
    assert SENSITIVE_NAME not in plain


def test_every_font_is_embedded_and_no_character_lacks_one(rendered):
    _vault, _ids, data, pdf = rendered
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts
    for line in fonts:
        if " Type 3 " not in line:  # colour emoji are drawn glyphs, embedded by nature
            assert " yes " in line, line
    assert any("NotoSansThai" in line for line in fonts)
    assert any("NotoSansArabic" in line for line in fonts)
    assert any("CJK" in line for line in fonts)


def test_page_x_of_y_and_bundle_in_every_footer(rendered):
    vault, _ids, data, pdf = rendered
    pages = _pages(pdf)
    assert pages >= 3
    for page in range(1, pages + 1):
        text = _run("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-")
        assert f"Page {page} of {pages}" in text
        assert data.bundle_name in text
        assert vault.fingerprint() in text


def test_only_the_non_sensitive_thumbnail_is_embedded(rendered):
    _vault, _ids, _data, pdf = rendered
    listing = _run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert len(listing) == 1, listing  # the photo; never the sensitive image
    width, height = (int(v) for v in listing[0].split()[3:5])
    assert (width, height) == (320, 200)
    # No original is embedded either: the PDF is much smaller than the originals would need.
    assert pdf.stat().st_size < 400_000


def test_pages_render_to_png(rendered, tmp_path):
    _vault, _ids, _data, pdf = rendered
    _run("pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page"))
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == _pages(pdf)
    assert all(p.stat().st_size > 5_000 for p in pngs)


def test_right_to_left_language_renders(vault, tmp_path):
    fill_case(vault)
    set_language("ar")
    try:
        pdf = render_pdf(report_data(vault, language="ar"), tmp_path / "ar.pdf")
    finally:
        set_language("en")
    assert "مرحبا" in _run("pdftotext", str(pdf), "-")


def test_a_character_no_font_has_is_shown_as_its_code(vault, tmp_path):
    fill_case(vault)
    vault.update_case({"statement": "private use \U000f0001 here"})
    pdf = render_pdf(report_data(vault), tmp_path / "r.pdf")
    assert "private use [U+F0001] here" in _run("pdftotext", str(pdf), "-")


def test_no_usable_font_is_a_typed_error(tmp_path):
    with pytest.raises(FontsNotFound) as info:
        choose_fonts(["x"], dirs=[tmp_path])
    assert str(tmp_path) in info.value.searched


def test_fallbacks_are_chosen_by_the_text():
    assert choose_fonts(["Grüße, Привет"]).fallbacks == []
    chosen = choose_fonts(["ภาษาไทย 😀"]).fallbacks
    assert [f.path.name for f in chosen] == ["NotoEmoji-Regular.ttf", "NotoSansThai-Regular.ttf"]
    assert {f.path.parent for f in chosen} == {shipped_font_dir()}  # ours before the system's


def test_wrapped_lines_fit_and_keep_every_character():
    from fpdf import FPDF

    from evidence_app.bundle.report_pdf import register_fonts
    from evidence_app.bundle.report_pdf_grid import needs_shaping, wrap

    thai = "ผมถูกหลอกให้โอนเงินไปยังบัญชีของคนร้าย" * 6  # Thai has no spaces between words
    pdf = FPDF()
    register_fonts(pdf, choose_fonts([thai]))
    pdf.add_page()
    pdf.set_font("body", "", 9)
    lines = wrap(pdf, thai, 40.0, {})
    assert len(lines) > 3
    assert "".join(lines) == thai
    for line in lines:
        pdf.set_text_shaping(needs_shaping(line))
        assert pdf.get_string_width(line) <= 40.5
    mixed = "  indented start\nsecond paragraph with words " * 3
    assert wrap(pdf, mixed, 200.0, {})[0] == "  indented start"


def test_a_row_taller_than_a_page_continues_on_the_next(vault, tmp_path):
    ids = fill_case(vault)
    vault.add_note("\n".join(f"line {n} of a long note" for n in range(1, 181)), ids["spoof"])
    pdf = render_pdf(report_data(vault), tmp_path / "long.pdf")
    text = _run("pdftotext", str(pdf), "-")
    assert all(f"line {n} of a long note" in text for n in (1, 90, 180))
