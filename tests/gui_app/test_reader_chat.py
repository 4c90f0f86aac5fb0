"""Chat transcripts in the reader: bubbles a page at a time, the export's own message
numbers to cite, search that finds and jumps, attachments named, markup shown as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from evidence_app.chats.importer import import_chat
from evidence_app.gui.reader_chat import SYSTEM
from evidence_app.gui.reader_chat_view import PAGE, ChatPane
from tests.gui_app.reader_helpers import detail_pane, open_reader, rich_labels, viewed
from tests.gui_app.test_access import unnamed

pytestmark = pytest.mark.gui
ASSETS = Path(__file__).resolve().parents[1] / "assets" / "chats"
HOSTILE = '<b>bold</b> <img src="http://127.0.0.1:9/x.png"> <a href="https://evil.test">x</a>'


def _whatsapp(folder: Path, count: int = 650) -> Path:
    """A WhatsApp (Android, English) export folder; message numbers as the export counts."""
    folder.mkdir()
    (folder / "IMG-20260403-WA0001.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    lines = ["03/04/2026, 09:00 - Messages and calls are end-to-end encrypted. No one outside "
             "of this chat, not even WhatsApp, can read or listen to them."]
    for number in range(2, count + 1):
        who = "Anna" if number % 3 == 0 else "Sam"
        text = f"message text {number}"
        if number == 7:
            text = HOSTILE
        if number == 42:
            text = "the code word is Tiger42, remember it"
        if number == 300:
            text = "IMG-20260403-WA0001.jpg (file attached)"
        if number == 500:
            text = "I said TIGER42 again"
        lines.append(f"03/04/2026, {10 + number // 60 % 12}:{number % 60:02d} - {who}: {text}")
    (folder / "WhatsApp Chat with Sam.txt").write_text("\n".join(lines) + "\n")
    return folder


def _chat(reader) -> ChatPane:
    assert isinstance(reader.pane, ChatPane), reader.message.text()
    return reader.pane


def _selected(pane: ChatPane):
    return pane.model.rows[pane.view.currentIndex().row()]


def test_a_chat_reads_as_numbered_bubbles_with_search(session, qtbot, tmp_path):
    result = import_chat(session.vault, _whatsapp(tmp_path / "export"), me="Anna")
    original = result.original_ids[0]
    details = detail_pane(session, qtbot)
    reader = open_reader(details, qtbot, original)  # the export itself opens as the chat
    pane = _chat(reader)
    assert len(pane.model.rows) == PAGE  # bounded, whatever the chat's size
    first = pane.model.rows[0]
    assert (first.number, first.role) == (1, SYSTEM)
    assert pane.model.rows[1].sender == "Sam"
    assert pane.model.rows[1].number == 2
    assert "(as shown on the device)" in pane.model.rows[1].when
    assert ("Messages", "650") in pane.transcript.facts
    order = dict(pane.transcript.facts)["Date order"]  # 03/04/2026 reads either way
    assert order.startswith("day/month/year (assumed: every date in the export")
    assert pane.where.text() == "Messages 1–200 of 650"

    pane.search.setText("tiger42")
    qtbot.mouseClick(pane.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.found.text() == "1 of 2 matches", timeout=10_000)
    assert _selected(pane).number == 42
    assert "Message 42 · " in pane.model.data(pane.view.currentIndex(),
                                                 Qt.ItemDataRole.AccessibleTextRole)
    qtbot.mouseClick(pane.next_button, Qt.MouseButton.LeftButton)
    assert pane.found.text() == "2 of 2 matches"
    assert _selected(pane).number == 500
    assert pane.where.text() == "Messages 401–600 of 650"
    assert _highlighted(pane.delegate._document(_selected(pane), 400, pane.view.font()))

    assert pane.go_to_number(300)
    row = _selected(pane)
    assert row.number == 300
    assert any("item #" in line for line in row.extra)  # the attachment is named, with its item
    assert not pane.go_to_number(651)
    assert "There is no message 651" in pane.missing.text()

    pane.go_to_number(7)
    hostile = _selected(pane)
    assert hostile.text == HOSTILE
    doc = pane.delegate._document(hostile, 400, pane.view.font())
    assert HOSTILE in doc.toPlainText()  # written out, not interpreted
    assert doc.toHtml().count("<img") == 0
    assert rich_labels(reader) == []
    assert unnamed(reader) == []  # a screen reader can name every control
    qtbot.waitUntil(lambda: viewed(session.vault, original) == 1, timeout=10_000)


def _highlighted(doc) -> bool:
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(doc)
    while not cursor.atEnd():
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        if cursor.charFormat().background().color().name() == "#ffd54f":
            return True
    return False


def test_platform_message_ids_are_shown_too(session, qtbot):
    result = import_chat(session.vault, ASSETS / "telegram" / "single" / "result.json",
                         me="-")
    details = detail_pane(session, qtbot)
    reader = open_reader(details, qtbot, result.transcript_ids[0])
    pane = _chat(reader)
    ids = [row.platform_id for row in pane.model.rows]
    assert ids[0]
    assert len(set(ids) - {""}) >= len(ids) - 1
    from evidence_app.gui.reader_chat_view import header_text

    assert f"Message 1 (ID {ids[0]})" in header_text(pane.model.rows[0])


def test_every_transcript_item_and_an_old_layout_open_the_same_chat(session, qtbot, tmp_path):
    """The HTML and text transcripts open the chat too; a transcript stored by an older
    version (one indented JSON document) still reads."""
    import json

    from evidence_app.chats.importer import load_transcript

    result = import_chat(session.vault, _whatsapp(tmp_path / "export", 30), me="Anna")
    vault = session.vault
    siblings = [i.id for i in vault.state.items.values()
                if i.kind == "transcript" and i.source.get("role") in ("html", "text")]
    old = json.dumps(load_transcript(vault, result.transcript_ids[0]).to_dict(),
                     ensure_ascii=False, indent=1).encode()
    older = vault.add_bytes(old, "old transcript.json", kind="transcript",
                            source={"type": "chat_transcript", "role": "json"})
    details = detail_pane(session, qtbot)
    for item_id in [*siblings, older.id]:
        pane = _chat(open_reader(details, qtbot, item_id))
        assert [r.number for r in pane.model.rows] == list(range(1, 31))
        assert pane.model.rows[41 % 30].number == 12
