"""Regenerates docs/screenshots/capture-*.png under Xvfb (English and German).

Runs only when asked:
EVIDENCE_APP_SCREENSHOTS=1 EVIDENCE_APP_X11=1 .venv/bin/python -m pytest -q -m x11 \
    tests/gui_x11/test_screenshots_x11.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from evidence_app import capture
from evidence_app.gui.capture_dialog import CaptureDialog
from evidence_app.i18n import set_language

pytestmark = [
    pytest.mark.x11,
    pytest.mark.skipif(os.environ.get("EVIDENCE_APP_SCREENSHOTS") != "1",
                       reason="set EVIDENCE_APP_SCREENSHOTS=1 to regenerate the screenshots"),
]
OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# A made-up chat window (fictional names), so the overlay shot shows what people capture.
CHAT_SCRIPT = r"""
import os, sys, threading
from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

app = QApplication(sys.argv)
w = QWidget()
w.setWindowTitle("Chat with Alex (example)")
w.setStyleSheet("background: #ece5dd; font-size: 15px;")
layout = QVBoxLayout(w)
lines = [("Alex", "Hi! I sent you the link to the trading platform."),
         ("me", "I paid 500 EUR yesterday. When do I get it back?"),
         ("Alex", "You need to pay a 20% release fee first."),
         ("Alex", "Wallet: bc1q-example-not-real"),
         ("me", "That was not what you said before.")]
for who, text in lines:
    label = QLabel(text)
    mine = who == "me"
    label.setStyleSheet("padding: 10px; border-radius: 8px; background: %s;"
                        % ("#dcf8c6" if mine else "white"))
    layout.addWidget(label, 0, Qt.AlignRight if mine else Qt.AlignLeft)
layout.addStretch(1)
w.setGeometry(120, 60, 760, 520)
w.show()
QTimer.singleShot(300, lambda: print("ready", flush=True))
threading.Thread(target=lambda: (sys.stdin.readline(), os._exit(0)), daemon=True).start()
app.exec()
"""


@pytest.fixture
def chat_window() -> Iterator[None]:
    proc = subprocess.Popen([sys.executable, "-c", CHAT_SCRIPT], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdin is not None
    assert proc.stdout.readline().strip() == "ready"
    yield
    proc.stdin.close()
    proc.wait(10)


def save_png(data: bytes, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_bytes(data)


@pytest.mark.parametrize("language", ["en", "de"])
def test_capture_screenshots(qtbot, session, chat_window, language: str) -> None:
    set_language(language)
    dialog = CaptureDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(OUT / f"capture-dialog-{language}.png"))

    dialog.region.setChecked(True)
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(o.isVisible() for o in dialog.region_overlays()),
                    timeout=3000)
    overlay = dialog.region_overlays()[0]
    qtbot.waitExposed(overlay)
    qtbot.wait(200)
    save_png(capture.capture_screen(0).png, f"capture-overlay-{language}.png")
    qtbot.mousePress(overlay, Qt.MouseButton.LeftButton, pos=QPoint(140, 80))
    qtbot.mouseMove(overlay, QPoint(700, 400))
    qtbot.mouseMove(overlay, QPoint(860, 560))
    qtbot.wait(200)
    save_png(capture.capture_screen(0).png, f"capture-region-{language}.png")
    qtbot.mouseRelease(overlay, Qt.MouseButton.LeftButton, pos=QPoint(860, 560))
    qtbot.waitUntil(lambda: len(dialog.saved_items) == 1, timeout=10_000)
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert dialog.grab().save(str(OUT / f"capture-saved-{language}.png"))

    dialog.whole.setChecked(True)
    dialog.series.setChecked(True)
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.saved_items) == 2, timeout=10_000)
    qtbot.waitUntil(dialog.bar.isVisible, timeout=3000)
    qtbot.wait(200)
    assert dialog.bar.grab().save(str(OUT / f"capture-series-{language}.png"))
    qtbot.mouseClick(dialog.bar.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    set_language("en")


@pytest.mark.parametrize("language", ["en", "de"])
def test_unavailable_screenshot(qtbot, session, monkeypatch, language: str) -> None:
    set_language(language)
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")  # an empty Xvfb grab looks like Wayland's
    dialog = CaptureDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.take.isEnabled()
    assert dialog.grab().save(str(OUT / f"capture-unavailable-{language}.png"))
    set_language("en")
