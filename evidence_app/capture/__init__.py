"""Screen capture with QtGui only: screens, whole screen, region, window -> PNG + source."""

from evidence_app.capture.grab import (
    Capture,
    FrozenScreen,
    ScreenInfo,
    capture_available,
    capture_region,
    capture_screen,
    capture_window,
    freeze_screen,
    screens,
    screenshot_name,
)
from evidence_app.capture.windows import (
    WindowInfo,
    list_windows,
    window_listing_available,
)

__all__ = [
    "Capture",
    "FrozenScreen",
    "ScreenInfo",
    "WindowInfo",
    "capture_available",
    "capture_region",
    "capture_screen",
    "capture_window",
    "freeze_screen",
    "list_windows",
    "screens",
    "screenshot_name",
    "window_listing_available",
]
