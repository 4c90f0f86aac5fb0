"""Screenshots of a whole screen, a region of a frozen screen, or one window, as PNG bytes.

Only QtGui is used here (no widgets), so the GUI decides how to ask and what to hide, and the
pixels are taken exactly as the system hands them over. A region is cut from a full-screen
image taken a moment earlier ("frozen"), so what the person framed is what is stored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPixmap, QScreen

from evidence_app.core.errors import CaptureFailed
from evidence_app.messages import describe


@dataclass(frozen=True)
class ScreenInfo:
    """One monitor as Qt sees it; geometry is in logical pixels on the virtual desktop."""

    index: int
    name: str
    geometry: tuple[int, int, int, int]
    device_pixel_ratio: float
    primary: bool


class Capture:
    """A finished screenshot: the PNG to store and the source record that goes with it.

    The PNG is encoded on first use of .png, so the GUI can leave that to the worker thread
    that stores it (a 4K screen takes about half a second to encode).
    """

    def __init__(self, image: QImage, source: dict[str, Any], name: str) -> None:
        self.source = source
        self.name = name  # screenshot-<UTC time>.png, the name to store it under
        self.size = (image.width(), image.height())  # in device pixels
        self._image: QImage | None = image
        self._png: bytes | None = None

    @property
    def png(self) -> bytes:
        if self._png is None:
            image, self._image = self._image, None
            assert image is not None
            self._png = _png(image)
        return self._png


@dataclass
class FrozenScreen:
    """A full-screen image kept while the person chooses a region on it."""

    screen: ScreenInfo
    image: QImage
    captured_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    """UTC to the millisecond, like the custody journal's times."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def screenshot_name(moment: datetime | None = None) -> str:
    """The file name a screenshot is stored under: screenshot-2026-01-02_03-04-05.678Z.png."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return "screenshot-{}.{:03d}Z.png".format(moment.strftime("%Y-%m-%d_%H-%M-%S"),
                                              moment.microsecond // 1000)


def _qscreens() -> list[QScreen]:
    if QGuiApplication.instance() is None:
        return []
    return list(QGuiApplication.screens())


def _info(index: int, screen: QScreen) -> ScreenInfo:
    g = screen.geometry()
    return ScreenInfo(index=index, name=screen.name() or str(index + 1),
                      geometry=(g.x(), g.y(), g.width(), g.height()),
                      device_pixel_ratio=float(screen.devicePixelRatio()),
                      primary=screen is QGuiApplication.primaryScreen())


def screens() -> list[ScreenInfo]:
    """Every connected monitor, in Qt's order (index is what the other functions take)."""
    return [_info(i, s) for i, s in enumerate(_qscreens())]


def _screen(index: int) -> QScreen:
    found = _qscreens()
    if not 0 <= index < len(found):
        raise CaptureFailed("no_screen", str(index))
    return found[index]


def _grab_screen(screen: QScreen) -> QImage:
    pixmap: QPixmap = screen.grabWindow(0)
    if pixmap.isNull() or pixmap.width() == 0:
        raise CaptureFailed("unavailable", QGuiApplication.platformName())
    return pixmap.toImage()


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if image.hasAlphaChannel():
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    # PySide6 6.11's stub wants bytes for the format; at run time only str is accepted.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise CaptureFailed("unavailable", "png")
    buffer.close()
    return bytes(data.data())


def _source(mode: str, info: ScreenInfo, geometry: tuple[int, int, int, int],
            captured_at: datetime, window_title: str | None = None) -> dict[str, Any]:
    source: dict[str, Any] = {
        "type": "screenshot",
        "mode": mode,
        "screen": info.name,
        "geometry": list(geometry),
        "device_pixel_ratio": info.device_pixel_ratio,
        "platform": QGuiApplication.platformName(),
        "captured_at": _iso(captured_at),
    }
    if window_title is not None:
        source["window_title"] = window_title
    return source


def _finish(image: QImage, source: dict[str, Any], captured_at: datetime) -> Capture:
    return Capture(image, source, screenshot_name(captured_at))


def freeze_screen(index: int) -> FrozenScreen:
    """Take a full-screen image now, to choose a region on it afterwards."""
    screen = _screen(index)
    captured_at = _utc_now()
    return FrozenScreen(screen=_info(index, screen), image=_grab_screen(screen),
                        captured_at=captured_at)


