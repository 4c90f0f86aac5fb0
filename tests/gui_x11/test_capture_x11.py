"""Screen capture in a real X server: whole screen, region by mouse drag, window, series.

Run by test_x11_run.py in its own process (EVIDENCE_APP_X11=1, Xvfb 1280x800 started by
conftest.py). The colourful window belongs to another process, as a chat app would.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QImage

from evidence_app import capture
from evidence_app.core.errors import CaptureFailed
from evidence_app.gui import workers
from evidence_app.gui.capture_dialog import CaptureDialog
from tests.gui_x11.conftest import SCREEN

pytestmark = pytest.mark.x11
RED, BLUE = QColor(255, 0, 0), QColor(0, 0, 255)


def stored_image(session, item_id: str) -> tuple[QImage, bytes]:
    data = b"".join(bytes(chunk) for chunk in session.vault.iter_item(item_id))
    image = QImage.fromData(data, "PNG")
    assert not image.isNull()
    return image, data


def open_dialog(qtbot, session) -> CaptureDialog:
    dialog = CaptureDialog(session)
    qtbot.addWidget(dialog)
    dialog.move(100, 100)  # on top of the pattern's red half: must not be in the capture
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def wait_saved(qtbot, dialog: CaptureDialog, count: int) -> None:
    qtbot.waitUntil(lambda: len(dialog.saved_items) >= count, timeout=10_000)
    workers.wait_all()


def test_screens_and_availability(qapp) -> None:
    found = capture.screens()
    assert len(found) == 1
    assert found[0].geometry == (0, 0, *SCREEN)
    assert found[0].primary
    assert found[0].device_pixel_ratio == 1.0
    assert capture.capture_available() == (True, "")


def test_whole_screen_is_stored_with_its_source(qtbot, session, pattern_window) -> None:
    dialog = open_dialog(qtbot, session)
    assert dialog.whole.isChecked()
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)  # the app hides itself
    wait_saved(qtbot, dialog, 1)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)  # and comes back

    item = session.vault.state.items[dialog.saved_items[0]]
    image, data = stored_image(session, item.id)
    assert (image.width(), image.height()) == SCREEN
    assert image.pixelColor(50, 50) == RED
    assert image.pixelColor(150, 150) == RED  # where the dialog was: it was hidden
    assert image.pixelColor(600, 50) == BLUE
    assert image.pixelColor(1000, 700) != RED  # outside the pattern window
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.name.startswith("screenshot-")
    assert item.name.endswith("Z.png")
    assert item.source["type"] == "screenshot"
    assert item.source["mode"] == "screen"
    assert item.source["geometry"] == [0, 0, *SCREEN]
    assert item.source["platform"] == "xcb"
    assert item.source["device_pixel_ratio"] == 1.0
    assert item.source["screen"] == capture.screens()[0].name
    assert "window_title" not in item.source
    assert dialog.status.text() == f"Screenshot saved to the vault (item {item.id})."


def test_region_dragged_on_the_overlay(qtbot, session, pattern_window) -> None:
    dialog = open_dialog(qtbot, session)
    dialog.region.setChecked(True)
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(o.isVisible() for o in dialog.region_overlays()),
                    timeout=3000)
    overlay = dialog.region_overlays()[0]
    qtbot.waitExposed(overlay)
    assert overlay.geometry() == QRect(0, 0, *SCREEN)
    qtbot.mousePress(overlay, Qt.MouseButton.LeftButton, pos=QPoint(250, 120))
    qtbot.mouseMove(overlay, QPoint(400, 200))
    qtbot.mouseMove(overlay, QPoint(450, 270))
    assert overlay.selection == QRect(250, 120, 200, 150)
    qtbot.mouseRelease(overlay, Qt.MouseButton.LeftButton, pos=QPoint(450, 270))
    wait_saved(qtbot, dialog, 1)

    item = session.vault.state.items[dialog.saved_items[0]]
    image, _data = stored_image(session, item.id)
    assert (image.width(), image.height()) == (200, 150)
    # Cut from the frozen screen: the pattern, not the dimmed overlay, and not the dialog.
    assert image.pixelColor(10, 10) == RED
    assert image.pixelColor(190, 140) == BLUE
    assert item.source["mode"] == "region"
    assert item.source["geometry"] == [250, 120, 200, 150]
    assert not dialog.region_overlays()
    qtbot.waitUntil(dialog.isVisible, timeout=2000)


def test_region_cancelled_with_escape_stores_nothing(qtbot, session) -> None:
    dialog = open_dialog(qtbot, session)
    dialog.region.setChecked(True)
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(o.isVisible() for o in dialog.region_overlays()),
                    timeout=3000)
    qtbot.keyClick(dialog.region_overlays()[0], Qt.Key.Key_Escape)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert dialog.status.text() == "No screenshot was taken."
    assert session.vault.state.items == {}


def test_region_by_keyboard_alone(qtbot, session, pattern_window) -> None:
    dialog = open_dialog(qtbot, session)
    dialog.region.setChecked(True)
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(o.isVisible() for o in dialog.region_overlays()),
                    timeout=3000)
    overlay = dialog.region_overlays()[0]
    qtbot.keyClick(overlay, Qt.Key.Key_Right)  # starts with the middle half, moved right
    qtbot.keyClick(overlay, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert overlay.selection == QRect(330, 200, 640, 410)
    qtbot.keyClick(overlay, Qt.Key.Key_Return)
    wait_saved(qtbot, dialog, 1)
    image, _data = stored_image(session, dialog.saved_items[0])
    assert (image.width(), image.height()) == (640, 410)


def test_one_window_of_another_program(qtbot, session, pattern_window) -> None:
    wid, title = pattern_window
    ok, reason = capture.window_listing_available()
    assert ok, reason
    listed = {w.id: w for w in capture.list_windows()}
    assert wid in listed
    assert listed[wid].title == title
    assert listed[wid].geometry == (0, 0, 640, 400)

    dialog = open_dialog(qtbot, session)
    index = next(i for i in range(dialog.window_box.count())
                 if dialog.window_box.itemData(i).id == wid)
    assert dialog.window_box.itemText(index) == title
    assert not any(w.id == int(dialog.winId()) for w in capture.list_windows())
    dialog.one_window.setChecked(True)
    dialog.window_box.setCurrentIndex(index)
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    wait_saved(qtbot, dialog, 1)
    item = session.vault.state.items[dialog.saved_items[0]]
    image, _data = stored_image(session, item.id)
    assert (image.width(), image.height()) == (640, 400)
    assert image.pixelColor(5, 5) == RED
    assert image.pixelColor(635, 395) == BLUE
    assert item.source["mode"] == "window"
    assert item.source["window_title"] == title
    assert item.source["geometry"] == [0, 0, 640, 400]


def test_series_until_stopped(qtbot, session, pattern_window) -> None:
    dialog = open_dialog(qtbot, session)
    dialog.series.setChecked(True)
    assert not dialog.delay.isEnabled()
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    wait_saved(qtbot, dialog, 1)
    qtbot.waitUntil(dialog.bar.isVisible, timeout=2000)
    assert not dialog.isVisible()  # the app stays hidden while the series runs
    assert dialog.bar.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert "Screenshots taken: 1." in dialog.bar.message.text()
    qtbot.keyClick(dialog.bar, Qt.Key.Key_F8)
    wait_saved(qtbot, dialog, 2)
    qtbot.waitUntil(dialog.bar.isVisible, timeout=2000)
    qtbot.mouseClick(dialog.bar.capture_button, Qt.MouseButton.LeftButton)
    wait_saved(qtbot, dialog, 3)
    qtbot.waitUntil(lambda: "Screenshots taken: 3." in dialog.bar.message.text(), timeout=2000)
    qtbot.mouseClick(dialog.bar.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert not dialog.bar.isVisible()
    items = [session.vault.state.items[i] for i in dialog.saved_items]
    assert [i.id for i in items] == ["1", "2", "3"]
    for item in items:
        image, _data = stored_image(session, item.id)
        assert (image.width(), image.height()) == SCREEN
        assert image.pixelColor(50, 50) == RED  # the bar was hidden at each shot
    assert "Screenshots in this series: 3." in dialog.status.text()


def test_countdown_is_shown_then_captures(qtbot, session, pattern_window) -> None:
    dialog = open_dialog(qtbot, session)
    dialog.delay.setValue(1)
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.bar.isVisible, timeout=2000)
    assert dialog.bar.message.text() == "Taking the screenshot in 1 s…"
    assert not dialog.isVisible()
    wait_saved(qtbot, dialog, 1)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    image, _data = stored_image(session, dialog.saved_items[0])
    assert image.pixelColor(50, 50) == RED


def test_quick_exit_during_a_series_brings_nothing_back(qtbot, session, pattern_window) -> None:
    dialog = open_dialog(qtbot, session)
    dialog.series.setChecked(True)
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    wait_saved(qtbot, dialog, 1)
    qtbot.waitUntil(dialog.bar.isVisible, timeout=2000)
    session.lock("quick_exit")
    assert not dialog.bar.isVisible()
    qtbot.mouseClick(dialog.bar.stop_button, Qt.MouseButton.LeftButton)
    qtbot.wait(400)
    assert not dialog.isVisible()


def test_wayland_like_black_grab_is_refused_with_one_sentence(qtbot, session,
                                                               monkeypatch) -> None:
    """Under XWayland the grab comes back black: an empty Xvfb screen looks just like it."""
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    ok, reason = capture.capture_available()
    assert not ok
    assert "screenshot tool" in reason
    assert "Add files" in reason
    dialog = CaptureDialog(session)
    qtbot.addWidget(dialog)
    assert not dialog.take.isEnabled()
    assert dialog.problem.text() == reason


def test_capture_region_edges(qapp) -> None:
    frozen = capture.freeze_screen(0)
    shot = capture.capture_region(0, QRect(1200, 700, 500, 500), frozen)
    assert shot.size == (80, 100)  # clipped to the screen
    assert shot.source["geometry"] == [1200, 700, 80, 100]
    with pytest.raises(CaptureFailed) as info:
        capture.capture_region(0, QRect(2000, 2000, 10, 10), frozen)
    assert info.value.reason == "empty_region"
    with pytest.raises(CaptureFailed) as info:
        capture.capture_screen(3)
    assert info.value.reason == "no_screen"
    with pytest.raises(CaptureFailed) as info:
        capture.capture_window(0x7FFFFFF)
    assert info.value.reason == "window_gone"


HIDPI_SCRIPT = r"""
import json, sys
from PySide6.QtCore import QPoint, QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from evidence_app import capture
from evidence_app.gui.region_overlay import RegionOverlay

