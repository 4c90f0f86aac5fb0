"""Chats from other calendars, digits and apps in the reader (issue 18): the calendar in the
facts, the date as the export wrote it beside each converted time, senders the export does
not name, and the clock a computer-made export was written on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evidence_app.chats.importer import NOT_A_PARTICIPANT, import_chat
from evidence_app.gui.reader_chat import THEM
from evidence_app.gui.reader_chat_view import ChatPane, header_text
from evidence_app.gui.reader_text import visible
from tests.gui_app.reader_helpers import detail_pane, open_reader

pytestmark = pytest.mark.gui
RLM = "\u200f"
# An Arabic iPhone set to the Islamic calendar (shape: tests/chats/test_whatsapp_locales.py).
ARABIC_HIJRI = (f"[{RLM}٢٢{RLM}/٦{RLM}/١٤٤٣ هـ، ٩:٠٥:١٢ م] سامي: مرحبا\n"
                f"[{RLM}٢٣{RLM}/٦{RLM}/١٤٤٣ هـ، ٨:٠٠:٠٠ ص] Alex: send the code\n")
UNNAMED = "(sender not named in the export)"


_KEPT: list[object] = []  # the details pane owns the reader: kept until the test ends


@pytest.fixture(autouse=True)
def _let_go():
    yield
    _KEPT.clear()


def _pane(session, qtbot, path: Path) -> ChatPane:
    result = import_chat(session.vault, path, me=NOT_A_PARTICIPANT)
    details = detail_pane(session, qtbot)
    _KEPT.append(details)
    reader = open_reader(details, qtbot, result.original_ids[0])
    assert isinstance(reader.pane, ChatPane), reader.message.text()
    return reader.pane


def _facts_label(pane: ChatPane) -> str:
    return pane.layout().itemAt(0).widget().text()


def test_hijri_calendar_and_the_written_date_are_shown(session, qtbot, tmp_path):
    """Attack on the reading: the reader showed 2022-01-25 with no word that the phone
    wrote 22/6/1443 in the Islamic calendar, so its screen could not be matched."""
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "_chat.txt").write_text(ARABIC_HIJRI, "utf-8")
    pane = _pane(session, qtbot, folder)
    facts = dict(pane.transcript.facts)
    assert facts["Platform"] == "WhatsApp"
    assert facts["Calendar"].startswith("Islamic (Hijri) calendar")
    assert "Umm al-Qura" in facts["Calendar"]
    assert "Calendar: Islamic (Hijri) calendar" in _facts_label(pane)
    hello = pane.model.rows[0]
    assert hello.when.startswith("2022-01-25 21:05:12 (as shown on the device; written in "
                                 "the export as \u2068")
    stamp = hello.when.split("\u2068", 1)[1].rstrip(")").removesuffix("\u2069")
    assert stamp.replace(RLM, "") == "٢٢/٦/١٤٤٣ هـ، ٩:٠٥:١٢ م"
    document = pane.delegate._document(hello, 400, pane.view.font())
    assert "١٤٤٣" in document.toPlainText()
    # The Arabic name is isolated: it used to pull the time after it into right-to-left
    # order, so the bubble read "21:05:12 25-01-2022".
    assert " · \u2068سامي\u2069 · 2022-01-25 21:05:12 " in header_text(hello)


def test_hidden_direction_characters_in_a_time_are_made_visible(session, qtbot, tmp_path):
    """Attack: a right-to-left override inside a Discord time the exporter kept as given
    reordered the bubble's header (times, senders) on screen."""
    doc = {"guild": {"id": "1", "name": "Direct Messages"},
           "channel": {"id": "2", "name": "lisa"},
           "messages": [{"id": "1", "type": "Default",
                         "timestamp": "2023-01-01T10:00:00\u202e00:01+",
                         "author": {"id": "9", "name": "Lisa"}, "content": "hi"}]}
    path = tmp_path / "dm.json"
    path.write_text(json.dumps(doc), "utf-8")
    row = _pane(session, qtbot, path).model.rows[0]
    assert "\u202e" not in row.when
    assert "[U+202E]" in row.when
    assert "\u202e" not in header_text(row)


def test_old_telegram_senders_and_clock_are_said(session, qtbot, tmp_path):
    """Attack on the reading: a message without `from` showed no sender at all, a name
    taken from the chat's title looked like one the message gives, and the exporting
    computer's clock was called the device's."""
    doc = {"name": "Crypto Mentor", "type": "personal_chat", "id": 5550001, "messages": [
        {"id": 1, "type": "message", "date": "2020-06-20T18:01:00", "from_id": 5550001,
         "text": "before any name"},
        {"id": 2, "type": "message", "date": "2020-06-20T18:02:00", "from_id": 4440001,
         "text": "pay now"},
        {"id": 3, "type": "message", "date": "2020-06-20T18:03:00", "from": "Crypto Mentor",
         "text": "odd", "reply_to_message_id": {"a": 1}}]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(doc), "utf-8")
    pane = _pane(session, qtbot, path)
    assert dict(pane.transcript.facts)["Platform"] == "Telegram"
    titled, stranger, odd = pane.model.rows[:3]
    assert titled.sender == "Crypto Mentor (name from the chat's title)"
    assert stranger.role == THEM
    assert stranger.sender == UNNAMED
    assert f" · \u2068{UNNAMED}\u2069 · " in header_text(stranger)
    assert odd.sender == "Crypto Mentor"
    assert "(as shown on the clock of the computer that made the export)" in odd.when
    assert any("could not be read (reply_to_message_id)" in line for line in odd.extra)


def test_a_thread_that_does_not_say_its_app_is_named_in_words(session, qtbot, tmp_path):
    path = tmp_path / "message_1.json"
    path.write_text(json.dumps({"participants": [{"name": "Anna"}, {"name": "Lisa"}],
                                "messages": [{"sender_name": "Lisa", "timestamp_ms":
                                              1700000000000, "content": "hi"}]}), "utf-8")
    pane = _pane(session, qtbot, path)
    assert dict(pane.transcript.facts)["Platform"] == "Instagram or Facebook Messenger"
    assert visible("instagram_or_messenger") not in _facts_label(pane)
