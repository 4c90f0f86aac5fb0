"""The encrypted state snapshot (core/snapshot.py) is a cache of the custody log's fold:
used only when it provably describes the journal on disk, ignored otherwise, and never
trusted over the journal. Each attack below is one a naive cache would fall for."""

from __future__ import annotations

import shutil
import struct
from dataclasses import replace
from pathlib import Path

import pytest

from evidence_app.chats import import_chat
from evidence_app.core.errors import JournalCorrupt
from evidence_app.core.journal import Resume
from evidence_app.core.lastseen import LastSeen
from evidence_app.core.snapshot import (
    SNAPSHOT_NAME,
    Snapshot,
    read_snapshot,
    snapshot_key,
    write_snapshot,
)
from evidence_app.core.state import fold
from evidence_app.core.vault import Vault
from tests.helpers import PASSPHRASE

CHATS = Path(__file__).resolve().parents[1] / "assets" / "chats"
PHOTO = (CHATS / "telegram/single/photos/photo_1@05-01-2024_10-05-00.jpg").read_bytes()
NEW_PASSPHRASE = "a different long passphrase for the new epoch"


def _open(path: Path, passphrase: str = PASSPHRASE, **kw) -> Vault:
    return Vault.open(path, passphrase, **kw)


def _add(vault: Vault, *names: str) -> list[str]:
    return [vault.add_bytes(f"content of {n}".encode(), n, source={"type": "test"}).id
            for n in names]


def _names(vault: Vault) -> set[str]:
    return {item.name for item in vault.state.items.values()}


def _full_fold(path: Path) -> object:
    """The state read the slow way: the whole journal, no snapshot."""
    aside = path / SNAPSHOT_NAME
    kept = aside.read_bytes() if aside.exists() else None
    if kept is not None:
        aside.unlink()
    v = _open(path)
    try:
        assert v.state_source == "journal"
        return v.state
    finally:
        # Lock without leaving a snapshot behind, then put back the one that was there.
        v.lock()
        aside.unlink(missing_ok=True)
        if kept is not None:
            aside.write_bytes(kept)


def test_the_listed_state_is_the_same_with_and_without_the_snapshot(vault, tmp_path):
    path = vault.path
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(PHOTO)
    first = vault.add_file(photo, note="the first message", sensitive=True)
    kept, gone = _add(vault, "kept.txt", "gone.txt")
    vault.add_note("what happened on Monday")
    note = vault.add_note("about the photo", item_id=first.id)
    vault.edit_note(note.id, "about the photo, corrected")
    vault.update_case({"reference": "CASE-17", "statement": "He wrote to me first."})
    vault.update_item(kept, description="the threat")
    vault.withdraw_item(gone, "added by mistake")
    import_chat(vault, CHATS / "telegram/single/result.json", me="-")
    vault.record("bundle_sealed", {"name": "bundle-1", "sha256": "0" * 64, "items": [kept]})
    expected = fold(vault.records)
    assert vault.state == expected
    vault.lock()
    assert (path / SNAPSHOT_NAME).exists()

    again = _open(path)
    assert again.state_source == "snapshot"
    assert again.state == expected
    assert again.state.items[gone].withdrawn
    assert again.state.case["reference"] == "CASE-17"
    assert again.verify_log() == len(again.records)  # every record, chain and signature
    assert again.state == fold(again.records)
    again.lock()
    assert _full_fold(path) == expected


def test_records_after_a_snapshot_open_are_the_whole_checked_log(vault):
    path = vault.path
    _add(vault, "a.txt", "b.txt")
    vault.lock()
    again = _open(path)
    assert again.state_source == "snapshot"
    _add(again, "c.txt")  # appended before the earlier records were read
    count = again.verify_log()  # the full chain and every signature
    assert count == len(again.records) == 4  # vault_created and three items
    assert [r["seq"] for r in again.records] == [1, 2, 3, 4]
    again.lock()
    third = _open(path)
    assert third.state_source == "snapshot"
    assert _names(third) == {"a.txt", "b.txt", "c.txt"}
    third.lock()


def test_a_snapshot_of_another_vault_is_ignored(tmp_path):
    mine, _ = Vault.create(tmp_path / "mine", PASSPHRASE)
    _add(mine, "mine.txt")
    mine.lock()
    other, _ = Vault.create(tmp_path / "other", PASSPHRASE)
    _add(other, "theirs-1.txt", "theirs-2.txt")
    other.lock()
    shutil.copyfile(tmp_path / "other" / SNAPSHOT_NAME, tmp_path / "mine" / SNAPSHOT_NAME)
    v = _open(tmp_path / "mine")
    assert v.state_source == "journal"
    assert _names(v) == {"mine.txt"}
    v.lock()
    again = _open(tmp_path / "mine")  # and it was replaced by a good one
    assert again.state_source == "snapshot"
    assert _names(again) == {"mine.txt"}
    again.lock()


