"""Render resources/icons/evidence-app.svg into the PNG sizes desktops ask for, .ico and .icns.

Run after changing the SVG (the results are committed, so a build needs no renderer):
    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icons.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
NAME = "evidence-app"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(svg: Path, size: int) -> Image.Image:
    """One square RGBA rendering of the SVG, antialiased by Qt."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"not a valid SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = ICONS / f"{NAME}.svg"
    images = {size: render(svg, size) for size in PNG_SIZES}
    for size, image in images.items():
        folder = ICONS / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        image.save(folder / f"{NAME}.png", optimize=True)
    images[256].save(ICONS / f"{NAME}.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 256)])
    images[512].save(ICONS / f"{NAME}.icns")
    print(f"icons written under {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
