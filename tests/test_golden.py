"""The golden fixtures: a vault and a sealed bundle made by an earlier version (see
tests/assets/golden/README.md), opened and verified by this one.

A person's vault and a bundle already handed to the police must keep opening and verifying
in every later version. The checked-in files are never changed: every test works on a copy
in tmp_path (opening a vault may add files to it, e.g. a newer version's cache). What each
set holds is in its expected-vN.json (the README's words as data); a new format version adds
its own folders and expected file, and every set is tested.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from evidence_app.core.errors import WrongPassphrase
from evidence_app.core.lastseen import LastSeen
from evidence_app.core.record_types import RECORD_TYPES
from evidence_app.core.vault import Vault
from tests.helpers import run_cli, ssh_verify_bag

GOLDEN = Path(__file__).resolve().parent / "assets" / "golden"
# Records that opening writes only when it finds damage, a rollback or a swapped key file.
REPAIRS = {"objects_quarantined", "rollback_noticed", "header_restored", "header_changed",
           "journal_repaired", "key_change_completed"}


@dataclass(frozen=True)
class Item:
    name: str
    sha256: str
    size: int
    media_type: str
    sensitive: bool = False
    withdrawn: bool = False
    derived_from: str | None = None


@dataclass(frozen=True)
class GoldenSet:
    """What tests/assets/golden/expected-vN.json says one golden set holds (see README.md)."""

    version: int
    passphrase: str
    first_passphrase: str  # before the passphrase change; opens nothing now
    recovery_key: str
    fingerprint: str
    epoch: int  # key epochs - 1
    records: int
    last_hash: str
    record_counts: dict[str, int]
    items: dict[str, Item]
    notes: dict[str, tuple[str | None, str]]
    case: dict[str, Any]
    withdrawn: dict[str, str]  # item -> reason
    bundle: str  # the bundle's name, without .zip.age
    bundle_passphrase: str
    bundle_sha256: str
    sealed: list[str]  # the items in the bundle
    tokens: int  # RFC 3161 tokens in the bundle
    seal_tokens: int  # of those, over its tag manifest
    proofs: int  # OpenTimestamps proofs in the bundle

    @property
    def vault(self) -> Path:
        return GOLDEN / f"vault-v{self.version}"

    @property
    def bundle_dir(self) -> Path:
        return GOLDEN / f"bundle-v{self.version}"

    @property
    def roots(self) -> list[Path]:
        return sorted((GOLDEN / f"tsa-v{self.version}").glob("root-*.pem"))


def _load(path: Path) -> GoldenSet:
    data = json.loads(path.read_text("utf-8"))
    fields = {k: v for k, v in data.items() if k in GoldenSet.__dataclass_fields__}
    fields["items"] = {k: Item(**v) for k, v in data["items"].items()}
    fields["notes"] = {k: (v["item"], v["text"]) for k, v in data["notes"].items()}
    return GoldenSet(**fields)


EXPECTED = sorted(GOLDEN.glob("expected-v*.json"))
SETS = [pytest.param(_load(path), id=path.stem.removeprefix("expected-")) for path in EXPECTED]


def _copy(src: Path, dest: Path) -> Path:
    """A private copy, with the modes the app gives its files (a checkout gives others)."""
    shutil.copytree(src, dest)
    dest.chmod(0o700)
    for path in dest.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    return dest


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _flip(path: Path) -> Path:
    """One bit of the file's middle byte changed."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    return path


def _root_digests(g: GoldenSet) -> set[str]:
    """SHA-256 of each golden root certificate, as the verifier names a token's root."""
    return {_sha(x509.load_pem_x509_certificate(p.read_bytes()).public_bytes(Encoding.DER))
            for p in g.roots}


# The authorities and calendars the golden vault names are 127.0.0.1 ports, closed since:
# the command line is sent to the closed proxy port for every address, in case a later
# version asks them (another test's server could be listening on such a port by then).
NO_NETWORK = {"no_proxy": "", "NO_PROXY": ""}


def _cli(g: GoldenSet, vault: Path, *args: str) -> subprocess.CompletedProcess:
    return run_cli("--vault", str(vault), *args, passphrase=g.passphrase, env=NO_NETWORK)


