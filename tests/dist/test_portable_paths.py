"""Portable mode from the source tree (runs in `make test`; test_frozen.py checks the build).

With the marker beside the program, our folders and the ones Qt, fontconfig and temp files
use all move beside it; without the marker nothing changes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

from evidence_app import paths
from evidence_app.core.scratch import scratch_dir
from evidence_app.paths import PORTABLE_DATA, PORTABLE_MARKER

HOST = "/host/user/folder"
VARIABLES = ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
             "TMPDIR", "TEMP", "TMP")


@pytest.fixture
def program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A program folder, host values for every variable, restored after the test."""
    monkeypatch.setattr(paths, "program_dir", lambda: tmp_path)
    monkeypatch.setattr(paths, "_portable_forced", False)
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.delenv("EVIDENCE_APP_LOG_DIR", raising=False)
    for variable in VARIABLES:
        monkeypatch.setenv(variable, HOST)
    return tmp_path


def test_marker_moves_every_folder_beside_the_program(program: Path) -> None:
    (program / PORTABLE_MARKER).write_text("portable\n", "utf-8")
    runtime = paths.contain_portable()

    data = program / PORTABLE_DATA
    assert runtime == data / "runtime"
    assert paths.data_dir() == data
    assert paths.default_vault_dir() == data / "vault"
    assert paths.settings_dir() == data / "settings"
    assert paths.log_dir() == data / "logs"
    for variable in ("TMPDIR", "TEMP", "TMP"):
        assert os.environ[variable] == str(runtime / "tmp")
    if sys.platform.startswith("linux"):
        assert os.environ["XDG_CACHE_HOME"] == str(runtime / "cache")
        assert os.environ["XDG_CONFIG_HOME"] == str(runtime / "config")
    with scratch_dir() as scratch:
        assert scratch.parent == runtime / "tmp"


def test_portable_flag_works_without_marker(program: Path) -> None:
    paths.force_portable()
    assert paths.contain_portable() == program / PORTABLE_DATA / "runtime"
    assert paths.settings_dir() == program / PORTABLE_DATA / "settings"


def test_without_marker_nothing_changes(program: Path) -> None:
    assert paths.contain_portable() is None
    assert not paths.is_portable()
    assert all(os.environ[variable] == HOST for variable in VARIABLES)
    assert tempfile.tempdir is None
    assert not (program / PORTABLE_DATA).exists()


def test_read_only_stick_still_starts(program: Path) -> None:
    """When the temp folder cannot be made on the stick, temp files stay on the host."""
    (program / PORTABLE_MARKER).write_text("portable\n", "utf-8")
    (program / PORTABLE_DATA).mkdir()
    (program / PORTABLE_DATA / "runtime").write_text("not a folder", "utf-8")
    assert paths.contain_portable() == program / PORTABLE_DATA / "runtime"
    assert os.environ["TMPDIR"] == HOST
    assert tempfile.tempdir is None
