"""Archive limits that hold (issue 15): the bombs an attacker sends, opened the way a person
opens them (`evidence-app verify`, `evidence-app import-chat`), refused before anything is
written, with one sentence.

The archives are the real attacks from the issue, valid zips (`unzip -t` passes them), built
in well under a second (tests/security/zip_bombs.py): two ~4 GiB entries at ratio ~855,
8,000 entries of 1 MiB, both in about 10 MB; a central directory of a million entries,
honest or hidden behind a smaller count. Each run has its own temp folder (TMPDIR), sampled
while the command runs: nothing may be unpacked there.
"""

from __future__ import annotations

import os
import shutil
import zlib
from pathlib import Path

import pytest

from tests.cli.util import assert_one_line_error, file_size_limit, init_vault, run_cli_raw
from tests.helpers import PASSPHRASE
from tests.security import zip_bombs as zb

# The CLI alone takes ~45 MiB here; main's zipfile parse of a million entries took 430 MiB.
MEMORY_BOUND = 100 * zb.MIB
NOTHING_WRITTEN = 1 * zb.MIB  # the run's own lock and log files are a few KiB
TIMEOUT = 30  # main wrote 8 GiB in 60 s; the refusals take one or two seconds


def _temp(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def _refused(run: zb.Measured, *words: str) -> str:
    assert run.returncode is not None, f"still running after {TIMEOUT} s: {run.stderr}"
    return assert_one_line_error(run, *words)  # type: ignore[arg-type]


@pytest.mark.parametrize("attack", ["two_huge", "many_mib"])
def test_bundle_bomb_is_refused_before_unpacking(tmp_path: Path, attack: str) -> None:
    build = zb.two_huge_entries if attack == "two_huge" else zb.many_mebibytes
    bomb = build(tmp_path / "bundle.zip")
    assert bomb.stat().st_size < 11_000_000
    temp = _temp(tmp_path)
    run = zb.run_measured(["verify", str(bomb)], env={"TMPDIR": str(temp)}, watch=[temp],
                          timeout=TIMEOUT)
    _refused(run, "zip bomb")
    assert run.peak_written < NOTHING_WRITTEN, f"{run.peak_written} bytes unpacked"
    assert zb.folder_usage(temp) < NOTHING_WRITTEN


@pytest.mark.parametrize("attack", ["two_huge", "many_mib"])
def test_chat_export_bomb_is_refused_before_importing(tmp_path: Path, attack: str) -> None:
    vault = tmp_path / "v"
    init_vault(vault)
    bomb = zb.whatsapp_export(tmp_path / "WhatsApp Chat with Sam Fiction.zip",
                              zb.whatsapp_bombs(attack))
    temp = _temp(tmp_path)
    run = zb.run_measured(["--vault", str(vault), "import-chat", str(bomb), "--me", "-"],
                          env={"TMPDIR": str(temp), "EVIDENCE_APP_PASSPHRASE": PASSPHRASE},
                          watch=[temp, vault], timeout=TIMEOUT)
    _refused(run, "zip bomb")
    assert run.peak_written < NOTHING_WRITTEN, f"{run.peak_written} bytes written"


@pytest.mark.parametrize(("command", "declared", "words"), [
    ("verify", "honest", "too many entries"),
    ("verify", "one", "table of contents"),
    ("verify", "limit", "too many entries"),
    ("import-chat", "honest", "too many entries"),
])
def test_million_entries_are_refused_from_the_end_record(
        tmp_path: Path, command: str, declared: str, words: str) -> None:
    """A central directory of a million entries: refused from the end record (or while
    counting records), never parsed into a million ZipInfo objects.

    "one": the end record says 1 entry and hides a 47 MB directory behind it; "limit": it
    says 20,000 (the limit) and the directory is as big as 20,000 plausible records could be,
    made of ~435,000 tiny ones (zipfile reads records until the size is used up, whatever
    the count says)."""
    if declared == "limit":
        count, said = 20_000 * 1024 // 47, 20_000
    else:
        count, said = 1_000_000, (1 if declared == "one" else 1_000_000)
    archive = zb.write_many_entries(tmp_path / "many.zip", count, said)
    temp = _temp(tmp_path)
    env = {"TMPDIR": str(temp)}
    if command == "verify":
        args = ["verify", str(archive)]
    else:
        vault = tmp_path / "v"
        init_vault(vault)
        args = ["--vault", str(vault), "import-chat", str(archive), "--me", "-"]
        env["EVIDENCE_APP_PASSPHRASE"] = PASSPHRASE
    run = zb.run_measured(args, env=env, watch=[temp], timeout=TIMEOUT)
    _refused(run, words)
    assert run.peak_rss < MEMORY_BOUND, f"peak RSS {run.peak_rss >> 20} MiB"


def test_real_sized_bundle_of_videos_passes_the_limits(tmp_path: Path) -> None:
    """20 GB of stored video (ratio 1) and a 10,000-entry bundle are not what the limits
    are for: both open (the data is sparse holes, so this takes no disk space)."""
    from evidence_app.core.safezip import BUNDLE_LIMITS, SafeZip

    videos = zb.write_zip(tmp_path / "videos.zip", [
        zb.stored_hole(f"case/data/evidence/video-{i}.mp4", 4 * zb.GIB - 1) for i in range(5)])
    with SafeZip(videos, BUNDLE_LIMITS) as archive:
        assert sum(e.size for e in archive.files()) > 20_000_000_000
    many = zb.write_zip(tmp_path / "many.zip", [
        zb.stored_hole(f"case/data/evidence/photo-{i:05d}.jpg", 300_000)
        for i in range(10_000)])
    with SafeZip(many, BUNDLE_LIMITS) as archive:
        assert len(archive.files()) == 10_000


def test_text_only_chat_export_passes_the_ratio_limit(tmp_path: Path) -> None:
    """Chat text compresses well (ratio 200 here): under the floor it is not a bomb."""
    from evidence_app.core.safezip import CHAT_EXPORT_LIMITS, SafeZip

    line = b"12/30/23, 9:16 PM - Sam Fiction: Send 500 USDT now, then I double it.\n"
    export = zb.write_zip(tmp_path / "chat.zip", [
        zb.deflated_bytes("WhatsApp Chat with Sam Fiction.txt", line * 600_000)])
    assert 40 * zb.MIB / export.stat().st_size > 150
    with SafeZip(export, CHAT_EXPORT_LIMITS) as archive:
        assert archive.files()[0].size == len(line) * 600_000


def test_not_enough_free_space_is_said_before_writing(tmp_path: Path) -> None:
    """An archive that would need more than the destination's free space: refused before
    the first byte, saying how much is needed and where."""
    from evidence_app.core.errors import DiskFull
    from evidence_app.core.safezip import SafeZip, ZipLimits
    from evidence_app.messages import describe

    dest = tmp_path / "unpacked"
    free = shutil.disk_usage(tmp_path).free
    declared = free + zb.GIB
    archive = zb.write_zip(tmp_path / "big.zip", [
        zb.deflated_bytes("case/bagit.txt", b"BagIt-Version: 1.0\n"),
        zb.lying_member("case/data/evidence/disk-image.raw", declared, 4096)])
    # Only the space check is under test: these limits let any size and ratio through.
    generous = ZipLimits(max_total_size=1 << 62, max_ratio=1 << 62,
                         max_overall_ratio=1 << 62)
    with SafeZip(archive, generous) as opened, pytest.raises(DiskFull) as caught:
        opened.extract_all(dest)
    refused = caught.value
    assert refused.needed is not None
    assert refused.needed > declared
    assert refused.free is not None
    assert refused.free < declared
    assert refused.path is not None
    assert refused.path == dest or refused.path in dest.parents  # where the space is missing
    sentence = describe(refused)
    assert f"in {refused.path}: this needs " in sentence
    assert f"{refused.needed / 1e9:.1f} GB" in sentence
    assert zb.folder_usage(tmp_path / "unpacked") == 0


@pytest.mark.parametrize("extract_to", [False, True])
def test_disk_filling_while_unpacking_says_disk_full(tmp_path: Path, extract_to: bool) -> None:
    """The disk fills anyway (here: a file-size limit, so writes fail with EFBIG as on a full
    disk): the one "disk is full" sentence, and no partial file left."""
    data = os.urandom(6 * zb.MIB)
    bundle = zb.write_zip(tmp_path / "bundle.zip", [
        zb.deflated_bytes("case/bagit.txt", b"BagIt-Version: 1.0\n"),
        zb.Member("case/data/evidence/video.mp4", len(data), len(data), zlib.crc32(data),
                  0, lambda fh: fh.write(data))])
    temp = _temp(tmp_path)
    out = tmp_path / "out"
    args = ["verify", str(bundle)] + (["--extract-to", str(out)] if extract_to else [])
    result = run_cli_raw(*args, env={"TMPDIR": str(temp)},
                         preexec_fn=file_size_limit(2 * zb.MIB))
    assert_one_line_error(result, "disk is full")
    assert zb.folder_usage(temp) < NOTHING_WRITTEN
    assert zb.folder_usage(out) == 0