@pytest.mark.parametrize("where", [0, 40, -20, -1])
def test_a_snapshot_with_a_flipped_byte_is_ignored(vault, where):
    path = vault.path
    _add(vault, "a.txt", "b.txt")
    vault.lock()
    snap = path / SNAPSHOT_NAME
    data = bytearray(snap.read_bytes())
    data[where] ^= 0x01
    snap.write_bytes(bytes(data))
    v = _open(path)
    assert v.state_source == "journal"
    assert _names(v) == {"a.txt", "b.txt"}
    v.lock()


def test_a_snapshot_of_an_older_head_shows_the_newer_items(vault):
    path = vault.path
    _add(vault, "old.txt")
    vault.lock()
    old = (path / SNAPSHOT_NAME).read_bytes()
    v = _open(path)
    _add(v, "new-1.txt", "new-2.txt")
    v.withdraw_item("1", "wrong file")
    v.lock()
    (path / SNAPSHOT_NAME).write_bytes(old)
    again = _open(path)
    # The old fold is used, and the records after it are read and folded onto it.
    assert again.state_source == "snapshot"
    assert _names(again) == {"old.txt", "new-1.txt", "new-2.txt"}
    assert again.state.items["1"].withdrawn
    assert again.state == fold(again.records)
    again.lock()


def test_a_snapshot_from_a_copy_that_went_its_own_way_is_ignored(vault, tmp_path):
    """Same vault, same keys: a copy of the folder that gained other records. Its snapshot
    claims an item this journal does not have."""
    path = vault.path
    _add(vault, "both.txt")
    vault.lock()
    copy = tmp_path / "copy"
    shutil.copytree(path, copy)
    theirs = _open(copy)
    _add(theirs, "only-in-the-copy.txt")
    theirs.lock()
    mine = _open(path)
    _add(mine, "only-in-mine.txt")  # the same number of records as the copy
    mine.lock()
    assert len(_full_fold(path).items) == 2
    shutil.copyfile(copy / SNAPSHOT_NAME, path / SNAPSHOT_NAME)
    v = _open(path)
    assert v.state_source == "journal"
    assert _names(v) == {"both.txt", "only-in-mine.txt"}
    v.lock()
    # A copy that is ahead (more records than this journal) is ignored too.
    ahead = _open(copy)
    _add(ahead, "later-in-the-copy.txt")
    ahead.lock()
    shutil.copyfile(copy / SNAPSHOT_NAME, path / SNAPSHOT_NAME)
    v = _open(path)
    assert v.state_source == "journal"
    assert _names(v) == {"both.txt", "only-in-mine.txt"}
    v.lock()


def test_a_changed_journal_under_a_good_snapshot_is_still_damage(vault):
    """The snapshot never stands in for reading the log: a record altered before the
    snapshot's head is named on open exactly as without a snapshot."""
    path = vault.path
    _add(vault, "a.txt", "b.txt", "c.txt")
    vault.lock()
    journal = path / "journal"
    data = bytearray(journal.read_bytes())
    first = struct.unpack_from(">I", data, 0)[0] + 4
    data[first + 30] ^= 0x01  # inside record 2
    journal.write_bytes(bytes(data))
    with pytest.raises(JournalCorrupt) as info:
        _open(path)
    assert info.value.seq == 2


def test_a_torn_last_record_is_still_moved_aside_and_reported(vault):
    path = vault.path
    _add(vault, "a.txt")
    vault.lock()
    with open(path / "journal", "ab") as fh:
        fh.write(b"\x00\x00\x01\x00" + b"\x17" * 40)  # a crash in the middle of an append
    v = _open(path)
    assert [n.kind for n in v.notices] == ["torn_tail"]
    assert _names(v) == {"a.txt"}
    v.lock()
    again = _open(path)
    assert again.state_source == "snapshot"
    assert again.notices == []
    again.lock()


def test_a_snapshot_made_with_an_old_key_is_ignored_after_passwd(vault):
    """Someone who keeps the old passphrase (and a copy of the old vault.json) holds the
    old epoch's keys: a snapshot sealed with them, bound to the log as it was before the
    change, must not be believed after it."""
    path = vault.path
    _add(vault, "real.txt")
    vault.lock()
    v = _open(path)
    old_master = bytes(v._masters[0])
    old = read_snapshot(path, snapshot_key(old_master), v.vault_id, 0)
    assert old is not None
    forged_state = old.state
    fake = replace(next(iter(forged_state.items.values())), id="99", name="planted.txt")
    forged_state.items["99"] = fake
    v.change_passphrase(NEW_PASSPHRASE)
    _add(v, "after-the-change.txt")
    v.lock()
    write_snapshot(path, snapshot_key(old_master), v.vault_id, 0,
                   Snapshot(old.resume, forged_state, old.referenced))
    again = _open(path, NEW_PASSPHRASE)
    assert again.state_source == "journal"
    assert _names(again) == {"real.txt", "after-the-change.txt"}
    again.lock()
    assert _open(path, NEW_PASSPHRASE).state_source == "snapshot"


