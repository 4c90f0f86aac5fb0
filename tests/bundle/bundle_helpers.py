"""Build sealed bundles with the real CLI, and take them apart as an officer or attacker would."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

from tests.helpers import run_cli


def make_vault_with_files(tmp: Path) -> tuple[Path, dict[str, bytes]]:
    from PIL import Image

    vault = tmp / "vault"
    assert run_cli("--vault", str(vault), "init", "--no-timestamps").returncode == 0
    files = tmp / "in"
    files.mkdir()
    (files / "threat message.txt").write_bytes("Pay or I send the video. Zahl jetzt — ¥€\n"
                                               .encode())
    Image.new("RGB", (64, 48), (10, 120, 200)).save(files / "screenshot.png")
    Image.new("RGB", (64, 48), (200, 0, 0)).save(files / "private.jpg")
    (files / "big.bin").write_bytes(bytes(range(256)) * 12_000)  # 3 MB, several segments
    run = run_cli("--vault", str(vault), "add", str(files / "threat message.txt"),
                  str(files / "screenshot.png"), str(files / "big.bin"))
    assert run.returncode == 0, run.stderr
    run = run_cli("--vault", str(vault), "add", "--sensitive", str(files / "private.jpg"))
    assert run.returncode == 0, run.stderr
    originals = {p.name: p.read_bytes() for p in files.iterdir()}
    return vault, originals


def age_keypair(tmp: Path) -> tuple[Path, str]:
    key = tmp / "unit-key.txt"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    public = next(line.split(": ", 1)[1] for line in key.read_text().splitlines()
                  if "public key" in line)
    return key, public


def seal(vault: Path, out: Path, *extra: str) -> Path:
    run = run_cli("--vault", str(vault), "seal", "--out", str(out), *extra)
    assert run.returncode == 0, run.stderr
    bundles = sorted(out.glob("*.zip.age")) + sorted(out.glob("*.zip"))
    assert len(bundles) == 1
    return bundles[0]


def unpack(zip_path: Path, dest: Path) -> Path:
    subprocess.run(["unzip", "-q", str(zip_path), "-d", str(dest)], check=True)
    (folder,) = list(dest.iterdir())
    return folder


def rezip(folder: Path, zip_path: Path) -> None:
    """Pack a bag folder back into a zip exactly as the app lays it out."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_STORED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{folder.name}/{path.relative_to(folder)}")
