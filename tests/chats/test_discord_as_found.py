"""Discord (DiscordChatExporter JSON) values of the wrong type, and nesting as deep as the
JSON reader allows: kept as found and said, never misread, never a crash (issue 18, as for
Telegram and Instagram/Messenger in chats/asfound.py)."""

from __future__ import annotations

import json
from pathlib import Path

from evidence_app.chats import open_export
from evidence_app.chats.asfound import TOO_DEEP
from evidence_app.chats.render import render_transcript_html, render_transcript_text

DEEP = "[" * 900 + "]" * 900  # about as deep as the JSON reader reads


def _export(tmp_path: Path, *messages: str) -> Path:
    good = ('{"id": "1", "type": "Default", "timestamp": "2023-01-01T10:00:00+00:00", '
            '"author": {"id": "9", "name": "Lisa"}, "content": "hello"}')
    path = tmp_path / "dm.json"
    path.write_text('{"guild": {"id": "1", "name": "Direct Messages"}, "channel": {"id": '
                    '"2", "name": "lisa"}, "messages": [' + ",".join((good, *messages))
                    + "]}", "utf-8")
    return path


def _read(path: Path):
    with open_export(path) as parsed:
        (conv,) = parsed.conversations
        conv.messages = list(conv.messages)
    return conv


def _message(stamp: str, author: str, content: str, **more: str) -> str:
    extra = "".join(f', "{key}": {value}' for key, value in more.items())
    return (f'{{"id": "2", "type": "Default", "timestamp": "{stamp}", "author": {author}, '
            f'"content": {content}{extra}}}')


def test_objects_where_text_belongs_are_kept_not_misread(tmp_path):
    """Attack: an object as the content and a list as the author's name. They became
    Python's spelling of them ("{'html': '<b>pay</b>'}"), shown as if the offender had
    written that, and as a participant's name."""
    conv = _read(_export(tmp_path, _message(
        "2023-01-01T10:01:00+00:00", '{"id": "8", "name": ["Admin"], "nickname": {"x": 1}}',
        '{"html": "<b>pay</b>"}')))
    _good, odd = conv.messages
    assert odd.text == ""
    assert odd.sender is None
    assert odd.sender_id == "8"
    assert odd.extra["as_found"] == {"content": {"html": "<b>pay</b>"}, "name": ["Admin"],
                                     "nickname": {"x": 1}}
    assert "{'" not in json.dumps(odd.as_dict())
    assert "['Admin']" not in conv.participants
    text = render_transcript_text(conv)
    assert "could not be read (name, content, nickname)" in text
    assert "(sender not named in the export)" in text


def test_deep_nesting_in_a_message_is_kept_bounded(tmp_path):
    """Attack: content and author name nested 900 deep. Kept as a marker (the original
    export stays in the vault), the transcript written and rendered without RecursionError."""
    conv = _read(_export(tmp_path,
                         _message("2023-01-01T10:01:00+00:00", '{"id": "8", "name": "A"}', DEEP),
                         _message("2023-01-01T10:02:00+00:00",
                                  '{"id": "8", "name": ' + DEEP + "}", '"x"'),
                         DEEP))
    _good, content, name, whole = conv.messages
    assert content.extra["as_found"]["content"] == TOO_DEEP
    assert name.extra["as_found"]["name"] == TOO_DEEP
    assert whole.unparsed
    stored = json.loads("".join(conv.iter_json()))
    assert len(stored["messages"]) == 4
    assert "could not be read" in render_transcript_html(conv)
