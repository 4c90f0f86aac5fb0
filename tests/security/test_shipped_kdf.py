"""No environment variable weakens key derivation in the program as shipped.

The first version read EVIDENCE_APP_INSECURE_FAST_KDF=1 and dropped Argon2 to 8 MiB: an
offender who could set one variable on a shared computer (a login script, a shortcut)
weakened every vault made there. The suite's own fast parameters come from test-only
start-up code (tests/fastkdf), which this test removes from the child's path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import PASSPHRASE


def test_environment_cannot_weaken_argon2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({"EVIDENCE_APP_INSECURE_FAST_KDF": "1", "EVIDENCE_APP_PASSPHRASE": PASSPHRASE})
    vault = tmp_path / "vault"
    done = subprocess.run(
        [sys.executable, "-m", "evidence_app", "--vault", str(vault), "init", "--no-timestamps"],
        env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    kdf = json.loads((vault / "vault.json").read_text())["kdf"]
    assert kdf["memory_cost"] == 256 * 1024
    assert kdf["iterations"] == 3
    assert kdf["lanes"] == 4
