"""Sizes and times as people read them; shared by the CLI, the GUI and the report."""

from __future__ import annotations

from evidence_app.core.timeutil import local_display

__all__ = ["human_size", "when"]


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
