"""What the HTML and text transcripts say about who wrote, which clock, which app, and the
parts of a message the parser could not read (issue 18, officer's view).

Each test reads an export the way the importer does, and checks the words a police officer
reads in the transcript: never a blank or "?" for a sender the export does not name, never
an invented name, never a raw machine key such as "instagram_or_messenger", never a phone's
clock for a time a computer wrote.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from evidence_app.bundle import report_chat_words
from evidence_app.chats import open_export, words
from evidence_app.chats.model import Conversation, Message
from evidence_app.chats.render import render_transcript_html, render_transcript_text
from evidence_app.chats.whatsapp import parse_whatsapp

UNNAMED = "(sender not named in the export)"


def _telegram(tmp_path: Path, messages: list[dict], **head: object) -> Conversation:
    doc = {"name": "Crypto Mentor", "type": "personal_chat", "id": 5550001, **head,
           "messages": messages}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    with open_export(path) as parsed:
        (conv,) = parsed.conversations
    conv.messages = list(conv.messages)  # read back once, rendered twice
    return conv


def _msg(number: int, **fields: object) -> dict[str, object]:
    return {"id": number, "type": "message", "date": f"2020-06-20T18:0{number}:00", **fields}


def _meta(tmp_path: Path, raw: str) -> Conversation:
    path = tmp_path / "message_1.json"
    path.write_text(raw, "utf-8")
    with open_export(path) as parsed:
        (conv,) = parsed.conversations
    return conv


def test_platform_is_named_as_its_makers_write_it(tmp_path):
    """Attack on the officer's reading: a thread that does not say whether it came from
    Instagram or Messenger was headed "Platform: instagram_or_messenger"."""
    conv = _meta(tmp_path, '{"participants": [{"name": "Anna"}, {"name": "Lisa"}], '
                           '"messages": [{"sender_name": "Lisa", "timestamp_ms": '
                           '1700000000000, "content": "hi"}]}')
    assert conv.platform == "instagram_or_messenger"
    text = render_transcript_text(conv)
    html = render_transcript_html(conv)
    assert "Platform: Instagram or Facebook Messenger" in text
    assert "<dd>Instagram or Facebook Messenger</dd>" in html
    assert "instagram_or_messenger" not in text + html
    whatsapp = Conversation(platform="whatsapp", format="whatsapp_txt")
    assert "Platform: WhatsApp" in render_transcript_text(whatsapp)
    # One table of names for the transcripts and the report.
    assert report_chat_words.chat_platform is words.chat_platform


def test_a_sender_the_export_does_not_name_is_said_so(tmp_path):
    """Attack: old Telegram messages without `from`, and Instagram/Messenger messages
    without `sender_name`, showed a blank sender in the HTML and "?" in the text."""
    conv = _telegram(tmp_path, [_msg(1, **{"from_id": 4440001, "text": "pay now"}),
                                _msg(2, text="no sender at all")])
    assert all(m.extra.get("sender_unknown") for m in conv.messages)
    text = render_transcript_text(conv)
    html = render_transcript_html(conv)
    assert text.count(UNNAMED + ": ") == 2
    assert "?: " not in text
    assert html.count(f'<div class="who">{UNNAMED}</div>') == 2
    meta = _meta(tmp_path, '{"participants": [{"name": "Lisa"}], '
                           '"messages": [{"sender_name": "Lisa", "timestamp_ms": '
                           '1700000002000, "content": "hello"},'
                           '{"timestamp_ms": 1700000000000, "content": "x"},'
                           '{"sender_name": "", "timestamp_ms": 1700000001000, '
                           '"content": "y"}]}')
    assert UNNAMED + ": x" in render_transcript_text(meta)
    assert UNNAMED + ": y" in render_transcript_text(meta)


def test_a_name_taken_from_elsewhere_is_marked(tmp_path):
    """Attack: a name the message itself does not give (taken from the chat's title or
    from another message of the same account) looked exactly like a name it gives."""
    conv = _telegram(tmp_path, [
        _msg(1, **{"from_id": 5550001, "text": "before any name"}),
        _msg(2, **{"from": "Robin Victim", "from_id": "user7770001", "text": "named"}),
        _msg(3, **{"from_id": 7770001, "text": "same id, no name"})])
    text = render_transcript_text(conv)
    html = render_transcript_html(conv)
    assert "Crypto Mentor (name from the chat's title): before any name" in text
    assert "Robin Victim: named" in text
    assert ("Robin Victim (name from another message of the same account): "
            "same id, no name") in text
    assert "Crypto Mentor (name from the chat&#x27;s title)" in html


def test_parts_that_could_not_be_read_are_said_not_silently_dropped(tmp_path):
    """Attack: an object where the text belongs. The transcript showed an empty bubble;
    only the JSON transcript kept the value."""
    conv = _meta(tmp_path, '{"messages": [{"sender_name": "Lisa", "timestamp_ms": '
                           '1700000000000, "content": {"html": "<b>pay</b>"}}]}')
    (msg,) = conv.messages
    assert msg.text == ""
    assert msg.extra["as_found"] == {"content": {"html": "<b>pay</b>"}}
    text = render_transcript_text(conv)
    html = render_transcript_html(conv)
    for page in (text, html):
        assert "could not be read (content)" in page
        assert "JSON transcript" in page


def test_old_telegram_times_are_the_exporting_computers_clock(tmp_path):
    """Attack on the officer's reading: Telegram Desktop writes, without date_unixtime,
    the clock of the computer that made the export; it was called the device's."""
    conv = _telegram(tmp_path, [_msg(1, **{"from": "Crypto Mentor", "text": "hi"})])
    text = render_transcript_text(conv)
    assert "[2020-06-20 18:01:00 (as shown on the clock of the computer that made the " \
           "export)] Crypto Mentor: hi" in text
    assert "(as shown on the device)" not in text
    whatsapp = parse_whatsapp(io.BytesIO(b"25/01/2022, 21:05 - Sam: hi\n"),
                              source_name="_chat.txt")
    assert "(as shown on the device)" in render_transcript_text(whatsapp)


def test_a_hostile_sender_of_a_system_line_changes_nothing():
    """Control: system lines and lines not understood never get a sender line."""
    conv = Conversation(platform="telegram", format="telegram_json", messages=[
        Message(0, "2020-06-20T18:00:00", "UTC", None, "joined", system=True),
        Message(1, None, text="garbage", unparsed=True)])
    text = render_transcript_text(conv)
    assert UNNAMED not in text
    assert UNNAMED not in render_transcript_html(conv)