app = QApplication(sys.argv)
frozen = capture.freeze_screen(0)
overlay = RegionOverlay(frozen)
result = {"screen": capture.screens()[0].geometry, "frozen": frozen.image.width()}

def chosen(rect):
    shot = capture.capture_region(0, rect, frozen)
    result.update(size=shot.size, geometry=shot.source["geometry"],
                  ratio=shot.source["device_pixel_ratio"])
    print(json.dumps(result), flush=True)
    app.quit()

def drag():
    QTest.mousePress(overlay, Qt.MouseButton.LeftButton, pos=QPoint(10, 20))
    QTest.mouseMove(overlay, QPoint(110, 70))
    QTest.mouseRelease(overlay, Qt.MouseButton.LeftButton, pos=QPoint(110, 70))

overlay.selected.connect(chosen)
overlay.show_on_screen()
QTimer.singleShot(300, drag)
QTimer.singleShot(10000, app.quit)
app.exec()
"""


def test_region_on_a_hidpi_screen_keeps_every_device_pixel() -> None:
    """With a scale factor of 2 a 100x50 drag (logical) is 200x100 real pixels."""
    env = dict(os.environ, QT_SCALE_FACTOR="2")
    done = subprocess.run([sys.executable, "-c", HIDPI_SCRIPT], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["screen"] == [0, 0, 640, 400]
    assert result["frozen"] == SCREEN[0]
    assert result["size"] == [200, 100]
    assert result["geometry"] == [10, 20, 100, 50]
    assert result["ratio"] == 2.0


def test_exec_keeps_running_while_the_dialog_hides(qtbot, session, pattern_window) -> None:
    """The main window may call exec(): hiding for the screenshot must not end it."""
    dialog = CaptureDialog(session)
    qtbot.addWidget(dialog)
    seen: list[str] = []

    def drive() -> None:
        qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
        wait_saved(qtbot, dialog, 1)
        qtbot.waitUntil(dialog.isVisible, timeout=2000)
        seen.append(dialog.status.text())
        dialog.reject()

    QTimer.singleShot(0, drive)
    assert dialog.exec() == 0
    assert seen == ["Screenshot saved to the vault (item 1)."]


def test_locking_closes_the_dialog(qtbot, session) -> None:
    dialog = open_dialog(qtbot, session)
    with qtbot.waitSignal(dialog.finished, timeout=2000):
        session.lock("idle")
    assert not dialog.isVisible()


def test_series_of_one_region_keeps_the_area(qtbot, session, pattern_window) -> None:
    """Choose the chat's area once, then every F8 takes that same area again."""
    dialog = open_dialog(qtbot, session)
    dialog.region.setChecked(True)
    dialog.series.setChecked(True)
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(o.isVisible() for o in dialog.region_overlays()),
                    timeout=3000)
    overlay = dialog.region_overlays()[0]
    qtbot.mousePress(overlay, Qt.MouseButton.LeftButton, pos=QPoint(20, 30))
    qtbot.mouseMove(overlay, QPoint(120, 90))
    qtbot.mouseRelease(overlay, Qt.MouseButton.LeftButton, pos=QPoint(120, 90))
    wait_saved(qtbot, dialog, 1)
    qtbot.waitUntil(dialog.bar.isVisible, timeout=2000)
    qtbot.keyClick(dialog.bar, Qt.Key.Key_F8)
    wait_saved(qtbot, dialog, 2)
    qtbot.waitUntil(dialog.bar.isVisible, timeout=2000)
    assert not dialog.region_overlays()  # no second overlay: the area was kept
    qtbot.mouseClick(dialog.bar.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    for item_id in dialog.saved_items:
        image, _data = stored_image(session, item_id)
        assert (image.width(), image.height()) == (100, 60)
        assert image.pixelColor(50, 30) == RED
        assert session.vault.state.items[item_id].source["geometry"] == [20, 30, 100, 60]
