"""Shared pieces of the temp-file tests: a sealed bundle large enough to stop half way, and
ways to look for plaintext an interrupted run left behind.

Every MiB of the evidence starts with MARK, so even a partial copy of it (the decrypted zip
is stored, not compressed) is found by reading the files under a temp folder.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE

MARK = b"EVIDENCE-MARKER-7f3a9c51"
MIB = 1 << 20
EVIDENCE_MIB = 40


@dataclass
class BigBundle:
    path: Path  # NAME.zip.age, sealed to `identity`
    identity: Path  # the unit's age identity file
    vault: Path  # the vault it came from (holds the evidence as item 1)
    folder: Path


def make_big_bundle(folder: Path) -> BigBundle:
    """A real vault with one 40 MiB item, sealed to a new age key (core API, ~1 s)."""
    from evidence_app.bundle import agefile
    from evidence_app.bundle.seal import Protection, seal
    from evidence_app.core.vault import Vault

    folder.mkdir(parents=True, exist_ok=True)
    home = folder / "home"
    with pytest.MonkeyPatch.context() as mp:  # this may run before the per-test HOME exists
        for name, sub in (("HOME", ""), ("XDG_CONFIG_HOME", "config"),
                          ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"),
                          ("XDG_CACHE_HOME", "cache"), ("EVIDENCE_APP_LOG_DIR", "logs")):
            mp.setenv(name, str(home / sub))
        evidence = folder / "evidence.bin"
        with open(evidence, "wb") as fh:
            for _ in range(EVIDENCE_MIB):
                fh.write(MARK + os.urandom(MIB - len(MARK)))
        vault, _recovery = Vault.create(folder / "vault", PASSPHRASE)
        try:
            vault.add_file(evidence)
            key = agefile.X25519PrivateKey.generate()
            identity = folder / "unit-key.txt"
            identity.write_text(agefile.identity_string(key) + "\n")
            result = seal(vault, folder / "out", Protection.for_recipients(
                [agefile.recipient_string(key.public_key())]))
        finally:
            vault.lock()
        evidence.unlink()
    return BigBundle(result.bundle_path, identity, folder / "vault", folder)


def files_with_marker(root: Path) -> list[Path]:
    """Every file under `root` that holds (a piece of) the evidence."""
    found = []
    for folder, _dirs, names in os.walk(root):  # a job may still be removing its files
        for name in names:
            path = Path(folder) / name
            try:
                with open(path, "rb") as fh:
                    while chunk := fh.read(4 * MIB):
                        if MARK in chunk:
                            found.append(path)
                            break
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                continue
    return found


def wait_until(condition: Callable[[], bool], timeout: float = 30.0,
               step: float = 0.002) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(step)


def plaintext_appeared(root: Path, least: int = MIB) -> Callable[[], bool]:
    """True once some file under `root` holds at least `least` bytes (work has begun)."""

    def check() -> bool:
        for folder, _dirs, names in os.walk(root):
            for name in names:
                try:
                    if os.stat(os.path.join(folder, name)).st_size >= least:
                        return True
                except OSError:  # removed while being looked at
                    continue
        return False

    return check
