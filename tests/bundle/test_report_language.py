"""A German report says every machine value in German: attachment kinds, indicator types,
known payment methods and case-field names, while indicators.json keeps the machine words."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest

from evidence_app.bundle import report_words
from evidence_app.bundle.report_html import render_html
from evidence_app.bundle.report_model import ReportData
from evidence_app.bundle.report_pdf import render_pdf
from evidence_app.chats.words import ATTACHMENT_KINDS, INDICATOR_TYPES
from evidence_app.i18n import _, language
from tests.bundle.test_report_samples import CHAT, fill_case, report_data

CHAT_WITH_FILES = {**CHAT, "messages": [
    *CHAT["messages"],
    {"index": 3, "time": "2026-10-12T07:05:00Z", "timezone": "UTC", "sender": "Lisa",
     "text": "Look", "attachments": [{"name": "IMG-0042.jpg", "kind": "photo"}]},
    {"index": 4, "time": "2026-10-12T07:06:00Z", "timezone": "UTC", "sender": "Lisa",
     "text": "", "attachments": [{"name": "", "kind": "voice", "omitted": True}]},
]}
INDICATORS = [
    {"type": "phone", "value": "+66812345678",
     "sources": [{"item_id": "1", "message_index": 0, "kind": "transcript"}]},
    {"type": "btc", "value": "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
     "sources": [{"kind": "case", "field": "statement"}]},
    {"type": "iban", "value": "DE89370400440532013000", "sources": []},
]
ENGLISH = ["Phone number", "Bitcoin address", "IBAN (bank account)", "[photo:", "[voice",
           "bank transfer", "Bank transfer", "country", "(statement)", ">phone<", ">btc<",
           ">iban<", ">email<", "changed: "]


def _german_report(vault) -> tuple[str, ReportData, list[str]]:
    fill_case(vault)
    case = dict(vault.state.case)
    case["payments"] = [{**case["payments"][0], "method": "bank transfer"}]
    case["country"] = "DE"
    vault.update_case(case)
    with language("de"):
        data = report_data(vault, language="de", chats=[CHAT_WITH_FILES],
                           indicators=INDICATORS)
        page = render_html(data)
        expected = [report_words.case_field("statement"), report_words.case_field("country"),
                    report_words.case_field("email"),
                    report_words.payment_method("bank transfer"),
                    _(INDICATOR_TYPES["phone"]), _(INDICATOR_TYPES["btc"]),
                    _(INDICATOR_TYPES["iban"]),
                    "[{}: IMG-0042.jpg]".format(_(ATTACHMENT_KINDS["photo"])),
                    _(ATTACHMENT_KINDS["voice"])]
    return page, data, expected


def test_german_report_names_machine_values_in_german(vault) -> None:
    page, _data, expected = _german_report(vault)
    text = html.unescape(page)
    assert {"Telefonnummer", "Banküberweisung", "[Foto: IMG-0042.jpg]", "Sprachnachricht",
            "Land"} <= set(expected)
    assert "Angaben zum Fall geändert: Geleistete Zahlungen, Land" in text  # custody log
    for word in expected:
        assert word in text, word
    for word in ENGLISH:
        assert word not in page, word


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_german_pdf_names_machine_values_in_german(vault, tmp_path) -> None:
    _page, data, expected = _german_report(vault)
    with language("de"):
        pdf = render_pdf(data, tmp_path / "report.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    joined = re.sub(r"\s+", "", text)
    for word in expected:
        assert re.sub(r"\s+", "", word) in joined, word
    for word in ("Phonenumber", "Bitcoinaddress", "[photo:", "banktransfer", "(statement)"):
        assert word not in joined, word


def test_indicators_json_keeps_machine_values() -> None:
    """Only the shown words change: a report row in German, the stored type still "btc"."""
    from evidence_app.bundle.report_case import indicators_from

    indicator = indicators_from(INDICATORS)[1]
    assert indicator.kind == "btc"
    with language("de"):
        assert report_words.indicator_row(indicator)[0] == "Bitcoin-Adresse"


# --- where each item came from -------------------------------------------------------------

# The keys capture/grab.py `_source` records for a window screenshot (that module needs Qt).
SCREENSHOT_SOURCE = {
    "type": "screenshot", "mode": "window", "screen": "HDMI-1", "geometry": [0, 0, 800, 600],
    "device_pixel_ratio": 1.0, "platform": "xcb", "captured_at": "2026-11-23T10:15:02.123Z",
    "window_title": "WhatsApp — Lisa",
}
RAW_KEYS = ["path:", "mode:", "window_title:", "geometry:", "device_pixel_ratio:",
            "platform:", "captured_at:", "format:", "member:", "export_item:",
            "transcript_of:", "json_item:", "role:", "screen:", "chat_media", "chat_transcript",
            "whatsapp_zip"]


def _raw_keys(text: str) -> list[str]:
    """Raw source keys starting a line (or a table cell): "format:" inside "Exportformat:"
    is a German word, not a raw key."""
    return [raw for raw in RAW_KEYS if re.search("(?:^|[\n>])" + re.escape(raw), text)]


def _sourced_items(vault, tmp_path) -> dict[str, str]:
    """A screenshot, an imported file and a WhatsApp zip (original, photo, 3 transcripts)."""
    from evidence_app.chats.importer import import_chat
    from tests.chats.conftest import ASSETS, make_zip

    shot = vault.add_bytes(b"\x89PNG fake", "Screenshot.png", source=SCREENSHOT_SOURCE)
    bill = tmp_path / "bill.pdf"
    bill.write_bytes(b"%PDF-1.4 bill")
    imported = vault.add_file(bill)
    chat = make_zip(tmp_path / "WhatsApp Chat - Scam Group.zip", {
        "_chat.txt": (ASSETS / "whatsapp/ios_en/_chat.txt").read_bytes(),
        "00000005-PHOTO-2023-12-30-21-18-00.jpg":
            (ASSETS / "telegram/single/photos/photo_1@05-01-2024_10-05-00.jpg").read_bytes()})
    result = import_chat(vault, chat, me="Pat Sample")
    items = {"shot": shot.id, "imported": imported.id, "export": result.original_ids[0],
             "media": result.media_ids[0], "json": result.transcript_ids[0]}
    for item in vault.state.items.values():
        if item.source.get("role") == "html":
            items["html"] = item.id
    return items


def _source_texts(vault, tmp_path, code: str) -> tuple[dict[str, str], dict[str, str], str]:
    ids = _sourced_items(vault, tmp_path)
    with language(code):
        data = report_data(vault, language=code, chats=[], indicators=[])
        by_id = {item.number: dict((label, value) for label, value, _s in
                                  report_words.item_rows(item))[_("Source")]
                 for item in data.items}
        page = html.unescape(render_html(data))
    return ids, {name: by_id[item_id] for name, item_id in ids.items()}, page


def test_german_report_says_where_each_item_came_from_in_german(vault, tmp_path) -> None:
    ids, text, page = _source_texts(vault, tmp_path, "de")
    assert text["shot"].splitlines() == [
        "In der App aufgenommenes Bildschirmfoto", "Aufnahme: ein Fenster",
        "Fenstertitel: WhatsApp — Lisa", "Aufgenommen am: 2026-11-23 10:15:02 UTC",
        "Anzeigesystem: X11 (xcb)", "Bildschirm: HDMI-1",
        "Bereich: 800 × 600 an Position (0, 0)"]  # a scaling of 1 says nothing: left out
    assert text["imported"].splitlines() == [
        "Importierte Datei", f"Datei: {(tmp_path / 'bill.pdf').resolve()}"]
    assert text["export"].splitlines() == [
        "Chat-Export",
        f"Exportdatei: {(tmp_path / 'WhatsApp Chat - Scam Group.zip').resolve()}",
        "Chat-Plattform: WhatsApp", "Exportformat: ZIP-Archiv"]
    assert text["media"].splitlines() == [
        "Datei aus einem Chat-Export",
        "Datei im Export: 00000005-PHOTO-2023-12-30-21-18-00.jpg",
        "Exportformat: ZIP-Archiv aus WhatsApp",
        f"Aus dem Chat-Export in Beweisstück {ids['export']}"]
    assert text["html"].splitlines() == [
        "Von der App erstellte Chat-Abschrift", "Chat-Plattform: WhatsApp",
        "Exportformat: ZIP-Archiv", "Form der Abschrift: Webseite (HTML)",
        f"Abschrift von Beweisstück {ids['export']}",
        f"Dieselbe Abschrift als JSON: Beweisstück {ids['json']}"]
    for line in (*text["shot"].splitlines(), *text["media"].splitlines()):
        assert line in page, line
    assert [_raw_keys(t) for t in text.values()] == [[]] * len(text)
    assert _raw_keys(page) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_german_pdf_says_where_each_item_came_from_in_german(vault, tmp_path) -> None:
    _ids, text, _page = _source_texts(vault, tmp_path, "de")
    with language("de"):
        data = report_data(vault, language="de", chats=[], indicators=[])
        pdf = render_pdf(data, tmp_path / "report.pdf")
    found = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout
    joined = re.sub(r"\s+", "", found)
    for line in ("Fenstertitel: WhatsApp — Lisa", "Bereich: 800 × 600 an Position (0, 0)",
                 "Aufgenommen am: 2026-11-23 10:15:02 UTC", "Exportformat: ZIP-Archiv",
                 "Form der Abschrift: Webseite (HTML)"):
        assert re.sub(r"\s+", "", line) in joined, line
    for raw in ("window_title:", "captured_at:", "geometry:", "export_item:", "role:html"):
        assert raw not in joined, raw


def test_english_report_says_where_each_item_came_from(vault, tmp_path) -> None:
    _ids, text, page = _source_texts(vault, tmp_path, "en")
    assert text["shot"].splitlines() == [
        "Screenshot taken in the app", "Capture: one window", "Window title: WhatsApp — Lisa",
        "Captured at: 2026-11-23 10:15:02 UTC", "Display system: X11 (xcb)",
        "Screen: HDMI-1", "Area: 800 × 600 at (0, 0)"]
    assert text["media"].splitlines()[:3] == [
        "File from a chat export", "File inside the export: 00000005-PHOTO-2023-12-30-21-18-00.jpg",
        "Export format: ZIP archive from WhatsApp"]
    assert "Transcript form: web page (HTML)" in text["html"]
    assert "Area: 800 × 600 at (0, 0)" in page
    assert _raw_keys(page) == []


def test_source_details_unknown_or_odd_stay_raw_and_stored_values_unchanged() -> None:
    """Nothing recorded is hidden: unknown keys, odd values and a real scaling are shown."""
    source = {"type": "screenshot", "mode": "tab", "geometry": "1234", "device_pixel_ratio": 2,
              "platform": "wayland", "window": "WhatsApp", "note": None}
    stored = dict(source)
    with language("de"):
        lines = report_words.source_text(source).splitlines()
    assert lines == ["In der App aufgenommenes Bildschirmfoto", "mode: tab",
                     "Anzeigesystem: Wayland", "geometry: 1234", "Bildschirmskalierung: 200 %",
                     "window: WhatsApp"]
    assert source == stored
    assert report_words.source_text({"type": "fax", "pages": 3}) == "fax\npages: 3"
    assert report_words.source_text(
        {"type": "chat_export", "format": "signal_backup", "platform": "signal"}
    ).splitlines() == ["Chat export", "Chat platform: signal", "Export format: signal_backup"]
    assert report_words.source_text({"type": "screenshot", "geometry": [0.5, 0, 10, 10],
                                     "device_pixel_ratio": 1.25}).splitlines()[1:] == [
        "geometry: [0.5, 0, 10, 10]", "Display scaling: 125 %"]  # not rounded


def test_arabic_report_keeps_paths_in_reading_order() -> None:
    """"/home/a/x" after an Arabic label would show as "home/a/x/" without the marks; the
    marks are invisible (not turned into [U+200E]) and English text gets none."""
    source = {"type": "import", "path": "/home/a/x.png"}
    with language("ar"):
        text = report_words.source_text(source)
    assert text.splitlines()[1].endswith("\u200e/home/a/x.png\u200e")
    assert report_words.clean(text) == text
    assert "\u200e" not in report_words.source_text(source)
