"""PDF pages in the reader (Qt's PDF module), a damaged PDF, one too big to take whole into
memory, and the reader closing, with what it decrypted, when the vault locks."""

from __future__ import annotations

import pytest
from fpdf import FPDF
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

from evidence_app.gui.reader_views import PdfPane
from tests.gui_app.reader_helpers import detail_pane, open_reader
from tests.gui_app.test_access import unnamed

pytestmark = pytest.mark.gui


def _pdf() -> bytes:
    pdf = FPDF()
    for line in ("PAYMENT RECEIPT 500 EUR", "Reference 0x5290840009852788"):
        pdf.add_page()
        pdf.set_font("Helvetica", size=28)
        pdf.cell(0, 30, line)
        pdf.rect(20, 60, 170, 80, style="F")
    return bytes(pdf.output())


def _ink(image: QImage) -> int:
    """Sampled pixels that something was painted on, dark enough to be text or shapes."""
    count = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            colour = image.pixelColor(x, y)
            count += colour.alpha() > 200 and colour.lightness() < 100
    return count


def test_a_pdf_is_shown_as_its_pages(session, qtbot):
    item = session.vault.add_bytes(_pdf(), "receipt.pdf", source={"type": "test"})
    details = detail_pane(session, qtbot)
    reader = open_reader(details, qtbot, item.id)
    pane = reader.pane
    assert isinstance(pane, PdfPane), reader.message.text()
    assert pane.document.pageCount() == 2
    assert pane.where.text() == "Page 1 of 2"
    assert unnamed(reader) == []
    page = pane.document.render(0, QSize(420, 594))
    assert not page.isNull()
    assert _ink(page) > 500  # the text and the filled box, not a blank page
    reader.resize(700, 800)
    qtbot.waitUntil(lambda: _ink(pane.view.viewport().grab().toImage()) > 500, timeout=10_000)
    qtbot.mouseClick(pane.later, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.where.text() == "Page 2 of 2", timeout=5_000)


def test_a_damaged_pdf_says_so(session, qtbot):
    item = session.vault.add_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100, "broken.pdf",
                                   source={"type": "test"})
    details = detail_pane(session, qtbot)
    reader = open_reader(details, qtbot, item.id)
    assert "could not be read" in reader.pane.problem.text()
    assert not reader.pane.view.isVisible()


def test_a_pdf_too_big_for_memory_is_not_loaded(session, qtbot, monkeypatch):
    import evidence_app.gui.reader as reader_module

    monkeypatch.setattr(reader_module, "MAX_PDF_BYTES", 1000)
    item = session.vault.add_bytes(_pdf(), "receipt.pdf", source={"type": "test"})
    details = detail_pane(session, qtbot)
    reader = open_reader(details, qtbot, item.id)
    assert reader.pane is None
    assert "too big to show here" in reader.message.text()


def test_locking_closes_the_reader_and_drops_the_content(unlocked, qtbot, tmp_path):
    from evidence_app.core import scratch

    main = unlocked.main
    path = tmp_path / "receipt.pdf"
    path.write_bytes(_pdf())
    main.add_paths([path])
    qtbot.waitUntil(lambda: main.model.rowCount() == 1, timeout=10_000)
    reader = open_reader(main.detail, qtbot, next(iter(unlocked.session.vault.state.items)))
    assert isinstance(reader.pane, PdfPane)
    document = reader.pane.document
    unlocked._lock("user")
    qtbot.waitUntil(lambda: unlocked.main is None, timeout=10_000)
    qtbot.wait(50)
    import shiboken6

    assert not shiboken6.isValid(reader)
    assert not shiboken6.isValid(document)
    assert scratch.live() == []  # nothing decrypted was written anywhere
