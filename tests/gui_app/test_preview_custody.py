""""Show picture" shows the picture, unblurred, and stays shown while the list refreshes;
the custody history gets one "viewed" record per item per unlocked session, however many
times the button is pressed."""

from __future__ import annotations

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

pytestmark = pytest.mark.gui


def _checkerboard(path, cells: int = 32, size: int = 320) -> None:
    """Sharp black and white squares: a blurred copy has no pure black or white left."""
    img = Image.new("RGB", (size, size), "white")
    step = size // cells
    for y in range(cells):
        for x in range(cells):
            if (x + y) % 2:
                img.paste((0, 0, 0), (x * step, y * step, (x + 1) * step, (y + 1) * step))
    img.save(path)


def _contrast(image: QImage) -> int:
    """How many sampled pixels are near pure black or pure white."""
    sharp = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            light = image.pixelColor(x, y).lightness()
            sharp += light < 30 or light > 225
    return sharp


def _viewed(vault, item_id: str) -> int:
    return sum(1 for r in vault.records
               if r["type"] == "item_viewed" and r["data"].get("item_id") == item_id)


def _select_first(main, qtbot) -> None:
    qtbot.waitUntil(lambda: main.model.rowCount() >= 1, timeout=10_000)
    main.list.setCurrentIndex(main.proxy.index(0, 0))
    qtbot.waitUntil(lambda: main.detail.item is not None, timeout=5_000)


def test_show_picture_shows_it_unblurred_and_records_one_view(unlocked, qtbot, tmp_path):
    main = unlocked.main
    vault = unlocked.session.vault
    picture = tmp_path / "threat.png"
    _checkerboard(picture)
    main.add_paths([picture])
    _select_first(main, qtbot)
    detail = main.detail
    item_id = detail.item.id
    blurred = detail.preview.pixmap().toImage()
    assert _contrast(blurred) < 20  # hidden until asked

    expected = QImage.fromData(vault.thumbnail_bytes(item_id)).scaled(
        320, 320, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    for _click in range(4):
        if detail.show_button.text().replace("&", "") == "Show picture":
            qtbot.mouseClick(detail.show_button, Qt.MouseButton.LeftButton)
        # The record is written in the background; the list then refreshes and re-selects.
        qtbot.waitUntil(lambda: _viewed(vault, item_id) >= 1, timeout=10_000)
        qtbot.wait(150)
        shown = detail.preview.pixmap().toImage().convertToFormat(expected.format())
        assert shown.size() == expected.size()
        assert shown == expected, "the preview must be the picture itself, not a blurred copy"
        assert _contrast(shown) > 200
        assert detail.show_button.text().replace("&", "") == "Hide picture"
        # Hide and show again: still the same session, so no further record.
        qtbot.mouseClick(detail.show_button, Qt.MouseButton.LeftButton)
        assert _contrast(detail.preview.pixmap().toImage()) < 20
    qtbot.wait(300)
    assert _viewed(vault, item_id) == 1
    # The pane's custody history shows one line per record: one for the looking.
    assert detail.history.count() == len(vault.item(item_id).history) == 2

    # Another item and back: blurred again; showing it again adds nothing this session.
    main.add_paths([tmp_path / "threat.png"])  # a duplicate: a second item
    qtbot.waitUntil(lambda: main.model.rowCount() == 2, timeout=10_000)
    main.list.setCurrentIndex(main.proxy.index(1, 0))
    main.list.setCurrentIndex(main.proxy.index(0, 0))
    qtbot.waitUntil(lambda: detail.item is not None and detail.item.id == item_id,
                    timeout=5_000)
    assert _contrast(detail.preview.pixmap().toImage()) < 20
    qtbot.mouseClick(detail.show_button, Qt.MouseButton.LeftButton)
    qtbot.wait(300)
    assert _viewed(vault, item_id) == 1


def test_a_new_session_records_a_new_view(unlocked, qtbot, tmp_path):
    from evidence_app.gui.start_window import PAGE_UNLOCK
    from tests.helpers import PASSPHRASE

    main = unlocked.main
    picture = tmp_path / "photo.png"
    _checkerboard(picture)
    main.add_paths([picture])
    _select_first(main, qtbot)
    item_id = main.detail.item.id
    qtbot.mouseClick(main.detail.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _viewed(unlocked.session.vault, item_id) == 1, timeout=10_000)
    unlocked._lock("user")
    qtbot.waitUntil(lambda: unlocked.main is None, timeout=10_000)
    unlocked.start.show_page(PAGE_UNLOCK)
    unlocked.start.unlock_field.setText(PASSPHRASE)
    unlocked.start.unlock_button.click()
    qtbot.waitUntil(lambda: unlocked.main is not None and unlocked.main.isVisible(),
                    timeout=10_000)
    main = unlocked.main
    _select_first(main, qtbot)
    assert _contrast(main.detail.preview.pixmap().toImage()) < 20  # blurred after unlock
    qtbot.mouseClick(main.detail.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _viewed(unlocked.session.vault, item_id) == 2, timeout=10_000)
