"""Importing into a real vault: originals byte for byte, media items, transcripts."""

from __future__ import annotations

import hashlib
import shutil
import stat
import zipfile

import pytest

from evidence_app.chats import (
    Conversation,
    Message,
    import_chat,
    load_transcript,
    render_transcript_html,
    render_transcript_text,
)
from evidence_app.core.errors import ChatOwnerNotFound, ChatOwnerUnclear, UnsafeArchive
from evidence_app.core.safezip import ZipLimits
from evidence_app.messages import describe
from tests.chats.conftest import ASSETS, make_zip


def _bytes(vault, item_id: str) -> bytes:
    return b"".join(bytes(c) for c in vault.iter_item(item_id))


def test_zip_kept_as_zip_with_media_and_transcripts(vault, whatsapp_zip):
    result = import_chat(vault, whatsapp_zip, me="Pat Sample")
    (original,) = result.original_ids
    item = vault.item(original)
    assert item.sha256 == hashlib.sha256(whatsapp_zip.read_bytes()).hexdigest()
    assert item.source["type"] == "chat_export"
    assert item.source["format"] == "whatsapp_zip"
    (media_id,) = result.media_ids
    media = vault.item(media_id)
    assert media.kind == "chat_media"
    assert media.derived_from == original
    assert media.media_type == "image/jpeg"
    assert media.thumbnail is not None
    conv = load_transcript(vault, result.transcript_ids[0])
    assert conv.me == "Pat Sample"
    assert conv.me_basis == "user"
    assert conv.messages[4].attachments[0].item_id == media_id
    roles = {vault.item(i).source.get("role"): vault.item(i)
             for i in vault.state.items if vault.item(i).kind == "transcript"}
    assert set(roles) == {"json", "html", "text"}
    assert all(t.derived_from == original for t in roles.values())
    html = _bytes(vault, roles["html"].id).decode()
    assert "Welcome to the VIP investment club" in html
    assert "item #" + media_id in html
    assert load_transcript(vault, roles["html"].id).title == conv.title
    assert load_transcript(vault, original).title == conv.title
    summary = result.summary()
    assert summary["messages"] == 7
    assert summary["system_messages"] == 2
    assert summary["transcript_id"] == result.transcript_ids[0]


def test_round_trip_of_every_format(vault):
    exports = {
        "whatsapp/android_de_24h/WhatsApp Chat mit Kim Erfunden.txt": None,
        "telegram/single/result.json": None,
        "messenger/message_1.json": None,
        "discord/dm.json": "kid_victim",
    }
    for name, me in exports.items():
        result = import_chat(vault, ASSETS / name, me=me)
        stored = load_transcript(vault, result.transcript_ids[0])
        again = Conversation.from_dict(stored.to_dict())
        assert again == stored
        assert len(stored.messages) == result.summary()["messages"]
    telegram_media = [i for i in vault.state.items.values() if i.kind == "chat_media"]
    assert {m.name for m in telegram_media} == {"photo_1@05-01-2024_10-05-00.jpg",
                                                 "screenshot-AB12.png"}


def test_me_must_be_settled_before_anything_is_stored(vault):
    chat = ASSETS / "whatsapp/ios_en/_chat.txt"
    with pytest.raises(ChatOwnerUnclear) as caught:
        import_chat(vault, chat)
    assert caught.value.candidates == ["Lee Invented", "Pat Sample"]
    with pytest.raises(ChatOwnerNotFound):
        import_chat(vault, chat, me="Somebody Else")
    assert vault.state.items == {}
    result = import_chat(vault, chat, me="pat  sample")
    assert load_transcript(vault, result.transcript_ids[0]).me == "Pat Sample"
    result = import_chat(vault, chat, me="-")
    assert load_transcript(vault, result.transcript_ids[0]).me is None


def test_exported_folder_imports_chat_file_and_media(vault, tmp_path):
    folder = tmp_path / "ChatExport_2024-01-05"
    shutil.copytree(ASSETS / "telegram/single", folder)
    result = import_chat(vault, folder)
    (original,) = result.original_ids
    assert vault.item(original).name == "result.json"
    assert len(result.media_ids) == 1


