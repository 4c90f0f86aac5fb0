"""Bad input: one readable line on stderr, a non-zero exit, no traceback, nothing lost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from evidence_app.i18n import _, language
from tests.cli.util import (
    added_ids,
    assert_one_line_error,
    assert_vault_healthy,
    init_vault,
    ok,
    run_cli_raw,
)
from tests.helpers import run_cli


@pytest.fixture
def vault_with_item(tmp_path: Path) -> Path:
    vault = tmp_path / "v"
    init_vault(vault)
    src = tmp_path / "kept.txt"
    src.write_text("evidence that must survive", "utf-8")
    ok("--vault", str(vault), "add", str(src))
    return vault


def _items(vault: Path) -> list[dict]:
    return json.loads(ok("--vault", str(vault), "list", "--json").stdout)


def test_wrong_passphrase(vault_with_item):
    result = run_cli("--vault", str(vault_with_item), "list", passphrase="not the passphrase")
    assert_one_line_error(result, "passphrase did not open")
    assert result.stdout == ""
    assert_vault_healthy(vault_with_item, items=1)


def test_vault_folder_missing(tmp_path):
    missing = tmp_path / "nowhere"
    for command in (["list"], ["add", __file__], ["check"], ["log", "--verify"]):
        result = run_cli("--vault", str(missing), *command)
        assert_one_line_error(result, "no vault", str(missing))
    assert not missing.exists(), "a failed command must not create the folder"


def test_adding_a_folder_without_files_says_so(vault_with_item, tmp_path):
    """An empty folder (or one holding only empty folders) is named, not passed over."""
    empty = tmp_path / "photos"
    (empty / "march").mkdir(parents=True)
    result = run_cli("--vault", str(vault_with_item), "add", str(empty))
    line = assert_one_line_error(result, "no files found in", str(empty), "nothing was added")
    assert line.startswith("error: ")
    assert result.stdout == ""
    assert_vault_healthy(vault_with_item, items=1)

    with language("de"):
        german = _("No files found in {folder}; nothing was added.").format(folder=empty)
    result = run_cli("--lang", "de", "--vault", str(vault_with_item), "add", str(empty))
    assert assert_one_line_error(result).endswith(german)
    assert "No files found" not in result.stderr


def test_an_empty_folder_beside_files_is_named_and_the_files_added(vault_with_item, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    src = tmp_path / "receipt.txt"
    src.write_text("bank transfer 500 EUR", "utf-8")
    result = ok("--vault", str(vault_with_item), "add", str(empty), str(src))
    assert list(added_ids(result.stdout).values()) == ["receipt.txt"]
    assert f"No files found in {empty}." in result.stderr
    assert_vault_healthy(vault_with_item, items=2)


@pytest.mark.parametrize("contents", [[], ["holiday.jpg"]])
def test_folder_that_is_not_a_vault(tmp_path, contents):
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in contents:
        (folder / name).write_bytes(b"x")
    result = run_cli("--vault", str(folder), "list")
    assert_one_line_error(result, "not an evidence locker vault")
    assert sorted(p.name for p in folder.iterdir()) == contents
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("hi", "utf-8")
    assert_one_line_error(run_cli("--vault", str(not_a_folder), "list"), "not an")
    # init refuses a folder that holds someone's files.
    if contents:
        assert_one_line_error(run_cli("--vault", str(folder), "init", "--no-timestamps"),
                              "already holds")
        assert sorted(p.name for p in folder.iterdir()) == contents


def test_file_that_does_not_exist(vault_with_item, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("fine", "utf-8")
    result = run_cli("--vault", str(vault_with_item), "add", str(tmp_path / "nope.txt"),
                     str(good))
    assert_one_line_error(result, "does not exist", "nope.txt")
    # The other file in the same command is still added.
    assert added_ids(result.stdout) == {"2": "good.txt"}
    assert_vault_healthy(vault_with_item, items=2)


def test_fifo_is_refused_not_waited_on(vault_with_item, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_cli("--vault", str(vault_with_item), "add", str(fifo), timeout=30)
    assert_one_line_error(result, "cannot be read", "pipe")
    assert_vault_healthy(vault_with_item, items=1)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_read_error_in_the_middle_of_a_file(vault_with_item):
    # /proc/self/mem opens as a regular file but every read at offset 0 fails with EIO:
    # the error is about the input, not a vault write failure, and nothing partial is kept.
    before = {p for p in (vault_with_item / "objects").rglob("*") if p.is_file()}
    result = run_cli("--vault", str(vault_with_item), "add", "/proc/self/mem")
    assert_one_line_error(result, "cannot be read", "/proc/self/mem")
    after = {p for p in (vault_with_item / "objects").rglob("*") if p.is_file()}
    assert after == before
    assert_vault_healthy(vault_with_item, items=1)


def test_file_without_read_permission(vault_with_item, tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text("private", "utf-8")
    locked.chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:
        # Root reads anything; run the CLI without the capabilities that bypass permissions.
        if shutil.which("setpriv") is None:
            pytest.skip("running as root and setpriv is not installed to drop privileges")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
        probe = subprocess.run([*prefix, "cat", str(locked)], capture_output=True)
        if probe.returncode == 0 or b"Permission denied" not in probe.stderr:
            pytest.skip("running as root and cannot drop the right to read any file here")
    result = run_cli_raw("--vault", str(vault_with_item), "add", str(locked), prefix=prefix)
    assert_one_line_error(result, "cannot be read", "locked.txt")
    assert_vault_healthy(vault_with_item, items=1)


def test_directory_is_added_recursively(vault_with_item, tmp_path):
    top = tmp_path / "export"
    (top / "a" / "b").mkdir(parents=True)
    (top / "z.txt").write_text("z", "utf-8")
    (top / "a" / "y.txt").write_text("y", "utf-8")
    (top / "a" / "b" / "x.txt").write_text("x", "utf-8")
    (top / "link.txt").symlink_to(top / "z.txt")
    result = ok("--vault", str(vault_with_item), "add", str(top))
    # Files of a folder first, then its subfolders, each sorted by name.
    assert added_ids(result.stdout) == {"2": "z.txt", "3": "y.txt", "4": "x.txt"}
    assert "link" in result.stderr
    assert "not followed" in result.stderr
    names = {i["name"] for i in _items(vault_with_item)}
    assert names == {"kept.txt", "x.txt", "y.txt", "z.txt"}
    assert_vault_healthy(vault_with_item, items=4)


def test_unknown_item(vault_with_item):
    for command in (["show", "9"], ["export", "9", "--out", "x"], ["note", "9", "text"]):
        result = run_cli("--vault", str(vault_with_item), *command)
        assert_one_line_error(result, "no item 9")
    assert_vault_healthy(vault_with_item, items=1)
