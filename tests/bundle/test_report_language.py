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
