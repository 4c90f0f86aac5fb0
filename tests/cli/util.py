"""Helpers for the CLI tests: test files, vault-folder surgery, and output checks."""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
from pathlib import Path

from PIL import ExifTags, Image

from tests.helpers import PASSPHRASE, run_cli

RECOVERY_KEY_RE = re.compile(r"\b([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})\b")
ADDED_RE = re.compile(r"^added (\d+): (.+) \(")
SEGMENT = 1 << 20


def init_vault(vault: Path, passphrase: str = PASSPHRASE) -> str:
    """Create a vault through the CLI; returns the recovery key it printed."""
    result = run_cli("--vault", str(vault), "init", "--no-timestamps", passphrase=passphrase)
    assert result.returncode == 0, result.stderr
    found = RECOVERY_KEY_RE.findall(result.stdout)
    assert len(found) == 1, result.stdout
    return found[0]


def ok(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run the CLI and insist that it succeeded without a traceback."""
    result = run_cli(*args, **kwargs)
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert_no_traceback(result)
    return result


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> str:
    """Non-zero exit, exactly one line on stderr, no traceback; returns that line."""
    assert result.returncode != 0, (result.stdout, result.stderr)
    assert_no_traceback(result)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word.lower() in lines[0].lower(), lines[0]
    return lines[0]


def added_ids(stdout: str) -> dict[str, str]:
    """{item id: name} for every "added N: name (size)" line (what was acknowledged)."""
    found = {}
    for line in stdout.splitlines():
        m = ADDED_RE.match(line)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def make_jpeg(path: Path, *, marker: str = "", size: tuple[int, int] = (64, 48)) -> Path:
    """A real JPEG with EXIF (camera make, description) and GPS coordinates."""
    img = Image.new("RGB", size, (200, 40, 10))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "AcmeCam"
    exif[ExifTags.Base.Model] = "Model 7"
    exif[ExifTags.Base.ImageDescription] = f"harbour {marker}".strip()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 1.0)
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def object_files(vault: Path) -> dict[str, bytes]:
    """Every file under objects/ (shard/name -> content)."""
    root = vault / "objects"
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def object_path(vault: Path, object_id: str) -> Path:
    return vault / "objects" / object_id[:2] / object_id[2:]


def item_object_id(vault: Path, item_id: str) -> str:
    """Which object file holds an item (read through the core, as only the key holder can)."""
    from evidence_app.core.vault import Vault

    with Vault.open(vault, PASSPHRASE) as v:
        return v.item(item_id).object_id


def journal_frames(vault: Path) -> list[bytes]:
    """The journal's frames: 4-byte big-endian length + 12-byte nonce + ciphertext each."""
    data = (vault / "journal").read_bytes()
    frames, pos = [], 0
    while pos < len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        frames.append(data[pos : pos + 4 + length])
        pos += 4 + length
    assert pos == len(data)
    return frames


def write_journal(vault: Path, frames: list[bytes]) -> None:
    (vault / "journal").write_bytes(b"".join(frames))


def random_file(path: Path, size: int, seed: int | None = None) -> Path:
    data = os.urandom(size) if seed is None else _seeded_bytes(size, seed)
    path.write_bytes(data)
    return path


def _seeded_bytes(size: int, seed: int) -> bytes:
    import random

    return random.Random(seed).randbytes(size)


def run_cli_raw(
    *args: str,
    prefix: list[str] | None = None,
    preexec_fn=None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """Like run_cli, with a command prefix (e.g. setpriv) or a preexec_fn (e.g. setrlimit)."""
    import sys

    full_env = dict(os.environ, EVIDENCE_APP_PASSPHRASE=PASSPHRASE, **(env or {}))
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "evidence_app", *args],
        capture_output=True, text=True, env=full_env, timeout=timeout, preexec_fn=preexec_fn,
    )


def assert_vault_healthy(vault: Path, items: int | None = None) -> None:
    """The vault still opens, its custody log verifies and every item checks."""
    verify = ok("--vault", str(vault), "log", "--verify")
    assert "Custody log OK" in verify.stdout
    check = ok("--vault", str(vault), "check")
    if items is not None:
        assert intact_line(items) in check.stdout, check.stdout
    assert not list(vault.rglob(".tmp-*")), "temporary files were left behind"


def file_size_limit(limit: int):
    """A preexec_fn: writes past `limit` bytes fail with EFBIG, as on a full disk."""
    import resource
    import signal

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def intact_line(count: int) -> str:
    """What `check` prints when every item is whole (singular and plural differ)."""
    return "The 1 item is intact." if count == 1 else f"All {count} items are intact."
