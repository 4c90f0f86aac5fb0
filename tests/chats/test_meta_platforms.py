"""Instagram and Facebook Messenger "Download your information" JSON: minimal threads,
telling the two apps apart, and hostile values.

Shapes, from exports described by others (facts only):
- Messenger 2023+: `your_facebook_activity/messages/inbox/<name>_<digits>/message_1.json`
  with participants, messages (`is_geoblocked_for_viewer`,
  `is_unsent_image_by_messenger_kid_parent`, no `type`), title, is_still_participant,
  thread_path "inbox/<name>_<digits>", magic_words: the Messenger example in a public
  chat-log importer's format notes (find_string "is_geoblocked_for_viewer": false).
  Older Messenger (2018-2022, `messages/inbox/...`): `thread_type` "Regular" /
  "RegularGroup", messages with `type` "Generic"/"Share"/"Call", `joinable_mode` and
  `image` in groups: a "Facebook Messenger JSON Schema" document and analysis scripts'
  samples (inbox/ZeranJi_XXnwiz4w7g with media under messages/inbox/...).
- Instagram: the same keys (magic_words, joinable_mode, is_still_participant and
  is_geoblocked_for_viewer too), media under `your_instagram_activity/messages/inbox/`
  since 2023 and `messages/inbox/` before, like old Messenger exports: so only the folder
  the export puts things in tells them apart, and without it they cannot be told apart.
- Both write UTF-8 bytes as Latin-1 escapes ("\\u00c3\\u00a4" for "ä").
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from evidence_app.bundle.report_chat_words import chat_platform
from evidence_app.chats import open_export
from tests.chats.conftest import ASSETS

MESSENGER_2024 = ("messenger_2024/your_facebook_activity/messages/inbox/"
                  "officerjansenfake_10206072096154041")
INSTAGRAM_MINIMAL = ("instagram_minimal/your_instagram_activity/messages/inbox/"
                     "cryptoqueen_17841400000000000")


def _zip(tmp_path: Path, folder: Path) -> Path:
    dest = tmp_path / "download.zip"
    with zipfile.ZipFile(dest, "w") as zf:
        for item in sorted(folder.rglob("*")):
            if item.is_file():
                zf.write(item, item.relative_to(folder).as_posix())
    return dest


def _one(path: Path, fmt: str | None = None):
    with open_export(path, fmt) as parsed:
        (conv,) = parsed.conversations
    return conv


@pytest.mark.parametrize("shape", ["file", "folder", "zip"])
def test_messenger_2024_is_not_labelled_instagram(tmp_path, shape):
    """Attack: a Messenger thread with magic_words and a shared instagram.com link was
    called Instagram."""
    root = ASSETS / "messenger_2024"
    path = {"file": ASSETS / MESSENGER_2024 / "message_1.json", "folder": root,
            "zip": _zip(tmp_path, root) if shape == "zip" else root}[shape]
    conv = _one(path)
    assert conv.platform == "messenger"
    assert conv.notes["platform_from"] == "folder"
    scam, reply, photo, _share = conv.messages
    assert scam.text == ("Zahlen Sie €2.500 an IBAN GB82 WEST 1234 5698 7654 32 oder Sie "
                         "werden verhaftet")
    assert reply.text.endswith("Betrug \U0001F621")
    assert reply.reactions == [{"actor": "Officer Jansen Fake", "reaction": "\U0001F620"}]
    assert photo.attachments[0].name == "2222.jpg"


def test_minimal_instagram_thread_is_recognised():
    """Attack: only sender_name, timestamp_ms and content, no participants: was 'not a
    chat export'."""
    conv = _one(ASSETS / INSTAGRAM_MINIMAL / "message_1.json")
    assert conv.platform == "instagram"
    assert conv.participants == ["Lin Example", "cryptoqueen"]
    ask, pay = conv.messages
    assert ask.time == "2024-05-01T09:33:20+00:00"
    assert ask.timezone == "UTC"
    assert pay.text.endswith("\U0001F4B8")


def test_minimal_instagram_thread_in_its_zip(tmp_path):
    with open_export(_zip(tmp_path, ASSETS / "instagram_minimal")) as parsed:
        assert parsed.platform == "instagram"
        assert parsed.format == "instagram_zip"


