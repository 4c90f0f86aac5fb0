"""Forged bundles, made the way an attacker would, must never verify.

Each case takes a genuine bundle (items stamped by two local authorities under different
roots, the vault's key stamped, the seal stamped) and changes it: a rogue root, another
signing key, files nobody listed, deleted or swapped tokens, terminal control characters in
a name, malformed members, tokens dated after the sealing or before the vault. The real
command line must say NOT VERIFIED (exit 3, or 4 for a time it cannot confirm) and name
the cause; the genuine bundle, checked against its receipt, must say VERIFIED.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509

from evidence_app.bundle.seal import Protection, seal
from evidence_app.core.vault import Vault
from evidence_app.timestamp import enable, flush_queue
from evidence_app.timestamp.client import stamp_digest
from evidence_app.timestamp.settings import TimestampSettings
from evidence_app.timestamp.tsas import fingerprint
from tests.helpers import PASSPHRASE, run_cli
from tests.timestamp.pki import Pki, make_pki
from tests.timestamp.tsa_server import TestTsa


@pytest.fixture(scope="module")
def pki_b(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("tsa-pki-b"))


@pytest.fixture
def tsa_b(pki_b: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestTsa]:
    server = TestTsa(pki_b, tmp_path_factory.mktemp("tsa-b"))
    server.start()
    yield server
    server.stop()


@dataclass
class Sealed:
    bundle: Path
    receipt: Path
    roots: list[Path]  # what the officer trusts (--tsa-ca), from outside the bundle
    tmp: Path
    vault: Vault

    def verify(self, bundle: Path | None = None, *extra: str, receipt: bool = True):
        args = ["verify", str(bundle or self.bundle)]
        for root in self.roots:
            args += ["--tsa-ca", str(root)]
        if receipt:
            args += ["--receipt", str(self.receipt)]
        return run_cli(*args, *extra, passphrase=None)

    def unpack(self, name: str = "u") -> Path:
        dest = self.tmp / name
        with zipfile.ZipFile(self.bundle) as zf:
            zf.extractall(dest)
        (folder,) = list(dest.iterdir())
        return folder


def rezip(folder: Path, out: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{folder.name}/{path.relative_to(folder)}")
        for name, data in (extra or {}).items():
            zf.writestr(f"{folder.name}/{name}", data)
    return out


def make_vault(tmp: Path, tsa: TestTsa, tsa_b: TestTsa, roots_pem: str) -> Vault:
    vault, _recovery = Vault.create(tmp / "vault", PASSPHRASE)
    enable(vault, [tsa.url, tsa_b.url], extra_roots_pem=roots_pem, ots=False)
    vault.add_bytes(b"\x89PNG\r\n\x1a\n screenshot of the threat", "threat.png",
                    source={"type": "test"})
    vault.add_bytes(b"wallet TB1xckqdicjJW3VQqMb6qD3W5LwHniAV9r", "wallet.txt",
                    source={"type": "test"})
    vault.add_note("he said he would send it to my family")
    vault.update_case({"statement": "It started on a dating site."})
    result = flush_queue(vault)
    assert result.error is None
    assert result.waiting == []
    return vault


@pytest.fixture
def sealed(tmp_path: Path, tsa: TestTsa, tsa_b: TestTsa, tsa_pki: Pki, pki_b: Pki) -> Sealed:
    roots = tsa_pki.root_pem.read_text() + pki_b.root_pem.read_text()
    vault = make_vault(tmp_path, tsa, tsa_b, roots)
    result = seal(vault, tmp_path / "out", Protection.unencrypted())
    return Sealed(result.bundle_path, result.receipt_paths[0],
                  [tsa_pki.root_pem, pki_b.root_pem], tmp_path, vault)


def backdate_sealing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seal with Sealed-At an hour back, as someone holding the vault key could."""
    import evidence_app.bundle.seal as seal_module
    from evidence_app.core.timeutil import now_utc_and_offset

    def an_hour_ago() -> tuple[str, str]:
        utc, offset = now_utc_and_offset()
        earlier = dt.datetime.fromisoformat(utc.replace("Z", "+00:00")) - dt.timedelta(hours=1)
        return earlier.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", offset

    monkeypatch.setattr(seal_module, "now_utc_and_offset", an_hour_ago)


