"""Small pictures with words in them (rendered with the shipped font) and ways to watch the
text-reading engine run, for the tests of reading words in pictures from the window."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from PySide6.QtWidgets import QApplication

FONT = Path(__file__).resolve().parents[2] / "resources/fonts/NotoSans-Regular.ttf"
SCAM_LINES = ("Send the money today", "wallet Pineapple 4711")


def make_picture(path: Path, lines: tuple[str, ...] = SCAM_LINES,
                 size: tuple[int, int] = (600, 200)) -> Path:
    """A screenshot-like PNG: black words on white, one line per entry."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 34)
    for number, line in enumerate(lines):
        draw.text((20, 30 + number * 80), line, fill="black", font=font)
    image.save(path, "PNG")
    return path


def engine_running() -> bool:
    """A reading engine started by this process is running now (it reads from stdin)."""
    me = str(os.getpid())
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1] == me and b"tesseract" in cmdline \
                and b"stdin" in cmdline:
            return True
    return False


def wait_for(predicate, timeout: float = 20.0) -> bool:
    """Process events until predicate() (for waits where qtbot cannot be used)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.005)
    return False


def readings(vault) -> list:
    return [i for i in vault.state.items.values() if i.kind == "ocr_text"]
