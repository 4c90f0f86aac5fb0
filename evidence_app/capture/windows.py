"""The list of open windows, where the system tells apps (X11, with xprop and xwininfo).

Qt itself cannot enumerate other programs' windows. On X11 the window manager publishes them
in _NET_CLIENT_LIST; without a window manager the root window's mapped children are used.
Both are read with the small x11-utils tools. Elsewhere (Wayland, Windows, macOS) the list is
not available and the GUI offers the whole screen or a region instead.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from PySide6.QtGui import QGuiApplication

from evidence_app.core.errors import CaptureFailed
from evidence_app.messages import describe

log = logging.getLogger(__name__)
_TIMEOUT = 3.0
_HEX_ID = re.compile(r"0x[0-9a-fA-F]+")
_CHILD = re.compile(r"^\s+(0x[0-9a-fA-F]+) ")


@dataclass(frozen=True)
class WindowInfo:
    """A window of another program; geometry is absolute, in logical pixels."""

    id: int
    title: str
    geometry: tuple[int, int, int, int]


def _tools() -> tuple[str, str] | None:
    xprop, xwininfo = shutil.which("xprop"), shutil.which("xwininfo")
    if xprop is None or xwininfo is None:
        return None
    return xprop, xwininfo


def window_listing_available() -> tuple[bool, str]:
    """Whether list_windows() can work here, and if not, one sentence saying what to do."""
    if QGuiApplication.platformName() != "xcb" or not os.environ.get("DISPLAY"):
        return False, describe(CaptureFailed("no_window_list", QGuiApplication.platformName()))
    if _tools() is None:
        return False, describe(CaptureFailed("no_window_list", "x11-utils missing"))
    return True, ""


def _run(*args: str) -> str:
    env = dict(os.environ, LC_ALL="C.UTF-8")
    try:
        done = subprocess.run(args, capture_output=True, timeout=_TIMEOUT, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("%s failed: %s", os.path.basename(args[0]), type(exc).__name__)
        return ""
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else ""


def unescape_xprop(text: str) -> str:
    """Undo xprop's quoting: \\" and \\\\, and octal bytes (\\303\\274) in a C locale."""
    out = bytearray()
    i = 0
    raw = text.encode("utf-8")
    while i < len(raw):
        byte = raw[i]
        if byte == 0x5C and i + 1 < len(raw):  # backslash
            octal = raw[i + 1:i + 4]
            if len(octal) == 3 and all(0x30 <= b <= 0x37 for b in octal):
                out.append(int(octal.decode(), 8) & 0xFF)
                i += 4
                continue
            out.append(raw[i + 1])
            i += 2
            continue
        out.append(byte)
        i += 1
    return out.decode("utf-8", errors="replace")


def _title(xprop: str, wid: int) -> str:
    text = _run(xprop, "-id", hex(wid), "_NET_WM_NAME", "WM_NAME")
    for line in text.splitlines():
        name, sep, value = line.partition(" = ")
        value = value.strip()
        if sep and value.startswith('"') and value.endswith('"') and len(value) >= 2:
            title = unescape_xprop(value[1:-1]).strip()
            if title and ("_NET_WM_NAME" in name or "WM_NAME" in name):
                return title
    return ""


def _client_ids(xprop: str, xwininfo: str) -> list[int]:
    listed = _run(xprop, "-root", "_NET_CLIENT_LIST")
    if "window id" in listed or "=" in listed:
        return [int(m, 16) for m in _HEX_ID.findall(listed.partition("#")[2] or listed)]
    tree = _run(xwininfo, "-root", "-children")
    return [int(m.group(1), 16) for line in tree.splitlines() if (m := _CHILD.match(line))]


def _field(text: str, label: str) -> str:
    for line in text.splitlines():
        key, sep, value = line.strip().partition(":")
        if sep and key.strip() == label:
            return value.strip()
    return ""


def _geometry(xwininfo: str, wid: int) -> tuple[int, int, int, int] | None:
    """Absolute geometry of a viewable, managed window; None for hidden or pop-up windows."""
    text = _run(xwininfo, "-id", hex(wid))
    if _field(text, "Map State") != "IsViewable":
        return None
    if _field(text, "Override Redirect State") == "yes":
        return None
    try:
        values = tuple(int(_field(text, k)) for k in (
            "Absolute upper-left X", "Absolute upper-left Y", "Width", "Height"))
    except ValueError:
        return None
    x, y, w, h = values
    return (x, y, w, h) if w > 1 and h > 1 else None


def _own_ids() -> set[int]:
    return {int(w.winId()) for w in QGuiApplication.allWindows()}


def list_windows() -> list[WindowInfo]:
    """Visible windows of other programs that have a title, front-most last (X11 order).

    Raises CaptureFailed("no_window_list") where the system does not tell apps.
    """
    ok, _reason = window_listing_available()
    tools = _tools()
    if not ok or tools is None:
        raise CaptureFailed("no_window_list", QGuiApplication.platformName())
    xprop, xwininfo = tools
    own = _own_ids()
    found: list[WindowInfo] = []
    for wid in _client_ids(xprop, xwininfo):
        if wid in own:
            continue
        geometry = _geometry(xwininfo, wid)
        if geometry is None:
            continue
        title = _title(xprop, wid)
        if title:
            found.append(WindowInfo(id=wid, title=title, geometry=geometry))
    return found
