"""Disk full while adding: a clear line, the partial object removed, the vault consistent.

Two ways to run out of space for real: a file-size limit (RLIMIT_FSIZE, writes then fail with
EFBIG, which the OS reports exactly like a full disk for our purposes), and, where the test
may mount one, a tiny tmpfs that really fills up.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.util import (
    added_ids,
    assert_one_line_error,
    assert_vault_healthy,
    file_size_limit,
    init_vault,
    object_files,
    ok,
    random_file,
    run_cli_raw,
)
from tests.helpers import run_cli


def _count(vault: Path) -> int:
    return len(json.loads(ok("--vault", str(vault), "list", "--json").stdout))


def test_object_write_hits_the_limit(tmp_path):
    vault = tmp_path / "v"
    init_vault(vault)
    small = random_file(tmp_path / "small.bin", 10_000)
    big = random_file(tmp_path / "big.bin", 3 << 20)
    after_big = random_file(tmp_path / "after.bin", 10_000)
    journal_before = (vault / "journal").read_bytes()
    result = run_cli_raw("--vault", str(vault), "add", str(small), str(big), str(after_big),
                         preexec_fn=file_size_limit(1 << 20))
    assert_one_line_error(result, "disk is full")
    # What was acknowledged before the failure is kept; nothing after it was attempted.
    assert added_ids(result.stdout) == {"1": "small.bin"}
    assert len(object_files(vault)) == 1, "the partial object must be removed"
    assert (vault / "journal").read_bytes().startswith(journal_before)
    assert_vault_healthy(vault, items=1)
    # With space again, the same add works.
    ok("--vault", str(vault), "add", str(big))
    assert _count(vault) == 2


def test_journal_append_hits_the_limit(tmp_path):
    vault = tmp_path / "v"
    init_vault(vault)
    ok("--vault", str(vault), "note", "x" * 60_000)  # makes the journal the largest file
    journal = (vault / "journal").read_bytes()
    objects_before = object_files(vault)
    src = random_file(tmp_path / "tiny.bin", 100)
    # Room for the object, but the record is cut off part-way through writing.
    result = run_cli_raw("--vault", str(vault), "add", str(src),
                         preexec_fn=file_size_limit(len(journal) + 300))
    assert_one_line_error(result, "disk is full")
    assert added_ids(result.stdout) == {}
    assert (vault / "journal").read_bytes() == journal, "the half record must be cut back"
    assert object_files(vault) == objects_before, "the unrecorded object must be removed"
    assert_vault_healthy(vault, items=0)


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A 4 MiB tmpfs, when this test may mount one (root, and not forbidden by a container)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs",
                           str(mount_point)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_real_full_disk(tiny_tmpfs, tmp_path):
    vault = tiny_tmpfs / "v"
    logs = {"EVIDENCE_APP_LOG_DIR": str(tiny_tmpfs / "logs")}  # the log fills up too
    init_vault(vault)
    first = random_file(tmp_path / "first.bin", 1 << 20)
    ok("--vault", str(vault), "add", str(first), env=logs)
    too_big = random_file(tmp_path / "too-big.bin", 5 << 20)
    result = run_cli("--vault", str(vault), "add", str(too_big), env=logs)
    assert_one_line_error(result, "disk is full")
    assert len(object_files(vault)) == 1
    assert_vault_healthy(vault, items=1)
    out = tmp_path / "first.out"
    ok("--vault", str(vault), "export", "1", "--out", str(out))
    assert out.read_bytes() == first.read_bytes()

    # Completely full: a note's record does not fit (it is larger than the few bytes left in
    # the journal's last block). Nothing changes, then it works again.
    filler = tiny_tmpfs / "filler"
    with contextlib.suppress(OSError), open(filler, "wb") as fh:
        while True:
            fh.write(b"\0" * 65536)
    journal = (vault / "journal").read_bytes()
    result = run_cli("--vault", str(vault), "note", "full disk " * 2000, env=logs)
    assert_one_line_error(result, "disk is full")
    assert (vault / "journal").read_bytes() == journal
    filler.unlink()
    ok("--vault", str(vault), "note", "written after making room", env=logs)
    assert_vault_healthy(vault, items=1)


def test_full_log_disk_prints_no_traceback(tiny_tmpfs, tmp_path):
    """The log file lives on a full disk: the error is still one line, with no traceback."""
    with contextlib.suppress(OSError), open(tiny_tmpfs / "filler", "wb") as fh:
        while True:
            fh.write(b"\0" * 65536)
    result = run_cli("--vault", str(tmp_path / "missing"), "list",
                     env={"EVIDENCE_APP_LOG_DIR": str(tiny_tmpfs / "logs")})
    assert_one_line_error(result, "no vault")
