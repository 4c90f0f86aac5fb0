"""One contract for every chat format in the registry (evidence_app/chats/registry.py).

Each registered format is run through the same attacks and checks: it recognises its own
exports and no other format's, parses them into transcripts, keeps what it cannot read,
never links an attachment to a file outside the export, honours cancel, and leaves no file
or archive open however the parse ends (an unexpected exception, Ctrl+C, a cancel).

A new format needs only an entry in EXPORTS (its fixtures under tests/assets/chats).
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from evidence_app.chats import FORMATS, REGISTRY, ChatFormat, Probe, import_chat, open_export
from evidence_app.chats.formats import SNIFF
from evidence_app.chats.meta import EITHER
from evidence_app.chats.model import Attachment, Conversation, Message
from evidence_app.chats.sources import FolderSource
from evidence_app.core.errors import Cancelled, ChatParseError
from tests.chats.conftest import ASSETS

# Per format: its export folders (each holds the chat file first named, and its media).
EXPORTS: dict[str, list[tuple[str, str]]] = {
    "whatsapp": [("whatsapp/android_en_12h", "WhatsApp Chat with Sam Fiction.txt"),
                 ("whatsapp/android_de_24h", "WhatsApp Chat mit Kim Erfunden.txt"),
                 ("whatsapp/ios_en", "_chat.txt"), ("whatsapp/leading_junk", "chat.txt")],
    "telegram": [("telegram/single", "result.json"),
                 ("telegram/desktop_2018_full", "result.json"),
                 ("telegram/desktop_2020_single", "result.json"),
                 ("telegram/saved_messages_single", "result.json")],
    "discord": [("discord", "dm.json")],
    "meta": [("instagram/your_instagram_activity/messages/inbox/luxurylifecoach_1234567890",
              "message_1.json"), ("messenger", "message_1.json"),
             ("messenger_2024/your_facebook_activity/messages/inbox/"
              "officerjansenfake_10206072096154041", "message_1.json"),
             ("instagram_minimal/your_instagram_activity/messages/inbox/"
              "cryptoqueen_17841400000000000", "message_1.json")],
}
BY_ID = {f.id: f for f in REGISTRY}
CASES = [pytest.param(fid, folder, chat, id=f"{fid}:{folder.rsplit('/', 1)[-1]}")
         for fid, exports in EXPORTS.items() for folder, chat in exports]
FIRST = [pytest.param(fid, *exports[0], id=fid) for fid, exports in EXPORTS.items()]
SHAPES = ("file", "folder", "zip")


def _probe(path: Path) -> Probe:
    """The probe open_export makes for a file chosen alone."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF)
    return Probe(FolderSource(path.parent, listed=False), path.name, str(path), head,
                 single=True, direct=path)


def _claims(fmt: ChatFormat, probe: Probe) -> bool:
    return fmt.reads == probe.kind and fmt.detect(probe)


def _copy(tmp_path: Path, folder: str) -> Path:
    dest = tmp_path / "export"
    shutil.copytree(ASSETS / folder, dest)
    return dest


def _export(tmp_path: Path, folder: str, chat: str, shape: str) -> Path:
    """The fixture as the person would choose it: the chat file, its folder, or a zip."""
    copy = _copy(tmp_path, folder)
    if shape == "file":
        return copy / chat
    if shape == "folder":
        return copy
    dest = tmp_path / "export.zip"
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in sorted(copy.rglob("*")):
            if item.is_file():
                zf.write(item, item.relative_to(copy).as_posix())
    return dest