def offender_bundle(sealed: Sealed, tsa: TestTsa, tsa_b: TestTsa, tsa_pki: Pki,
                    pki_b: Pki) -> Path:
    """A perfect bundle from the offender's own vault (another key, one photo changed)."""
    other_tmp = sealed.tmp / "offender"
    other_tmp.mkdir()
    roots = tsa_pki.root_pem.read_text() + pki_b.root_pem.read_text()
    other = make_vault(other_tmp, tsa, tsa_b, roots)
    return seal(other, other_tmp / "out", Protection.unencrypted()).bundle_path


def failed(run) -> list[str]:
    return [line for line in run.stdout.splitlines() if line.startswith("FAILED")]


def test_genuine_bundle_verifies_against_its_receipt(sealed: Sealed) -> None:
    run = sealed.verify()
    assert run.returncode == 0, run.stdout
    assert run.stdout.splitlines()[-1].startswith("Result: VERIFIED")
    assert "matches the receipt" in run.stdout
    names = {n for n in zipfile.ZipFile(sealed.bundle).namelist() if "/timestamps/" in n}
    tokens = [n for n in names if n.endswith(".tsr") and "/seal-" not in n]
    seals = [n for n in names if "/timestamps/seal-" in n and n.endswith(".tsr")]
    # two items, the key, the note and the case record: each stamped by both authorities
    assert len(tokens) == 2 * 5, sorted(names)
    assert len(seals) == 2
    assert not [n for n in names if "root" in n]  # no trust root travels in the bundle
    assert "signature/signer.pub: time confirmed by Test TSA" in run.stdout
    unpinned = sealed.verify(receipt=False)
    assert unpinned.returncode == 0
    assert "compare it with the receipt" in unpinned.stdout


def test_rogue_root_inside_the_bundle_is_not_trusted(sealed: Sealed, tsa: TestTsa,
                                                     tsa_pki: Pki) -> None:
    """A token from a TSA whose root the officer does not trust, with that root put in the
    bag and a seal token name (the one kind of file allowed unlisted): not VERIFIED."""
    rogue_settings = TimestampSettings(True, (("Rogue", tsa.url),),
                                       tsa_pki.rogue_root_pem.read_text(), ots=False)
    folder = sealed.unpack()
    tag = (folder / "tagmanifest-sha256.txt").read_bytes()
    tsa.mode = "untrusted"
    token = stamp_digest(hashlib.sha256(tag).digest(), rogue_settings)
    tsa.mode = "ok"
    forged = rezip(folder, sealed.tmp / "rogue.zip", {
        "timestamps/seal-9.tsr": token.tsr,
        "timestamps/seal-9.chain.pem": token.root_pem,
    })
    run = sealed.verify(forged, receipt=False)
    assert run.returncode == 4, run.stdout
    rogue_fp = fingerprint(x509.load_pem_x509_certificate(token.root_pem))
    assert f"time not confirmed: unknown root SHA256:{rogue_fp}" in run.stdout
    assert "Result: NOT VERIFIED" in run.stdout.splitlines()[-1]
    # The same root put inside the bag as a file: unlisted, and still not trusted.
    forged2 = rezip(folder, sealed.tmp / "rogue2.zip", {
        "timestamps/root-digicert.pem": token.root_pem,
        "timestamps/seal-9.tsr": token.tsr,
    })
    run = sealed.verify(forged2, receipt=False)
    assert run.returncode == 3
    assert any("timestamps/root-digicert.pem" in line for line in failed(run))


def test_rekeyed_copy_fails_against_the_receipt(sealed: Sealed, tsa: TestTsa,
                                                tsa_b: TestTsa, tsa_pki: Pki,
                                                pki_b: Pki) -> None:
    """An offender's own vault with one photo changed: a perfect bundle, another key."""
    forged = offender_bundle(sealed, tsa, tsa_b, tsa_pki, pki_b)
    alone = sealed.verify(forged, receipt=False)
    assert alone.returncode == 0  # on its own it is a valid bundle by *some* key...
    assert "compare it with the receipt" in alone.stdout
    run = sealed.verify(forged)
    assert run.returncode == 3, run.stdout
    assert any("Signer key compared with the receipt" in line and "does NOT match" in line
               for line in failed(run))
    assert any("Bundle SHA-256 compared with the receipt" in line for line in failed(run))
    assert "does NOT match the receipt" in run.stdout
    typed = sealed.verify(forged, "--expect-fingerprint", sealed.vault.fingerprint(),
                          receipt=False)
    assert typed.returncode == 3


