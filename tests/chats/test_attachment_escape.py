"""Attacks: a chat export that names files outside itself must not pull them into the vault.

The offender writes the message text ("Documents/passport.pdf (file attached)"), or crafts
the export; the victim saved it in a folder that also holds their own files (often the
home folder or Downloads). Whatever the export names, only the export's own files may
become items credited to it; a refused name is kept in the transcript as "not in the
export", counted, and the import goes on.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from evidence_app.chats import import_chat, load_transcript
from tests.chats.conftest import ASSETS
from tests.helpers import run_cli

PASSPORT = b"%PDF-1.4 SECRET-PASSPORT-5c1e9a7d-do-not-leak"
SSH_KEY = b"ssh-ed25519 AAAAC3-SECRET-SSH-KEY-0b7f42e1 victim@laptop"
OUTSIDE = b"SECRET-OUTSIDE-THE-EXPORT-93d2c6f0"
LINKED = b"SECRET-BEHIND-A-SYMLINK-4a8e11b3"
SECRETS = (PASSPORT, SSH_KEY, OUTSIDE, LINKED)
PHOTO = (ASSETS / "telegram/single/photos/photo_1@05-01-2024_10-05-00.jpg").read_bytes()


def _victim_home(tmp_path: Path) -> Path:
    """A home folder with private files, and one secret just outside it."""
    home = tmp_path / "victim"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents/passport.pdf").write_bytes(PASSPORT)
    (home / ".ssh").mkdir()
    (home / ".ssh/id_ed25519.pub").write_bytes(SSH_KEY)
    (tmp_path / "outside.txt").write_bytes(OUTSIDE)
    (tmp_path / "linked-secret.jpg").write_bytes(LINKED)
    os.symlink(tmp_path / "linked-secret.jpg", home / "IMG-20231231-WA0002.jpg")
    os.symlink(home / "Documents", home / "media")
    return home


def _everything_stored(vault) -> bytes:
    """Every item's bytes, read back through the core API (originals, media, transcripts)."""
    return b"\n".join(b"".join(bytes(c) for c in vault.iter_item(i)) for i in vault.state.items)


def _assert_no_secret(vault) -> None:
    stored = _everything_stored(vault)
    for secret in SECRETS:
        assert secret not in stored, secret


WHATSAPP = """\
31/12/2023, 23:50 - Sam Fiction: Documents/passport.pdf (file attached)
31/12/2023, 23:51 - Sam Fiction: /home/victim/.ssh/id_ed25519.pub (file attached)
31/12/2023, 23:52 - Sam Fiction: ../Documents/passport.pdf (file attached)
31/12/2023, 23:53 - Sam Fiction: ../outside.txt (file attached)
31/12/2023, 23:54 - Sam Fiction: IMG-20231231-WA0002.jpg (file attached)
31/12/2023, 23:55 - Sam Fiction: IMG-20231231-WA0001.jpg (file attached)
31/12/2023, 23:56 - Robin Victim: what is this?
"""


def _whatsapp_in_home(tmp_path: Path) -> Path:
    home = _victim_home(tmp_path)
    (home / "IMG-20231231-WA0001.jpg").write_bytes(PHOTO)
    chat = home / "WhatsApp Chat with Sam Fiction.txt"
    chat.write_text(WHATSAPP, "utf-8")
    return chat


def test_whatsapp_names_outside_the_export_are_refused(vault, tmp_path):
    chat = _whatsapp_in_home(tmp_path)
    result = import_chat(vault, chat, me="Robin Victim")
    _assert_no_secret(vault)
    # the photo that really lies beside the export still comes in
    (media_id,) = result.media_ids
    assert b"".join(bytes(c) for c in vault.iter_item(media_id)) == PHOTO
    conv = load_transcript(vault, result.transcript_ids[0])
    atts = [m.attachments[0] for m in conv.messages[:6]]
    assert [a.name for a in atts[:4]] == ["Documents/passport.pdf",
                                          "/home/victim/.ssh/id_ed25519.pub",
                                          "../Documents/passport.pdf", "../outside.txt"]
    assert all(a.item_id is None and a.path is None for a in atts[:5])
    assert all(a.refused for a in atts[:4])
    assert atts[5].item_id == media_id
    assert result.summary()["attachments_refused"] == 4
    assert len(conv.messages) == 7  # every message kept


