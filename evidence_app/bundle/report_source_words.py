"""Where an item came from, in words (a screenshot of which window, an import of which
path, a chat export of which app, a reading of which picture): one detail a line, for the
report and the item's details in the window."""

from __future__ import annotations

from typing import Any

from evidence_app import formatting
from evidence_app.bundle.report_chat_words import chat_platform
from evidence_app.bundle.report_ocr_words import reading_source_text
from evidence_app.bundle.report_times import utc_text
from evidence_app.i18n import N_, _, current_language
from evidence_app.languages import is_rtl

clean = formatting.visible_marks


_SOURCE_KINDS = {
    "import": N_("Imported file"),
    "screenshot": N_("Screenshot taken in the app"),
    "chat_export": N_("Chat export"),
    "chat": N_("Chat export"),
    "chat_media": N_("File from a chat export"),
    "chat_transcript": N_("Chat transcript made by the app"),
    "note": N_("Written in the app"),
    "recovered": N_("Recovered from the vault's quarantine (its original record was lost)"),
}
_CAPTURE_MODES = {"screen": N_("whole screen"), "window": N_("one window"),
                  "region": N_("selected area of the screen")}
_TRANSCRIPT_FORMS = {"json": N_("JSON, for other programs"), "html": N_("web page (HTML)"),
                     "text": N_("plain text")}
# The last part of a chat format such as "whatsapp_zip": what the person handed in.
_EXPORT_CONTAINERS = {"zip": N_("ZIP archive"), "txt": N_("text file"),
                      "json": N_("JSON file"), "folder": N_("export folder")}
_DISPLAY_SYSTEMS = {"xcb": "X11 (xcb)", "wayland": "Wayland", "wayland-egl": "Wayland",
                    "windows": "Windows", "cocoa": "macOS"}
# Known details in the order an officer reads them; unknown keys follow as recorded.
_DETAIL_ORDER = ("mode", "window_title", "captured_at", "path", "member", "platform",
                 "format", "role", "transcript_of", "export_item", "json_item", "screen",
                 "geometry", "device_pixel_ratio")


def _export_format(value: str, platform: str) -> str:
    """'whatsapp_zip' -> 'ZIP archive' (platform shown on its own line) or 'ZIP archive from
    WhatsApp'; a format this app does not know is shown as recorded."""
    name, _sep, container = value.rpartition("_")
    word = _EXPORT_CONTAINERS.get(container)
    if not word or not name:
        return value
    if name.casefold() == platform.casefold():
        return _(word)
    return _("{container} from {platform}").format(container=_(word),
                                                   platform=chat_platform(name))


def _area(value: Any) -> str:
    """'800 × 600 at (0, 0)' from [x, y, width, height] in whole (logical) pixels."""
    if not isinstance(value, list | tuple) or not all(
            isinstance(v, int | float) and v == int(v) for v in value):
        raise ValueError(value)  # shown raw: nothing is rounded away
    x, y, width, height = (int(v) for v in value)
    return _("Area: {width} × {height} at ({x}, {y})").format(width=width, height=height,
                                                              x=x, y=y)


def _scaling(value: Any) -> str | None:
    """The device pixel ratio only when it is not 1: then the picture has more pixels than
    the area says, which an officer comparing sizes needs to know."""
    ratio = float(value)
    if ratio == 1:
        return None
    return _("Display scaling: {percent} %").format(percent=f"{ratio * 100:.4g}")


def _ltr(text: str) -> str:
    """A path or window title kept in reading order inside a right-to-left line.

    Without the marks "/home/a/x" after an Arabic label shows as "home/a/x/". Left-to-right
    marks (not isolates, which `clean` makes visible) are invisible in HTML and the PDF.
    """
    return f"\u200e{text}\u200e" if is_rtl(current_language()) else text


def _source_detail(kind: str, key: str, value: Any, source: dict[str, Any]) -> str | None:
    """One known detail in the reader's language; None when it says nothing (scaling 1)."""
    text = str(value)
    if key == "path":
        if kind == "chat_export":
            return (_("Export folder: {path}") if source.get("member")
                    else _("Export file: {path}")).format(path=_ltr(text))
        return _("File: {path}").format(path=_ltr(text))
    if key == "from" and kind == "recovered":
        return None
    if key == "member":
        return _("File inside the export: {name}").format(name=_ltr(text))
    if key == "mode" and text in _CAPTURE_MODES:
        return _("Capture: {mode}").format(mode=_(_CAPTURE_MODES[text]))
    if key == "window_title":
        return _("Window title: {title}").format(title=_ltr(text))
    if key == "captured_at":
        return _("Captured at: {time}").format(time=utc_text(text))
    if key == "screen":
        return _("Screen: {name}").format(name=text)
    if key == "geometry":
        return _area(value)
    if key == "device_pixel_ratio":
        return _scaling(value)
    if key == "platform" and kind == "screenshot":
        return _("Display system: {name}").format(name=_DISPLAY_SYSTEMS.get(text, text))
    if key == "platform":
        return _("Chat platform: {name}").format(name=chat_platform(text))
    if key == "format":
        shown = _export_format(text, str(source.get("platform", "")))
        return _("Export format: {format}").format(format=shown)
    if key == "role" and text in _TRANSCRIPT_FORMS:
        return _("Transcript form: {form}").format(form=_(_TRANSCRIPT_FORMS[text]))
    if key == "transcript_of":
        return _("Transcript of item {number}").format(number=text)
    if key == "export_item":
        return _("From the chat export in item {number}").format(number=text)
    if key == "json_item":
        return _("The same transcript as JSON: item {number}").format(number=text)
    return f"{key}: {value}"


def source_text(source: dict[str, Any]) -> str:
    """Where an item came from, one detail a line, in the report's language.

    The stored source keeps its English keys and values (scripts read them); only what the
    reader sees is translated. A key this app does not know is shown raw as "key: value",
    so nothing recorded is ever hidden from the officer.
    """
    kind = str(source.get("type", ""))
    if kind == "ocr":
        return reading_source_text(source)
    word = _SOURCE_KINDS.get(kind)
    lines = [_(word) if word else kind]
    present = [k for k, v in source.items() if k != "type" and v not in (None, "")]
    rank = {key: i for i, key in enumerate(_DETAIL_ORDER)}
    for key in sorted(present, key=lambda k: rank.get(k, len(rank))):
        try:
            line = _source_detail(kind, key, source[key], source)
        except (TypeError, ValueError):  # e.g. a geometry that is not four numbers
            line = f"{key}: {source[key]}"
        if line is not None:
            lines.append(line)
    return "\n".join(line for line in lines if line)
