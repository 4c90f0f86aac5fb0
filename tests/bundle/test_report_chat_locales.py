"""The report's chat transcripts for exports from other calendars, digits and apps (issue 18):
what the officer must see to read a date, a clock and a sender right.

The exports are the shapes tests/chats/test_whatsapp_locales.py and test_telegram_old.py
cite their sources for; here they go through the report's words, its HTML and its PDF.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from evidence_app.bundle import report_chat_words as cw
from evidence_app.bundle.report_case import transcript_from
from evidence_app.bundle.report_html import render_html
from evidence_app.bundle.report_times import zone_time
from evidence_app.chats import open_export
from evidence_app.chats.model import Conversation
from evidence_app.chats.whatsapp import parse_whatsapp
from tests.bundle.test_report_samples import fill_case, report_data

RLM = "\u200f"
THAI = "[25/1/2565 21:05:12] สมชาย: สวัสดี\n[26/1/2565 08:00:00] Nok: โอนเงินแล้ว\n"
ARABIC_HIJRI = (f"[{RLM}٢٢{RLM}/٦{RLM}/١٤٤٣ هـ، ٩:٠٥:١٢ م] سامي: مرحبا\n"
                f"[{RLM}٢٣{RLM}/٦{RLM}/١٤٤٣ هـ، ٨:٠٠:٠٠ ص] Alex: hi\n")
UNDECIDED = "1401/11/05, 09:00 - Sam: a\n1443/06/22, 09:00 - Alex: b\n"
UNNAMED = "(sender not named in the export)"


def _whatsapp(text: str) -> Conversation:
    return parse_whatsapp(io.BytesIO(text.encode("utf-8")), source_name="_chat.txt")


def _stored(conv: Conversation):
    """The transcript as the report reads it: from the stored JSON, as sealing does."""
    return transcript_from(json.loads("".join(conv.iter_json())))


def _telegram(tmp_path: Path, messages: list[dict]) -> Conversation:
    doc = {"name": "Crypto Mentor", "type": "personal_chat", "id": 5550001,
           "messages": messages}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(doc), "utf-8")
    with open_export(path) as parsed:
        (conv,) = parsed.conversations
    conv.messages = list(conv.messages)
    return conv


def test_thai_buddhist_dates_are_said_and_shown_beside_each_message():
    """Attack on the reading: "25/1/2565" printed as 2022-01-25 with nothing saying the
    phone wrote another calendar, so the officer cannot match the phone's screen."""
    chat = _stored(_whatsapp(THAI))
    warnings = cw.chat_warnings(chat)
    assert any("Dates in this export use the Thai Buddhist calendar; they are shown "
               "converted to the Gregorian calendar, with the date as the export wrote it "
               "beside each message." in w for w in warnings), warnings
    time_cell = cw.chat_row(chat.messages[0])[0]
    assert time_cell.startswith("2022-01-25 21:05:12 (phone's clock)")
    assert time_cell.endswith("\nwritten in the export as:\n25/1/2565 21:05:12")


def test_hijri_dates_name_the_variant_and_keep_the_arabic_stamp():
    chat = _stored(_whatsapp(ARABIC_HIJRI))
    (warning,) = [w for w in cw.chat_warnings(chat) if "calendar" in w]
    assert "Islamic (Hijri) calendar" in warning
    assert "Umm al-Qura" in warning
    time_cell = cw.chat_row(chat.messages[0])[0]
    assert time_cell.startswith("2022-01-25 21:05:12 (phone's clock)")
    stamp = time_cell.split("\n")[-1]
    assert stamp.replace(RLM, "") == "٢٢/٦/١٤٤٣ هـ، ٩:٠٥:١٢ م"
    # The stamp is a line of its own, laid out in its own direction (the PDF does not
    # reorder a right-to-left run inside a left-to-right line); no isolates, which the
    # report shows as [U+2068].
    assert "\u2068" not in time_cell


def test_undecided_calendar_is_a_plain_warning_and_the_lines_say_why():
    """Attack on the reading: an export whose years may be Islamic or Persian. The lines
    are kept unparsed; the report showed them with a blank sender and no reason."""
    chat = _stored(_whatsapp(UNDECIDED))
    (warning,) = [w for w in cw.chat_warnings(chat) if "Persian" in w]
    assert "Islamic (Hijri)" in warning
    assert "2 lines" in warning
    assert "calendar setting" in warning
    assert "on the phone" in warning
    rows = [cw.chat_row(m) for m in chat.messages]
    assert [r[1] for r in rows] == ["(line not understood, kept exactly as found)"] * 2
    assert rows[0][2] == "1401/11/05, 09:00 - Sam: a"
    assert all(UNNAMED not in r[1] for r in rows)


