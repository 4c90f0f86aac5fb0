"""The receipt: the facts in text and PDF, and a QR code that decodes to the SHA-256."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from evidence_app.bundle.receipt import (
    ReceiptInfo,
    qr_matrix,
    render_receipt_pdf,
    render_receipt_text,
)

SHA = hashlib.sha256(b"bundle").hexdigest()
PASSWORD = "orbit velvet canyon mango tulip harbor"


def _info(**changes) -> ReceiptInfo:
    fields = dict(bundle_file="AZ-123-26_20261123T101502Z.zip.age", sha256=SHA,
                  signer_fingerprint="SHA256:FM0Ys3PXnVVNPbbrgQS1OQOGmZYyuOXV8hEPBPoj84Y",
                  item_count=4, case_reference="AZ 123/26 Müller",
                  sealed_at="2026-11-23T10:15:02.000000Z", sealed_offset="+01:00",
                  protection="recipient", recipient="age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2e",
                  size=123_456_789)
    fields.update(changes)
    return ReceiptInfo(**fields)


def _pdftotext(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_text_receipt_states_the_facts():
    text = render_receipt_text(_info())
    for fact in (SHA, "AZ-123-26_20261123T101502Z.zip.age", "AZ 123/26 Müller",
                 "SHA256:FM0Ys3PXnVVNPbbrgQS1OQOGmZYyuOXV8hEPBPoj84Y", "Number of items:",
                 "2026-11-23 10:15:02 UTC", "(UTC+01:00)",
                 "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2e",
                 "sha256sum 'AZ-123-26_20261123T101502Z.zip.age'", "certutil -hashfile"):
        assert fact in text, fact
    assert "Number of items:            4" in text


def test_text_receipt_never_holds_the_passphrase():
    text = render_receipt_text(_info(protection="passphrase", passphrase=PASSWORD))
    assert PASSWORD not in text
    assert "second page of the printed receipt" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils from .ci/run")
def test_pdf_receipt_text_and_single_page_without_passphrase(tmp_path):
    pdf = render_receipt_pdf(_info(), tmp_path / "r.receipt.pdf")
    text = _pdftotext(pdf)
    assert SHA in text
    assert "AZ 123/26 Müller" in text
    assert text.count("\f") == 1  # one page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils from .ci/run")
def test_passphrase_only_on_its_own_second_page(tmp_path):
    pdf = render_receipt_pdf(_info(protection="passphrase", passphrase=PASSWORD),
                             tmp_path / "p.receipt.pdf")
    assert PASSWORD not in _pdftotext(pdf, 1)
    assert PASSWORD in _pdftotext(pdf, 2)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils from .ci/run")
def test_qr_code_decodes_to_the_sha256(tmp_path):
    """Decoded from the printed page as a phone would: zxing-cpp, and zbarimg if installed."""
    import zxingcpp
    from PIL import Image

    pdf = render_receipt_pdf(_info(), tmp_path / "q.receipt.pdf")
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "q")], check=True)
    png = next(tmp_path.glob("q-*.png"))
    with Image.open(png) as page:
        found = zxingcpp.read_barcodes(page)
    assert [(code.format, code.text) for code in found] == [(zxingcpp.BarcodeFormat.QRCode,
                                                             SHA)]
    zbarimg = shutil.which("zbarimg")
    if zbarimg is not None:
        result = subprocess.run([zbarimg, "--quiet", "--raw", str(png)], capture_output=True,
                                text=True, check=True)
        assert result.stdout.strip() == SHA


def test_qr_matrix_is_square_with_quiet_zone():
    matrix = qr_matrix(SHA)
    assert all(len(row) == len(matrix) for row in matrix)
    assert not any(matrix[0])
    assert not any(matrix[-1])
    assert matrix[4][4]  # the top-left finder pattern starts right after the quiet zone