def _open_under(root: Path) -> list[str]:
    """Files under `root` this process holds open (Linux: /proc/self/fd)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(root)):
            found.append(target)
    return found


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"),
                                reason="open files are counted through /proc")


# --- the registry ---------------------------------------------------------------------------


def test_every_format_has_fixtures_and_a_distinct_name():
    assert set(EXPORTS) == {f.id for f in REGISTRY}
    assert len({f.id for f in REGISTRY}) == len(REGISTRY)
    platforms = [p for f in REGISTRY for p in f.platforms]
    assert len(platforms) == len(set(platforms))
    assert set(platforms) == set(FORMATS)
    for fmt in REGISTRY:
        assert fmt.title().strip()
        assert fmt.reads in ("text", "json")


# --- detect ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("fid", "folder", "chat"), CASES)
def test_detects_its_own_exports_and_no_other_format_does(fid, folder, chat):
    probe = _probe(ASSETS / folder / chat)
    assert [f.id for f in REGISTRY if _claims(f, probe)] == [fid]
    assert BY_ID[fid].rank(chat) is not None  # tried when it lies in a zip or folder


def test_no_format_claims_what_is_not_a_chat(tmp_path):
    for path in (ASSETS / "not_a_chat.txt", ASSETS / "wallets.json",
                 ASSETS / "telegram/html/messages.html"):
        probe = _probe(path)
        assert [f.id for f in REGISTRY if _claims(f, probe)] == [], path


# --- parse ----------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("fid", "folder", "chat"), CASES)
def test_parses_into_transcripts_whatever_way_it_is_chosen(tmp_path, fid, folder, chat, shape):
    with open_export(_export(tmp_path, folder, chat, shape)) as parsed:
        assert parsed.conversations
        for conv in parsed.conversations:
            # (a Meta thread that does not say which app wrote it says so: meta.EITHER)
            assert conv.platform in (*BY_ID[fid].platforms, EITHER)
            assert len(conv.messages) > 0
            assert all(isinstance(m, Message) for m in conv.messages)
        assert parsed.chat_files


def _with_junk(data: bytes, kind: str, junk: str) -> bytes:
    """The export with one entry no parser can understand."""
    if kind == "text":
        return junk.encode() + b"\n" + data
    doc = json.loads(data)
    doc["messages"].append(junk)  # after the first few, which tell the format
    return json.dumps(doc).encode()


@pytest.mark.parametrize(("fid", "folder", "chat"), FIRST)
def test_what_is_not_understood_is_kept_as_found(tmp_path, fid, folder, chat):
    junk = "JUNK-5f2a offender wrote this \u202e line"
    path = _copy(tmp_path, folder) / chat
    path.write_bytes(_with_junk(path.read_bytes(), BY_ID[fid].reads, junk))
    with open_export(path) as parsed:
        kept = [m for c in parsed.conversations for m in c.messages if m.unparsed]
    assert any(junk in m.text for m in kept)


def _spoil_lists(value: object, depth: int = 0) -> object:
    """Every list inside a message (attachments, reactions and their users...) made 7."""
    if isinstance(value, dict) and depth < 3:
        return {k: 7 if isinstance(v, list) else _spoil_lists(v, depth + 1)
                for k, v in value.items()}
    return value


@needs_proc
@pytest.mark.parametrize(("fid", "folder", "chat"),
                         [c for c in FIRST if BY_ID[c.values[0]].reads == "json"])
def test_a_wrong_type_inside_a_message_does_not_stop_the_parse(tmp_path, fid, folder, chat):
    """Attack: a number where the export has a list. It used to raise TypeError, which
    left the zip it came in open; now the message is read without those fields."""
    copy = _copy(tmp_path, folder)
    doc = json.loads((copy / chat).read_bytes())
    doc["messages"] = [_spoil_lists(m) for m in doc["messages"]]
    (copy / chat).write_text(json.dumps(doc), "utf-8")
    zipped = tmp_path / "spoiled.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.write(copy / chat, chat)
    with open_export(zipped) as parsed:
        assert sum(len(c.messages) for c in parsed.conversations) == len(doc["messages"])
    assert _open_under(tmp_path) == []


# --- media linking --------------------------------------------------------------------------

HOSTILE = ["../secret.jpg", "..\\secret.jpg", "photos/../../secret.jpg", "/etc/passwd",
           "C:\\Users\\victim\\secret.jpg", "c:secret.jpg", "\\\\server\\share\\secret.jpg",
           "photo.jpg\x00.png", ".."]
FOLDERED = ["photos/photo.jpg", "photos\\photo.jpg"]


def _media_export(tmp_path: Path) -> FolderSource:
    export = tmp_path / "export"
    (export / "photos").mkdir(parents=True)
    (export / "photo.jpg").write_bytes(b"inside")
    (export / "photos/photo.jpg").write_bytes(b"inside, in a folder")
    (tmp_path / "secret.jpg").write_bytes(b"SECRET outside the export")
    return FolderSource(export, listed=True)


@pytest.mark.parametrize("fmt", REGISTRY, ids=lambda f: f.id)
def test_media_linking_stays_inside_the_export(tmp_path, fmt):
    source = _media_export(tmp_path)
    hostile = HOSTILE + [str(tmp_path / "secret.jpg")]
    if fmt.bare_names:  # names by file name alone: a folder in a name is an attack too
        hostile += FOLDERED
    for ref in hostile:
        assert fmt.member_for(source, "", ref) is None, ref
    assert fmt.member_for(source, "", "photo.jpg") == "photo.jpg"
    if not fmt.bare_names:
        assert fmt.member_for(source, "", "photos/photo.jpg") == "photos/photo.jpg"
    conv = Conversation(platform=fmt.platforms[0], format="test", source_name="chat",
                        messages=[Message(i, attachments=[Attachment(name=ref, path=ref)])
                                  for i, ref in enumerate(hostile)])
    fmt.link_media(conv, source)
    for _index, att in conv.attachment_refs():
        assert att.refused, att.name
        assert att.path is None, att.name


# --- resources and cancel -------------------------------------------------------------------


def _failing_after(count: int, error: type[BaseException]) -> Callable[..., None]:
    """Message.__init__ that raises `error` after `count` messages: a parser step failing
    half-way with an exception nobody expects (a bug, Ctrl+C, a MemoryError)."""
    made = iter(range(count))
    real = Message.__init__

    def init(self: Message, *args: object, **kwargs: object) -> None:
        if next(made, None) is None:
            raise error("parser step failed")
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    return init


@needs_proc
@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("fid", "folder", "chat"), FIRST)
def test_nothing_stays_open_when_the_parse_fails(tmp_path, monkeypatch, fid, folder, chat,
                                                 shape, error):
    """Attack: any exception half-way through a parse. The zip used to be closed only on
    two error types, and a JSON file stayed open inside the failed parse's traceback."""
    path = _export(tmp_path, folder, chat, shape)
    monkeypatch.setattr(Message, "__init__", _failing_after(2, error))
    with pytest.raises(error) as caught:
        open_export(path)
    assert _open_under(tmp_path) == [], caught.value  # the traceback is still alive here


