"""A changed byte anywhere in a bundle is found and the file named; hostile zips are refused."""

from __future__ import annotations

import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.bundle.bundle_helpers import age_keypair, make_vault_with_files, rezip, seal, unpack
from tests.helpers import run_cli

pytestmark = pytest.mark.skipif(shutil.which("age") is None, reason="age is not installed")


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    tmp = tmp_path_factory.mktemp("sealed")
    vault, _ = make_vault_with_files(tmp)
    key, public = age_keypair(tmp)
    bundle = seal(vault, tmp / "out", "--recipient", public)
    return bundle, key, public


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset % len(data)] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("target", [
    "data/evidence/0001-threat message.txt",
    "data/evidence/0003-big.bin",
    "manifest-sha256.txt",
    "bag-info.txt",
    "signature/tagmanifest-sha256.txt.sig",
    "data/report/report.pdf",
    "data/metadata/custody.jsonl",
])
def test_one_changed_byte_is_found_and_named(sealed, tmp_path: Path, target: str) -> None:
    bundle, key, public = sealed
    plain = tmp_path / "b.zip"
    subprocess.run(["age", "-d", "-i", str(key), "-o", str(plain), str(bundle)], check=True)
    folder = unpack(plain, tmp_path / "u")
    victim = folder / target
    size = victim.stat().st_size
    _flip(victim, size // 2 if target.endswith(".sig") else size // 3)
    tampered = tmp_path / "t.zip"
    rezip(folder, tampered)
    resealed = tmp_path / bundle.name
    subprocess.run(["age", "-r", public, "-o", str(resealed), str(tampered)], check=True)

    run = run_cli("verify", str(resealed), "--identity", str(key), passphrase=None)
    assert run.returncode == 3, run.stdout
    failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    assert failed, run.stdout
    assert any(target in line for line in failed), run.stdout
    assert "NOT VERIFIED" in run.stdout


def test_truncated_age_file_fails_cleanly(sealed, tmp_path: Path) -> None:
    bundle, key, _public = sealed
    cut = tmp_path / bundle.name
    cut.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    run = run_cli("verify", str(cut), "--identity", str(key), passphrase=None)
    assert run.returncode == 3
    assert "FAILED  Decryption" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_flipped_byte_in_encrypted_file_is_found(sealed, tmp_path: Path) -> None:
    bundle, key, _public = sealed
    copy = tmp_path / bundle.name
    shutil.copy(bundle, copy)
    _flip(copy, copy.stat().st_size - 5000)
    run = run_cli("verify", str(copy), "--identity", str(key), passphrase=None)
    assert run.returncode == 3
    assert bundle.name in run.stdout


def _hostile_zip(path: Path, kind: str) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bag/bagit.txt", "BagIt-Version: 1.0\n")
        if kind == "escape":
            zf.writestr("bag/../../escaped.txt", "gotcha")
        elif kind == "absolute":
            zf.writestr("/tmp/evidence-absolute.txt", "gotcha")
        elif kind == "symlink":
            info = zipfile.ZipInfo("bag/data/link")
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
        elif kind == "device":
            info = zipfile.ZipInfo("bag/data/dev")
            info.external_attr = (stat.S_IFCHR | 0o666) << 16
            zf.writestr(info, "")
        elif kind == "bomb":
            zf.writestr("bag/data/zeros.bin", b"\0" * (64 << 20))
        elif kind == "many":
            for i in range(20_001):
                zf.writestr(f"bag/data/{i}.txt", "")


@pytest.mark.parametrize(("kind", "words"), [
    ("escape", "outside its folder"),
    ("absolute", "absolute path"),
    ("symlink", "a link"),
    ("device", "special file"),
    ("bomb", "zip bomb"),
    ("many", "too many entries"),
])
def test_hostile_zip_is_refused(tmp_path: Path, kind: str, words: str) -> None:
    evil = tmp_path / "evil.zip"
    _hostile_zip(evil, kind)
    run_dir = tmp_path / "cwd"
    run_dir.mkdir()
    run = run_cli("verify", str(evil), "--extract-to", str(tmp_path / "x"), passphrase=None)
    assert run.returncode == 1, run.stdout
    assert words in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path("/tmp/evidence-absolute.txt").exists()
    extracted = list((tmp_path / "x").rglob("*")) if (tmp_path / "x").exists() else []
    assert not [p for p in extracted if p.is_file()]


def test_non_bundle_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    run = run_cli("verify", str(junk), passphrase=None)
    assert run.returncode == 1
    assert "not an Evidence Locker bundle" in run.stderr
