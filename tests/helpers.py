"""Shared test helpers: the real CLI in a subprocess, the test passphrase."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PASSPHRASE = "correct horse battery staple"


def run_cli(*args: str, env: dict[str, str] | None = None, passphrase: str | None = PASSPHRASE,
            input_text: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a person or script would."""
    full_env = dict(os.environ)
    if passphrase is not None:
        full_env["EVIDENCE_APP_PASSPHRASE"] = passphrase
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "evidence_app", *args],
        capture_output=True, text=True, env=full_env, input=input_text, timeout=timeout,
    )


def ssh_verify_bag(bag: Path, allowed: Path | None = None) -> None:
    """The officer's step: `ssh-keygen -Y verify` of the tag manifest's signature, with the
    bag's own allowed_signers (or the one given: the key from the paper receipt)."""
    with open(bag / "tagmanifest-sha256.txt", "rb") as tagmanifest:
        sig = subprocess.run(
            ["ssh-keygen", "-Y", "verify", "-f", str(allowed or "signature/allowed_signers"),
             "-I", "evidence-locker-vault", "-n", "evidence-locker-bundle",
             "-s", "signature/tagmanifest-sha256.txt.sig"],
            cwd=bag, stdin=tagmanifest, capture_output=True, text=True)
    assert sig.returncode == 0, sig.stderr
    assert sig.stdout.startswith("Good")


def sha256sum_check(bag: Path) -> None:
    """The officer's step: `sha256sum -c` of both manifests, every line OK."""
    for manifest in ("manifest-sha256.txt", "tagmanifest-sha256.txt"):
        run = subprocess.run(["sha256sum", "-c", manifest], cwd=bag, capture_output=True,
                             text=True)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "FAILED" not in run.stdout
