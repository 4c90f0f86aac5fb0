"""Sizes and times as people read them; shared by the CLI, the GUI and the report."""

from __future__ import annotations

import re

from evidence_app.core.timeutil import local_display

__all__ = ["human_size", "untrusted", "visible_marks", "when"]

# Bidi embeddings/overrides/isolates and C0/C1 controls (ESC among them): an offender can use
# them to make "gpj.exe" look like "exe.jpg", or to repaint a terminal. They are shown as
# visible marks such as [U+202E] instead. Tabs and line breaks are kept (case text has them).
_HIDDEN = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
                     "\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]")
_BREAKS = re.compile("[\t\n\r\u0085\u2028\u2029]")
UNTRUSTED_LIMIT = 160


def visible_marks(text: str) -> str:
    """Text made safe to show: invisible direction and control characters made visible."""
    return _HIDDEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def untrusted(text: object, limit: int = UNTRUSTED_LIMIT) -> str:
    """One line of text read from a bundle or an export, safe for a terminal or a label.

    Controls, line breaks and direction marks become visible marks, so nothing can move the
    cursor, start a new line or reorder what follows; a long value is cut, with its length.
    """
    value = str(text)
    shown = _BREAKS.sub(lambda m: f"[U+{ord(m.group()):04X}]", visible_marks(value))
    if len(shown) > limit:
        shown = f"{shown[:limit]}… ({len(value)} characters)"
    return shown


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"


def when(utc: str | None, offset: str | None) -> str:
    if not utc:
        return "-"
    return local_display(utc, offset or "+00:00")
