"""Shared pieces of the security tests: a realistic small vault built through the core API,
sealed bundles, bit flips, and the counts every harness reports at the end of the run.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from evidence_app.core.vault import Vault
from tests.cli.util import make_jpeg
from tests.helpers import PASSPHRASE

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "chats"
TELEGRAM = ASSETS / "telegram" / "single" / "result.json"
MIB = 1 << 20

# name -> "key=value ..." line; printed by conftest's terminal summary (and to stderr).
COUNTS: dict[str, str] = {}


def report(name: str, capsys, **counts: object) -> None:
    """Print the counts now (visible with -s or not) and keep them for the run's summary."""
    line = " ".join(f"{k}={v}" for k, v in counts.items())
    COUNTS[name] = line
    with capsys.disabled():
        print(f"\n{name}: {line}", file=sys.stderr)


def build_vault(folder: Path, rng: random.Random) -> Vault:
    """A vault with every kind of content: small and multi-segment files, a photo (so a
    thumbnail object), notes on the case and on an item, case details, a chat import."""
    from evidence_app.chats.importer import import_chat

    vault, _recovery = Vault.create(folder, PASSPHRASE)
    inputs = folder.parent / f"{folder.name}-in"
    inputs.mkdir()
    small = inputs / "threat.txt"
    small.write_bytes(b"Pay 500 or the video goes to everyone you know.\n")
    big = inputs / "bank statement.bin"
    big.write_bytes(rng.randbytes(2 * MIB + 4321))  # three segments
    photo = make_jpeg(inputs / "photo.jpg", marker="harbour", size=(320, 240))
    for path in (small, big, photo):
        vault.add_file(path)
    vault.add_note("He first wrote on Instagram.")
    vault.add_note("This is the threat.", item_id="1")
    vault.update_case({"reference": "SEC-1", "statement": "He asked for money."})
    import_chat(vault, TELEGRAM, fmt="telegram", me="-")
    return vault


def flip_bit(path: Path, rng: random.Random, start: int = 0, end: int | None = None) -> int:
    """Flip one random bit of `path` in [start, end); returns the byte offset."""
    data = bytearray(path.read_bytes())
    stop = len(data) if end is None else min(end, len(data))
    offset = rng.randrange(start, stop)
    data[offset] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))
    return offset
