"""Telegram Desktop JSON exports written by older versions, and hostile Telegram JSON.

The shapes follow the exporter's own source, telegramdesktop/tdesktop,
Telegram/SourceFiles/export/output/export_output_json.cpp, as it was at:
- 841abc2e87 (2018-10-06, Desktop 1.4): no ids on chats, no `from_id` / `actor_id`,
  `edited` on every message (the Unix epoch in the computer's zone when never edited),
  `from` only when the message has a sender (not on channel posts) and null for a deleted
  account, `{"id", "type": "unsupported"}` with no date, "saved_messages" without `name`;
- 87d4d46ce7 (2018-12-04): `from_id`, `actor_id`, chat `id`, personal_information.user_id,
  all plain numbers;
- 1686eb394d (2020-06-01, 2.1.x): the single-chat JSON export ({"name", "type", "id",
  "messages"}), d0994019ca (2020-06-04): `edited` only when edited;
- 4625e7613b (2021-04-09): ids as "user123" / "channel123"; 96bd9ae81c (2022-06-08):
  `date_unixtime`.
Dates are `QDateTime::fromTime_t(date).toString(Qt::ISODate)`: the exporting computer's
local clock, without an offset. Chats without a name break other parsers too
(marph91/jimmy PR #97 "Telegram saved notes", keizerzilla/telegram-chat-parser PR #4).
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from evidence_app.chats import open_export
from evidence_app.chats.model import DEVICE_TIME
from tests.chats.conftest import ASSETS

TG = ASSETS / "telegram"


def _write(tmp_path: Path, doc: object, name: str = "result.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def _chat(messages: list[object], **head: object) -> dict[str, object]:
    return {"name": "Crypto Mentor", "type": "personal_chat", "id": 5550001, **head,
            "messages": messages}


def _msg(number: int, **fields: object) -> dict[str, object]:
    return {"id": number, "type": "message", "date": f"2020-06-20T18:0{number % 10}:00",
            **fields}


# --- the old forms, as the exporter wrote them ----------------------------------------------


def test_2018_full_export_is_read_whole():
    with open_export(TG / "desktop_2018_full/result.json") as parsed:
        convs = parsed.conversations
    assert [c.notes["chat_type"] for c in convs] == [
        "personal_chat", "saved_messages", "private_supergroup", "public_channel"]
    mentor, saved, group, channel = convs
    call, pay, reply, unsupported, photo = mentor.messages
    assert call.system
    assert "phone call" in call.text
    assert call.sender == "Crypto Mentor"
    assert all(m.timezone == DEVICE_TIME for m in mentor.messages)
    assert pay.time == "2018-09-14T21:14:00"
    # "edited": "1970-01-01T03:00:00" is the exporter's "never edited", not an edit
    assert not pay.edited
    assert pay.edited_time is None
    assert not photo.edited
    assert reply.edited
    assert reply.edited_time == "2018-09-14T21:20:00"
    assert pay.text == ("Pay to 15Sn1jkc88JeMw6BEqvh4nyVDZdgBxuJ4t and tell "
                        "@mentor_support_example or my assistant, see the terms")
    assert pay.extra["links"] == ["https://mentor-invest.example.net/terms"]
    assert pay.extra["mentions"] == [{"text": "my assistant", "user_id": "5550002"}]
    assert unsupported.unparsed
    assert '"unsupported"' in unsupported.text
    assert mentor.me == "Robin Victim"
    # Saved Messages has no name in the export: it is called what Telegram calls it
    assert saved.title == "Saved Messages"
    assert saved.me == "Robin Victim"
    assert saved.messages[0].forwarded_from == "Crypto Mentor"
    # a deleted account is written "from": null: unknown, and said to be
    welcome = group.messages[1]
    assert welcome.sender is None
    assert welcome.extra["sender_unknown"] is True
    assert "Robin Victim" in group.messages[0].text
    # a channel posts as itself; its post's signature is kept
    (post,) = channel.messages
    assert post.sender == "Profit Channel"
    assert post.extra["sender_from"] == "chat"
    assert post.extra["author"] == "Admin Max"


def test_2020_single_chat_with_numeric_ids():
    with open_export(TG / "desktop_2020_single/result.json") as parsed:
        (conv,) = parsed.conversations
    call, pay, question = conv.messages
    assert call.system
    assert call.sender_id == "5550001"
    assert pay.text == "Last chance: deposit at https://mentor-invest.example.net/pay"
    assert pay.time == "2020-06-20T18:03:00"
    assert pay.timezone == DEVICE_TIME
    assert question.edited_time == "2020-06-20T18:05:00"
    assert conv.participant_ids == {"Crypto Mentor": "5550001", "Robin Victim": "7770001"}
    assert conv.me == "Robin Victim"


def test_saved_messages_exported_alone_has_no_name_and_is_read():
    """Attack: a single-chat export of Saved Messages (no `name`) was 'not a chat export'."""
    with open_export(TG / "saved_messages_single/result.json") as parsed:
        (conv,) = parsed.conversations
    assert conv.platform == "telegram"
    assert conv.title == "Saved Messages"
    assert conv.me == "Robin Victim"
    assert conv.me_basis == "export"


def test_a_chat_opening_with_unsupported_messages_is_recognised(tmp_path):
    """Attack: {"id", "type": "unsupported"} has no date; five of them first hid the chat."""
    doc = _chat([{"id": i, "type": "unsupported"} for i in range(1, 7)]
                + [_msg(7, **{"from": "Crypto Mentor", "from_id": 5550001, "text": "hi"})])
    with open_export(_write(tmp_path, doc)) as parsed:
        (conv,) = parsed.conversations
    assert [m.unparsed for m in conv.messages] == [True] * 6 + [False]
    assert conv.messages[6].sender == "Crypto Mentor"


def test_numeric_user_ids_say_who_me_is_in_a_group(tmp_path):
    """Exports of 2019-2021 write user_id and from_id as numbers; "me" was never found
    in groups because "user7770001" was compared with "7770001"."""
    group = {"name": "VIP Signals", "type": "private_supergroup", "id": 900,
             "messages": [_msg(1, **{"from": "Crypto Mentor", "from_id": 5550001, "text": "a"}),
                          _msg(2, **{"from": "Robin Victim", "from_id": 7770001, "text": "b"})]}
    doc = {"about": "", "personal_information": {"user_id": 7770001, "first_name": "Robin",
                                                 "last_name": "Victim"},
           "chats": {"about": "", "list": [group]}}
    with open_export(_write(tmp_path, doc)) as parsed:
        (conv,) = parsed.conversations
    assert conv.me == "Robin Victim"
    assert conv.me_basis == "export"


def test_senders_come_from_the_export_or_are_marked_unknown(tmp_path):
    """No `from`: the name the export gave the same `from_id` before, the other side of a
    personal chat (its id is the chat's), or unknown with the id kept. Never a guess."""
    doc = _chat([
        _msg(1, **{"from_id": 5550001, "text": "before any name"}),
        _msg(2, **{"from": "Robin Victim", "from_id": "user7770001", "text": "named"}),
        _msg(3, **{"from_id": 7770001, "text": "same id, no name"}),
        _msg(4, **{"from_id": 4440001, "text": "someone never named"}),
        _msg(5, text="no sender at all"),
    ])
    with open_export(_write(tmp_path, doc)) as parsed:
        (conv,) = parsed.conversations
    first, named, same, stranger, nobody = conv.messages
    assert (first.sender, first.extra["sender_from"]) == ("Crypto Mentor", "chat")
    assert named.sender == "Robin Victim"
    assert "sender_from" not in named.extra
    assert (same.sender, same.extra["sender_from"]) == ("Robin Victim", "from_id")
    assert stranger.sender is None
    assert stranger.sender_id == "4440001"
    assert stranger.extra["sender_unknown"] is True
    assert nobody.sender is None
    assert nobody.extra["sender_unknown"] is True
    assert "4440001" not in conv.participants


# --- hostile input --------------------------------------------------------------------------


def test_fields_of_the_wrong_type_are_kept_not_misread(tmp_path):
    """Attack: numbers, objects and lists where strings belong. A dict used to become its
    Python repr as the sender's name, a number the message's time, text was dropped."""
    doc = _chat([
        _msg(1, **{"from": {"name": "x"}, "from_id": 5550001, "text": 12345}),
        {"id": 2, "type": "message", "date": 1592676131, "from": "Crypto Mentor",
         "text": ["pay ", {"type": "bold", "text": ["nested", {"type": "x", "text": "?"}]},
                  7, None]},
        _msg(3, **{"from": "Crypto Mentor", "date_unixtime": "9" * 40, "text": "big"}),
        _msg(4, **{"from": "Crypto Mentor", "edited": ["x"], "reply_to_message_id": {"a": 1},
                   "text": "odd"}),
    ])
    with open_export(_write(tmp_path, doc)) as parsed:
        (conv,) = parsed.conversations
    dict_sender, number_date, big, odd = conv.messages
    assert dict_sender.sender != "{'name': 'x'}"
    assert dict_sender.extra["as_found"]["from"] == {"name": "x"}
    assert dict_sender.text == "12345"
    assert number_date.time is None
    assert number_date.extra["as_found"]["date"] == 1592676131
    assert number_date.text.startswith("pay ")
    assert "nested" in json.dumps(number_date.extra["as_found"]["text"])
    assert big.time == "2020-06-20T18:03:00"
    assert big.timezone == DEVICE_TIME
    assert odd.text == "odd"
    assert odd.reply_to is None
    assert odd.extra["as_found"]["reply_to_message_id"] == {"a": 1}


def test_deep_nesting_inside_a_message_is_kept_without_crashing(tmp_path):
    """Attack: lists nested 900 deep (the JSON reader allows that much) in the text and
    in a poll. Text was dropped; writing the poll to the transcript raised RecursionError."""
    deep = json.loads("[" * 900 + "]" * 900)
    doc = _chat([_msg(1, **{"from": "Crypto Mentor", "text": ["see ", deep]}),
                 _msg(2, **{"from": "Crypto Mentor", "text": "vote", "poll": deep})])
    with open_export(_write(tmp_path, doc)) as parsed:
        (conv,) = parsed.conversations
        text, vote = list(conv.messages)  # read back from the compressed log
    assert text.text == "see "
    assert "as_found" in text.extra
    assert vote.text == "vote"
    assert "poll" in vote.extra


def test_a_million_entities_are_read_within_bounds(tmp_path):
    """Attack: one message whose text is a list of a million entities (3 MB)."""
    parts = ',"",{}' * 500_000
    raw = ('{"name": "x", "type": "personal_chat", "id": 1, "messages": [{"id": 1, '
           '"type": "message", "date": "2020-01-01T00:00:00", "from": "a", "text": ['
           '"start"' + parts + ']}]}')
    path = tmp_path / "result.json"
    path.write_text(raw, "utf-8")
    tracemalloc.start()
    try:
        with open_export(path) as parsed:
            (msg,) = parsed.conversations[0].messages
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert msg.text == "start"
    assert peak < 256 << 20, peak


@pytest.mark.parametrize("stamp", ["-1", "-99999999999", "1" + "0" * 30, "abc", "1.5e400"])
def test_odd_unix_times_fall_back_to_the_shown_date(tmp_path, stamp):
    doc = _chat([_msg(1, **{"from": "a", "date_unixtime": stamp, "text": "t"})])
    with open_export(_write(tmp_path, doc)) as parsed:
        (msg,) = parsed.conversations[0].messages
    """Attack: a Unix time before 1970, past the year 9999, or not a number. The date
    the export shows is used instead (the computer's clock), the odd value kept."""
    assert msg.text == "t"
    assert (msg.time, msg.timezone) == ("2020-06-20T18:01:00", DEVICE_TIME)
    assert msg.extra["as_found"]["date_unixtime"] == stamp