def _cancel_on_call(number: int) -> Callable[[], bool]:
    calls = iter(range(number - 1))
    return lambda: next(calls, None) is None


@needs_proc
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("fid", "folder", "chat"), FIRST)
def test_cancel_is_honoured_while_parsing(tmp_path, fid, folder, chat, shape):
    path = _export(tmp_path, folder, chat, shape)
    with pytest.raises(Cancelled):
        open_export(path, cancel=lambda: True)
    with pytest.raises(Cancelled) as caught:
        open_export(path, cancel=_cancel_on_call(2))  # once the parse has begun
    assert _open_under(tmp_path) == [], caught.value
    with open_export(path, cancel=lambda: False) as parsed:
        assert parsed.conversations


def _big_whatsapp(path: Path, messages: int) -> None:
    line = "01/02/2023, 10:{:02d} - Sam Fiction: message {} " + "x" * 80 + "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(line.format(i % 60, i) for i in range(messages))


def test_cancel_stops_a_long_parse_part_way(tmp_path):
    """A cancel is seen while a big chat is read, not only before it starts."""
    path = tmp_path / "WhatsApp Chat with Sam Fiction.txt"
    _big_whatsapp(path, 40_000)  # about 4 MB: four reads of a megabyte
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) >= 3

    with pytest.raises(Cancelled):
        open_export(path, cancel=cancel)
    assert len(asked) == 3


def test_a_cancelled_import_stores_nothing(vault, tmp_path):
    path = _export(tmp_path, "telegram/single", "result.json", "zip")
    before = len(vault.state.items)
    with pytest.raises(Cancelled):
        import_chat(vault, path, me="Robin Victim", cancel=_cancel_on_call(2))
    assert len(vault.state.items) == before
    assert _open_under(path) == []  # (the vault's own lock file stays open, as it should)


def test_a_format_named_by_the_person_is_the_only_one_asked():
    """--format telegram on a Discord export: not read as Discord behind the person's back."""
    for platform in FORMATS:
        if platform in BY_ID["discord"].platforms:
            continue
        with pytest.raises(ChatParseError) as caught:
            open_export(ASSETS / "discord/dm.json", platform)
        assert (caught.value.format, caught.value.reason) == (platform, "structure")


class _ToyFormat(ChatFormat):
    """The least a new format writes: a made-up app whose export is chat.toy, lines of
    "sender: text" and "[file: name]" for an attachment."""

    id = "toy"
    platforms = ("toy",)
    reads = "text"

    def title(self) -> str:
        return "Toy"

    def rank(self, name: str) -> int | None:
        return 0 if name.endswith("chat.toy") else None

    def detect(self, probe: Probe) -> bool:
        return probe.head.startswith(b"TOY\n")

    def parse(self, probe: Probe) -> list[Conversation]:
        with probe.open() as fh:
            lines = fh.read().decode().splitlines()[1:]
        messages = []
        for index, line in enumerate(lines):
            sender, _sep, text = line.partition(": ")
            msg = Message(index, sender=sender, text=text)
            if text.startswith("[file: "):
                msg.attachments.append(Attachment(name=text[7:-1]))
            messages.append(msg)
        return [Conversation(platform="toy", format="toy_txt", messages=messages,
                             source_name=probe.name)]


def test_a_new_format_is_one_class_and_one_registry_entry(tmp_path, monkeypatch):
    from evidence_app.chats import detect

    monkeypatch.setattr(detect, "REGISTRY", (_ToyFormat(), *REGISTRY))
    monkeypatch.setattr(detect, "FORMATS", ("toy", *FORMATS))
    export = tmp_path / "toy-export"
    export.mkdir()
    (export / "chat.toy").write_text("TOY\nSam: hello\nSam: [file: a.jpg]\n"
                                     "Sam: [file: ../secret.jpg]\n")
    (export / "a.jpg").write_bytes(b"photo")
    (tmp_path / "secret.jpg").write_bytes(b"SECRET")
    with open_export(export, "toy") as parsed:
        (conv,) = parsed.conversations
    assert parsed.format == "toy_folder"
    _hello, photo, escape = conv.messages
    assert photo.attachments[0].path == "a.jpg"
    assert escape.attachments[0].refused
