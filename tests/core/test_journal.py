"""The custody journal: a torn, never-acknowledged tail is moved aside and reported; damage to
acknowledged records (the head file says how far that goes) is refused and left untouched."""

from __future__ import annotations

import struct

import pytest

from evidence_app.core.errors import CorruptHeader, JournalCorrupt
from evidence_app.core.journal import check_chain, record_hash
from evidence_app.core.vault import Vault
from tests.cli.util import journal_frames, write_journal
from tests.helpers import PASSPHRASE


@pytest.fixture
def vault_path(tmp_path):
    v, _key = Vault.create(tmp_path / "v", PASSPHRASE)
    for text in ("one", "two", "three"):
        v.add_note(text)
    v.lock()
    return tmp_path / "v"


def _open(path, **kw) -> Vault:
    return Vault.open(path, PASSPHRASE, **kw)


@pytest.mark.parametrize("tail", [
    b"\x00\x00",  # not even the length prefix
    struct.pack(">I", 1000),  # the prefix only
    struct.pack(">I", 1000) + b"\xab" * 3,
    struct.pack(">I", 1000) + b"\xab" * 900,  # most of a frame
    struct.pack(">I", 40) + b"\xab" * 40,  # a whole frame of garbage
])
def test_torn_tail_is_moved_aside_and_reported(vault_path, tail):
    intact = (vault_path / "journal").read_bytes()
    (vault_path / "journal").write_bytes(intact + tail)
    with _open(vault_path) as v:
        assert [n.kind for n in v.notices] == ["torn_tail"]
        aside = vault_path / v.notices[0].detail["moved_to"].split("/")[-1]
        assert aside.read_bytes() == tail
        assert v.notices[0].detail["bytes"] == len(tail)
        assert v.records[-1]["type"] == "journal_repaired"
        assert v.records[-1]["data"]["moved_aside"] == aside.name
        assert [n.text for n in v.state.notes.values()] == ["one", "two", "three"]
        assert v.verify_log() == 5
    # Cut back to the last good record, plus the repair record; reopening is quiet.
    assert (vault_path / "journal").read_bytes().startswith(intact)
    with _open(vault_path) as v:
        assert v.notices == []


def test_damaged_last_acknowledged_record_is_not_a_torn_tail(vault_path):
    frames = journal_frames(vault_path)
    frames[-1] = frames[-1][:-5]  # also shorter, exactly like a torn write
    frames[-1] = struct.pack(">I", len(frames[-1]) - 4) + frames[-1][4:]
    write_journal(vault_path, frames)
    before = (vault_path / "journal").read_bytes()
    with pytest.raises(JournalCorrupt) as info:
        _open(vault_path)
    assert (info.value.seq, info.value.reason) == (4, "unreadable")
    # Read-only inspection shows what is intact and changes nothing.
    with _open(vault_path, allow_damaged=True) as v:
        assert len(v.records) == 3
        assert isinstance(v.problem, JournalCorrupt)
        with pytest.raises(JournalCorrupt):
            v.add_note("must not be written")
        with pytest.raises(JournalCorrupt):
            v.verify_log()
    assert (vault_path / "journal").read_bytes() == before
    assert not list(vault_path.glob("journal.torn-*"))


def test_head_lagging_one_record_is_brought_up_to_date(vault_path):
    """A crash after the record was written but before the head was updated."""
    old_head = (vault_path / "head").read_bytes()
    with _open(vault_path) as v:
        v.add_note("four")
    (vault_path / "head").write_bytes(old_head)
    with _open(vault_path) as v:
        assert v.notices == []
        assert v.state.notes["n4"].text == "four"
        assert v.journal is not None
        assert v.journal.read_head()[0] == 5


