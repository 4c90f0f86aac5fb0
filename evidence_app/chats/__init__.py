"""Chat exports -> one normalized transcript model; indicators for police. No Qt here."""

from evidence_app.chats.detect import FORMATS, ParsedExport, open_export
from evidence_app.chats.formats import ChatFormat, Probe
from evidence_app.chats.importer import (
    ImportResult,
    import_chat,
    load_transcript,
    resolve_me,
    store_export,
    transcript_items,
)
from evidence_app.chats.model import Attachment, Conversation, Message
from evidence_app.chats.registry import REGISTRY, format_for
from evidence_app.chats.render import render_transcript_html, render_transcript_text

__all__ = [
    "FORMATS", "REGISTRY", "Attachment", "ChatFormat", "Conversation", "ImportResult",
    "Message", "ParsedExport", "Probe", "format_for", "import_chat", "load_transcript",
    "open_export", "render_transcript_html", "render_transcript_text", "resolve_me",
    "store_export", "transcript_items",
]
