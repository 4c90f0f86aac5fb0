"""Telegram, Instagram, Messenger and Discord JSON exports, and broken JSON."""

from __future__ import annotations

import json

import pytest

from evidence_app.chats import open_export
from evidence_app.chats.meta import fix_mojibake
from evidence_app.core.errors import ChatParseError, TelegramHtmlExport, UnknownChatFormat
from evidence_app.messages import describe
from tests.chats.conftest import ASSETS

WALLETS = json.loads((ASSETS / "wallets.json").read_text())


def test_telegram_single_chat():
    with open_export(ASSETS / "telegram/single/result.json") as parsed:
        (conv,) = parsed.conversations
    assert parsed.format == "telegram_json"
    assert conv.title == "Crypto Mentor"
    assert conv.me == "Robin Victim"
    call, hello, entities, reply, photo, forwarded, unknown = conv.messages
    assert call.system
    assert "phone call" in call.text
    assert hello.time == "2024-01-05T10:01:00+00:00"
    assert hello.timezone == "UTC"
    assert hello.extra["time_shown"] == "2024-01-05T10:01:00"
    assert entities.text == f"Send to {WALLETS['btc']} or visit our site"
    assert entities.extra["links"] == ["https://mentor-invest.example.net/pay"]
    assert reply.reply_to == "3"
    assert reply.edited
    assert reply.edited_time == "2024-01-05T10:04:00+00:00"
    assert photo.attachments[0].path == "photos/photo_1@05-01-2024_10-05-00.jpg"
    assert photo.reactions == [{"actor": "Robin Victim", "reaction": "\U0001F44D"}]
    assert forwarded.forwarded_from == "Profit Channel"
    assert forwarded.attachments[0].omitted
    assert forwarded.attachments[0].kind == "video"
    assert unknown.unparsed
    assert "mystery_future_type" in unknown.text
    assert conv.participant_ids["Crypto Mentor"] == "user5550001"


def test_telegram_full_export_knows_me():
    with open_export(ASSETS / "telegram/full_result.json") as parsed:
        convs = parsed.conversations
    assert [c.title for c in convs] == ["Crypto Mentor", "VIP Signals"]
    assert all(c.me == "Robin Victim" and c.me_basis == "export" for c in convs)
    assert convs[1].messages[0].system
    assert "Robin Victim" in convs[1].messages[0].text


def test_telegram_old_export_keeps_device_time():
    with open_export(ASSETS / "telegram/old_result.json") as parsed:
        msg = parsed.conversations[0].messages[0]
    assert msg.time == "2019-03-04T05:06:07"
    assert msg.timezone == "device"


def test_telegram_html_export_says_how_to_get_json():
    with pytest.raises(TelegramHtmlExport) as caught:
        open_export(ASSETS / "telegram/html/messages.html")
    assert "Machine-readable JSON" in describe(caught.value)
    with pytest.raises(TelegramHtmlExport):
        open_export(ASSETS / "telegram/html")


def test_instagram_mojibake_parts_and_media():
    folder = ASSETS / "instagram/your_instagram_activity/messages/inbox/luxurylifecoach_1234567890"
    raw = (folder / "message_1.json").read_text()
    assert "Zo\\u00c3\\u00ab" in raw  # the fixture really is mojibake
    with open_export(folder / "message_1.json") as parsed:
        (conv,) = parsed.conversations
    assert conv.platform == "instagram"
    assert conv.participants == ["Luxury Life Coach", "Zoë Beispiel"]
    assert conv.me == "Zoë Beispiel"
    assert len(conv.messages) == 6  # message_1 and message_2 merged
    times = [m.time for m in conv.messages]
    assert times == sorted(times)
    unsent, heart, share, photo, reply, threat = conv.messages
    assert unsent.deleted
    assert unsent.extra["unsent"]
    assert heart.text == "Hi beautiful \u2764\ufe0f"
    assert share.attachments[0].url == "https://www.instagram.com/luxury.coach.real/"
    assert photo.attachments[0].path == "photos/1111.jpg"
    assert reply.text == "Bitte nicht, ich zahle später"
    assert threat.text.endswith("\U0001F4B0 or I share the photos")
    assert threat.reactions == [{"actor": "Zoë Beispiel", "reaction": "\U0001F622"}]