def test_gregorian_latin_exports_add_no_calendar_words():
    chat = _stored(_whatsapp("25/01/2022, 21:05 - Sam: hi\n"))
    assert not any("calendar" in w for w in cw.chat_warnings(chat))
    assert "written in the export" not in cw.chat_row(chat.messages[0])[0]


def test_old_telegram_clock_is_the_exporting_computers(tmp_path):
    """Attack on the reading: Telegram Desktop's local dates were labelled the phone's
    clock; they are the clock of the computer that made the export."""
    conv = _telegram(tmp_path, [
        {"id": 1, "type": "message", "date": "2020-06-20T18:01:00", "text": "a",
         "from": "Crypto Mentor", "from_id": 5550001}])
    chat = _stored(conv)
    time_cell = cw.chat_row(chat.messages[0])[0]
    assert time_cell == "2020-06-20 18:01:00 (clock of the computer that made the export)"
    assert "phone" not in time_cell
    assert any("clock of the computer that made the export" in w
               for w in cw.chat_warnings(chat))
    assert zone_time("2022-01-25T21:05:12", "device") == "2022-01-25 21:05:12 (phone's clock)"


def test_senders_unnamed_or_named_elsewhere_and_unreadable_parts(tmp_path):
    conv = _telegram(tmp_path, [
        {"id": 1, "type": "message", "date": "2020-06-20T18:01:00", "from_id": 5550001,
         "text": "before any name"},
        {"id": 2, "type": "message", "date": "2020-06-20T18:02:00", "from_id": 4440001,
         "text": "stranger"},
        {"id": 3, "type": "message", "date": "2020-06-20T18:03:00", "from": "Crypto Mentor",
         "text": "odd", "reply_to_message_id": {"a": 1}}])
    title, stranger, odd = (cw.chat_row(m) for m in _stored(conv).messages)
    assert title[1] == "Crypto Mentor (name from the chat's title)"
    assert stranger[1] == UNNAMED
    assert odd[1] == "Crypto Mentor"
    assert "could not be read (reply_to_message_id)" in odd[2]


def test_the_html_report_shows_calendar_and_stamps(vault):
    fill_case(vault)
    data = report_data(vault, chats=[_whatsapp(THAI), _whatsapp(ARABIC_HIJRI),
                                     _whatsapp(UNDECIDED)])
    page = render_html(data)
    assert "Thai Buddhist calendar" in page
    assert "written in the export as:\n25/1/2565 21:05:12" in page
    assert "Umm al-Qura" in page
    assert "(line not understood, kept exactly as found)" in page


def test_the_timeline_says_the_computers_clock_is_not_utc(vault, tmp_path):
    """Attack on the reading: old Telegram times beside UTC items in one timeline, with no
    word that they come from another clock."""
    from evidence_app.bundle import report_words as w

    vault.add_bytes(b"receipt", "receipt.txt", source={"type": "import"})
    conv = _telegram(tmp_path, [
        {"id": 1, "type": "message", "date": "2020-06-20T18:01:00", "text": "a",
         "from": "Crypto Mentor", "from_id": 5550001}])
    data = report_data(vault, chats=[conv])
    assert "clock of the computer that made the export" in w.timeline_note(data)


def test_the_timeline_says_who_wrote_a_message_as_the_chat_does(vault, tmp_path):
    """Attack on the reading: in the timeline, a message whose sender the export does not
    name must not look like a line without a sender, nor a borrowed name like a given one."""
    from evidence_app.bundle import report_words as w

    conv = _telegram(tmp_path, [
        {"id": 1, "type": "message", "date": "2020-06-20T18:01:00", "from_id": 5550001,
         "text": "pay now"},
        {"id": 2, "type": "message", "date": "2020-06-20T18:02:00", "from_id": 4440001,
         "text": "who am I"}])
    data = report_data(vault, chats=[conv])
    rows = [w.timeline_row(e) for e in data.timeline if e.kind == "message"]
    bodies = [row[3] for row in rows]
    assert bodies == ["Crypto Mentor (name from the chat's title): pay now",
                      f"{UNNAMED}: who am I"]
