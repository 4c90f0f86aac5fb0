"""Runs the real desktop app (evidence_app.cli.main(["gui"])) and drives it like an officer:
open Check a bundle, start the check, and (mode "quick") press Esc twice once the decrypted
bundle is being written. Used by test_quick_exit_temp.py in a subprocess of its own.

Usage: quick_exit_driver.py BUNDLE IDENTITY_FILE quick|signal [stuck]

"stuck" also starts a background task that ignores cancel for a minute, standing in for
work that cannot stop at once (hashing a very large file): the exit must not wait for it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

MIB = 1 << 20


def _plaintext_started() -> bool:
    root = Path(tempfile.gettempdir())
    try:
        return any(p.is_file() and p.stat().st_size >= MIB for p in root.rglob("*"))
    except OSError:
        return False


def main() -> int:
    bundle, identity, mode = sys.argv[1:4]
    stuck = "stuck" in sys.argv[4:]
    app = QApplication(["evidence-app"])

    def press_quick_exit() -> None:
        if not _plaintext_started():
            QTimer.singleShot(2, press_quick_exit)
            return
        print(f"QUICK {time.monotonic()}", flush=True)
        target = QApplication.focusWidget() or QApplication.topLevelWidgets()[0]
        QTest.keyClick(target, Qt.Key.Key_Escape)
        QTest.keyClick(QApplication.focusWidget() or target, Qt.Key.Key_Escape)

    def drive() -> None:
        from evidence_app.gui import workers
        from evidence_app.gui.start_window import StartWindow
        from evidence_app.gui.verify_view import VerifyWindow

        start = next(w for w in app.topLevelWidgets() if isinstance(w, StartWindow))
        start.verify_requested.emit()
        win = next(w for w in app.topLevelWidgets()
                   if isinstance(w, VerifyWindow) and w.isVisible())
        win.open_bundle(Path(bundle))
        win.identity.setText(identity)
        if stuck:
            workers.start(workers.Task(lambda progress=None, cancel=None: time.sleep(60)))
        win.start_verify()
        print("STARTED", flush=True)
        if mode == "quick":
            press_quick_exit()

    QTimer.singleShot(0, drive)
    from evidence_app.cli import main as cli_main

    return cli_main(["gui"])


if __name__ == "__main__":
    sys.exit(main())
