"""OpenTimestamps beside the RFC 3161 tokens: pending at first, upgraded on a later run, the
upgraded proof in later bundles, and the verifier saying which, never failing for it."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from evidence_app.bundle.seal import Protection, seal
from evidence_app.timestamp import enable, flush_queue
from evidence_app.timestamp.vaultstamps import recorded_proofs
from tests.helpers import run_cli


def _verify(bundle: Path, root: Path) -> subprocess.CompletedProcess:
    return run_cli("verify", str(bundle), "--tsa-ca", str(root), passphrase=None)


def test_pending_then_in_a_block(vault, tsa, tsa_pki, ots_calendars, tmp_path) -> None:
    one, two = ots_calendars(), ots_calendars()
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(),
           calendars=(one.url, two.url))
    item = vault.add_bytes(b"screenshot of the payment page", "pay.png",
                           source={"type": "test"})
    result = flush_queue(vault)
    assert result.error is None
    proofs = recorded_proofs(vault.records)
    assert proofs[item.sha256].state == "pending"
    assert one.posts
    assert two.posts
    assert item.sha256 not in (p.hex() for p in one.posts)  # a nonce hides the fingerprint

    first = seal(vault, tmp_path / "out1", Protection.unencrypted())
    names = zipfile.ZipFile(first.bundle_path).namelist()
    assert any(n.endswith(f"timestamps/{item.sha256}.ots") for n in names)
    assert any(n.endswith("timestamps/seal.ots") for n in names)
    run = _verify(first.bundle_path, tsa_pki.root_pem)
    assert run.returncode == 0, run.stdout
    assert "OpenTimestamps proof pending" in run.stdout

    one.confirm(871_234)
    two.confirm(871_234)
    assert flush_queue(vault).proofs >= 1  # upgraded on a later run
    assert recorded_proofs(vault.records)[item.sha256].state == "bitcoin"
    second = seal(vault, tmp_path / "out2", Protection.unencrypted())
    run = _verify(second.bundle_path, tsa_pki.root_pem)
    assert run.returncode == 0, run.stdout
    assert "OpenTimestamps proof in Bitcoin block 871234 (merkle root " in run.stdout
    if shutil.which("ots"):
        with zipfile.ZipFile(second.bundle_path) as zf:
            zf.extractall(tmp_path / "x")
        proof = next((tmp_path / "x").rglob(f"{item.sha256}.ots"))
        info = subprocess.run(["ots", "info", str(proof)], capture_output=True, text=True)
        assert "BitcoinBlockHeaderAttestation(871234)" in info.stdout + info.stderr


def test_calendars_down_never_fail_a_verification(vault, tsa, tsa_pki, ots_calendars,
                                                  tmp_path) -> None:
    calendar = ots_calendars()
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(),
           calendars=(calendar.url,))
    calendar.stop()
    vault.add_bytes(b"chat export", "chat.txt", source={"type": "test"})
    result = flush_queue(vault)
    assert result.error is None  # the authority answered; no proof is not an error
    assert recorded_proofs(vault.records) == {}
    bundle = seal(vault, tmp_path / "out", Protection.unencrypted()).bundle_path
    run = _verify(bundle, tsa_pki.root_pem)
    assert run.returncode == 0, run.stdout
    assert not [n for n in zipfile.ZipFile(bundle).namelist() if n.endswith(".ots")]


def test_a_garbage_proof_in_a_bundle_is_named(vault, tsa, tsa_pki, ots_calendars,
                                              tmp_path) -> None:
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(),
           calendars=(ots_calendars().url,))
    vault.add_bytes(b"receipt", "r.pdf", source={"type": "test"})
    flush_queue(vault)
    bundle = seal(vault, tmp_path / "out", Protection.unencrypted()).bundle_path
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(tmp_path / "x")
    (folder,) = list((tmp_path / "x").iterdir())
    (folder / "timestamps/seal.ots").write_bytes(b"\x00OpenTimestamps\x00\x00garbage")
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{folder.name}/{path.relative_to(folder)}")
    run = _verify(forged, tsa_pki.root_pem)
    assert run.returncode == 3, run.stdout
    assert any("timestamps/seal.ots" in line for line in run.stdout.splitlines()
               if line.startswith("FAILED"))
