"""A vault made by the first version (header version 1, ELOBJ1 objects, one key).

tests/assets/v1-vault was made with the first release's own CLI (`init --no-timestamps`,
then `add old.txt` holding b"made by the first version"), passphrase tests.helpers.PASSPHRASE.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ASSET = Path(__file__).resolve().parents[1] / "assets" / "v1-vault"
RECOVERY_KEY = "N5NR-KXEF-6WD2-3620-7397-GB8K-61KC-CW21"
CONTENT = b"made by the first version"


def make_v1_vault(target: Path) -> str:
    """A private copy of the first-version vault; returns its recovery key."""
    shutil.copytree(ASSET, target)
    target.chmod(0o700)
    return RECOVERY_KEY
