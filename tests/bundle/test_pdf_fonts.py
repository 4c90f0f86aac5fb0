"""Fonts read once per process (bundle/pdf_fonts.py) must not change a single byte of a
report: a document made after others (which read the fonts and subset their own copies)
equals the same document made by fpdf2 reading every font itself."""

from __future__ import annotations

import re

import pytest

from evidence_app.bundle import pdf_fonts
from evidence_app.bundle.receipt import ReceiptInfo, receipt_pdf_bytes
from evidence_app.bundle.report_pdf import render_pdf_bytes
from evidence_app.i18n import set_language
from tests.bundle.test_report_samples import fill_case, report_data


@pytest.fixture
def data(vault):
    set_language("en")
    fill_case(vault)  # Latin, Cyrillic, Thai, Arabic, Chinese and emoji: nine fonts
    return report_data(vault)


def test_a_report_is_the_same_whether_its_fonts_were_read_before(data):
    pdf_fonts.forget()
    cold = render_pdf_bytes(data)  # fpdf2 reads every font itself
    assert pdf_fonts._read, "the fonts were not kept for the next document"
    warm = render_pdf_bytes(data)  # copies of what the first one read
    again = render_pdf_bytes(data)  # and copies after copies were subset
    assert warm == cold
    assert again == cold


def test_a_smaller_document_after_a_larger_one_embeds_only_its_own_glyphs(data, vault):
    pdf_fonts.forget()
    latin = report_data(vault, items=["4"], chats=[], indicators=[])
    alone = render_pdf_bytes(latin)
    pdf_fonts.forget()
    render_pdf_bytes(data)  # every script, all fonts read and subset
    assert render_pdf_bytes(latin) == alone


def test_the_receipt_is_the_same_after_a_report(data):
    info = ReceiptInfo(bundle_file="AZ-123-26.zip.age", sha256="ab" * 32,
                       signer_fingerprint="SHA256:abc", item_count=4,
                       case_reference="AZ 123/26 – สวัสดี", sealed_at=data.sealed_at,
                       sealed_offset="+01:00", protection="passphrase",
                       passphrase="river-candle-orbit-seven")
    pdf_fonts.forget()
    alone = _undated(receipt_pdf_bytes(info))
    pdf_fonts.forget()
    render_pdf_bytes(data)
    assert _undated(receipt_pdf_bytes(info)) == alone


def _undated(pdf: bytes) -> bytes:
    """The receipt says when it was made (to the second), and its file ID is a digest
    that includes that time; everything else must match."""
    pdf = re.sub(rb"/CreationDate \(D:\d+Z\)", b"/CreationDate ()", pdf)
    return re.sub(rb"/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"/ID []", pdf)
