"""The real engine, end to end through the command line a person uses: add a picture, read
it, seal, then check the bundle as an officer would, with the app and by hand; the report
shows the offender's words. And the seal command's choice to print a sensitive picture's."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.bundle.bundle_helpers import unpack
from tests.cli.util import init_vault, ok
from tests.helpers import PASSPHRASE, sha256sum_check, ssh_verify_bag
from tests.ocr.conftest import draw_lines, needs_engine

pytestmark = [needs_engine, pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("ssh-keygen") is None,
    reason="poppler-utils and openssh-client are installed by .ci/run")]

THREAT = ["Send the money to this wallet now", "or mail boss.lee@scam-example.com"]
SECRET = "Hunter2Geheim"


def _by_hand(folder: Path) -> None:
    """What VERIFY.txt asks of an officer with standard tools: both manifests, the signature."""
    sha256sum_check(folder)
    listed = (folder / "manifest-sha256.txt").read_text("utf-8")
    assert re.search(r"  data/ocr/\d{4}-threat\.png\.ocr\.txt$", listed, re.M)
    assert re.search(r"  data/ocr/\d{4}-threat\.png\.ocr\.tsv$", listed, re.M)
    ssh_verify_bag(folder)


def _seal(vault: Path, out: Path, *extra: str) -> tuple[Path, Path, str]:
    ok("--vault", str(vault), "seal", "--out", str(out), "--no-encryption", *extra)
    (bundle,) = out.glob("*.zip")
    folder = unpack(bundle, out / "open")
    printed = subprocess.run(["pdftotext", str(folder / "data/report/report.pdf"), "-"],
                             check=True, capture_output=True, text=True).stdout
    return bundle, folder, printed


def test_pictures_read_by_the_engine_are_in_the_sealed_report(tmp_path: Path):
    vault = tmp_path / "vault"
    init_vault(vault)
    (tmp_path / "threat.png").write_bytes(draw_lines(THREAT))
    ok("--vault", str(vault), "add", str(tmp_path / "threat.png"))  # reading is off here
    read = ok("--vault", str(vault), "ocr")
    assert "words read" in read.stdout

    bundle, folder, printed = _seal(vault, tmp_path / "out")
    verified = ok("verify", str(bundle), passphrase=None)
    assert "VERIFIED" in verified.stdout
    assert "FAILED" not in verified.stdout
    _by_hand(folder)
    assert len(list((folder / "data/ocr").iterdir())) == 2
    assert "Read by machine from the picture (Tesseract" in printed
    assert "Send the money to this wallet now" in printed
    assert "boss.lee@scam-example.com" in printed


def test_the_seal_command_prints_a_sensitive_pictures_words_when_asked(tmp_path: Path):
    from evidence_app.core.vault import Vault
    from tests.bundle.test_report_ocr import add_picture

    vault = tmp_path / "vault"
    opened, _recovery = Vault.create(vault, PASSPHRASE)
    try:
        add_picture(opened, "private.png", [f"only for you {SECRET}"], sensitive=True)
    finally:
        opened.lock()
    # Without the flag the report leaves them out (test_report_ocr.py seals that way).
    _bundle, _folder, printed = _seal(vault, tmp_path / "chosen", "--include-sensitive-text")
    assert SECRET in printed