@pytest.mark.parametrize("where", ["extra.txt", "signature/extra.sig",
                                   "timestamps/extra.tsr", "newfolder/notes.txt"])
def test_unlisted_files_are_named(sealed: Sealed, where: str) -> None:
    folder = sealed.unpack()
    forged = rezip(folder, sealed.tmp / "extra.zip", {where: b"added later"})
    run = sealed.verify(forged, receipt=False)
    assert run.returncode == 3, run.stdout
    assert any(where in line for line in failed(run)), run.stdout


def test_deleted_and_swapped_tokens_are_named(sealed: Sealed) -> None:
    folder = sealed.unpack()
    shutil.rmtree(folder / "timestamps")
    run = sealed.verify(rezip(folder, sealed.tmp / "none.zip"), receipt=False)
    assert run.returncode == 3
    assert any("timestamps/" in line and "listed but missing" in line for line in failed(run))
    assert any("the custody log records this token" in line for line in failed(run))

    folder = sealed.unpack("swap")
    tokens = sorted(p for p in (folder / "timestamps").glob("*-1.tsr"))
    a, b = tokens[0], tokens[1]
    data_a, data_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(data_b)
    b.write_bytes(data_a)
    run = sealed.verify(rezip(folder, sealed.tmp / "swap.zip"), receipt=False)
    assert run.returncode == 3
    named = "\n".join(failed(run))
    assert f"timestamps/{a.name}" in named
    assert f"timestamps/{b.name}" in named


def test_control_characters_in_a_name_cannot_repaint_the_output(sealed: Sealed) -> None:
    folder = sealed.unpack()
    evil = ("data/evidence/x\x1b[2K\r\x1b[1AOK      Signature\n"
            "Result: VERIFIED - every check passed.\u202e.txt")
    forged = rezip(folder, sealed.tmp / "evil.zip", {evil: b"x"})
    run = sealed.verify(forged, receipt=False)
    assert run.returncode == 3
    assert "\x1b" not in run.stdout
    assert "\r" not in run.stdout
    assert "\u202e" not in run.stdout
    assert "[U+001B]" in run.stdout
    assert run.stdout.splitlines()[-1].startswith("Result: NOT VERIFIED")
    assert sum(line.startswith("Result:") for line in run.stdout.splitlines()) == 1


def _replace(sealed: Sealed, rel: str, data: bytes, name: str) -> Path:
    folder = sealed.unpack(name)
    (folder / rel).write_bytes(data)
    return rezip(folder, sealed.tmp / f"{name}.zip")


@pytest.mark.parametrize(("rel", "data"), [
    ("data/metadata/items.json", b"[1]"),
    ("data/metadata/custody.jsonl", b"1\n"),
    ("data/metadata/custody.jsonl",
     b'{"seq": 1, "prev": "0", "hash": "x", "type": "item_added", "time": "t"}\n'),
    ("data/metadata/items.json", b"[" * 200_000 + b"]" * 200_000),
    ("signature/signer.pub", b"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 x\n"),
    ("timestamps/seal-1.tsr", b"garbage, not a token"),
])
def test_malformed_members_are_findings_not_crashes(sealed: Sealed, rel: str,
                                                    data: bytes) -> None:
    forged = _replace(sealed, rel, data, "bad")
    run = sealed.verify(forged, receipt=False)
    assert run.returncode == 3, (run.stdout, run.stderr)
    assert "Something went wrong" not in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert any(rel in line for line in failed(run)), run.stdout


