"""Property tests: whatever bytes arrive, parsers end in a result or a ChatParseError."""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from evidence_app.chats import open_export
from evidence_app.chats.discord import parse_discord
from evidence_app.chats.meta import parse_meta
from evidence_app.chats.telegram import parse_telegram
from evidence_app.chats.whatsapp import parse_whatsapp
from evidence_app.core.errors import ChatParseError, UnsafeArchive

_SETTINGS = settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])

header = st.sampled_from(["31/12/23, 23:59 - ", "[12/31/23, 11:59:59\u202fPM] ", "",
                          "\u200e[31.12.23, 09:15:01] ", "45/45/45, 99:99 - ",
                          "1/2/24, 12:00 p. m. - "])
line = st.tuples(header, st.text(max_size=40)).map("".join)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["messages", "type", "date", "text", "from", "participants",
                         "sender_name", "timestamp_ms", "guild", "channel", "timestamp",
                         "author", "photos", "reactions", "chats", "list", "content"]),
        inner, max_size=6),
    max_leaves=25)


@_SETTINGS
@given(st.lists(line, max_size=20))
def test_whatsapp_text_never_crashes(lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        conv = parse_whatsapp(io.BytesIO(data))
    except ChatParseError:
        return
    assert all(m.unparsed or m.time for m in conv.messages)


@_SETTINGS
@given(st.binary(max_size=2000))
def test_whatsapp_bytes_never_crash(data):
    try:
        parse_whatsapp(io.BytesIO(data))
    except ChatParseError:
        pass


@_SETTINGS
@given(json_values)
def test_json_parsers_never_crash(value):
    for parser in (parse_telegram, parse_meta, parse_discord):
        try:
            parser(value)
        except ChatParseError:
            pass


@_SETTINGS
@given(st.binary(max_size=3000) | json_values.map(lambda v: json.dumps(v).encode()))
def test_open_export_never_crashes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("p") / "export.json"
    path.write_bytes(data)
    try:
        with open_export(path):
            pass
    except (ChatParseError, UnsafeArchive):
        pass


def test_meta_export_with_participants_not_a_list(tmp_path) -> None:
    """Found by hypothesis: a non-list "participants" crashed the Instagram/Messenger reader."""
    path = tmp_path / "message_1.json"
    path.write_bytes(b'{"participants":true,"messages":[]}')
    try:
        with open_export(path) as parsed:
            assert parsed.conversations[0].participants == []
    except ChatParseError:
        pass  # refusing it clearly is fine too; a raw TypeError is not
