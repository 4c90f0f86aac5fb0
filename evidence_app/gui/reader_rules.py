"""What the reader opens, and the custody rule for looking at evidence (no Qt here).

The rule: the custody history gets one "viewed" record per item per unlocked session, the
first time the person chooses to look at it (its picture shown, or opened in the reader).
Clicking "Show picture" again, or opening the reader twice, adds nothing: the log says that
the item was looked at in that session, not how often the button was pressed. A new unlock
is a new session (a new Vault object), so looking again then is recorded again.
"""

from __future__ import annotations

import threading
import weakref
from pathlib import PurePath

from evidence_app.core.state import Item
from evidence_app.core.vault import Vault

CHAT, TEXT, HTML, PDF = "chat", "text", "html", "pdf"
MAX_PDF_BYTES = 200 << 20  # a PDF is handed to Qt whole, from memory; bigger: export it
# Files whose type the content did not tell (not UTF-8, no byte-order mark) that are text
# by their name: legacy-encoded notes, logs, contact cards, subtitles, e-mails.
TEXT_SUFFIXES = frozenset({".txt", ".text", ".log", ".csv", ".tsv", ".md", ".json", ".xml",
                           ".eml", ".vcf", ".srt", ".ini", ".yaml", ".yml", ".rtf"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".mhtml"})
_TEXT_TYPES = ("text/", "application/json", "application/xml")


def reader_kind(item: Item) -> str | None:
    """How the reader shows an item: CHAT, TEXT, HTML, PDF, or None (pictures, videos,
    archives... have their own preview or none)."""
    if item.kind == "transcript" or item.source.get("type") == "chat_export":
        return CHAT
    media = item.media_type
    suffix = PurePath(item.name).suffix.lower()
    if media == "application/pdf":
        return PDF
    if media == "text/html" or (suffix in HTML_SUFFIXES and _unknown_or_text(media)):
        return HTML
    if media.startswith(_TEXT_TYPES) or (suffix in TEXT_SUFFIXES and _unknown_or_text(media)):
        return TEXT
    return None


def _unknown_or_text(media: str) -> bool:
    return media in ("application/octet-stream", "") or media.startswith(_TEXT_TYPES)


class ViewedOnce:
    """Which items were looked at in each open vault (one set per Vault object)."""

    def __init__(self) -> None:
        self._seen: weakref.WeakKeyDictionary[Vault, set[str]] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def first_look(self, vault: Vault, item_id: str) -> bool:
        """True the first time in this session (record it then), False after."""
        with self._lock:
            seen = self._seen.setdefault(vault, set())
            if item_id in seen:
                return False
            seen.add(item_id)
            return True

    def forget(self, vault: Vault, item_id: str) -> None:
        """The record could not be written: the next look tries again."""
        with self._lock:
            self._seen.get(vault, set()).discard(item_id)


VIEWED = ViewedOnce()