def test_token_after_sealing_fails(tmp_path: Path, tsa: TestTsa, tsa_b: TestTsa,
                                   tsa_pki: Pki, pki_b: Pki,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Sealed-At put an hour back by someone holding the vault: the tokens, obtained now,
    are dated after it. With the seal stamped, its token is not at the sealing time;
    without it, the item tokens are after the sealing."""
    roots = tsa_pki.root_pem.read_text() + pki_b.root_pem.read_text()
    vault = make_vault(tmp_path, tsa, tsa_b, roots)
    backdate_sealing(monkeypatch)
    stamped = seal(vault, tmp_path / "out1", Protection.unencrypted())
    args = ["--tsa-ca", str(tsa_pki.root_pem), "--tsa-ca", str(pki_b.root_pem)]
    run = run_cli("verify", str(stamped.bundle_path), *args, passphrase=None)
    assert run.returncode == 3, run.stdout
    assert any("timestamps/seal-" in line and "not dated at the sealing" in line
               for line in failed(run)), run.stdout
    tsa.stop()
    tsa_b.stop()
    unstamped = seal(vault, tmp_path / "out2", Protection.unencrypted())
    run = run_cli("verify", str(unstamped.bundle_path), *args, passphrase=None)
    assert run.returncode == 3, run.stdout
    assert any("dated after the bundle was sealed" in line for line in failed(run))


def test_token_before_the_vault_existed_fails(tmp_path: Path, tsa: TestTsa, tsa_b: TestTsa,
                                             tsa_pki: Pki, pki_b: Pki,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A vault whose first record claims a later birth than the tokens it holds."""
    import evidence_app.core.journal as journal
    from evidence_app.core import timeutil

    real = timeutil.now_utc_and_offset

    def later() -> tuple[str, str]:
        utc, offset = real()
        moved = dt.datetime.fromisoformat(utc.replace("Z", "+00:00")) + dt.timedelta(hours=3)
        return moved.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", offset

    with monkeypatch.context() as patch:
        patch.setattr(journal, "now_utc_and_offset", later)
        vault, _recovery = Vault.create(tmp_path / "vault", PASSPHRASE)
    roots = tsa_pki.root_pem.read_text() + pki_b.root_pem.read_text()
    enable(vault, [tsa.url, tsa_b.url], extra_roots_pem=roots, ots=False)
    vault.add_bytes(b"photo", "a.png", source={"type": "test"})
    assert flush_queue(vault).error is None
    result = seal(vault, tmp_path / "out", Protection.unencrypted())
    run = run_cli("verify", str(result.bundle_path), "--tsa-ca", str(tsa_pki.root_pem),
                  "--tsa-ca", str(pki_b.root_pem), passphrase=None)
    assert run.returncode == 3, run.stdout
    assert any("dated before the vault existed" in line for line in failed(run)), run.stdout


def test_receipt_values_must_be_in_receipt_form(sealed: Sealed) -> None:
    run = sealed.verify(None, "--expect-fingerprint", "SHA256:short", receipt=False)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert "SHA256:" in run.stderr
    bogus = sealed.tmp / "bogus.txt"
    bogus.write_text("no values here")
    run = run_cli("verify", str(sealed.bundle), "--receipt", str(bogus), passphrase=None)
    assert run.returncode != 0
    assert "receipt" in run.stderr.lower()


def test_json_output_has_the_verdict(sealed: Sealed) -> None:
    run = sealed.verify(None, "--json")
    data = json.loads(run.stdout)
    assert data["verdict"] == "verified"
    assert data["pinned"] is True
    assert data["bundle_sha256"] in sealed.receipt.read_text()


def test_every_damaged_token_byte_is_a_finding(tsa: TestTsa, tsa_pki: Pki) -> None:
    """A flipped byte anywhere in a token (its certificates too) gives a typed refusal or
    a readable unknown-root fingerprint, never an exception that ends the verification."""
    from evidence_app.bundle.verify_time import _serial, _unknown_root
    from evidence_app.core.errors import TimestampError
    from evidence_app.timestamp.tsp import check_response, load_roots

    digest = hashlib.sha256(b"the threat").digest()
    settings = TimestampSettings(True, (("Test", tsa.url),), tsa_pki.root_pem.read_text(),
                                 ots=False)
    token = stamp_digest(digest, settings).tsr
    roots = load_roots(tsa_pki.root_pem.read_bytes())
    for at in range(len(token)):
        damaged = bytearray(token)
        damaged[at] ^= 0x01
        try:
            check_response(bytes(damaged), digest, roots)
        except TimestampError:
            pass
        assert isinstance(_unknown_root(bytes(damaged), None), str)
        assert isinstance(_serial(bytes(damaged)), str)