def capture_screen(index: int) -> Capture:
    """The whole of one monitor, at its full device resolution."""
    frozen = freeze_screen(index)
    return _finish(frozen.image, _source("screen", frozen.screen, frozen.screen.geometry,
                                         frozen.captured_at), frozen.captured_at)


def capture_region(screen_index: int, rect: QRect,
                   frozen: FrozenScreen | None = None) -> Capture:
    """Part of a monitor; rect is in logical pixels relative to that monitor's top left.

    The region is cut from `frozen` (the image the person was looking at while choosing),
    or from a full-screen image taken now when none is given.
    """
    frozen = frozen or freeze_screen(screen_index)
    info = frozen.screen
    bounds = QRect(0, 0, info.geometry[2], info.geometry[3])
    logical = rect.normalized().intersected(bounds)
    if logical.width() < 1 or logical.height() < 1:
        raise CaptureFailed("empty_region", f"{rect.width()}x{rect.height()}")
    # Device pixels per logical pixel, from the image itself (Qt may round the ratio).
    sx = frozen.image.width() / max(1, info.geometry[2])
    sy = frozen.image.height() / max(1, info.geometry[3])
    device = QRect(round(logical.x() * sx), round(logical.y() * sy),
                   max(1, round(logical.width() * sx)), max(1, round(logical.height() * sy)))
    image = frozen.image.copy(device.intersected(frozen.image.rect()))
    geometry = (info.geometry[0] + logical.x(), info.geometry[1] + logical.y(),
                logical.width(), logical.height())
    return _finish(image, _source("region", info, geometry, frozen.captured_at),
                   frozen.captured_at)


def _screen_of(geometry: tuple[int, int, int, int] | None) -> tuple[int, QScreen]:
    found = _qscreens()
    if not found:
        raise CaptureFailed("no_screen", "none")
    if geometry is not None:
        x, y, w, h = geometry
        centre = QRect(x, y, w, h).center()
        for i, screen in enumerate(found):
            if screen.geometry().contains(centre):
                return i, screen
    primary = QGuiApplication.primaryScreen()
    return found.index(primary) if primary in found else 0, primary or found[0]


def capture_window(window_id: int, title: str | None = None,
                   geometry: tuple[int, int, int, int] | None = None) -> Capture:
    """One window by its native id (X11 window id, Windows HWND), where the system allows it.

    The title and geometry come from windows.list_windows() when known; they are recorded
    in the source so an officer can see which window the picture shows.
    """
    index, screen = _screen_of(geometry)
    captured_at = _utc_now()
    pixmap: QPixmap = screen.grabWindow(int(window_id))
    if pixmap.isNull() or pixmap.width() == 0 or pixmap.height() == 0:
        raise CaptureFailed("window_gone", hex(int(window_id)))
    image = pixmap.toImage()
    if geometry is None:
        dpr = pixmap.devicePixelRatio() or 1.0
        geometry = (0, 0, round(image.width() / dpr), round(image.height() / dpr))
    return _finish(image, _source("window", _info(index, screen), geometry, captured_at,
                                  window_title=title), captured_at)


def _uniform(image: QImage) -> bool:
    """True when every sampled pixel has the same colour (what a refused grab looks like)."""
    small = image.scaled(64, 64, Qt.AspectRatioMode.IgnoreAspectRatio,
                         Qt.TransformationMode.FastTransformation)
    small = small.convertToFormat(QImage.Format.Format_RGB32)
    raw = bytes(small.constBits())
    words = {raw[i:i + 4] for i in range(0, len(raw), 4)}
    return len(words) <= 1


def _wayland_session() -> bool:
    return (QGuiApplication.platformName().startswith("wayland")
            or os.environ.get("XDG_SESSION_TYPE", "").lower() == "wayland"
            or bool(os.environ.get("WAYLAND_DISPLAY")))


def capture_available() -> tuple[bool, str]:
    """Whether this app can read the screen here, and if not, one sentence saying what to do.

    Wayland does not let apps read the screen: the grab comes back empty or all black (also
    for X11 apps under XWayland), so there the test grab is checked for content.
    """
    found = _qscreens()
    if not found:
        return False, describe(CaptureFailed("unavailable", "no screens"))
    primary = QGuiApplication.primaryScreen() or found[0]
    try:
        image = _grab_screen(primary)
    except CaptureFailed as exc:
        return False, describe(exc)
    if _wayland_session() and _uniform(image):
        return False, describe(CaptureFailed("unavailable", "wayland"))
    return True, ""