def test_a_thread_that_does_not_say_which_app_is_not_given_one(tmp_path):
    """A lone message_1.json (both apps write the same keys): "Instagram or Messenger"."""
    conv = _one(ASSETS / "meta_minimal/message_1.json")
    assert conv.platform == "instagram_or_messenger"
    assert conv.format == "instagram_or_messenger_json"
    assert conv.notes["platform_from"] == ""
    assert chat_platform(conv.platform) == "Instagram or Facebook Messenger"
    first, second = conv.messages
    assert second.text == "Your profit is ready, pay the fee first"
    assert first.text == "Can I withdraw now? — I need the money back"
    assert _one(ASSETS / "meta_minimal/message_1.json", "messenger").platform == "messenger"


def test_old_layout_without_thread_type_is_not_guessed(tmp_path):
    """messages/inbox/... was both apps' layout before 2023."""
    folder = tmp_path / "export/messages/inbox/cryptoqueen_abc123"
    folder.mkdir(parents=True)
    doc = {"participants": [{"name": "cryptoqueen"}, {"name": "Lin Example"}],
           "messages": [{"sender_name": "cryptoqueen", "timestamp_ms": 1600000000000,
                         "content": "hi", "photos": [
                             {"uri": "messages/inbox/cryptoqueen_abc123/photos/1.jpg"}]}],
           "title": "cryptoqueen", "is_still_participant": True,
           "thread_path": "inbox/cryptoqueen_abc123", "magic_words": [],
           "joinable_mode": {"mode": 1, "link": ""}}
    (folder / "message_1.json").write_text(json.dumps(doc), "utf-8")
    assert _one(tmp_path / "export").platform == "instagram_or_messenger"
    doc["thread_type"] = "Regular"  # written by Messenger's export of those years
    (folder / "message_1.json").write_text(json.dumps(doc), "utf-8")
    assert _one(tmp_path / "export").platform == "messenger"


def test_signs_that_disagree_give_no_app(tmp_path):
    """Attack: an Instagram folder whose media paths say Facebook (an export re-packed, or
    made to mislead): neither name is given."""
    folder = tmp_path / "your_instagram_activity/messages/inbox/x_1"
    folder.mkdir(parents=True)
    src = ASSETS / MESSENGER_2024 / "message_1.json"
    shutil.copy(src, folder / "message_1.json")
    assert _one(folder / "message_1.json").platform == "instagram_or_messenger"


def test_hostile_values_are_kept_and_do_not_crash(tmp_path):
    """Attack: times out of every range, objects where names belong, and lists nested 900
    deep (as deep as the JSON reader allows), which crashed the mojibake repair with
    RecursionError."""
    deep = "[" * 900 + "]" * 900
    raw = ('{"messages": ['
           '{"sender_name": "a", "timestamp_ms": ' + "9" * 40 + ', "content": "huge"},'
           '{"sender_name": "a", "timestamp_ms": -5000, "content": "negative"},'
           '{"sender_name": "a", "timestamp_ms": "soon", "content": "text time"},'
           '{"sender_name": "a", "timestamp_ms": 1.5e400, "content": "infinite"},'
           '{"sender_name": {"n": 1}, "timestamp_ms": 1700000000000, "content": ["x"]},'
           '{"sender_name": "a", "timestamp_ms": 1700000001000, "content": "deep", "x": '
           + deep + '}]}')
    path = tmp_path / "message_1.json"
    path.write_text(raw, "utf-8")
    conv = _one(path)
    by_text = {m.text: m for m in conv.messages}
    assert len(conv.messages) == 6
    for text in ("huge", "negative", "text time", "infinite"):
        assert by_text[text].time is None, text
        assert "timestamp_ms" in by_text[text].extra["as_found"], text
    odd = next(m for m in conv.messages if m.time == "2023-11-14T22:13:20+00:00")
    assert odd.sender is None
    assert odd.extra["as_found"]["sender_name"] == {"n": 1}
    assert odd.extra["as_found"]["content"] == ["x"]
    assert by_text["deep"].time == "2023-11-14T22:13:21+00:00"
