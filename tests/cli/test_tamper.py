"""Damage at rest: a corrupted object is located to item and segment; custody-log tampering
(altered, removed, reordered, cut off) is named by record number."""

from __future__ import annotations

import pytest

from evidence_app.core.segments import HEADER_SIZE, TAG_SIZE
from tests.cli.util import (
    SEGMENT,
    assert_no_traceback,
    assert_one_line_error,
    init_vault,
    item_object_id,
    journal_frames,
    object_path,
    ok,
    random_file,
    write_journal,
)
from tests.helpers import run_cli


@pytest.fixture
def three_items(tmp_path):
    """A vault with a small item 1, a 2.5 MiB item 2 (three segments) and a small item 3."""
    vault = tmp_path / "v"
    init_vault(vault)
    files = [random_file(tmp_path / "one.bin", 1000),
             random_file(tmp_path / "big.bin", SEGMENT * 5 // 2),
             random_file(tmp_path / "three.bin", 5000)]
    ok("--vault", str(vault), "add", *map(str, files))
    return vault, files


def _flip(path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x40
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("segment", "part"), [(0, 1), (1, 2), (2, 3)])
def test_corrupted_object_names_item_and_segment(three_items, tmp_path, segment, part):
    vault, files = three_items
    target = object_path(vault, item_object_id(vault, "2"))
    _flip(target, HEADER_SIZE + segment * (SEGMENT + TAG_SIZE) + 777)
    result = run_cli("--vault", str(vault), "check")
    assert result.returncode == 3
    assert_no_traceback(result)
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    assert failed == [f"FAILED  Item 2: the encrypted file is damaged in part {part} and "
                      "cannot be read."]
    assert "OK      item 1: one.bin" in result.stdout
    assert "OK      item 3: three.bin" in result.stdout
    assert "1 of 3 items failed the check" in result.stdout
    # The other items are still usable, byte for byte.
    for item_id, src in (("1", files[0]), ("3", files[2])):
        out = tmp_path / f"out{item_id}"
        ok("--vault", str(vault), "export", item_id, "--out", str(out))
        assert out.read_bytes() == src.read_bytes()
    bad = run_cli("--vault", str(vault), "export", "2", "--out", str(tmp_path / "out2"))
    assert_one_line_error(bad, "item 2", f"part {part}")
    assert not (tmp_path / "out2").exists(), "no half-exported file may be left"
    # The custody log itself is untouched by object damage.
    ok("--vault", str(vault), "log", "--verify")


def test_object_truncated_at_segment_boundary(three_items):
    vault, _files = three_items
    target = object_path(vault, item_object_id(vault, "2"))
    data = target.read_bytes()
    target.write_bytes(data[: HEADER_SIZE + 2 * (SEGMENT + TAG_SIZE)])
    result = run_cli("--vault", str(vault), "check")
    assert result.returncode == 3
    # Segment 2 (part 2) now claims to be the last one, which its nonce says it is not.
    assert "FAILED  Item 2: the encrypted file is damaged in part 2" in result.stdout


def test_missing_object_file(three_items):
    vault, _files = three_items
    object_path(vault, item_object_id(vault, "3")).unlink()
    result = run_cli("--vault", str(vault), "check")
    assert result.returncode == 3
    assert "FAILED  Item 3: its encrypted file is missing" in result.stdout
    assert "OK      item 2: big.bin" in result.stdout


def _tamper_and_verify(vault, frames, expected_record: int, reason_words: str) -> None:
    write_journal(vault, frames)
    result = run_cli("--vault", str(vault), "log", "--verify")
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert_no_traceback(result)
    assert result.stderr.strip() == (f"FAILED: Custody log record {expected_record}: "
                                     f"{reason_words}.")
    if expected_record > 1:
        assert f"Records 1 to {expected_record - 1} are intact" in result.stdout
    # Everything else refuses to build on a damaged log, in one line naming the record.
    listed = run_cli("--vault", str(vault), "list")
    assert_one_line_error(listed, f"record {expected_record}")


@pytest.fixture
def six_records(tmp_path):
    vault = tmp_path / "v"
    init_vault(vault)
    v = ("--vault", str(vault))
    src = random_file(tmp_path / "a.bin", 100)
    ok(*v, "add", str(src))
    for text in ("second", "third", "fourth", "fifth"):
        ok(*v, "note", text)
    frames = journal_frames(vault)
    assert len(frames) == 6
    return vault, frames


@pytest.mark.parametrize("record", [1, 3, 6])
def test_altered_record(six_records, record):
    vault, frames = six_records
    frame = bytearray(frames[record - 1])
    frame[len(frame) // 2] ^= 1
    frames[record - 1] = bytes(frame)
    _tamper_and_verify(vault, frames, record, "it cannot be read (it was changed or damaged)")


def test_altered_length_prefix(six_records):
    vault, frames = six_records
    frames[2] = (len(frames[2]) + 3).to_bytes(4, "big") + frames[2][4:]
    _tamper_and_verify(vault, frames, 3, "it cannot be read (it was changed or damaged)")


@pytest.mark.parametrize("record", [2, 4])
def test_removed_record(six_records, record):
    vault, frames = six_records
    del frames[record - 1]
    _tamper_and_verify(vault, frames, record, "a record is missing or out of order here")


def test_reordered_records(six_records):
    vault, frames = six_records
    frames[2], frames[3] = frames[3], frames[2]
    _tamper_and_verify(vault, frames, 3, "a record is missing or out of order here")


def test_duplicated_record(six_records):
    vault, frames = six_records
    frames.insert(3, frames[2])
    _tamper_and_verify(vault, frames, 4, "a record is missing or out of order here")


@pytest.mark.parametrize("cut", [1, 2, 5])
def test_records_cut_off_the_end(six_records, cut):
    # Whole, valid-looking frames removed from the end: only the head file can tell.
    vault, frames = six_records
    kept = frames[:-cut]
    _tamper_and_verify(vault, kept, 7 - cut, "records are missing from this point on")


def test_damage_is_not_repaired_or_hidden(six_records):
    """A damaged log is left exactly as found (the evidence of tampering is evidence)."""
    vault, frames = six_records
    frames[4] = frames[4][:-1] + bytes([frames[4][-1] ^ 1])
    write_journal(vault, frames)
    before = (vault / "journal").read_bytes()
    for command in (["log", "--verify"], ["list"], ["note", "more"], ["check"]):
        result = run_cli("--vault", str(vault), *command)
        assert result.returncode != 0
        assert_no_traceback(result)
    assert (vault / "journal").read_bytes() == before
    assert not list(vault.glob("journal.torn-*"))
