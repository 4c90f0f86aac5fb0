"""Runs the Xvfb capture tests (tests/gui_x11/*_x11.py) in their own pytest process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


@pytest.mark.skipif(shutil.which("Xvfb") is None,
                    reason="Xvfb is not installed (apt-get install xvfb), so the screen "
                    "capture tests cannot run in a real X server")
def test_capture_under_xvfb() -> None:
    env = dict(os.environ, EVIDENCE_APP_X11="1")
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", "x11", "-p", "no:cacheprovider",
         str(HERE)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert " passed" in done.stdout
