"""Nothing readable at rest: no file in the vault folder (or the log folder) gives away a
file's content, name, EXIF, notes, where it came from, or even its SHA-256."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tests.cli.util import init_vault, make_jpeg, ok
from tests.helpers import run_cli

MARKER = "Qx7MarkerZebra"


def _needles(files: list[Path]) -> dict[str, bytes]:
    found = {}
    for variant in (MARKER, MARKER.lower(), MARKER.upper()):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            found[f"{variant} ({encoding})"] = variant.encode(encoding)
    for path in files:
        digest = hashlib.sha256(path.read_bytes())
        found[f"sha256 of {path.name}"] = digest.hexdigest().encode()
        found[f"SHA256 of {path.name}"] = digest.hexdigest().upper().encode()
        found[f"raw sha256 of {path.name}"] = digest.digest()
    return found


def _leaks(folder: Path, needles: dict[str, bytes]) -> list[str]:
    leaks = []
    for path in [folder, *folder.rglob("*")] if folder.is_dir() else [folder]:
        for part in path.relative_to(folder.parent).parts[1:] or [path.name]:
            if MARKER.lower() in part.lower():
                leaks.append(f"{path}: marker in the file name")
        if path.is_file():
            data = path.read_bytes()
            leaks += [f"{path}: {what}" for what, needle in needles.items() if needle in data]
    return leaks


def test_nothing_readable_at_rest(tmp_path, isolated_env):
    vault = tmp_path / "v"
    init_vault(vault)
    v = ("--vault", str(vault))
    source = tmp_path / f"from-{MARKER}-phone"
    source.mkdir()
    files = [
        source / f"chat-{MARKER}.txt",
        source / "utf16.txt",
        make_jpeg(source / f"photo-{MARKER}.jpg", marker=MARKER, size=(640, 480)),
        source / "big.bin",
    ]
    files[0].write_text(f"He said: send money. {MARKER}\n" * 50, "utf-8")
    files[1].write_text(f"{MARKER} in UTF-16\n", "utf-16")
    files[3].write_bytes(os.urandom(3 << 20) + MARKER.encode() + os.urandom(1000))

    ok(*v, "add", str(source), "--note", f"note {MARKER}", "--sensitive")
    ok(*v, "note", "1", f"item note {MARKER}")
    ok(*v, "note", f"case note {MARKER}")
    ok(*v, "note", "--edit", "n1", f"edited {MARKER}")
    # Exports record their destination; errors get logged: neither may leak the marker.
    ok(*v, "export", "3", "--out", str(tmp_path / f"out-{MARKER}.jpg"))
    missing = run_cli(*v, "add", str(tmp_path / f"missing-{MARKER}.txt"))
    assert missing.returncode != 0
    ok(*v, "check")
    ok(*v, "log", "--verify")
    # The CLI itself shows the details to the person who has the passphrase.
    assert MARKER in ok(*v, "show", "3").stdout

    needles = _needles(files)
    # The scan does find the marker where it is in the clear (the exported original).
    assert _leaks(tmp_path / f"out-{MARKER}.jpg", needles) != []
    assert _leaks(vault, needles) == []
    logs = isolated_env / "logs"
    assert any(p.is_file() for p in logs.rglob("*")), "the log folder should have a log"
    assert _leaks(logs, needles) == []
