"""Seal with the real CLI; check the bundle with the tools police use (age, unzip, sha256sum,
bagit.py, ssh-keygen) and with `evidence-app verify`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evidence_app.bundle import passwords
from tests.bundle.bundle_helpers import age_keypair, make_vault_with_files, seal, unpack
from tests.helpers import run_cli, sha256sum_check, ssh_verify_bag

pytestmark = pytest.mark.skipif(shutil.which("age") is None, reason="age is not installed")


def _standard_tool_checks(folder: Path) -> None:
    sha256sum_check(folder)
    bagit_tool = Path(sys.executable).parent / "bagit.py"
    bagit = subprocess.run([sys.executable, str(bagit_tool), "--validate", str(folder)],
                           capture_output=True, text=True)
    assert bagit.returncode == 0, bagit.stderr
    assert "is valid" in bagit.stderr
    ssh_verify_bag(folder)


def test_recipient_bundle_opens_with_standard_tools(tmp_path: Path) -> None:
    vault, originals = make_vault_with_files(tmp_path)
    key, public = age_keypair(tmp_path)
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"reference": "POL 2026/117", "statement": "He threatened me.",
                                "platforms": ["Instagram"]}))
    bundle = seal(vault, tmp_path / "out", "--recipient", public, "--case-file", str(case))
    assert bundle.name.startswith("POL-2026-117-")
    assert bundle.name.endswith("Z.zip.age")
    receipts = sorted(p.name for p in bundle.parent.glob("*.receipt.*"))
    assert len(receipts) == 2

    plain = tmp_path / "bundle.zip"
    subprocess.run(["age", "-d", "-i", str(key), "-o", str(plain), str(bundle)], check=True)
    folder = unpack(plain, tmp_path / "unpacked")
    _standard_tool_checks(folder)

    items = json.loads((folder / "data/metadata/items.json").read_text())
    assert len(items) == 4
    for item in items:
        assert (folder / item["path"]).read_bytes() == originals[item["name"]]
    assert json.loads((folder / "data/metadata/case.json").read_text())["statement"] == \
        "He threatened me."
    assert (folder / "data/report/report.pdf").read_bytes().startswith(b"%PDF")
    assert "age -d -i" in (folder / "data/VERIFY.txt").read_text()

    run = run_cli("verify", str(bundle), "--identity", str(key), passphrase=None)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "VERIFIED" in run.stdout
    assert "FAILED" not in run.stdout

    # The sealing is itself recorded in the custody log, with the bundle's SHA-256.
    log = run_cli("--vault", str(vault), "log", "--json")
    sealed = [r for r in json.loads(log.stdout) if r["type"] == "bundle_sealed"]
    digest = subprocess.run(["sha256sum", str(bundle)], capture_output=True, text=True)
    assert sealed
    assert sealed[0]["data"]["sha256"] == digest.stdout.split()[0]


def test_passphrase_bundle_opens_with_age_and_verify(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    vault, originals = make_vault_with_files(tmp_path)
    out = tmp_path / "out"
    run = run_cli("--vault", str(vault), "seal", "--out", str(out), "--passphrase")
    assert run.returncode == 0, run.stderr
    words = run.stdout.split("Passphrase (shown only now")[1].splitlines()[1].strip()
    assert len(words.split()) == passwords.WORDS
    bundle = next(out.glob("*.zip.age"))
    # The passphrase is never written next to the bundle.
    for receipt in out.glob("*.receipt.*"):
        text = receipt.read_bytes().decode("latin-1")
        # two words, not one: a short word ("cod") can be part of any text ("code")
        assert " ".join(words.split()[:2]) not in text

    plain = tmp_path / "bundle.zip"
    child = pexpect.spawn("age", ["-d", "-o", str(plain), str(bundle)], timeout=60)
    child.expect("passphrase")
    child.sendline(words)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    folder = unpack(plain, tmp_path / "unpacked")
    _standard_tool_checks(folder)

    secret = tmp_path / "pass.txt"
    secret.write_text(words + "\n")
    ok = run_cli("verify", str(bundle), "--passphrase-file", str(secret), passphrase=None)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    secret.write_text("wrong words entirely here now please\n")
    bad = run_cli("verify", str(bundle), "--passphrase-file", str(secret), passphrase=None)
    assert bad.returncode == 1
    assert "passphrase does not open" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_unencrypted_bundle_warns_and_verifies(tmp_path: Path) -> None:
    vault, _originals = make_vault_with_files(tmp_path)
    run = run_cli("--vault", str(vault), "seal", "--out", str(tmp_path / "out"),
                  "--no-encryption", "--items", "1,2")
    assert run.returncode == 0
    assert "NOT be encrypted" in run.stderr
    bundle = next((tmp_path / "out").glob("*.zip"))
    folder = unpack(bundle, tmp_path / "unpacked")
    assert len(json.loads((folder / "data/metadata/items.json").read_text())) == 2
    _standard_tool_checks(folder)
    # Records about items left out are redacted to their hashes, and the chain still holds.
    lines = [json.loads(x) for x in (folder / "data/metadata/custody.jsonl").read_text()
             .splitlines()]
    redacted = [x for x in lines if x.get("redacted")]
    assert redacted
    assert all(set(x) == {"seq", "prev", "hash", "redacted"} for x in redacted)
    assert "private.jpg" not in (folder / "data/metadata/custody.jsonl").read_text()
    ok = run_cli("verify", str(bundle), passphrase=None)
    assert ok.returncode == 0, ok.stdout


def test_verify_asks_for_the_missing_key(tmp_path: Path) -> None:
    vault, _ = make_vault_with_files(tmp_path)
    key, public = age_keypair(tmp_path)
    bundle = seal(vault, tmp_path / "out", "--recipient", public)
    run = run_cli("verify", str(bundle), passphrase=None)
    assert run.returncode == 1
    assert "--identity" in run.stderr
    assert "Traceback" not in run.stderr
    (tmp_path / "other").mkdir()
    other, _pub = age_keypair(tmp_path / "other")
    wrong = run_cli("verify", str(bundle), "--identity", str(other), passphrase=None)
    assert wrong.returncode == 1
    assert "not encrypted to that key" in wrong.stderr


def test_seal_refuses_bad_recipient_and_empty_vault(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    assert run_cli("--vault", str(vault), "init", "--no-timestamps").returncode == 0
    empty = run_cli("--vault", str(vault), "seal", "--out", str(tmp_path / "out"),
                    "--no-encryption")
    assert empty.returncode == 1
    assert "nothing to seal" in empty.stderr
    (tmp_path / "f.txt").write_text("x")
    run_cli("--vault", str(vault), "add", str(tmp_path / "f.txt"))
    bad = run_cli("--vault", str(vault), "seal", "--out", str(tmp_path / "out"),
                  "--recipient", "age1notakey")
    assert bad.returncode == 1
    assert "age public key" in bad.stderr
    assert not list(tmp_path.rglob("*.zip*"))