def test_a_forged_snapshot_sealed_under_the_current_epoch_label_is_refused(vault):
    """The key epoch is part of what the snapshot's seal covers: the old epoch's key with
    the new epoch's label does not open either."""
    path = vault.path
    _add(vault, "real.txt")
    old_master = bytes(vault._masters[0])
    vault.change_passphrase(NEW_PASSPHRASE)
    vault.lock()
    v = _open(path, NEW_PASSPHRASE)
    good = read_snapshot(path, snapshot_key(bytes(v._masters[-1])), v.vault_id, 1)
    assert good is not None
    v.lock()
    write_snapshot(path, snapshot_key(old_master), v.vault_id, 1, good)
    again = _open(path, NEW_PASSPHRASE)
    assert again.state_source == "journal"
    again.lock()


def test_rolling_back_journal_head_and_snapshot_together_is_noticed(tmp_path):
    seen = LastSeen(tmp_path / "seen")
    vault, _ = Vault.create(tmp_path / "vault", PASSPHRASE, seen=seen)
    path = vault.path
    _add(vault, "early.txt")
    vault.lock()
    saved = {name: (path / name).read_bytes() for name in ("journal", "head", SNAPSHOT_NAME)}
    v = _open(path, seen=seen)
    _add(v, "later.txt")
    v.lock()
    for name, data in saved.items():
        (path / name).write_bytes(data)
    rolled = _open(path, seen=seen)
    assert rolled.state_source == "snapshot"  # the old snapshot fits the old journal...
    assert "rolled_back" in [n.kind for n in rolled.notices]  # ...and the rollback is seen
    assert "rollback_noticed" in [r["type"] for r in rolled.records]
    quarantined = [n for n in rolled.notices if n.kind == "quarantined"]
    assert quarantined
    assert quarantined[0].detail["rolled_back"]
    rolled.lock()


def test_the_snapshot_reveals_nothing_and_is_bound_to_its_purpose(vault):
    path = vault.path
    vault.add_bytes(b"MARKER-CONTENT", "MARKER-NAME.txt", source={"type": "test"},
                    note="MARKER-NOTE")
    vault.update_case({"reference": "MARKER-CASE"})
    vault.lock()
    raw = (path / SNAPSHOT_NAME).read_bytes()
    assert b"MARKER" not in raw
    v = _open(path)
    key = snapshot_key(bytes(v._masters[-1]))
    assert key != bytes(v._masters[-1])
    # The same key under another vault's id, or a journal key, opens nothing.
    assert read_snapshot(path, key, "0" * 32, 0) is None
    v.lock()


def test_a_snapshot_whose_counts_do_not_fit_the_journal_is_ignored(vault):
    """A snapshot sealed with the right key but naming a head this journal does not have
    (as a bug might write it): the journal's bytes decide."""
    path = vault.path
    _add(vault, "a.txt")
    vault.lock()
    v = _open(path)
    key = snapshot_key(bytes(v._masters[-1]))
    good = read_snapshot(path, key, v.vault_id, 0)
    assert good is not None
    v.lock()
    r = good.resume
    for wrong in (replace(r, end=r.end - 1), replace(r, sha256="0" * 64),
                  replace(r, seq=r.seq - 1)):
        write_snapshot(path, key, v.vault_id, 0, Snapshot(wrong, good.state, good.referenced))
        again = _open(path)
        assert again.state_source == "journal", wrong
        assert _names(again) == {"a.txt"}
        again.lock()
    assert isinstance(r, Resume)


def test_an_instant_lock_writes_no_snapshot_and_a_worker_can_write_it_first(vault):
    path = vault.path
    _add(vault, "a.txt")
    vault.lock(save_snapshot=False)
    assert not (path / SNAPSHOT_NAME).exists()
    v = _open(path)
    assert v.state_source == "journal"
    _add(v, "b.txt")
    v.save_snapshot()  # e.g. at the end of an add, in the worker
    written = (path / SNAPSHOT_NAME).read_bytes()
    v.lock()  # nothing changed since: not written again
    assert (path / SNAPSHOT_NAME).read_bytes() == written
    again = _open(path)
    assert again.state_source == "snapshot"
    assert _names(again) == {"a.txt", "b.txt"}
    again.lock()
