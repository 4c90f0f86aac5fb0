"""What an item is, in the words a person uses ("Picture", "Chat transcript"), never a media
type such as "text/plain". One place, so the seal wizard, the evidence list, the details and
the report all call the same thing by the same word.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from evidence_app.i18n import N_, _

_BY_MAJOR = {"image": N_("Picture"), "video": N_("Video"), "audio": N_("Audio"),
             "text": N_("Text")}
_BY_TYPE = {"application/pdf": N_("PDF document"), "text/html": N_("Web page"),
            "application/zip": N_("ZIP archive"), "application/json": N_("Data file (JSON)")}
# Items this app made itself rather than received; the report counts them apart.
MADE_BY_APP = frozenset({"transcript", "ocr_text", "ocr_boxes"})


def kind_words(kind: str, media_type: str, source_type: str = "") -> str:
    """'Picture', 'Chat transcript', 'Chat export', 'PDF document'... for an item."""
    if kind == "ocr_text":
        return _("Words read from a picture")
    if kind == "ocr_boxes":
        return _("Where the words are in a picture")
    if kind in MADE_BY_APP:
        return _("Chat transcript")
    if source_type in ("chat_export", "chat"):
        return _("Chat export")
    word = _BY_TYPE.get(media_type) or _BY_MAJOR.get(media_type.split("/", 1)[0])
    return _(word) if word else _("File")


class _Described(Protocol):
    """A vault item or a report item: only read here (so frozen dataclasses fit too)."""

    @property
    def kind(self) -> str: ...

    @property
    def media_type(self) -> str: ...

    @property
    def source(self) -> Mapping[str, Any]: ...


def item_kind_words(item: _Described) -> str:
    """kind_words() for a vault item or a report item."""
    return kind_words(item.kind, item.media_type, str(item.source.get("type", "")))


def made_by_app(kind: str) -> bool:
    """True for what the app derived (a transcript), False for what the person handed in."""
    return kind in MADE_BY_APP