def _verify(g: GoldenSet, bundle_dir: Path, tmp_path: Path, *extra: str,
            roots: bool = True) -> subprocess.CompletedProcess:
    secret = tmp_path / "bundle-passphrase.txt"
    secret.write_text(g.bundle_passphrase + "\n")
    trust = [arg for root in g.roots for arg in ("--tsa-ca", str(root))] if roots else []
    return run_cli("verify", str(bundle_dir / f"{g.bundle}.zip.age"), "--passphrase-file",
                   str(secret), "--receipt", str(bundle_dir / f"{g.bundle}.receipt.txt"),
                   *trust, *extra, passphrase=None, env=NO_NETWORK)


@pytest.fixture(autouse=True)
def _checked_in_files_stay_as_they_are() -> Iterator[None]:
    """Whatever a test does, the golden files are byte for byte what was checked in."""
    before = _files(GOLDEN)
    yield
    assert _files(GOLDEN) == before, "a test changed tests/assets/golden"


# --- the vault -------------------------------------------------------------------------------


def test_every_golden_set_stays() -> None:
    """No set may be dropped (its tests would be skipped without a word)."""
    assert [p.name for p in EXPECTED][:1] == ["expected-v2.json"]


@pytest.mark.parametrize("g", SETS)
def test_golden_files_are_whole(g: GoldenSet) -> None:
    """Every part the README names is there (a checkout that lost one fails here, plainly)."""
    for name in ("vault.json", "journal", "head", "objects"):
        assert (g.vault / name).exists(), name
    header = json.loads((g.vault / "vault.json").read_text())
    assert (header["format"], header["version"], header["epoch"]) == \
        ("evidence-locker-vault", g.version, g.epoch)
    # A person's key derivation, not the tests' cheap one: what later versions must open.
    assert header["kdf"]["algorithm"] == "argon2id"
    assert header["kdf"]["memory_cost"] >= 256 * 1024
    for suffix in (".zip.age", ".receipt.txt", ".receipt.pdf"):
        assert (g.bundle_dir / f"{g.bundle}{suffix}").is_file()
    assert len(g.roots) == 2


@pytest.mark.parametrize("g", SETS)
def test_cli_lists_exactly_the_golden_items(g: GoldenSet, tmp_path: Path) -> None:
    vault = _copy(g.vault, tmp_path / "vault")
    run = _cli(g, vault, "list", "--json")
    assert run.returncode == 0, run.stderr
    assert "note:" not in run.stderr  # nothing repaired, rolled back or set aside
    listed = {i["id"]: Item(i["name"], i["sha256"], i["size"], i["media_type"],
                            i["sensitive"], i["withdrawn"]) for i in json.loads(run.stdout)}
    expected = {k: Item(v.name, v.sha256, v.size, v.media_type, v.sensitive, v.withdrawn)
                for k, v in g.items.items()}
    assert listed == expected


@pytest.mark.parametrize("g", SETS)
def test_cli_log_verify_says_intact(g: GoldenSet, tmp_path: Path) -> None:
    vault = _copy(g.vault, tmp_path / "vault")
    log = _cli(g, vault, "log", "--verify")
    assert log.returncode == 0, log.stdout + log.stderr
    assert "note:" not in log.stderr
    found = re.search(r"Custody log OK: (\d+) records, chain unbroken, every signature "
                      r"valid \(key (\S+)\)", log.stdout)
    assert found, log.stdout
    assert int(found[1]) >= g.records  # a later version may add a record of its own
    assert found[2] == g.fingerprint


