"""The reader on text and web pages, driven through "Read…": encodings, a big file read a
page at a time, markup shown as the characters it is, and a web page that fetches nothing
and runs nothing."""

from __future__ import annotations

import http.server
import os
import stat
import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from evidence_app.gui.reader_text import ALIGN_WINDOW, PAGE_BYTES
from evidence_app.gui.reader_views import TextPane
from tests.gui_app.reader_helpers import detail_pane, open_reader, rich_labels, viewed
from tests.gui_app.test_access import unnamed

pytestmark = pytest.mark.gui

GERMAN = "Grüße aus München: „Überweise 500 €“, schrieb er.\n"
THAI = "เขาขอให้โอนเงินห้าหมื่นบาท\n"


def _text(reader) -> str:
    assert isinstance(reader.pane, TextPane), reader.message.text()
    return reader.pane.view.toPlainText()


@pytest.mark.parametrize(("name", "data"), [
    ("utf8.txt", (GERMAN + THAI).encode("utf-8")),
    ("utf16-bom.txt", (GERMAN + THAI).encode("utf-16")),  # Windows Notepad "Unicode"
    ("utf16-no-bom.txt", (GERMAN * 20).encode("utf-16-le")),
    ("cyrillic.txt", ("Вчера он написал мне и потребовал перевести пятьдесят тысяч рублей на "
                      "неизвестный счёт. Я очень испугалась.\n").encode("cp1251")),
])
def test_text_in_any_encoding_reads_as_written(session, qtbot, name, data):
    item = session.vault.add_bytes(data, name, source={"type": "test"})
    pane = detail_pane(session, qtbot)
    reader = open_reader(pane, qtbot, item.id)
    shown = _text(reader)
    for codec in ("utf-8", "utf-16", "utf-16-le", "cp1251"):
        try:
            expected = data.decode(codec).lstrip("\ufeff")
        except UnicodeDecodeError:
            continue
        if shown == expected:
            break
    else:
        pytest.fail(f"{name} shown as {shown[:80]!r}")
    assert "�" not in shown


