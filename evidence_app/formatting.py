"""Sizes and times as people read them; shared by the CLI, the GUI and the report."""

from __future__ import annotations

import re
from collections.abc import Callable

from evidence_app.core.timeutil import local_display
from evidence_app.i18n import _, current_language, ngettext

__all__ = ["decimal", "human_size", "untrusted", "visible_marks", "when"]

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


# Languages whose numbers use a decimal comma (CLDR, Latin digits): "24,7 KB". In German a
# point would read as a thousands separator, so "24.7" would look like twenty-four thousand.
DECIMAL_COMMA = frozenset({"de", "es", "fr", "pt", "ru", "vi", "id"})
_UNITS: tuple[Callable[[str], str], ...] = (
    lambda number: _("{number} KB").format(number=number),
    lambda number: _("{number} MB").format(number=number),
    lambda number: _("{number} GB").format(number=number),
    lambda number: _("{number} TB").format(number=number),
)


def decimal(value: float, places: int = 1) -> str:
    """A number with `places` decimals and the decimal mark of the language in use."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if current_language().split("_")[0] in DECIMAL_COMMA else text


def human_size(size: int, *, exact: bool = False) -> str:
    """The one way a size is shown, in the GUI, the CLI, the report and the receipt.

    Decimal units (1 KB = 1000 bytes, as the SI, macOS and phones count), one decimal, the
    language's decimal mark: "24.7 KB", "24,7 KB". `exact` adds the byte count that `ls -l`
    and a file's properties show, to check against: "24.7 KB (24718 bytes)".
    """
    if size < 1000:
        return ngettext("{count} byte", "{count} bytes", size).format(count=size)
    value = float(size)
    for unit in _UNITS:
        value /= 1000
        if round(value, 1) < 1000 or unit is _UNITS[-1]:
            shown = unit(decimal(value))
            break
    if not exact:
        return shown
    return ngettext("{rounded} ({count} byte)", "{rounded} ({count} bytes)", size).format(
        rounded=shown, count=size)


def when(utc: str | None, offset: str | None) -> str:
    if not utc:
        return "-"
    return local_display(utc, offset or "+00:00")
