"""Secrets handed in as files are read the same way by the window and the command line
(workflows/secrets.py): an identity file that is not text says so in one sentence (before,
the command line gave the generic error for bad UTF-8), and a bundle passphrase written
with extra spaces still opens the bundle."""

from __future__ import annotations

from evidence_app.bundle.seal import Protection, seal
from tests.cli.util import assert_one_line_error
from tests.helpers import run_cli


def _bundle(vault, tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"x" * 2000)
    vault.add_file(photo)
    return seal(vault, tmp_path / "out", Protection.with_new_passphrase())


def test_identity_file_that_is_not_text(vault, tmp_path) -> None:
    result = _bundle(vault, tmp_path)
    bad = tmp_path / "key.txt"
    bad.write_bytes(b"AGE-SECRET-KEY-1\xff\xfe\x00 not text")
    run = run_cli("verify", str(result.bundle_path), "--identity", str(bad), passphrase=None)
    assert_one_line_error(run, "plain text")


def test_bundle_passphrase_file_with_extra_spaces(vault, tmp_path) -> None:
    result = _bundle(vault, tmp_path)
    written = tmp_path / "words.txt"
    written.write_text("  " + "   ".join(result.passphrase.split()) + "  \r\n")
    run = run_cli("verify", str(result.bundle_path), "--passphrase-file", str(written),
                  passphrase=None)
    assert run.returncode == 0, run.stdout + run.stderr