@pytest.mark.parametrize("g", SETS)
def test_cli_check_says_every_item_intact(g: GoldenSet, tmp_path: Path) -> None:
    vault = _copy(g.vault, tmp_path / "vault")
    check = _cli(g, vault, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "note:" not in check.stderr
    for item_id, item in g.items.items():
        assert f"OK      item {item_id}: {item.name}" in check.stdout
    assert "FAILED" not in check.stdout
    assert f"All {len(g.items)} items are intact." in check.stdout


@pytest.mark.parametrize("g", SETS)
def test_api_opens_the_golden_state_exactly(g: GoldenSet, tmp_path: Path) -> None:
    vault_dir = _copy(g.vault, tmp_path / "vault")
    before = _files(vault_dir)
    seen = LastSeen(tmp_path / "seen")  # first sight on this computer: nothing to compare
    with Vault.open(vault_dir, g.passphrase, seen=seen) as vault:
        assert vault.notices == []
        assert vault.problem is None
        assert vault.fingerprint() == g.fingerprint
        assert vault.header["epoch"] == g.epoch
        records = vault.records
        assert records[g.records - 1]["hash"] == g.last_hash
        golden = records[:g.records]
        counts: dict[str, int] = {}
        for record in golden:
            counts[record["type"]] = counts.get(record["type"], 0) + 1
        assert counts == g.record_counts
        assert {r["type"] for r in records} <= RECORD_TYPES  # each kind still known
        assert not {r["type"] for r in records[g.records:]} & REPAIRS
        changed = [r["data"]["epoch"] for r in golden if r["type"] == "passphrase_changed"]
        assert changed == [g.epoch]  # two key epochs: items on both sides of the change

        state = vault.state
        assert {i.id: Item(i.name, i.sha256, i.size, i.media_type, i.sensitive, i.withdrawn,
                           i.derived_from) for i in state.items.values()} == g.items
        assert {i.id: i.withdrawn_reason for i in state.items.values() if i.withdrawn} == \
            g.withdrawn
        assert {n.id: (n.item_id, n.text) for n in state.notes.values()} == g.notes
        assert state.case == g.case
        assert [s["sha256"] for s in state.seals] == [g.bundle_sha256]
        assert sorted(state.seals[0]["item_ids"], key=int) == g.sealed
        for item_id, item in g.items.items():  # decrypted and hashed here, not by the app
            digest = hashlib.sha256()
            for chunk in vault.iter_item(item_id):
                digest.update(chunk)
            assert digest.hexdigest() == item.sha256, item.name
        assert vault.verify_log() == len(records)
        assert all(result.ok for result in vault.check())

    # Opening, checking and closing repaired nothing: no file is gone or rewritten except
    # the head and key file a newer version may upgrade, the journal only grew, and
    # nothing was set aside.
    after = _files(vault_dir)
    for name, data in before.items():
        if name in ("head", "vault.json"):
            continue
        if name == "journal":
            assert after[name].startswith(data)
        else:
            assert after.get(name) == data, name
    assert not [n for n in after if n.startswith(("quarantine", "journal.torn",
                                                  "vault.json.replaced"))]


@pytest.mark.parametrize("g", SETS)
def test_old_passphrase_opens_nothing_and_the_recovery_key_opens_both_epochs(
        g: GoldenSet, tmp_path: Path) -> None:
    vault_dir = _copy(g.vault, tmp_path / "vault")
    seen = LastSeen(tmp_path / "seen")
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, g.first_passphrase, seen=seen)
    with Vault.open_with_recovery_key(vault_dir, g.recovery_key, seen=seen) as vault:
        assert vault.notices == []
        # item 1 was written under the first key, item 10 after the passphrase change
        for item_id in ("1", "10"):
            data = b"".join(bytes(chunk) for chunk in vault.iter_item(item_id))
            assert _sha(data) == g.items[item_id].sha256