def test_zip_bomb_is_refused(vault, tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("_chat.txt", b"31/12/23, 23:59 - A: hi\n")
        with zf.open("IMG-0001.jpg", "w") as fh:
            block = b"\0" * (1 << 20)
            for _ in range(128):  # 128 MiB of zeros in about 128 KB: only a bomb does that
                fh.write(block)
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(UnsafeArchive) as caught:
        import_chat(vault, bomb, me="A")
    assert caught.value.reason == "bomb"
    assert vault.state.items == {}


def test_zip_over_entry_limit_and_escape_and_symlink(tmp_path):
    from evidence_app.chats import open_export

    many = make_zip(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(30)})
    with pytest.raises(UnsafeArchive):
        open_export(many, limits=ZipLimits(max_entries=10))
    escape = tmp_path / "escape.zip"
    with zipfile.ZipFile(escape, "w") as zf:
        zf.writestr("_chat.txt", b"31/12/23, 23:59 - A: hi\n")
        zf.writestr("../../evil.txt", b"x")
    with pytest.raises(UnsafeArchive) as caught:
        open_export(escape)
    assert caught.value.reason == "path_escape"
    assert describe(caught.value)
    link = tmp_path / "link.zip"
    with zipfile.ZipFile(link, "w") as zf:
        zf.writestr("_chat.txt", b"31/12/23, 23:59 - A: hi\n")
        info = zipfile.ZipInfo("photo.jpg")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UnsafeArchive) as caught:
        open_export(link)
    assert caught.value.reason == "symlink"


def test_html_escapes_everything_from_the_chat():
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"&'
    conv = Conversation(platform="whatsapp", format="whatsapp_txt", title=evil,
                        participants=[evil, "Me"], me="Me",
                        messages=[Message(index=0, time="2024-01-01T10:00", sender=evil,
                                          text=evil),
                                  Message(index=1, text=evil, unparsed=True)])
    html = render_transcript_html(conv)
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "onerror=alert(2)&gt;&quot;&amp;" in html
    assert "http" not in html.split("<body>")[0].replace('content="width=device-width"', "")
    text = render_transcript_text(conv)
    assert evil in text
    assert "NOT UNDERSTOOD" in text


def test_zipped_telegram_and_instagram_exports(vault, tmp_path):
    members = {}
    for path in (ASSETS / "telegram/single").rglob("*"):
        if path.is_file():
            members["ChatExport_2024-01-05/" + path.relative_to(
                ASSETS / "telegram/single").as_posix()] = path.read_bytes()
    tg = make_zip(tmp_path / "telegram.zip", members)
    result = import_chat(vault, tg)
    assert result.format == "telegram_zip"
    assert len(result.media_ids) == 1
    assert vault.item(result.media_ids[0]).derived_from == result.original_ids[0]

    root = ASSETS / "instagram"
    members = {"instagram-zoe-2024/" + p.relative_to(root).as_posix(): p.read_bytes()
               for p in root.rglob("*") if p.is_file()}
    ig = make_zip(tmp_path / "instagram.zip", members)
    result = import_chat(vault, ig)
    conv = load_transcript(vault, result.transcript_ids[0])
    assert conv.platform == "instagram"
    assert len(conv.messages) == 6
    photo = next(a for m in conv.messages for a in m.attachments if a.kind == "photo")
    assert photo.item_id == result.media_ids[0]


def test_transcript_says_how_an_ambiguous_date_order_was_read():
    """03/04/2026 could be 3 April or 4 March: the transcript an officer reads says which
    reading was taken and that it was assumed, in words, not the internal "dmy (assumed)"."""
    import io

    from evidence_app.chats.whatsapp import parse_whatsapp

    chat = (b"03/04/2026, 22:00 - Anna: Did you get my picture?\n"
            b"04/04/2026, 09:01 - Ben: please stop\n")
    conv = parse_whatsapp(io.BytesIO(chat), source_name="WhatsApp Chat with Anna.txt")
    assert conv.notes["date_order_basis"] == "assumed"
    for text in (render_transcript_text(conv), render_transcript_html(conv)):
        assert "day/month/year (assumed: every date in the export could be read" in text
        assert "dmy" not in text
