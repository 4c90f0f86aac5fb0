"""WhatsApp text exports: layouts, clocks, languages, markers, and hostile input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from evidence_app.chats import open_export
from evidence_app.chats.whatsapp import parse_whatsapp
from evidence_app.core.errors import ChatParseError, UnknownChatFormat
from tests.chats.conftest import ASSETS

# folder, first sender, second sender, deleted-marker text
LANGUAGES = [
    ("fr", "Lou Fictif", "Max Exemple", "Ce message a été supprimé"),
    ("es", "Ana Ficticia", "Luis Ejemplo", "Se eliminó este mensaje."),
    ("pt", "Rui Fictício", "Ana Exemplo", "Mensagem apagada"),
    ("it", "Gio Finto", "Eva Esempio", "Questo messaggio è stato eliminato"),
    ("ru", "Иван Вымышленный", "Олег Пример", "Данное сообщение удалено"),
    ("tr", "Ali Kurgu", "Ece Örnek", "Bu mesaj silindi"),
    ("bom_crlf", "Gio Finto", "Eva Esempio", "Questo messaggio è stato eliminato"),
]


def _one(path: Path):
    with open_export(path) as parsed:
        assert len(parsed.conversations) == 1
        return parsed.conversations[0]


def _file(folder: str) -> Path:
    return next((ASSETS / "whatsapp" / folder).glob("*.txt"))


@pytest.mark.parametrize(("folder", "first", "second", "deleted"), LANGUAGES)
def test_languages_system_media_deleted(folder, first, second, deleted):
    conv = _one(_file(folder))
    system, hello, media, gone = conv.messages
    assert system.system
    assert system.sender is None
    assert hello.sender == first
    assert not hello.system
    assert hello.time == "2023-12-31T23:59"
    assert hello.timezone == "device"
    assert media.attachments[0].omitted
    assert media.text == ""
    assert media.time == "2024-01-01T00:01"
    assert gone.deleted
    assert gone.sender == second
    assert gone.text == deleted
    assert gone.time == "2024-01-13T08:00"
    assert conv.participants == [first, second]
    assert conv.counts()["unparsed_lines"] == 0


def test_android_english_12_hour_with_narrow_spaces():
    conv = _one(_file("android_en_12h"))
    assert conv.notes["date_order"] == "mdy"
    assert conv.notes["date_order_basis"] == "values"
    assert conv.title == "Sam Fiction"
    assert conv.me == "Alex Example"
    assert conv.me_basis == "file_name"
    by_time = {m.time: m for m in conv.messages}
    assert by_time["2023-12-30T21:16"].sender == "Sam Fiction"
    assert by_time["2023-12-31T00:08"].text == "call me +44 7400 123456"  # 12:08 AM
    multi = by_time["2023-12-31T10:02"]
    assert multi.text.splitlines()[1:] == ["then I double it.", "Trust me."]
    edited = by_time["2023-12-31T12:07"]
    assert edited.edited
    assert edited.text == "ok I sent it"
    assert by_time["2023-12-31T10:06"].deleted


def test_zero_to_eleven_hour_clocks():
    """Some locales count 0-11 with AM/PM ("00:04 AM" is four past midnight, "00:30 PM"
    half past noon); those lines were kept unparsed, losing sender and time (issue 18)."""
    text = (b"12/30/23, 11:58 PM - Sam Fiction: almost midnight\n"
            b"12/31/23, 00:04 AM - Sam Fiction: four past\n"
            b"12/31/23, 00:30 PM - Alex Example: half past noon\n"
            b"12/31/23, 11:59 AM - Alex Example: a minute to noon\n")
    conv = parse_whatsapp(io.BytesIO(text))
    assert [m.unparsed for m in conv.messages] == [False] * 4
    assert [m.time for m in conv.messages] == [
        "2023-12-30T23:58", "2023-12-31T00:04", "2023-12-31T12:30", "2023-12-31T11:59"]
    assert conv.messages[1].sender == "Sam Fiction"


def test_android_german_markers_and_attached_file():
    conv = _one(_file("android_de_24h"))
    assert conv.title == "Kim Erfunden"
    assert conv.me == "Jo Beispiel"
    msgs = conv.messages
    assert msgs[0].system
    assert msgs[2].attachments[0].omitted
    assert msgs[3].deleted
    assert msgs[4].edited
    assert msgs[4].text == "Mache ich"
    photo = msgs[5]
    assert photo.attachments[0].name == "IMG-20240101-WA0001.jpg"
    assert photo.attachments[0].kind == "photo"
    assert photo.text == "Beweis"


def test_ios_layout_direction_marks_and_system_lines():
    conv = _one(ASSETS / "whatsapp/ios_en/_chat.txt")
    assert conv.notes["layout"] == "ios"
    assert conv.title == "Scam Group"
    assert conv.participants == ["Lee Invented", "Pat Sample"]
    assert conv.me is None
    assert conv.me_unclear
    enc, created, welcome, omitted, attached, question, deleted = conv.messages
    assert enc.system
    assert created.system
    assert created.text == "Lee Invented created group “Scam Group”"
    assert welcome.time == "2023-12-30T21:16:00"
    assert "https://fake-invest.example.com/vip" in welcome.text
    assert omitted.attachments[0].kind == "photo"
    assert omitted.attachments[0].omitted
    assert attached.attachments[0].name == "00000005-PHOTO-2023-12-30-21-18-00.jpg"
    assert question.time == "2023-12-31T01:00:00"
    assert deleted.deleted
    assert not deleted.system
    assert "\u200e" not in deleted.text


def test_ios_german_day_first():
    conv = _one(ASSETS / "whatsapp/ios_de/_chat.txt")
    assert conv.notes["date_order"] == "dmy"
    assert [a.kind for m in conv.messages for a in m.attachments] == ["photo", "photo"]
    assert conv.messages[-1].time == "2024-01-13T18:00:00"


def test_day_month_order_from_the_whole_file():
    """Every value is <= 12: only the order of the messages can decide."""
    conv = _one(ASSETS / "whatsapp/ambiguous/chat.txt")
    assert conv.notes["date_order_basis"] == "sequence"
    assert [m.time[:10] for m in conv.messages] == [
        "2024-02-01", "2024-02-02", "2024-02-03", "2024-03-01"]


def test_day_month_order_decided_late_in_the_file():
    lines = [f"0{i}/0{i}/24, 10:00 - A: x" for i in range(1, 9)] + ["05/25/24, 10:00 - B: y"]
    conv = parse_whatsapp(io.BytesIO("\n".join(lines).encode()))
    assert conv.notes["date_order"] == "mdy"
    assert conv.messages[-1].time == "2024-05-25T10:00"


def test_unparsable_lines_are_kept_and_marked():
    conv = _one(ASSETS / "whatsapp/leading_junk/chat.txt")
    junk, hello, impossible = conv.messages
    assert junk.unparsed
    assert junk.text == "This line was typed in by hand before the export"
    assert hello.text == "hi"
    assert impossible.unparsed
    assert impossible.text.startswith("45/45/23")
    assert conv.counts()["unparsed_lines"] == 2


def test_other_text_is_not_whatsapp():
    with pytest.raises(UnknownChatFormat):
        open_export(ASSETS / "not_a_chat.txt")
    with pytest.raises(ChatParseError):
        open_export(ASSETS / "not_a_chat.txt", "whatsapp")


def test_binary_garbage_is_a_parse_error(tmp_path):
    junk = tmp_path / "chat.txt"
    junk.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(ChatParseError):
        open_export(junk)
    with pytest.raises(ChatParseError):
        open_export(junk, "whatsapp")


class _Endless(io.RawIOBase):
    """A header, then `size` bytes of one line, produced on the fly (nothing on disk)."""

    def __init__(self, size: int) -> None:
        self._head = b"31/12/23, 23:59 - Sam Fiction: "
        self._left = size
        self._block = b"A" * (1 << 20)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        if self._left <= 0:
            return b""
        n = min(self._left, len(self._block), size if size > 0 else len(self._block))
        self._left -= n
        return self._block[:n]


def test_one_gigabyte_line_in_constant_memory():
    import tracemalloc

    tracemalloc.start()
    conv = parse_whatsapp(_Endless(1 << 30), source_name="huge.txt")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    (msg,) = conv.messages
    assert msg.sender == "Sam Fiction"
    assert len(msg.text) == (1 << 20) - len("31/12/23, 23:59 - Sam Fiction: ")
    assert msg.extra["truncated_bytes"] == (1 << 30) - len(msg.text)
    assert peak < 64 << 20


def test_zip_with_media_links_files(whatsapp_zip):
    with open_export(whatsapp_zip) as parsed:
        assert parsed.format == "whatsapp_zip"
        conv = parsed.conversations[0]
        attached = conv.messages[4].attachments[0]
        assert attached.path == "00000005-PHOTO-2023-12-30-21-18-00.jpg"
        assert conv.messages[3].attachments[0].path is None


def test_ios_one_to_one_knows_me_from_the_encryption_notice():
    text = ("[31.12.23, 09:15:01] Sam Fiction: \u200eMessages and calls are end-to-end "
            "encrypted.\n[31.12.23, 09:16:00] Sam Fiction: hi\n"
            "[31.12.23, 09:17:00] Alex Example: who is this?\n")
    conv = parse_whatsapp(io.BytesIO(text.encode()), source_name="_chat.txt")
    assert conv.title == "Sam Fiction"
    assert conv.me == "Alex Example"
    assert conv.me_basis == "export"


def test_zip_name_gives_the_title(whatsapp_zip):
    with open_export(whatsapp_zip) as parsed:
        assert parsed.conversations[0].title == "Scam Group"


def test_system_lines_with_a_colon_are_not_messages():
    text = ('31/12/23, 09:00 - Sam Fiction: hi\n'
            '31/12/23, 09:01 - Sam Fiction changed the subject from "a" to "b: c"\n'
            '31/12/23, 09:02 - Your security code with Sam Fiction changed: tap to learn more\n')
    conv = parse_whatsapp(io.BytesIO(text.encode()))
    assert [m.system for m in conv.messages] == [False, True, True]
    assert conv.participants == ["Sam Fiction"]


def test_long_first_message_still_detected(tmp_path):
    lines = ["31/12/23, 09:00 - Sam Fiction: a poem"] + ["line"] * 5000
    path = tmp_path / "chat.txt"
    path.write_text("\n".join(lines) + "\n31/12/23, 09:05 - Alex Example: ok\n")
    conv = _one(path)
    assert len(conv.messages) == 2
    assert conv.messages[0].text.count("\n") == 5000


def test_long_multi_line_message_is_capped_and_the_next_one_kept():
    """Continuation lines over several read blocks: kept up to the cap, the rest counted."""
    from evidence_app.chats.whatsapp import MAX_MESSAGE_CHARS

    line = b"x" * 999 + b"\n"
    lines = 6 * (MAX_MESSAGE_CHARS // len(line))
    data = (b"01/02/2023, 10:00 - Sam: start\n" + line * lines
            + b"01/02/2023, 10:01 - Kim: end\n")
    first, last = parse_whatsapp(io.BytesIO(data)).messages
    assert MAX_MESSAGE_CHARS < len(first.text) < MAX_MESSAGE_CHARS + (2 << 20)
    kept = len(first.text.encode())
    assert kept + first.extra["truncated_bytes"] == len(data) - len(
        b"01/02/2023, 10:00 - Sam: ") - len(b"01/02/2023, 10:01 - Kim: end\n") - 1
    assert (last.sender, last.text, last.time) == ("Kim", "end", "2023-02-01T10:01")


def test_impossible_clock_is_kept_exactly_as_written():
    data = b"[01.02.23, 25:61:00] Sam: hi\n[01.02.23, 10:00:00] Kim: ok\n"
    bad, good = parse_whatsapp(io.BytesIO(data)).messages
    assert bad.unparsed
    assert bad.text == "[01.02.23, 25:61:00] Sam: hi"
    assert good.time == "2023-02-01T10:00:00"


@pytest.mark.parametrize("enabled", [True, False])
def test_parse_leaves_the_cycle_collector_as_it_found_it(enabled):
    import gc

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        parse_whatsapp(io.BytesIO(b"01/02/2023, 10:00 - Sam: hi\n"))
        assert gc.isenabled() is enabled
        with pytest.raises(ChatParseError):
            parse_whatsapp(io.BytesIO(b"no chat here\n"))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
