"""Capture tests in a real X server (Xvfb), in their own pytest process.

pytest-qt makes one QApplication per process, and the rest of the suite runs it offscreen,
so test_x11_run.py starts `python -m pytest -m x11 tests/gui_x11` with EVIDENCE_APP_X11=1.
In that inner run this file starts Xvfb on a free display (Xvfb -displayfd picks it) before
any QApplication exists, and sets DISPLAY and QT_QPA_PLATFORM=xcb. In the outer run the
*_x11.py files are not collected.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.timestamp.conftest import tsa, tsa_pki  # noqa: F401 - fixtures for these tests

INNER = os.environ.get("EVIDENCE_APP_X11") == "1"
SCREEN = (1280, 800)
_xvfb: subprocess.Popen[bytes] | None = None
_wm: subprocess.Popen[bytes] | None = None
_skip_reason = ""


def start_xvfb(width: int = SCREEN[0], height: int = SCREEN[1]) -> tuple[subprocess.Popen[bytes],
                                                                           str]:
    """Start Xvfb on a display number it chooses itself; returns the process and ':N'."""
    binary = shutil.which("Xvfb")
    if binary is None:
        raise FileNotFoundError("Xvfb")
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_end), "-screen", "0", f"{width}x{height}x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        number = pipe.readline().strip().decode()  # written once the server accepts clients
    if not number:
        proc.kill()
        raise RuntimeError("Xvfb did not start")
    return proc, f":{number}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "x11: needs a real X server (Xvfb); run in its own "
                            "process by tests/gui_x11/test_x11_run.py")
    global _xvfb, _skip_reason, _wm
    if not INNER:
        return
    try:
        _xvfb, display = start_xvfb()
    except (FileNotFoundError, RuntimeError) as exc:
        _skip_reason = f"Xvfb is not available ({exc}); install the xvfb package"
        return
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    wm = os.environ.get("EVIDENCE_APP_X11_WM", "")  # e.g. "openbox": also test under a WM
    if wm and shutil.which(wm):
        _wm = subprocess.Popen([wm], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            if "window id" in subprocess.run(["xprop", "-root", "_NET_CLIENT_LIST"],
                                             capture_output=True, text=True).stdout:
                break
            time.sleep(0.1)
    os.environ.pop("WAYLAND_DISPLAY", None)
    os.environ["XDG_SESSION_TYPE"] = "x11"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _wm is not None:
        _wm.terminate()
        _wm.wait(10)
    if _xvfb is not None:
        _xvfb.terminate()
        _xvfb.wait(10)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if not INNER and collection_path.name.endswith("_x11.py"):
        return True
    return None


@pytest.fixture(autouse=True)
def _need_xvfb(request: pytest.FixtureRequest) -> None:
    if INNER and _skip_reason:
        pytest.skip(_skip_reason)


@pytest.fixture
def session(qapp, tmp_path: Path) -> Iterator[object]:
    """A GUI Session holding a fresh open vault."""
    from evidence_app.core.vault import Vault
    from evidence_app.gui import workers
    from evidence_app.gui.session import Session
    from evidence_app.settings import Settings
    from tests.helpers import PASSPHRASE

    s = Session(Settings(read_pictures=False))  # reading pictures is not tested here
    s.vault, _recovery = Vault.create(tmp_path / "vault", PASSPHRASE)
    yield s
    workers.wait_all()
    if s.vault is not None and s.vault.is_open:
        s.vault.lock()


PATTERN_SCRIPT = r"""
import os
import sys
import threading
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

class Pattern(QWidget):
    def paintEvent(self, event):
        p = QPainter(self)
        p.fillRect(0, 0, self.width() // 2, self.height(), QColor(255, 0, 0))
        p.fillRect(self.width() // 2, 0, self.width() - self.width() // 2, self.height(),
                   QColor(0, 0, 255))
        p.end()

app = QApplication(sys.argv)
w = Pattern()
w.setWindowTitle(sys.argv[1])
w.setGeometry(0, 0, 640, 400)
w.show()
QTimer.singleShot(300, lambda: print("ready", hex(int(w.winId())), flush=True))
threading.Thread(target=lambda: (sys.stdin.readline(), os._exit(0)), daemon=True).start()
app.exec()
"""


@pytest.fixture
def pattern_window() -> Iterator[tuple[int, str]]:
    """Another program's window at (0, 0, 640, 400): red left half, blue right half."""
    title = "Evidence pattern – Чат"
    proc = subprocess.Popen([sys.executable, "-c", PATTERN_SCRIPT, title],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdin is not None
    line = proc.stdout.readline().split()
    assert line[:1] == ["ready"], "the pattern window did not start"
    yield int(line[1], 16), title
    proc.stdin.close()
    proc.wait(10)
