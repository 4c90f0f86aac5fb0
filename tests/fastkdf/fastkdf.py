"""Tests and benchmarks only: cheap Argon2, in this process and in every Python it starts.

The shipped program has no switch that weakens key derivation. This folder goes on
PYTHONPATH, so Python processes started from here run sitecustomize.py, which applies the
same cheap parameters. A vault made this way records its weak parameters in its header.
"""

from __future__ import annotations

import os
from pathlib import Path

FAST_ARGON2 = {"iterations": 1, "lanes": 1, "memory_cost": 8 * 1024}
HERE = str(Path(__file__).resolve().parent)


def apply() -> None:
    """Cheap Argon2 in this process."""
    try:
        from evidence_app.core import keys
    except ImportError:  # a Python process that is not ours (pip, a tool)
        return
    keys.DEFAULT_ARGON2 = dict(FAST_ARGON2)


def everywhere() -> None:
    """Cheap Argon2 here and in every Python process started from now on."""
    parts = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if HERE not in parts:
        os.environ["PYTHONPATH"] = os.pathsep.join([HERE, *parts])
    apply()