def test_head_lagging_and_torn_tail_beyond_it(vault_path):
    old_head = (vault_path / "head").read_bytes()
    with _open(vault_path) as v:
        v.add_note("four")
    (vault_path / "head").write_bytes(old_head)
    frames = journal_frames(vault_path)
    frames[-1] = frames[-1][: len(frames[-1]) // 2]  # the record the head never named
    write_journal(vault_path, frames)
    with _open(vault_path) as v:
        assert [n.kind for n in v.notices] == ["torn_tail"]
        assert "n4" not in v.state.notes


def test_records_cut_off_the_end_are_noticed(vault_path):
    frames = journal_frames(vault_path)
    write_journal(vault_path, frames[:-2])
    with pytest.raises(JournalCorrupt) as info:
        _open(vault_path)
    assert (info.value.seq, info.value.reason) == (3, "missing")


def test_another_copy_of_the_journal_in_its_place_is_noticed(vault_path, tmp_path):
    """Two copies of one vault go different ways; the journal of one put into the other is
    a whole, correctly signed chain, but not the one this vault's head acknowledged."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(vault_path, copy)
    with _open(vault_path) as v:
        v.add_note("written in the original")
    with _open(copy) as c:
        c.add_note("written in the copy")
    shutil.copyfile(copy / "journal", vault_path / "journal")
    with pytest.raises(JournalCorrupt) as info:
        _open(vault_path)
    assert (info.value.seq, info.value.reason) == (5, "hash")  # 4 shared, then they part
    with _open(vault_path, allow_damaged=True) as v:
        assert v.problem is not None
        with pytest.raises(JournalCorrupt):
            v.verify_log()


def test_head_missing_or_damaged(vault_path):
    head = vault_path / "head"
    head.write_bytes(head.read_bytes().replace(b'"ct": "', b'"ct": "AAAA'))
    with pytest.raises(CorruptHeader):
        _open(vault_path)
    head.unlink()
    with pytest.raises(CorruptHeader):
        _open(vault_path)
    with _open(vault_path, allow_damaged=True) as v:
        assert len(v.records) == 4


def test_chain_and_signatures(vault_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    with _open(vault_path) as v:
        records = [dict(r) for r in v.records]
        check_chain(records, v.public_key)
    with pytest.raises(JournalCorrupt) as info:
        check_chain(records, Ed25519PrivateKey.generate().public_key())
    assert (info.value.seq, info.value.reason) == (1, "signature")
    # Altered content with a recomputed hash still fails: the signature covers it.
    forged = [dict(r) for r in records]
    forged[2] = dict(forged[2], data={"note_id": "n2", "item_id": None, "text": "changed"})
    forged[2]["hash"] = record_hash(forged[2])
    with pytest.raises(JournalCorrupt) as info:
        check_chain(forged[:3], v.public_key)
    assert (info.value.seq, info.value.reason) == (3, "signature")
    with pytest.raises(JournalCorrupt) as info:
        check_chain(forged, v.public_key)
    assert info.value.seq == 3
    with pytest.raises(JournalCorrupt) as info:
        check_chain(records[1:], v.public_key)
    assert (info.value.seq, info.value.reason) == (1, "sequence")


def test_times_are_utc_with_local_offset(vault_path):
    import re

    with _open(vault_path) as v:
        for record in v.records:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", record["time"])
            assert re.fullmatch(r"[+-]\d\d:\d\d", record["offset"])


def test_tail_moved_aside_but_not_recorded_is_still_reported(vault_path):
    """A crash after the torn tail was moved aside, before the repair was recorded."""
    aside = vault_path / "journal.torn-20261123T101010Z.bin"
    aside.write_bytes(b"\x00\x00\x03\xe8" + b"\xab" * 40)
    with _open(vault_path) as v:
        assert [(n.kind, n.detail["moved_to"]) for n in v.notices] == [("torn_tail", str(aside))]
        assert v.records[-1]["data"] == {"moved_aside": aside.name, "bytes": 44}
    with _open(vault_path) as v:
        assert v.notices == []
    assert aside.read_bytes() == b"\x00\x00\x03\xe8" + b"\xab" * 40


def test_two_torn_tails_in_the_same_second_are_both_kept(vault_path, monkeypatch):
    from evidence_app.core import vault as vault_module

    monkeypatch.setattr(vault_module, "now_utc_and_offset",
                        lambda: ("2026-11-23T10:10:10.000000Z", "+00:00"))
    tails = [struct.pack(">I", 500) + b"first", struct.pack(">I", 500) + b"second"]
    for tail in tails:
        with open(vault_path / "journal", "ab") as fh:
            fh.write(tail)
        with _open(vault_path) as v:
            assert [n.kind for n in v.notices] == ["torn_tail"]
    asides = sorted(vault_path.glob("journal.torn-*"))
    assert sorted(p.read_bytes() for p in asides) == sorted(tails)
    with _open(vault_path) as v:
        recorded = [r["data"]["moved_aside"] for r in v.records
                    if r["type"] == "journal_repaired"]
        assert sorted(recorded) == [p.name for p in asides]
        assert v.verify_log() == len(v.records)
