"""Readable transcripts: a self-contained HTML page with chat bubbles, and plain text.

Everything in a chat was written by someone else, possibly the offender, so every piece
of it is escaped; the page loads nothing from anywhere and runs no script.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html import escape

from evidence_app.chats.model import DEVICE_TIME, Conversation, Message, attachments_of
from evidence_app.chats.words import (
    EXPORTED_ON_COMPUTER,
    attachment_kind,
    calendar_name,
    chat_platform,
    hijri_variant_note,
    sender_source,
    unnamed_sender,
    unread_parts,
)
from evidence_app.formatting import human_size
from evidence_app.i18n import _

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#eef0f3;
margin:0;padding:1rem;color:#111}
header{max-width:46rem;margin:0 auto 1rem;background:#fff;padding:1rem;border-radius:.5rem}
header dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
header dt{font-weight:600}
ol{list-style:none;max-width:46rem;margin:0 auto;padding:0}
li{margin:.35rem 0;display:flex;flex-direction:column}
.b{max-width:75%;padding:.45rem .7rem;border-radius:.6rem;background:#fff;
white-space:pre-wrap;overflow-wrap:anywhere}
.me{align-items:flex-end}.me .b{background:#d9fdd3}
.sys{align-items:center}.sys .b{background:#fff3c4;font-size:.9em;font-style:italic}
.bad .b{background:#ffd6d6;font-family:monospace}
.meta{font-size:.75em;color:#555;margin:.1rem .3rem}
.who{font-weight:600;font-size:.85em}
.att,.flag{font-size:.85em;color:#333;font-style:italic}
"""


def _same(text: str) -> str:
    return text


def when_text(msg: Message, platform: str = "",
              clean: Callable[[str], str] = _same) -> str:
    """When a message was sent, with the clock it was read on, and the date as the export
    wrote it when it was converted from other digits or another calendar. `clean` is
    applied to what the export wrote (the reader makes direction marks visible with it);
    the isolates around the written date are the app's own and are kept."""
    if not msg.time:
        return _("time unknown")
    shown = clean(msg.time.replace("T", " "))
    if msg.timezone == DEVICE_TIME:
        if platform in EXPORTED_ON_COMPUTER:
            return shown + " " + _("(as shown on the clock of the computer that made the "
                                   "export)")
        if msg.shown_time:
            # Isolated, so a right-to-left stamp keeps its own order and not the line's.
            stamp = f"\u2068{clean(msg.shown_time)}\u2069"
            return shown + " " + _("(as shown on the device; written in the export as "
                                   "{stamp})").format(stamp=stamp)
        return shown + " " + _("(as shown on the device)")
    if msg.timezone == "UTC":
        return shown.removesuffix("+00:00") + " UTC"
    return shown


def sender_text(msg: Message) -> str:
    """Who wrote a message, as the transcripts show it: the name the export gives; a name
    taken from elsewhere in the export, said so; or that the export names no one (never
    blank, never guessed). "" for system lines and lines not understood."""
    if msg.system or msg.unparsed:
        return ""
    extra = vars(msg).get("extra") or {}
    if not msg.sender or extra.get("sender_unknown"):
        return unnamed_sender()
    basis = extra.get("sender_from")
    if basis:
        return f"{msg.sender} ({sender_source(str(basis))})"
    return msg.sender


def _flags(msg: Message) -> list[str]:
    flags = []
    if msg.deleted:
        flags.append(_("unsent") if msg.extra.get("unsent") else _("deleted"))
    if msg.edited:
        flags.append(_("edited"))
    if msg.forwarded_from:
        flags.append(_("forwarded from {name}").format(name=msg.forwarded_from))
    if msg.reply_to:
        flags.append(_("reply to message {id}").format(id=msg.reply_to))
    if msg.extra.get("truncated_bytes"):
        flags.append(_("very long: {size} not shown (see the original)").format(
            size=human_size(int(msg.extra["truncated_bytes"]))))
    return flags


def _attachment_lines(msg: Message) -> list[str]:
    lines = []
    for att in attachments_of(msg):
        kind = attachment_kind(att.kind)
        if att.refused:
            lines.append(_("[{kind}: {name}, attachment not in the export (the name points "
                           "outside it; nothing was read)]").format(kind=kind, name=att.name))
        elif att.omitted:
            lines.append(_("[{kind} not included in the export]").format(kind=kind))
        elif att.item_id:
            lines.append(_("[{kind}: {name}, item #{item}]").format(
                kind=kind, name=att.name, item=att.item_id))
        elif att.url:
            lines.append(_("[{kind}: {url}]").format(kind=kind, url=att.url))
        else:
            lines.append(_("[{kind}: {name}, file not in the export]").format(
                kind=kind, name=att.name))
    for link in msg.extra.get("links", []):
        lines.append(_("[link: {url}]").format(url=link))
    for reaction in msg.reactions:
        lines.append(_("[reaction {reaction} by {name}]").format(
            reaction=reaction.get("reaction", ""), name=reaction.get("actor", "")))
    unread = (vars(msg).get("extra") or {}).get("as_found")
    if isinstance(unread, dict) and unread:
        lines.append(unread_parts([str(key) for key in unread]))
    return lines


