"""Pictures with known words, drawn with the app's own fonts, and the settings that read them."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"

needs_engine = pytest.mark.skipif(shutil.which("tesseract") is None,
                                  reason="tesseract is not installed "
                                         "(sh installer/system-packages.sh --install)")


def draw_lines(lines: list[str], *, size: int = 22, width: int = 900, font: str =
               "NotoSans-Regular.ttf", fmt: str = "PNG", mode: str = "RGB") -> bytes:
    """A picture of these lines, black on white, one under the other."""
    face = ImageFont.truetype(str(FONTS / font), size)
    height = 40 + len(lines) * int(size * 1.8)
    img = Image.new(mode, (width, height), "white" if mode != "RGBA" else (0, 0, 0, 0))
    pen = ImageDraw.Draw(img)
    for number, line in enumerate(lines):
        pen.text((24, 20 + number * int(size * 1.8)), line, font=face, fill="black")
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


@pytest.fixture
def reading_on(isolated_env: Path) -> Path:
    """Settings as shipped: the words in pictures are read after adding."""
    from evidence_app import APP_ID

    path = isolated_env / ".config" / APP_ID / "settings.json"
    path.write_text(json.dumps({"read_pictures": True}), "utf-8")
    return path