def test_mojibake_fix_leaves_correct_text_alone():
    assert fix_mojibake("Zoë 💰") == "Zoë 💰"
    assert fix_mojibake("Zo\u00c3\u00ab") == "Zoë"
    assert fix_mojibake({"a": ["\u00f0\u009f\u0092\u00b0"]}) == {"a": ["💰"]}


def test_messenger_export():
    with open_export(ASSETS / "messenger/message_1.json") as parsed:
        (conv,) = parsed.conversations
    assert conv.platform == "messenger"
    assert conv.me == "Mia Test"
    left, call, reply, threat = conv.messages
    assert left.system
    assert call.extra["call_duration"] == 0
    assert reply.text == "Wer sind Sie? Ich höre nichts."
    assert "\U0001F6A8" in threat.text
    assert "€2.500" in threat.text


def test_messenger_choice_is_respected():
    with open_export(ASSETS / "messenger/message_1.json", "instagram") as parsed:
        assert parsed.conversations[0].platform == "instagram"
    with pytest.raises(ChatParseError):
        open_export(ASSETS / "messenger/message_1.json", "telegram")


def test_discord_export():
    with open_export(ASSETS / "discord/dm.json") as parsed:
        (conv,) = parsed.conversations
    assert conv.platform == "discord"
    assert conv.me is None
    hello, reply, call, garbage = conv.messages
    assert hello.time == "2024-01-10T20:00:00.123+01:00"
    assert hello.timezone == "+01:00"
    assert hello.sender_id == "1300000000000000001"
    assert hello.reactions == [{"actor": "kid_victim", "reaction": "\U0001F602"}]
    assert reply.reply_to == hello.id
    assert reply.edited
    assert reply.attachments[0].path == "gamer_friend_99-Files/screenshot-AB12.png"
    assert call.system
    assert garbage.unparsed


@pytest.mark.parametrize("name", ["telegram/single/result.json", "discord/dm.json",
                                  "messenger/message_1.json"])
def test_truncated_json_is_a_clear_parse_error(tmp_path, name):
    data = (ASSETS / name).read_bytes()
    cut = tmp_path / "result.json"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ChatParseError) as caught:
        open_export(cut)
    assert caught.value.reason == "truncated"
    assert "incomplete" in describe(caught.value)


def test_json_of_something_else_is_unknown(tmp_path):
    other = tmp_path / "data.json"
    other.write_text('{"settings": {"theme": "dark"}}')
    with pytest.raises(UnknownChatFormat) as caught:
        open_export(other)
    message = describe(caught.value)
    for word in ("WhatsApp", "Telegram", "Instagram", "Messenger", "Discord"):
        assert word in message


def test_messenger_end_to_end_encrypted_export(tmp_path):
    data = {"participants": ["Mia Test", "Nico Fake"], "threadName": "Nico Fake",
            "messages": [
                {"isUnsent": False, "media": [{"uri": "media/photo_1.jpg"}], "reactions": [],
                 "senderName": "Nico Fake", "text": "Zahl jetzt 💶", "timestamp": 1704621600000,
                 "type": "text"},
                {"isUnsent": True, "media": [], "reactions": [{"actor": "Mia Test",
                                                               "reaction": "😡"}],
                 "senderName": "Nico Fake", "text": "", "timestamp": 1704621500000,
                 "type": "text"}]}
    path = tmp_path / "Nico Fake_1.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with open_export(path, "messenger") as parsed:
        (conv,) = parsed.conversations
    assert conv.me == "Mia Test"
    unsent, pay = conv.messages
    assert unsent.deleted
    assert unsent.reactions == [{"actor": "Mia Test", "reaction": "😡"}]
    assert pay.text == "Zahl jetzt 💶"
    assert pay.attachments[0].name == "photo_1.jpg"
    assert pay.time == "2024-01-07T10:00:00+00:00"