def _named_objects(value: Any) -> set[str]:
    """Every object id in a record's data, at any depth (originals, thumbnails, tokens...)."""
    if isinstance(value, dict):
        found = {v for k, v in value.items() if k == "object_id" and isinstance(v, str)}
        return found.union(*(_named_objects(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_named_objects(v) for v in value))
    return set()


@pytest.mark.parametrize("g", SETS)
def test_every_object_the_log_names_reads_back(g: GoldenSet, tmp_path: Path) -> None:
    """Not only the items: thumbnails, tokens, proofs and roots, each decrypted and
    authenticated, and each token still proves its fingerprint under the golden roots."""
    from evidence_app.timestamp import verify_token
    from evidence_app.timestamp.vaultstamps import tokens_for_vault

    vault_dir = _copy(g.vault, tmp_path / "vault")
    on_disk = {p.parent.name + p.name for p in (vault_dir / "objects").rglob("*")
               if p.is_file()}
    roots = b"".join(p.read_bytes() for p in g.roots)
    with Vault.open(vault_dir, g.passphrase, seen=LastSeen(tmp_path / "seen")) as vault:
        named = set().union(*(_named_objects(r["data"]) for r in vault.records[:g.records]))
        assert named == on_disk  # none missing, none that no record names
        assert vault.store is not None
        for object_id in sorted(named):
            vault.store.read_bytes(object_id)
        tokens = tokens_for_vault(vault)
        assert len(tokens) == g.record_counts["timestamp_obtained"]
        for token in tokens:
            verify_token(token.tsr, bytes.fromhex(token.sha256), roots)


@pytest.mark.parametrize("g", SETS)
def test_this_version_seals_the_golden_vault_again(g: GoldenSet, tmp_path: Path) -> None:
    """What the earlier version kept beside the items (thumbnails, tokens, proofs) is read
    back: a new bundle of the old vault carries its tokens, which verify."""
    from evidence_app.bundle.seal import Protection, seal
    from evidence_app.bundle.verify import verify_bundle
    from evidence_app.timestamp import disable

    vault_dir = _copy(g.vault, tmp_path / "vault")
    with Vault.open(vault_dir, g.passphrase, seen=LastSeen(tmp_path / "seen")) as vault:
        pictures = [i for i, item in g.items.items() if item.media_type.startswith("image/")]
        for item_id in pictures:  # thumbnails: derived objects, read back
            assert vault.thumbnail_bytes(item_id), g.items[item_id].name
        disable(vault)  # its authorities were on 127.0.0.1 ports long closed: ask none
        result = seal(vault, tmp_path / "out", Protection.unencrypted())
    assert result.item_count == len(g.sealed)
    report = verify_bundle(result.bundle_path, tmp_path / "check",
                           extra_roots=[p.read_bytes() for p in g.roots])
    assert [c for c in report.checks if not c.ok] == []
    assert report.verdict == "verified"
    carried = [t for t in report.timestamps if not t["seal"]]
    # the old bundle's tokens, and now also those of the record of its sealing
    assert len(carried) >= g.tokens - g.seal_tokens
    assert all(t["ok"] for t in carried)
    assert {t["root"] for t in carried} == _root_digests(g)
    assert len(report.proofs) >= g.proofs - 1  # the old seal's proof is not carried


# --- the bundle ------------------------------------------------------------------------------


@pytest.mark.parametrize("g", SETS)
def test_bundle_verifies_with_receipt_and_golden_roots(g: GoldenSet, tmp_path: Path) -> None:
    bundle_dir = _copy(g.bundle_dir, tmp_path / "bundle")
    run = _verify(g, bundle_dir, tmp_path, "--json")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert [c for c in report["checks"] if not c["ok"]] == []
    assert (report["verdict"], report["name"], report["bundle_sha256"], report["fingerprint"],
            report["pinned"], report["items"]) == \
        ("verified", g.bundle, g.bundle_sha256, g.fingerprint, True, len(g.sealed))
    kinds = {c["check"] for c in report["checks"]}
    assert {"decrypt", "payload", "signature", "custody", "pin_sha256", "pin_key",
            "timestamps"} <= kinds
    tokens = report["timestamps"]
    assert len(tokens) == g.tokens
    assert all(t["ok"] for t in tokens)
    assert sum(1 for t in tokens if t["seal"]) == g.seal_tokens
    assert {t["root"] for t in tokens} == _root_digests(g)  # two authorities, two roots
    assert len(report["opentimestamps"]) == g.proofs


@pytest.mark.parametrize("g", SETS)
def test_bundle_time_is_unconfirmed_without_the_golden_roots(g: GoldenSet,
                                                             tmp_path: Path) -> None:
    """The roots are really what confirms the times: without them, not VERIFIED (exit 4)."""
    bundle_dir = _copy(g.bundle_dir, tmp_path / "bundle")
    run = _verify(g, bundle_dir, tmp_path, "--json", roots=False)
    assert run.returncode == 4, run.stdout + run.stderr
    assert json.loads(run.stdout)["verdict"] == "time_unconfirmed"


@pytest.mark.parametrize("g", SETS)
def test_flipped_byte_in_the_bundle_fails_loudly(g: GoldenSet, tmp_path: Path) -> None:
    bundle_dir = _copy(g.bundle_dir, tmp_path / "bundle")
    bundle = _flip(bundle_dir / f"{g.bundle}.zip.age")
    run = _verify(g, bundle_dir, tmp_path)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "Result: NOT VERIFIED" in run.stdout
    failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    assert failed, run.stdout
    assert all(bundle.name in line for line in failed)
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("g", SETS)
def test_flipped_byte_in_a_vault_object_fails_the_check(g: GoldenSet, tmp_path: Path) -> None:
    vault = _copy(g.vault, tmp_path / "vault")
    for path in (vault / "objects").rglob("*"):
        if path.is_file():
            _flip(path)
    check = _cli(g, vault, "check")
    assert check.returncode == 3, check.stdout + check.stderr
    assert check.stdout.count("FAILED") == len(g.items)
    assert f"{len(g.items)} of {len(g.items)} items failed the check" in check.stdout


@pytest.mark.parametrize("g", SETS)
def test_bundle_opens_with_standard_tools(g: GoldenSet, tmp_path: Path) -> None:
    """What an officer without this app does (VERIFY.txt): age, unzip, sha256sum, ssh-keygen
    with the receipt's key, openssl ts with the roots they trust."""
    pexpect = pytest.importorskip("pexpect")
    for tool in ("age", "unzip", "sha256sum", "ssh-keygen", "openssl"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    bundle_dir = _copy(g.bundle_dir, tmp_path / "bundle")
    receipt = (bundle_dir / f"{g.bundle}.receipt.txt").read_text("utf-8")
    assert f"SHA-256 of the bundle file: {g.bundle_sha256}" in receipt
    assert f"Signer key fingerprint:     {g.fingerprint}" in receipt
    found = re.search(r"Signer public key:\s+(ssh-ed25519 \S+)", receipt)
    assert found, receipt
    public_key = found[1]
    bundle = bundle_dir / f"{g.bundle}.zip.age"
    assert _sha(bundle.read_bytes()) == g.bundle_sha256

    plain = tmp_path / "bundle.zip"
    child = pexpect.spawn("age", ["-d", "-o", str(plain), str(bundle)], timeout=60)
    child.expect("passphrase")
    child.sendline(g.bundle_passphrase)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    tested = subprocess.run(["unzip", "-t", str(plain)], capture_output=True, text=True)
    assert tested.returncode == 0, tested.stdout
    assert "No errors detected" in tested.stdout
    subprocess.run(["unzip", "-q", str(plain), "-d", str(tmp_path / "x")], check=True)
    bag = tmp_path / "x" / g.bundle
    assert [p.name for p in (tmp_path / "x").iterdir()] == [g.bundle]

    for manifest in ("tagmanifest-sha256.txt", "manifest-sha256.txt"):
        run = subprocess.run(["sha256sum", "--strict", "-c", manifest], cwd=bag,
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f'evidence-locker-vault namespaces="evidence-locker-bundle" '
                       f"{public_key}\n")
    ssh_verify_bag(bag, allowed)

    items = {i["id"]: i for i in json.loads((bag / "data/metadata/items.json").read_text())}
    assert sorted(items, key=int) == g.sealed  # the withdrawn item stays out
    for item_id, item in items.items():
        assert item["sha256"] == g.items[item_id].sha256
        assert _sha((bag / item["path"]).read_bytes()) == g.items[item_id].sha256
    assert json.loads((bag / "data/metadata/case.json").read_text())["reference"] == \
        g.case["reference"]

    roots = tmp_path / "TSA-ROOTS.pem"
    roots.write_bytes(b"".join(p.read_bytes() for p in g.roots))
    by_sha = {item["sha256"]: bag / item["path"] for item in items.values()}
    checked = 0
    for token in sorted((bag / "timestamps").glob("*.tsr")):
        stem = token.name[:-len(".tsr")]
        digest = stem.rsplit("-", 1)[0]
        data = bag / "tagmanifest-sha256.txt" if digest == "seal" else by_sha.get(digest)
        if data is None:
            continue  # a custody record's or the key's token: openssl -digest, skipped here
        run = subprocess.run(
            ["openssl", "ts", "-verify", "-CAfile", str(roots), "-data", str(data), "-in",
             str(token), "-untrusted", str(token.with_name(stem + ".chain.pem"))],
            capture_output=True, text=True)
        assert "Verification: OK" in run.stdout, (token.name, run.stdout, run.stderr)
        checked += 1
    assert checked >= 2 * len(g.sealed) + g.seal_tokens
