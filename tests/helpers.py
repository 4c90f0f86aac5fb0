"""Shared test helpers: the real CLI in a subprocess, the test passphrase."""

from __future__ import annotations

import os
import subprocess
import sys

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
