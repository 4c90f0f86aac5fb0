"""The CLI round trip from issue 3, run as a person would: the real program in a subprocess."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from tests.cli.util import (
    RECOVERY_KEY_RE,
    added_ids,
    assert_one_line_error,
    init_vault,
    make_jpeg,
    object_files,
    ok,
)
from tests.helpers import run_cli


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_init_prints_recovery_key_of_eight_groups(tmp_path):
    vault = tmp_path / "v"
    result = ok("--vault", str(vault), "init", "--no-timestamps")
    keys = RECOVERY_KEY_RE.findall(result.stdout)
    assert len(keys) == 1
    assert re.fullmatch(r"([0-9A-Z]{4}-){7}[0-9A-Z]{4}", keys[0])
    assert (vault / "vault.json").is_file()
    # A second init must not overwrite the vault (and must not show a key again).
    again = run_cli("--vault", str(vault), "init", "--no-timestamps")
    assert_one_line_error(again, "already")
    assert not RECOVERY_KEY_RE.search(again.stdout)


def test_add_list_show_export_note_log_check(tmp_path):
    vault = tmp_path / "v"
    init_vault(vault)
    v = ("--vault", str(vault))
    a = tmp_path / "statement.txt"
    a.write_text("He asked for money on 3 March.\n", "utf-8")
    photo = make_jpeg(tmp_path / "photo.jpg")
    folder = tmp_path / "chats"
    (folder / "deeper").mkdir(parents=True)
    (folder / "one.bin").write_bytes(b"\x00\x01binary")
    (folder / "deeper" / "two.txt").write_text("second", "utf-8")

    added = ok(*v, "add", str(a), str(photo), str(folder), "--note", "from my phone")
    assert added_ids(added.stdout) == {"1": "statement.txt", "2": "photo.jpg",
                                       "3": "one.bin", "4": "two.txt"}
    sens = ok(*v, "add", str(tmp_path / "photo.jpg"), "--sensitive")
    assert "added 5: photo.jpg" in sens.stdout
    assert "same content as item 2" in sens.stdout

    listed = json.loads(ok(*v, "list", "--json").stdout)
    assert [i["id"] for i in listed] == ["1", "2", "3", "4", "5"]
    for entry in listed:
        assert {"id", "name", "size", "sha256", "media_type", "added_at"} <= entry.keys()
        assert entry["added_at"].endswith("Z")
    by_id = {i["id"]: i for i in listed}
    assert by_id["1"]["sha256"] == _sha(a)
    assert by_id["1"]["size"] == a.stat().st_size
    assert by_id["1"]["media_type"] == "text/plain"
    assert by_id["2"]["media_type"] == "image/jpeg"
    assert by_id["5"]["duplicate_of"] == "2"
    assert by_id["5"]["sensitive"] is True
    assert by_id["2"]["sensitive"] is False
    assert by_id["4"]["sha256"] == _sha(folder / "deeper" / "two.txt")
    plain_list = ok(*v, "list").stdout
    assert "photo.jpg" in plain_list
    assert "sensitive" in plain_list

    shown = json.loads(ok(*v, "show", "2", "--json").stdout)
    assert shown["sha256"] == _sha(photo)
    assert shown["source"]["type"] == "import"
    assert shown["source"]["path"] == str(photo.resolve())
    assert shown["file_mtime"]
    assert shown["file_mtime_offset"]
    assert shown["added_offset"]
    assert shown["image"] == {"format": "JPEG", "width": 64, "height": 48}
    assert shown["has_thumbnail"] is True
    assert shown["exif"]["Make"] == "AcmeCam"
    assert shown["exif"]["GPS"]["GPSLatitude"] == [52.0, 31.0, 12.5]
    assert shown["exif"]["GPS"]["GPSLongitudeRef"] == "E"
    assert [n["text"] for n in shown["notes"]] == ["from my phone"]
    text = ok(*v, "show", "2").stdout
    for needle in ("photo.jpg", _sha(photo), "image/jpeg", "Source", "File last changed",
                   "AcmeCam", "GPS.GPSLatitude", "from my phone", "Custody history"):
        assert needle in text, needle
    # The original is untouched: the EXIF (with GPS) is still in it after export.
    out = tmp_path / "out"
    out.mkdir()
    exported = ok(*v, "export", "2", "--out", str(out / "back.jpg"))
    assert "Exported item 2" in exported.stdout
    assert (out / "back.jpg").read_bytes() == photo.read_bytes()
    ok(*v, "export", "3", "--out", str(out))  # a folder: the original name is used
    assert (out / "one.bin").read_bytes() == b"\x00\x01binary"
    clash = run_cli(*v, "export", "3", "--out", str(out))
    assert_one_line_error(clash, "already exists")

    assert "Note n5 added to item 1" in ok(*v, "note", "1", "the first message").stdout
    assert "Case note n6 added" in ok(*v, "note", "It started on a dating site.").stdout
    shown1 = json.loads(ok(*v, "show", "1", "--json").stdout)
    assert [n["text"] for n in shown1["notes"]] == ["from my phone", "the first message"]

    log = ok(*v, "log").stdout
    assert "Item 2 exported" in log
    assert "Item 3 exported" in log
    assert "Case note n6 added" in log
    assert "Note n5 added to item 1" in log
    assert "Vault created" in log.splitlines()[0]
    records = json.loads(ok(*v, "log", "--json").stdout)
    # `show` gives every field recorded when the item was added (internal ids aside).
    added = next(r for r in records if r["type"] == "item_added" and r["data"]["item_id"] == "2")
    for key, value in added["data"].items():
        if key in ("item_id", "object_id", "thumbnail", "note", "note_id"):
            continue
        assert shown[key] == value, key
    assert shown["id"] == "2"
    assert shown["added_at"] == added["time"]
    assert shown["has_thumbnail"] is bool(added["data"]["thumbnail"])
    exports = [r for r in records if r["type"] == "item_exported"]
    assert exports[0]["data"]["destination"] == str((out / "back.jpg").resolve())
    verify = ok(*v, "log", "--verify").stdout
    assert f"{len(records)} records" in verify
    assert "signature" in verify
    check = ok(*v, "check").stdout
    assert "All 5 items are intact." in check


def test_passwd_rewraps_and_recovery_key_sets_new_passphrase(tmp_path):
    vault = tmp_path / "v"
    recovery = init_vault(vault)
    v = ("--vault", str(vault))
    src = tmp_path / "a.txt"
    src.write_text("evidence", "utf-8")
    ok(*v, "add", str(src))
    before = object_files(vault)

    second = "a second long passphrase"
    ok(*v, "passwd", env={"EVIDENCE_APP_NEW_PASSPHRASE": second})
    assert_one_line_error(run_cli(*v, "list"), "passphrase")
    assert "a.txt" in ok(*v, "list", passphrase=second).stdout

    third = "third passphrase from the recovery key"
    rec = ok(*v, "passwd", "--recovery", passphrase=None,
             env={"EVIDENCE_APP_RECOVERY_KEY": recovery.lower().replace("-", " "),
                  "EVIDENCE_APP_NEW_PASSPHRASE": third})
    assert "Passphrase changed" in rec.stdout
    assert_one_line_error(run_cli(*v, "list", passphrase=second), "passphrase")
    assert "a.txt" in ok(*v, "list", passphrase=third).stdout
    log = ok(*v, "log", passphrase=third).stdout
    assert log.count("Passphrase changed") == 2
    assert "Opened with the recovery key" in log
    ok(*v, "log", "--verify", passphrase=third)
    # Content was not re-encrypted: every object file is byte-for-byte what it was.
    assert object_files(vault) == before
    wrong = run_cli(*v, "passwd", "--recovery", passphrase=None,
                    env={"EVIDENCE_APP_RECOVERY_KEY": "0000-0000-0000-0000-0000-0000-0000-0000",
                         "EVIDENCE_APP_NEW_PASSPHRASE": "never set this one"})
    assert_one_line_error(wrong, "recovery key")


def test_passphrase_from_file_and_environment(tmp_path):
    vault = tmp_path / "v"
    secret = tmp_path / "secret.txt"
    secret.write_text("passphrase from a file\n", "utf-8")
    ok("--vault", str(vault), "--passphrase-file", str(secret), "init", "--no-timestamps",
       passphrase=None)
    ok("--vault", str(vault), "--passphrase-file", str(secret), "list", passphrase=None)
    ok("--vault", str(vault), "list", passphrase="passphrase from a file")
    # The file wins over the environment.
    ok("--vault", str(vault), "--passphrase-file", str(secret), "list", passphrase="wrong one!")
    assert_one_line_error(run_cli("--vault", str(vault), "list", passphrase="wrong one!"),
                          "passphrase")
    missing = run_cli("--vault", str(vault), "--passphrase-file", str(tmp_path / "nope"), "list")
    assert_one_line_error(missing, "passphrase or key file")
    # No passphrase at all and no terminal: a clear sentence, not a hang.
    assert_one_line_error(run_cli("--vault", str(vault), "list", passphrase=None), "passphrase")


def test_vault_location_flag_env_and_default(tmp_path, isolated_env):
    flag, env_vault = tmp_path / "by-flag", tmp_path / "by-env"
    default = isolated_env / ".local/share" / "evidence-app" / "vault"
    ok("--vault", str(flag), "init", "--no-timestamps")
    ok("init", "--no-timestamps", env={"EVIDENCE_APP_VAULT": str(env_vault)})
    ok("init", "--no-timestamps")
    for folder in (flag, env_vault, default):
        assert (folder / "vault.json").is_file(), folder
    src = tmp_path / "a.txt"
    src.write_text("x", "utf-8")
    ok("--vault", str(flag), "add", str(src), env={"EVIDENCE_APP_VAULT": str(env_vault)})
    ok("add", str(src), str(src), env={"EVIDENCE_APP_VAULT": str(env_vault)})
    ok("add", str(src), str(src), str(src))

    def count(*args: str, **kw) -> int:
        return len(json.loads(ok(*args, "list", "--json", **kw).stdout))

    assert count("--vault", str(flag)) == 1
    assert count(env={"EVIDENCE_APP_VAULT": str(env_vault)}) == 2
    assert count() == 3
