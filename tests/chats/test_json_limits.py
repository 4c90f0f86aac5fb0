"""Chat JSON is read within limits: big exports stream, hostile ones are refused cheaply.

Memory is measured here only as a bound on what Python allocates (tracemalloc) for small
generated files; the real figures for a 500 MB export come from benchmarks/chat_memory.py.
"""

from __future__ import annotations

import json
import shutil
import tracemalloc
from pathlib import Path

import pytest

from evidence_app.chats import import_chat, jsonstream, load_transcript, meta, open_export
from evidence_app.chats.model import Attachment, Conversation, Message, MessageLog
from evidence_app.core.errors import ChatExportTooBig, ChatParseError, UnknownChatFormat
from evidence_app.messages import describe
from tests.chats.conftest import ASSETS
from tests.helpers import run_cli

HEAD = b'{"name": "Crypto Mentor", "type": "personal_chat", "id": 5550001, "messages": ['


def _telegram(path: Path, count: int) -> Path:
    """A single-chat Telegram export of `count` ordinary messages, written as it goes."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEAD.decode())
        for i in range(count):
            who = ("Crypto Mentor", "user5550001") if i % 3 else ("Robin Victim", "user7770001")
            fh.write(("," if i else "") + json.dumps({
                "id": i + 1, "type": "message", "date": "2024-01-05T10:00:00",
                "date_unixtime": str(1704448800 + i), "from": who[0], "from_id": who[1],
                "text": ["send ", {"type": "link", "text": f"https://pay.example/{i}"}],
                "text_entities": [{"type": "plain", "text": f"message number {i} " * 3}]},
                indent=1))
        fh.write("]}")
    return path


def _peak(run) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = run()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_big_export_is_imported_without_holding_it(vault, tmp_path):
    export = _telegram(tmp_path / "result.json", 20_000)
    size = export.stat().st_size
    assert size > 7_000_000
    result, peak = _peak(lambda: import_chat(vault, export, me="Robin Victim"))
    assert peak < 32 << 20, peak  # json.load alone takes several times the file's size
    assert result.summary()["messages"] == 20_000
    conv = load_transcript(vault, result.transcript_ids[0])
    assert len(conv.messages) == 20_000
    assert conv.messages[19_999].text == "send https://pay.example/19999"
    assert conv.participants == ["Robin Victim", "Crypto Mentor"]


def test_empty_objects_are_refused_before_they_fill_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonstream, "MAX_MESSAGES", 100_000)
    bad = tmp_path / "result.json"
    bad.write_bytes(HEAD + b"{}," * 700_000 + b"{}]}")
    (_none, peak) = _peak(lambda: pytest.raises(ChatExportTooBig, open_export, bad))
    assert peak < 16 << 20, peak
    with pytest.raises(ChatExportTooBig) as caught:
        open_export(bad)
    assert caught.value.limit == "messages"
    assert "100,000 messages" in describe(caught.value)


def test_a_list_of_empty_objects_is_not_read_at_all(tmp_path):
    bad = tmp_path / "export.json"
    bad.write_bytes(b"[" + b"{}," * 2_000_000 + b"{}]")
    (_none, peak) = _peak(lambda: pytest.raises(UnknownChatFormat, open_export, bad))
    assert peak < 8 << 20, peak


@pytest.mark.parametrize("inside", [b"[" * 200_000, b'{"a":' * 200_000])
def test_deep_nesting_is_refused(tmp_path, inside):
    bad = tmp_path / "result.json"
    bad.write_bytes(HEAD + inside)
    (_none, peak) = _peak(lambda: pytest.raises(ChatExportTooBig, open_export, bad))
    assert peak < 32 << 20, peak
    with pytest.raises(ChatExportTooBig) as caught:
        open_export(bad)
    assert caught.value.limit in ("nesting", "value")
    assert "ordinary evidence" in describe(caught.value)


def test_one_huge_value_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonstream, "MAX_VALUE_CHARS", 1 << 20)
    bad = tmp_path / "result.json"
    bad.write_bytes(HEAD + b'{"id": 1, "type": "message", "date": "2024-01-05T10:00:00", '
                    b'"text": "' + b"A" * (3 << 20) + b'"}]}')
    with pytest.raises(ChatExportTooBig) as caught:
        open_export(bad)
    assert caught.value.limit == "value"


def test_other_lists_are_bounded_too(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonstream, "MAX_OTHER_ITEMS", 50_000)
    bad = tmp_path / "result.json"
    bad.write_bytes(b'{"contacts": {"list": [' + b"{}," * 60_000 + b'{}]}, '
                    + HEAD[1:] + b"]}")
    with pytest.raises(ChatExportTooBig) as caught:
        open_export(bad)
    assert caught.value.limit == "items"


def test_meta_threads_have_a_message_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(meta, "MAX_META_MESSAGES", 3)
    with pytest.raises(ChatExportTooBig) as caught:
        open_export(ASSETS / "messenger/message_1.json")
    assert caught.value.limit == "messages"


def _same_as_original(tmp_path: Path, name: str, change) -> None:
    """The export rewritten by `change`, beside its media, reads as the original does."""
    copy = tmp_path / "assets"
    shutil.copytree(ASSETS, copy, dirs_exist_ok=True)
    changed = (copy / name).with_name("changed.json")
    changed.write_bytes(change((ASSETS / name).read_bytes()))
    with open_export(ASSETS / name) as first, open_export(changed) as second:
        assert _plain(first.conversations) == _plain(second.conversations)


def _plain(conversations: list[Conversation]) -> list[dict]:
    """As stored, but for the file name, and with lines kept as found in one key order."""
    out = []
    for conv in conversations:
        data = conv.to_dict() | {"source_name": ""}
        for msg in data["messages"]:
            if msg.get("unparsed"):
                msg["text"] = json.dumps(json.loads(msg["text"]), sort_keys=True)
        out.append(data)
    return out


@pytest.mark.parametrize("name", ["telegram/single/result.json", "telegram/full_result.json",
                                  "discord/dm.json"])
def test_key_order_does_not_matter(tmp_path, name):
    def sort_keys(raw: bytes) -> bytes:
        return json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False).encode()

    _same_as_original(tmp_path, name, sort_keys)


def test_whitespace_bom_and_chunk_edges(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonstream, "CHUNK", 7)  # every value crosses a chunk boundary
    _same_as_original(tmp_path, "telegram/single/result.json",
                      lambda raw: b"\xef\xbb\xbf \n" + raw.replace(b",\n", b" ,\t\n"))


@pytest.mark.parametrize("raw", [b'{"messages": [1, 2', b'{"name": "x", "messages": [{"a": 1} {',
                                 b"\xff\xfe{}", b'{"a": 1} {"b": 2}',
                                 HEAD + b"1" * 5000 + b"]}"])
def test_broken_json_is_a_parse_error(tmp_path, raw):
    bad = tmp_path / "result.json"
    bad.write_bytes(raw)
    with pytest.raises(ChatParseError):
        open_export(bad)


def test_message_log_keeps_messages_and_shares_attachments():
    log = MessageLog()
    photo = Attachment(name="p.jpg", kind="photo", path="photos/p.jpg")
    for i in range(3000):
        msg = Message(i, time=f"2024-01-01T00:00:{i % 60:02d}", sender=f"s{i % 7}",
                      text=f"text {i} \ud83d", system=i % 10 == 0)
        if i == 2500:
            msg.attachments = [photo]
            msg.extra["links"] = ["https://x.example"]
        log.append(msg)
    assert len(log) == 3000
    assert log[2500].attachments[0] is photo
    assert log[-1].index == 2999
    assert log[1234].text == "text 1234 \ud83d"
    assert log.counts() == {"messages": 3000, "system_messages": 300, "attachments": 1,
                            "unparsed_lines": 0}
    photo.item_id = "9"
    conv = Conversation(platform="telegram", format="telegram_json", messages=log)
    as_list = Conversation(platform="telegram", format="telegram_json", messages=list(log))
    assert as_list == conv
    assert json.loads("".join(conv.iter_json())) == conv.to_dict()
    assert json.loads("".join(as_list.iter_json())) == as_list.to_dict()
    assert conv.to_dict()["messages"][2500]["attachments"] == [
        {"name": "p.jpg", "kind": "photo", "path": "photos/p.jpg", "item_id": "9"}]
    assert Conversation.from_dict(conv.to_dict()) == conv


def test_cli_refuses_a_hostile_file_in_one_sentence(tmp_path):
    bad = tmp_path / "result.json"
    bad.write_bytes(HEAD + b"[" * 100_000)
    vault = tmp_path / "vault"
    assert run_cli("--vault", str(vault), "init", "--no-timestamps").returncode == 0
    done = run_cli("--vault", str(vault), "import-chat", str(bad), "--me", "-")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, done.stderr
    assert "ordinary evidence" in lines[0]