def test_telegram_paths_outside_the_export_are_refused(vault, tmp_path):
    home = _victim_home(tmp_path)
    (home / "photos").mkdir()
    (home / "photos/photo_1.jpg").write_bytes(PHOTO)
    base = {"type": "message", "date": "2024-01-05T10:00:00", "date_unixtime": "1704448800",
            "from": "Crypto Mentor", "from_id": "user5550001", "text": ""}
    refs = [("file", "/home/victim/Documents/passport.pdf"),
            ("photo", "../../Documents/passport.pdf"),
            ("file", "../../outside.txt"),
            ("file", str(tmp_path / "outside.txt")),
            ("file", "C:\\Users\\victim\\.ssh\\id_ed25519.pub"),
            ("photo", "media/passport.pdf"),
            ("photo", "photos/photo_1.jpg")]
    messages = [{**base, "id": i + 1, key: ref} for i, (key, ref) in enumerate(refs)]
    export = {"name": "Crypto Mentor", "type": "personal_chat", "id": 5550001,
              "messages": messages}
    path = home / "result.json"
    path.write_text(json.dumps(export), "utf-8")
    result = import_chat(vault, path, me="-")
    _assert_no_secret(vault)
    (media_id,) = result.media_ids
    assert b"".join(bytes(c) for c in vault.iter_item(media_id)) == PHOTO
    conv = load_transcript(vault, result.transcript_ids[0])
    assert [m.attachments[0].item_id for m in conv.messages] == [None] * 6 + [media_id]
    assert result.summary()["attachments_refused"] == 5


def test_discord_path_outside_the_export_is_refused(vault, tmp_path):
    home = _victim_home(tmp_path)
    data = json.loads((ASSETS / "discord/dm.json").read_text("utf-8"))
    data["messages"][0]["attachments"] = [
        {"id": "1", "url": "../Documents/passport.pdf", "fileName": "passport.pdf"},
        {"id": "2", "url": "/home/victim/.ssh/id_ed25519.pub", "fileName": "key.pub"}]
    path = home / "dm.json"
    path.write_text(json.dumps(data), "utf-8")
    result = import_chat(vault, path, me="kid_victim")
    _assert_no_secret(vault)
    assert result.summary()["attachments_refused"] == 2


def test_zip_export_reads_only_its_own_members(vault, tmp_path):
    home = _victim_home(tmp_path)
    export = home / "WhatsApp Chat with Sam Fiction.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr("_chat.txt", WHATSAPP)
        zf.writestr("IMG-20231231-WA0001.jpg", PHOTO)
    result = import_chat(vault, export, me="Robin Victim")
    _assert_no_secret(vault)
    assert len(result.media_ids) == 1
    assert result.summary()["attachments_refused"] == 4


def test_cli_says_how_many_attachments_were_skipped(tmp_path):
    chat = _whatsapp_in_home(tmp_path)
    vault = tmp_path / "vault"
    assert run_cli("--vault", str(vault), "init", "--no-timestamps").returncode == 0
    done = run_cli("--vault", str(vault), "import-chat", str(chat), "--me", "Robin Victim")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "4 attachments" in done.stderr
    assert "not in the export" in done.stderr
    done = run_cli("--vault", str(vault), "import-chat", str(chat), "--me", "Robin Victim",
                   "--json")
    assert json.loads(done.stdout)["attachments_refused"] == 4
    out = tmp_path / "out"
    out.mkdir()
    listed = json.loads(run_cli("--vault", str(vault), "list", "--json").stdout)
    for item in listed:
        target = out / f"{item['id']}.bin"
        got = run_cli("--vault", str(vault), "export", str(item["id"]), "--out", str(target))
        assert got.returncode == 0, got.stderr
        data = target.read_bytes()
        for secret in SECRETS:
            assert secret not in data


@pytest.mark.parametrize("ref", ["a/../../outside.txt", "..", "/", "\\\\server\\share\\x",
                                 "C:/x", "x\x00y", "./../outside.txt"])
def test_reference_rules(tmp_path, ref):
    from evidence_app.chats.sources import FolderSource, unsafe_reference

    assert unsafe_reference(ref, bare=False)
    home = _victim_home(tmp_path)
    assert FolderSource(home, listed=False).resolve("", ref) is None
    assert unsafe_reference("Documents/passport.pdf", bare=True)
    assert not unsafe_reference("photos/photo_1.jpg", bare=False)
    assert not unsafe_reference("IMG-0001.jpg", bare=True)