def _header_rows(conv: Conversation) -> list[tuple[str, str]]:
    counts = conv.counts()
    rows = [
        (_("Platform"), chat_platform(conv.platform)),
        (_("Chat"), conv.title or "-"),
        (_("Participants"), ", ".join(conv.participants) or "-"),
        (_("The person who imported it"), conv.me or _("not stated")),
        (_("Messages"), str(counts["messages"])),
        (_("Lines not understood (kept as found)"), str(counts["unparsed_lines"])),
        (_("Exported file"), conv.source_name),
    ]
    if conv.platform == "whatsapp":
        rows.append((_("Times"), _("as shown on the exporting phone; its time zone is not "
                                   "recorded in the export")))
        rows.append((_("Date order"), date_order_words(
            str(conv.notes.get("date_order", "")), str(conv.notes.get("date_order_basis", "")))))
        calendar = str(conv.notes.get("calendar", ""))
        if calendar and calendar != "gregorian":
            rows.append((_("Calendar"), calendar_words(
                calendar, str(conv.notes.get("calendar_basis", "")))))
    return rows


def calendar_words(calendar: str, basis: str) -> str:
    """Which calendar a WhatsApp export's dates were written in and how that was known,
    in words an officer can check against the phone (never the internal "islamic")."""
    if calendar == "unknown":
        return _("not known: the years could be Islamic (Hijri) or Persian (Solar Hijri) "
                 "years and nothing in the export tells which, so those dates were not "
                 "converted and their lines are kept as found; check one against the phone")
    bases = {
        "era": _("the export writes the era"),
        "years": _("only this calendar gives dates from when WhatsApp has existed"),
        "words": _("chosen by the export's Arabic or Persian digits and AM/PM words"),
    }
    words = calendar_name(calendar)
    if basis in bases:
        words = f"{words} ({bases[basis]})"
    words += "; " + _("dates converted to the Gregorian calendar; each message also shows "
                      "its date as written in the export")
    if calendar == "islamic":
        words += ". " + hijri_variant_note()
    return words


def date_order_words(order: str, basis: str) -> str:
    """How a WhatsApp export's dates were read, in words an officer can check against the
    phone ("day/month/year, assumed: ..."), never the internal "dmy (assumed)"."""
    orders = {"dmy": _("day/month/year"), "mdy": _("month/day/year"),
              "ymd": _("year-month-day")}
    bases = {
        "values": _("some dates can only be read this way"),
        "sequence": _("only this reading keeps the messages in order"),
        "assumed": _("assumed: every date in the export could be read either way; check "
                     "one against the phone"),
        "conflict": _("assumed: the export's dates disagree with each other; check one "
                      "against the phone"),
    }
    words = orders.get(order, _("not known"))
    return f"{words} ({bases[basis]})" if basis in bases else words


def render_transcript_html(conv: Conversation) -> str:
    """One self-contained page; `me` on the right, system lines in the middle."""
    return "".join(iter_transcript_html(conv))


def iter_transcript_html(conv: Conversation) -> Iterator[str]:
    """The page of render_transcript_html, a few hundred messages at a time."""
    title = escape(conv.title or chat_platform(conv.platform))
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width">',
           f"<title>{title}</title><style>{_CSS}</style></head><body><header>",
           f"<h1>{escape(_('Chat transcript'))}: {title}</h1><dl>"]
    for label, value in _header_rows(conv):
        out.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
    out.append("</dl></header><ol>")
    for number, msg in enumerate(conv.messages, 1):
        if msg.unparsed:
            cls = "bad"
        elif msg.system:
            cls = "sys"
        else:
            cls = "me" if conv.me and msg.sender == conv.me else "them"
        out.append(f'<li class="{cls}" id="m{msg.index}">')
        meta = [when_text(msg, conv.platform)]
        if msg.unparsed:
            meta.append(_("not understood, kept exactly as found"))
        out.append(f'<span class="meta">{escape(" · ".join(meta))}</span><div class="b">')
        who = sender_text(msg)
        if who:
            out.append(f'<div class="who">{escape(who)}</div>')
        out.append(escape(msg.text))
        for line in _attachment_lines(msg):
            out.append(f'<div class="att">{escape(line)}</div>')
        flags = _flags(msg)
        if flags:
            out.append(f'<div class="flag">{escape(", ".join(flags))}</div>')
        out.append("</div></li>")
        if number % 256 == 0:
            yield "".join(out)
            out = []
    out.append("</ol></body></html>\n")
    yield "".join(out)


def render_transcript_text(conv: Conversation) -> str:
    """Plain text, one message per block: `[time] Sender: text`, marks in brackets."""
    return "".join(iter_transcript_text(conv))


def iter_transcript_text(conv: Conversation) -> Iterator[str]:
    """The text of render_transcript_text, a few hundred messages at a time."""
    lines = [f"{label}: {value}" for label, value in _header_rows(conv)]
    lines.append("")
    for number, msg in enumerate(conv.messages, 1):
        when = when_text(msg, conv.platform)
        if msg.unparsed:
            head = "[{when}] {mark}: ".format(when=when, mark=_("NOT UNDERSTOOD"))
        elif msg.system:
            head = f"[{when}] * "
        else:
            head = f"[{when}] {sender_text(msg)}: "
        body = msg.text
        extra = _attachment_lines(msg)
        flags = _flags(msg)
        if flags:
            extra.append("(" + ", ".join(flags) + ")")
        lines.append(head + body + ("\n    " + "\n    ".join(extra) if extra else ""))
        if number % 256 == 0:
            yield "\n".join(lines) + "\n"
            lines = []
    yield "\n".join(lines) + "\n" if lines else ""
