"""Someone with the vault folder but not the current passphrase: what they tried on the first
version, and what happens now.

- Putting back an older `journal` + `head` made the next open delete the newer item's
  encrypted file ("An interrupted add left 1 unfinished file(s)..."), and `log --verify`
  said OK. Now the file is kept aside and recoverable, and the older log is noticed against
  the note this computer keeps outside the vault.
- A copy of the old `vault.json` and the old passphrase read items added after `passwd`;
  putting it back locked the owner out. Now each change starts a key epoch, and the app
  puts the newer key file back when the owner's passphrase opens it.
- The same for a replaced recovery key.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from evidence_app.core.errors import CorruptHeader, CorruptObject, JournalCorrupt
from evidence_app.core.keys import subkey
from evidence_app.core.lastseen import LastSeen
from evidence_app.core.objectstore import ObjectStore
from evidence_app.core.vault import Vault
from evidence_app.core.vault_header import read_header, unwrap_with_passphrase
from tests.cli.util import RECOVERY_KEY_RE, added_ids, assert_one_line_error, init_vault, ok
from tests.helpers import PASSPHRASE, run_cli

NEW = "a completely different passphrase 42"
SECRET = b"SECRET-ADDED-AFTER-THE-CHANGE-7f3a"


def _add(vault: Path, path: Path, content: bytes, **kw: str) -> str:
    path.write_bytes(content)
    done = ok("--vault", str(vault), "add", str(path), **kw)
    (item_id,) = added_ids(done.stdout)
    return item_id


def _snapshot(vault: Path, *names: str) -> dict[str, bytes]:
    return {name: (vault / name).read_bytes() for name in names}


def _restore(vault: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (vault / name).write_bytes(data)


def _plaintexts(vault: Path, masters: list[bytes]) -> bytes:
    """Everything that opens with these master keys, objects and quarantine alike."""
    found = b""
    keys = [subkey(m, "objects") for m in masters]
    for folder in ("objects", "quarantine"):
        store = ObjectStore(vault / folder, keys)
        for object_id in store.all_ids():
            try:
                found += store.read_bytes(object_id)
            except CorruptObject:
                continue
    return found


# --- rollback of the custody log ---------------------------------------------------------


def test_older_log_put_back_keeps_the_newer_evidence_and_says_so(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    init_vault(vault)
    _add(vault, tmp_path / "first.txt", b"first piece of evidence")
    older = _snapshot(vault, "journal", "head")
    newer_id = _add(vault, tmp_path / "threat.txt", SECRET)
    _restore(vault, older)  # the offender puts back yesterday's log

    listing = ok("--vault", str(vault), "list")
    assert "older than the one this computer last saw" in listing.stderr
    assert "kept aside, not deleted" in listing.stderr
    assert "threat.txt" not in listing.stdout
    kept = list((vault / "quarantine").rglob("*"))
    assert any(p.is_file() for p in kept), "the newer item's file must be kept"

    log = ok("--vault", str(vault), "log")
    assert "Older custody log noticed" in log.stdout
    assert "kept aside in quarantine" in log.stdout

    listed = ok("--vault", str(vault), "recover")
    assert "evidence" in listed.stdout
    back = ok("--vault", str(vault), "recover", "--all")
    assert f"SHA-256 {hashlib.sha256(SECRET).hexdigest()}" in back.stdout
    recovered_id = back.stdout.split("recovered as item ")[1].split(":")[0]
    out = tmp_path / "out.txt"
    ok("--vault", str(vault), "export", recovered_id, "--out", str(out))
    assert out.read_bytes() == SECRET
    assert ok("--vault", str(vault), "check").returncode == 0
    show = ok("--vault", str(vault), "show", recovered_id)
    assert "quarantine" in show.stdout.lower() or "recovered" in show.stdout.lower()
    assert newer_id  # the old id is gone with the old record; the content is back


def test_a_log_from_another_history_is_noticed(tmp_path: Path) -> None:
    """Not shorter, but different: an old copy carried on elsewhere (another computer, so
    it grew past the length this one saw) does not hold the record this computer saw last."""
    vault = tmp_path / "vault"
    init_vault(vault)
    older = _snapshot(vault, "journal", "head")
    _add(vault, tmp_path / "a.txt", b"aaa")
    _restore(vault, older)
    elsewhere = {"HOME": str(tmp_path / "other-computer"),
                 "XDG_CONFIG_HOME": str(tmp_path / "other-computer/.config")}
    for n in range(4):
        ok("--vault", str(vault), "note", f"written on the other computer {n}", env=elsewhere)
    result = ok("--vault", str(vault), "list")
    assert "older than the one this computer last saw" in result.stderr


def test_killed_add_is_kept_aside_not_deleted(vault: Vault) -> None:
    """The ordinary case the old deletion was made for: a file written, no record."""
    store = vault.store
    assert store is not None
    stored = store.write_bytes(b"half-added screenshot")
    path, header = vault.path, vault.header
    vault.lock()
    with Vault.open(path, PASSPHRASE) as again:
        assert [n.kind for n in again.notices] == ["quarantined"]
        assert again.store is not None
        assert not again.store.all_ids()
        (kept,) = again.quarantined()
        assert kept.object_id == stored.object_id
        assert kept.recoverable
        (item,) = again.recover()
        assert item.sha256 == hashlib.sha256(b"half-added screenshot").hexdigest()
        assert item.source == {"type": "recovered", "from": "quarantine"}
        assert b"".join(bytes(v) for v in again.iter_item(item.id)) == b"half-added screenshot"
    assert header


def test_thumbnails_are_kept_but_not_offered_as_evidence(vault: Vault) -> None:
    store = vault.store
    assert store is not None
    store.write_bytes(b"thumbnail bytes", derived=True)
    path = vault.path
    vault.lock()
    with Vault.open(path, PASSPHRASE) as again:
        (kept,) = again.quarantined()
        assert kept.derived
        assert not kept.recoverable
        assert again.recover() == []


# --- old vault.json + old passphrase -----------------------------------------------------


def test_old_header_and_old_passphrase_read_nothing_added_since(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    init_vault(vault)
    _add(vault, tmp_path / "before.txt", b"before the change")
    old_header = (vault / "vault.json").read_bytes()
    ok("--vault", str(vault), "passwd", env={"EVIDENCE_APP_NEW_PASSPHRASE": NEW})
    _add(vault, tmp_path / "after.txt", SECRET, env={"EVIDENCE_APP_PASSPHRASE": NEW})
    note = ok("--vault", str(vault), "note", "secret note after the change",
              env={"EVIDENCE_APP_PASSPHRASE": NEW})
    assert note.returncode == 0

    # The offender, on their own computer: the copied folder with the old header put back.
    stolen = tmp_path / "stolen"
    shutil.copytree(vault, stolen, ignore=shutil.ignore_patterns(".lock"))
    (stolen / "vault.json").write_bytes(old_header)
    masters = unwrap_with_passphrase(read_header(stolen), PASSPHRASE, stolen)
    assert len(masters) == 1  # only the old epoch's key
    readable = _plaintexts(stolen, masters)
    assert b"before the change" in readable
    assert SECRET not in readable
    # The custody log past the change does not open either: those records are not shown.
    with pytest.raises((JournalCorrupt, CorruptHeader)):  # the head is under the new key
        Vault.open(stolen, PASSPHRASE)
    with Vault.open(stolen, PASSPHRASE, allow_damaged=True) as partial:
        texts = str(partial.records)
        assert "after.txt" not in texts
        assert "secret note" not in texts
    export = run_cli("--vault", str(stolen), "list")
    assert export.returncode != 0
    assert "after.txt" not in export.stdout


def test_owner_is_not_locked_out_by_an_old_header_put_back(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    init_vault(vault)
    old_header = (vault / "vault.json").read_bytes()
    ok("--vault", str(vault), "passwd", env={"EVIDENCE_APP_NEW_PASSPHRASE": NEW})
    _add(vault, tmp_path / "after.txt", SECRET, env={"EVIDENCE_APP_PASSPHRASE": NEW})
    (vault / "vault.json").write_bytes(old_header)

    # The old passphrase on this computer: refused, with words that say what happened.
    refused = run_cli("--vault", str(vault), "list")
    assert_one_line_error(refused, "older copy")
    # The owner's passphrase: the newer header is put back, the old one kept beside it.
    opened = ok("--vault", str(vault), "list", env={"EVIDENCE_APP_PASSPHRASE": NEW})
    assert "after.txt" in opened.stdout
    assert "had been replaced with an older copy" in opened.stderr
    assert list(vault.glob("vault.json.replaced-*"))
    log = ok("--vault", str(vault), "log", "--verify", env={"EVIDENCE_APP_PASSPHRASE": NEW})
    assert "Custody log OK" in log.stdout
    shown = ok("--vault", str(vault), "log", env={"EVIDENCE_APP_PASSPHRASE": NEW})
    assert "was put back" in shown.stdout


def test_passwd_keeps_the_recovery_key_working(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    recovery = init_vault(vault)
    ok("--vault", str(vault), "passwd", env={"EVIDENCE_APP_NEW_PASSPHRASE": NEW})
    _add(vault, tmp_path / "after.txt", SECRET, env={"EVIDENCE_APP_PASSPHRASE": NEW})
    third = "yet another passphrase for the test"
    reset = ok("--vault", str(vault), "passwd", "--recovery",
               env={"EVIDENCE_APP_RECOVERY_KEY": recovery, "EVIDENCE_APP_NEW_PASSPHRASE": third})
    assert "recovery key stays the same" in reset.stdout
    listing = ok("--vault", str(vault), "list", env={"EVIDENCE_APP_PASSPHRASE": third})
    assert "after.txt" in listing.stdout
    header = read_header(vault)
    assert header["epoch"] == 2


def test_replaced_recovery_key(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    old_key = init_vault(vault)
    old_header = (vault / "vault.json").read_bytes()
    done = ok("--vault", str(vault), "recovery-key", "--new")
    (new_key,) = RECOVERY_KEY_RE.findall(done.stdout)
    assert new_key != old_key
    _add(vault, tmp_path / "after.txt", SECRET)
    refused = run_cli("--vault", str(vault), "passwd", "--recovery",
                      env={"EVIDENCE_APP_RECOVERY_KEY": old_key,
                           "EVIDENCE_APP_NEW_PASSPHRASE": NEW})
    assert_one_line_error(refused, "recovery key")
    reset = ok("--vault", str(vault), "passwd", "--recovery",
               env={"EVIDENCE_APP_RECOVERY_KEY": new_key, "EVIDENCE_APP_NEW_PASSPHRASE": NEW})
    assert reset.returncode == 0
    # An old header with the old recovery key opens only the first epoch.
    from evidence_app.core.vault_header import unwrap_with_recovery_key

    stolen = tmp_path / "stolen"
    shutil.copytree(vault, stolen, ignore=shutil.ignore_patterns(".lock"))
    (stolen / "vault.json").write_bytes(old_header)
    masters = unwrap_with_recovery_key(read_header(stolen), old_key, stolen)
    assert SECRET not in _plaintexts(stolen, masters)


def test_recovery_key_replacement_needs_the_passphrase(vault: Vault) -> None:
    from evidence_app.core.errors import WrongPassphrase

    with pytest.raises(WrongPassphrase):
        vault.replace_recovery_key("not the passphrase at all")
    assert vault.header["epoch"] == 0


def test_first_version_vault_gets_a_new_recovery_key_on_passwd(tmp_path: Path) -> None:
    """A version 1 header's recovery key wraps one key and cannot take a new one."""
    from tests.security.v1vault import CONTENT, make_v1_vault

    vault = tmp_path / "v1"
    old_recovery = make_v1_vault(vault)
    listing = ok("--vault", str(vault), "list")
    assert "old.txt" in listing.stdout
    done = ok("--vault", str(vault), "passwd", env={"EVIDENCE_APP_NEW_PASSPHRASE": NEW})
    (new_key,) = RECOVERY_KEY_RE.findall(done.stdout)
    assert "no longer works" in done.stdout
    assert new_key != old_recovery
    export = tmp_path / "old.txt"
    ok("--vault", str(vault), "export", "1", "--out", str(export),
       env={"EVIDENCE_APP_PASSPHRASE": NEW})
    assert export.read_bytes() == CONTENT
    assert read_header(vault)["version"] == 2
    old = run_cli("--vault", str(vault), "passwd", "--recovery",
                  env={"EVIDENCE_APP_RECOVERY_KEY": old_recovery,
                       "EVIDENCE_APP_NEW_PASSPHRASE": "a third passphrase for this test"})
    assert_one_line_error(old, "recovery key")
    reset = ok("--vault", str(vault), "passwd", "--recovery",
               env={"EVIDENCE_APP_RECOVERY_KEY": new_key,
                    "EVIDENCE_APP_NEW_PASSPHRASE": "a third passphrase for this test"})
    assert reset.returncode == 0


def test_first_version_vault_opens_with_its_recovery_key(tmp_path: Path) -> None:
    from tests.security.v1vault import CONTENT, make_v1_vault

    vault = tmp_path / "v1"
    key = make_v1_vault(vault)
    with Vault.open_with_recovery_key(vault, key) as opened:
        (item,) = opened.state.items.values()
        assert b"".join(bytes(v) for v in opened.iter_item(item.id)) == CONTENT


def test_last_seen_note_ignores_hostile_vault_ids(tmp_path: Path) -> None:
    seen = LastSeen(tmp_path / "seen")
    from evidence_app.core.lastseen import Seen

    seen.save("../../escape", Seen(1, "x", b"{}", 0))
    assert not (tmp_path / "escape.json").exists()
    assert not list(tmp_path.rglob("*.json"))
    assert seen.load("../../escape") is None