def test_a_big_file_is_read_a_page_at_a_time(session, qtbot, monkeypatch):
    """20 MB of log: no read of more than a page, the screen holds one page, and the last
    page and a word on it are reached without reading everything."""
    line = b"2026-03-04 10:00:00 login from 203.0.113.7 ok\n"
    body = line * (20_000_000 // len(line))
    needle_at = len(body) - 5_000
    body = body[:needle_at] + b"SECRET-WALLET-ADDRESS\n" + body[needle_at:]
    item = session.vault.add_bytes(body, "server.log", source={"type": "test"})
    asked: list[int] = []
    real = type(session.vault).read_item_range

    def counting(vault, item_id, offset, length):
        asked.append(length)
        return real(vault, item_id, offset, length)

    monkeypatch.setattr(type(session.vault), "read_item_range", counting)
    details = detail_pane(session, qtbot)
    reader = open_reader(details, qtbot, item.id)
    pane = reader.pane
    assert pane.pages.count == -(-len(body) // PAGE_BYTES)
    assert len(pane.view.toPlainText()) <= PAGE_BYTES + ALIGN_WINDOW
    assert pane.view.toPlainText().startswith(line.decode())
    pane.search.setText("secret-wallet")
    pane.find_text(True)
    qtbot.waitUntil(lambda: pane.view.textCursor().hasSelection()
                    or pane.found.text() != "Searching…", timeout=20_000)
    assert pane.view.textCursor().selectedText() == "SECRET-WALLET"
    assert pane.page == pane.pages.count - 1
    assert max(asked) <= PAGE_BYTES + ALIGN_WINDOW
    assert len(pane.view.toPlainText()) <= PAGE_BYTES + ALIGN_WINDOW


def test_markup_in_evidence_is_shown_as_written(session, qtbot):
    hostile = ('<h1>BIG</h1><b>bold</b><img src="file:///etc/passwd"> '
               '<a href="https://evil.example/">click</a>\x1b[2J\u202egpj.exe')
    item = session.vault.add_bytes(hostile.encode(), '<i>name</i>.txt', source={"type": "t"})
    pane = detail_pane(session, qtbot)
    reader = open_reader(pane, qtbot, item.id)
    shown = _text(reader)
    assert shown.startswith('<h1>BIG</h1><b>bold</b><img src="file:///etc/passwd">')
    assert "[U+001B]" in shown
    assert "[U+202E]" in shown
    assert rich_labels(reader) == []
    assert unnamed(reader) == []
    assert "<i>name</i>.txt" in reader.windowTitle()


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_a_web_page_fetches_nothing_and_runs_nothing(session, qtbot, tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    # A local file the page names: a FIFO, so any attempt to open it for reading is seen.
    fifo = tmp_path / "secret.png"
    os.mkfifo(fifo)
    page = f"""<!DOCTYPE html><html><head><title>Invoice</title>
        <link rel="stylesheet" href="{url}/style.css"><script src="{url}/app.js"></script>
        <style>@import url("{url}/more.css"); body {{ background: url({url}/bg.png) }}</style>
        <meta http-equiv="refresh" content="0; url={url}/moved">
        </head><body background="{url}/body.png" onload="document.title='pwned'">
        <p>Pay <b>500 EUR</b> to the account below.</p>
        <img src="{fifo.as_uri()}" alt="scan of the invoice"><img src="{url}/pixel.png">
        <iframe src="{url}/frame"></iframe><object data="{url}/obj"></object>
        <script>document.write('pwned'); fetch('{url}/beacon')</script>
        <a href="{url}/pay">pay here</a></body></html>"""
    item = session.vault.add_bytes(page.encode(), "invoice.html", source={"type": "test"})
    try:
        pane = detail_pane(session, qtbot)
        reader = open_reader(pane, qtbot, item.id)
        shown = _text(reader)
        opened = False
        until = time.monotonic() + 1.0
        while time.monotonic() < until:  # is anyone reading the FIFO?
            QApplication.processEvents()
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                time.sleep(0.02)
                continue
            os.close(fd)
            opened = True
            break
        assert not opened, "the page's local picture was opened"
        assert _Counter.hits == [], f"the page fetched {_Counter.hits}"
        assert "Pay 500 EUR to the account below." in shown
        assert "pwned" not in shown.replace("document.title='pwned'", "")
        assert "document.write" not in shown
        assert f"{url}/pay" in shown  # links written out, for the officer
        assert fifo.as_uri() in shown
        assert f"{url}/pixel.png" in shown
        assert "nothing it names was fetched" in reader.message.text()
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    finally:
        server.shutdown()
        server.server_close()


def test_reading_is_recorded_once_and_sensitive_items_are_asked_about(session, qtbot):
    item = session.vault.add_bytes(b"He threatened me again.\n", "threat.txt",
                                   source={"type": "test"})
    pane = detail_pane(session, qtbot)
    assert viewed(session.vault, item.id) == 0  # selecting it reads nothing
    pane.show_item(session.vault.item(item.id))
    assert pane.reader is None
    for _time in range(3):
        reader = open_reader(pane, qtbot, item.id)
        reader.close()
    qtbot.waitUntil(lambda: viewed(session.vault, item.id) == 1, timeout=10_000)
    qtbot.wait(200)
    assert viewed(session.vault, item.id) == 1

    session.vault.update_item(item.id, sensitive=True)
    pane.show_item(session.vault.item(item.id))

    def answer_no() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.No).click()

    QTimer.singleShot(100, answer_no)
    pane.reader = None
    qtbot.mouseClick(pane.read_button, Qt.MouseButton.LeftButton)
    assert pane.reader is None


def test_a_spoofed_name_is_shown_with_its_direction_mark_visible(session, qtbot):
    """'invoice\\u202etxt.exe' would read as 'invoiceexe.txt': the reader's title and heading
    show the mark instead of obeying it, as the list and the details do."""
    item = session.vault.add_bytes(b"hello\n", "invoice\u202etxt.exe.txt",
                                   source={"type": "test"})
    pane = detail_pane(session, qtbot)
    reader = open_reader(pane, qtbot, item.id)
    for shown in (reader.heading.text(), reader.windowTitle()):
        assert "\u202e" not in shown
        assert "[U+202E]" in shown
