"""The words read by machine in pictures, as the sealed bundle shows them: under each picture
in report.html and report.pdf (marked as machine-read, escaped, capped), never for a
sensitive picture unless the person chose it, in the indicators table with the picture and
the box, and in VERIFY.txt's list of folders.

Readings are stored with workflows.ocr.store_reading from word boxes written here (fast and
exact); test_ocr_end_to_end.py runs the real engine through the command line.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from evidence_app.bundle.report_html import render_html
from evidence_app.bundle.report_model import build_report_data
from evidence_app.bundle.report_pdf import render_pdf_bytes
from evidence_app.bundle.seal import Protection, seal
from evidence_app.ocr import engine as ocr_engine
from evidence_app.ocr.words import TSV_COLUMNS, lines_of, parse_tsv, text_of
from evidence_app.workflows.ocr import Reading, store_reading

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils is installed by .ci/run")

ENGINE = ocr_engine.Engine(command="tesseract", version="5.3.0",
                           languages=frozenset({"tha", "eng"}))
# What the offender's screenshot says, and what the victim's intimate picture says.
THREAT = ["Pay 500 USDT or I send the video", "Contact boss.lee@scam-example.com now"]
SECRET_MAIL = "anna.private.secret@example.net"
SECRET_WORD = "Hunter2Geheim"
PRIVATE = [f"for my eyes only {SECRET_WORD}", f"mail me {SECRET_MAIL}"]


def reading(lines: list[str], languages: tuple[str, ...] = ("tha", "eng")) -> Reading:
    """A reading as the engine would give it: one TSV row per word, lines 40 px apart."""
    rows = ["\t".join(TSV_COLUMNS)]
    for number, line in enumerate(lines):
        left = 20
        for word_number, word in enumerate(line.split(" "), 1):
            width = 12 * len(word)
            rows.append("\t".join(str(v) for v in (
                5, 1, 1, 1, number + 1, word_number, left, 20 + 40 * number, width, 24,
                "91.5", word)))
            left += width + 10
    words = parse_tsv("\n".join(rows) + "\n")
    found = lines_of(words)
    return Reading(words=words, lines=found, text=text_of(found), engine=ENGINE,
                   languages=list(languages), settings=ocr_engine.ReadSettings(scale=2.0))


def png(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 120), color).save(out, "PNG")
    return out.getvalue()


def add_picture(vault, name: str, lines: list[str], *, sensitive: bool = False):
    picture = vault.add_bytes(png((240, 240, 240)), name, source={"type": "import"},
                              sensitive=sensitive, description="a picture")
    return picture, store_reading(vault, picture, reading(lines))


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def flat(text: str) -> str:
    """Text with every space and line break taken out (a table may wrap a long value)."""
    return re.sub(r"\s+", "", text)


def sealed(vault, tmp_path: Path, **options) -> Path:
    result = seal(vault, tmp_path / "out", Protection.unencrypted(), **options)
    subprocess.run(["unzip", "-q", str(result.bundle_path), "-d", str(tmp_path / "open")],
                   check=True)
    return tmp_path / "open" / result.name


def report_of(vault, **extra):
    from evidence_app.chats.indicators import indicators_for_vault

    extra.setdefault("indicators", indicators_for_vault(vault))
    return build_report_data(vault, list(vault.state.items.values()), bundle_name="B",
                             sealed_at="2026-11-23T10:15:02.000000Z", sealed_offset="+00:00",
                             language="en", extra=extra)


# --- a sensitive picture's words ------------------------------------------------------------


def test_a_sensitive_pictures_words_stay_out_of_the_report_unless_chosen(vault, tmp_path):
    """The attack: the victim's intimate picture carries her private address and a secret;
    the report is printed and passed around an office. Not one of those words may be in it
    (the address used to reach the indicators table); the bundle still carries them."""
    add_picture(vault, "threat.png", THREAT)
    add_picture(vault, "me_in_bed.png", PRIVATE, sensitive=True)
    folder = sealed(vault, tmp_path)
    page = html.unescape((folder / "data/report/report.html").read_text("utf-8"))
    printed = pdf_text((folder / "data/report/report.pdf").read_bytes(), tmp_path)
    for text in (page, printed):
        for secret in (SECRET_WORD, SECRET_MAIL, "anna.private", "me_in_bed"):
            assert secret not in flat(text)
        assert "boss.lee@scam-example.com" in flat(text)  # the offender's words are there
    # It says that words were read, and where they are, without naming the picture.
    assert "Words were read by machine from this picture. They are not printed" in page
    assert "in the folder data/ocr/" in page
    assert "1 indicator read by machine only in pictures marked sensitive" in page
    ocr_files = sorted(p.name for p in (folder / "data/ocr").iterdir())
    assert len(ocr_files) == 4
    private_text = next(p for p in (folder / "data/ocr").iterdir()
                        if p.name.endswith("me_in_bed.png.ocr.txt"))
    assert SECRET_WORD in private_text.read_text("utf-8")
    found = json.loads((folder / "data/metadata/indicators.json").read_text("utf-8"))
    assert SECRET_MAIL in [i["value"] for i in found]


def test_the_person_can_choose_to_print_a_sensitive_pictures_words(vault, tmp_path):
    add_picture(vault, "me_in_bed.png", PRIVATE, sensitive=True)
    folder = sealed(vault, tmp_path, include_sensitive_text=True)
    page = html.unescape((folder / "data/report/report.html").read_text("utf-8"))
    printed = flat(pdf_text((folder / "data/report/report.pdf").read_bytes(), tmp_path))
    assert SECRET_WORD in page
    assert SECRET_WORD in printed
    assert SECRET_MAIL in flat(page)
    assert SECRET_MAIL in printed
    assert "me_in_bed" not in flat(page)
    assert "me_in_bed" not in printed


# --- what the officer reads -------------------------------------------------------------------


def test_words_are_printed_under_their_picture_marked_as_read_by_machine(vault, tmp_path):
    picture, text = add_picture(vault, "threat.png", THREAT)
    data = report_of(vault)
    page = render_html(data)
    article = page[page.index('id="item-1"'):page.index('id="item-2"')]
    assert ("Read by machine from the picture (Tesseract 5.3.0, Thai + English); check it "
            "against the picture:") in article
    assert "Pay 500 USDT or I send the video\nContact boss.lee@scam-example.com now" in article
    printed = pdf_text(render_pdf_bytes(data), tmp_path)
    assert "Read by machine from the picture (Tesseract 5.3.0, Thai + English)" in printed
    assert "Pay 500 USDT or I send the video" in printed
    # The reading items are the app's own, and say what they are.
    assert "2 files of words read by machine in pictures, made by this app (items 2, 3) " \
           "from item 1" in html.unescape(page)
    assert "chat transcripts made by this app" not in page
    assert f"Words read from a picture, item {picture.id} (text/plain)" in page
    assert f"Read by machine (OCR) by this app from the picture in item {picture.id}" in page
    assert "Engine settings: --oem 1 --psm 3; picture enlarged 2 times" in page
    assert f"Where each word is: item {text.source['boxes_item']}" in page


def test_a_direction_trick_in_a_picture_is_shown_as_a_visible_mark(vault, tmp_path):
    add_picture(vault, "invoice.png", ["pay invoice\u202egpj.exe today", "bell\x07here"])
    data = report_of(vault)
    page = render_html(data)
    assert "\u202e" not in page
    assert "\x07" not in page
    assert "invoice[U+202E]gpj.exe" in page
    assert "bell[U+0007]here" in page
    printed = pdf_text(render_pdf_bytes(data), tmp_path)
    assert "\u202e" not in printed
    assert "invoice[U+202E]gpj.exe" in printed


def test_hostile_markup_in_a_picture_is_text(vault):
    add_picture(vault, "x.png", ["<script>alert(1)</script> <img src=x onerror=alert(2)>"])
    page = render_html(report_of(vault))
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;" in page


def test_a_long_reading_is_capped_at_whole_lines_and_says_where_the_rest_is(vault, tmp_path):
    from evidence_app.bundle.report_ocr import SHOWN_LINES

    wallet = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
    lines = [f"line {n} says send to {wallet} today" for n in range(1, 201)]
    _picture, text = add_picture(vault, "long chat.png", lines)
    data = report_of(vault)
    words = data.items[0].words
    assert words is not None
    assert 0 < len(words.lines) <= SHOWN_LINES
    assert all(line in lines for line in words.lines)  # whole lines, nothing cut
    assert words.more_lines == 200 - len(words.lines)
    page = html.unescape(render_html(data))
    assert (f"{words.more_lines} more lines are not printed here; all the text is in "
            f"data/ocr/{int(text.id):04d}-long chat.png.ocr.txt.") in page
    printed = flat(pdf_text(render_pdf_bytes(data), tmp_path))
    assert flat(f"{words.more_lines} more lines are not printed here") in printed
    assert wallet in printed


def test_one_enormous_line_is_cut_between_words_only():
    from evidence_app.bundle.report_ocr import shown_lines

    word = "W" * 300
    lines, more = shown_lines(" ".join([word] * 40), max_chars=1000)
    assert lines == (" ".join([word] * 3),)
    assert more == 1
    lines, more = shown_lines("x" * 900, max_chars=1000)  # one word: whole or not at all
    assert lines == ("x" * 900,)
    assert more == 0
    lines, more = shown_lines("x" * 5000, max_chars=1000)  # no picture holds such a word
    assert lines == ("x" * 1000,)
    assert more == 1
    lines, more = shown_lines("a\n\n\n\nb\n\n", max_chars=1000)
    assert lines == ("a", "", "b")
    assert more == 0


def test_a_picture_with_no_words_says_so(vault):
    add_picture(vault, "blank.png", [])
    page = render_html(report_of(vault))
    assert "The picture was read by machine (Tesseract 5.3.0, Thai + English) and no words " \
           "were found." in page


# --- indicators --------------------------------------------------------------------------------


def test_indicators_name_the_picture_and_the_box_where_they_were_read(vault, tmp_path):
    picture, _text = add_picture(vault, "threat.png", THREAT)
    folder = sealed(vault, tmp_path)
    found = json.loads((folder / "data/metadata/indicators.json").read_text("utf-8"))
    mail = next(i for i in found if i["value"] == "boss.lee@scam-example.com")
    (where,) = mail["sources"]
    assert where["kind"] == "picture"
    assert where["read_by_machine"] is True
    assert where["item_id"] == picture.id
    assert where["item_name"] == "threat.png"
    assert where["item_path"] == f"data/evidence/{int(picture.id):04d}-threat.png"
    assert (folder / where["item_path"]).is_file()
    left, top, width, height = where["box"]
    page = html.unescape((folder / "data/report/report.html").read_text("utf-8"))
    assert (f"item {picture.id} (threat.png), read by machine from the picture at x {left}, "
            f"y {top} ({width} × {height} px)") in page
    assert "x and y count the picture's own pixels from its top left corner" in page
    printed = flat(pdf_text((folder / "data/report/report.pdf").read_bytes(), tmp_path))
    assert flat(f"item {picture.id} (threat.png), read by machine from the picture") in printed


def test_an_indicator_seen_in_a_chat_and_read_in_a_picture_lists_both(vault):
    from evidence_app.bundle.report_words import indicator_row

    chat_place = {"item_id": "9", "message_index": 0, "kind": "transcript"}
    picture, _text = add_picture(vault, "threat.png", THREAT)
    data = report_of(vault, indicators=[{
        "type": "email", "value": "boss.lee@scam-example.com",
        "sources": [*[dict(chat_place, message_index=n) for n in range(8)],
                    {"item_id": picture.id, "kind": "picture", "box": [1, 2, 3, 4],
                     "read_by_machine": True}]}])
    where = indicator_row(data.indicators[0])[2]
    assert "item 9, message 1" in where
    assert f"item {picture.id} (threat.png), read by machine from the picture" in where
    assert "and 3 more places" in where


# --- the bundle --------------------------------------------------------------------------------


def test_verify_txt_lists_the_folder_of_words_read():
    from evidence_app.bundle.verify_text import verify_text

    text = verify_text(name="B", encrypted=False, passphrase_mode=False,
                       fingerprint="SHA256:x", sealed_at="2026-11-23T10:15:02Z")
    (line,) = [ln for ln in text.splitlines() if ln.strip().startswith("data/ocr/")]
    assert line.startswith("   data/ocr/: words read by machine in pictures")


def test_a_reading_in_two_passes_is_said_in_words_not_as_raw_settings():
    from evidence_app.bundle.report_ocr_words import reading_source_text

    one = {"oem": 1, "psm": 3, "scale": 2.0, "contrast": True, "languages": ["tha", "eng"]}
    said = reading_source_text({
        "type": "ocr", "role": "text", "engine": "Tesseract", "engine_version": "5.3.0",
        "languages": ["tha", "eng"], "settings": one, "picture": "1", "words": 3,
        "passes": [one, {**one, "contrast": False, "languages": ["eng"]}]})
    assert "Read 2 times" in said
    assert "2. English, the picture as it is" in said
    assert "passes:" not in said
    assert "{'oem'" not in said
