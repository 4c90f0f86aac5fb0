"""WhatsApp "Export chat" text (.txt, also the _chat.txt inside an export "with media").

Android: `31/12/2020, 23:59 - Name: text`; iPhone: `[31.12.20, 23:59:59] Name: text`,
with 12- or 24-hour clocks, any date separator, and direction marks around media lines.
Whether 03/04 is 3 April or 4 March is decided from the whole file (values over 12, then
which reading keeps the chat in time order), never from one line, and the basis is kept
in `notes` so a report can say how it was read. Times are the phone's clock ("device").

Phones in other locales write their own digits (Arabic-Indic, Persian, Thai, Burmese...),
direction marks inside the stamp, their own AM/PM words and their own calendar (Thai
Buddhist, Japanese eras, Republic of China, Islamic, Persian). The calendar is chosen for
the whole file (see whatsapp_time.py), each date converted to the Gregorian calendar, and the
stamp as the export wrote it kept beside the time (`Message.shown_time`). A date that does
not exist in its calendar, or one that mixes two sets of digits, leaves its line unparsed.
"""

from __future__ import annotations

import contextlib
import gc
import posixpath
import re
from collections.abc import Iterable, Iterator
from itertools import count, islice
from typing import BinaryIO, NamedTuple, cast

from evidence_app.chats import calendars as cal, whatsapp_lang as lang
from evidence_app.chats.formats import SNIFF, ChatFormat, Probe
from evidence_app.chats.model import DEVICE_TIME, Attachment, Conversation, Message
from evidence_app.chats.textlines import LongLine, Prefixed, iter_text_blocks
from evidence_app.chats.whatsapp_time import (
    BEFORE_CLOCK,
    ERA_AFTER,
    ERA_BEFORE,
    clock_zero,
    date_order,
    file_calendar,
    gregorian,
    message_times,
    pick_calendar,
    read_date,
)
from evidence_app.core.errors import Cancelled, ChatParseError
from evidence_app.core.objectstore import CancelCheck
from evidence_app.i18n import _

MAX_MESSAGE_CHARS = 4 << 20
_MAX_LEADING_JUNK = 10_000

# One message header. Split at "\n" + header, the text becomes, per message, the five
# groups below and the text up to the next header (a newline in front lets the regex
# engine jump from newline to newline; the whole scan runs in C). The parts of the date
# and the clock are read once per distinct value, not once per message. `\d` is any
# digit (Arabic-Indic, Thai...); direction marks (_MK) may stand around the numbers; an
# era may stand before the year ("R4/1/25", "民國111/1/25") or after the date
# ("1/25/2565 BE"); Chinese and Japanese day periods stand before the clock ("下午9:05").
_MK = "[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]*"
_JOINERS = "|".join(re.escape(w) for w in lang.TIME_JOINERS)
_SCAN = re.compile(
    rf"\n(?P<hdr>[\u200e\u200f\u061c\ufeff]*(?P<br>\[)?"
    rf"(?P<date>{_MK}(?:(?:{ERA_BEFORE})[ \u00a0]?)?"
    rf"\d{{1,4}}{_MK}(?:(?P<sep>[./\-]){_MK}\d{{1,2}}{_MK}(?P=sep){_MK}\d{{1,4}}"
    rf"|年\d{{1,2}}月\d{{1,2}}日)(?:[ \u00a0]?(?:{ERA_AFTER}))?){_MK}\.?"
    rf"[,\u060c]?{_MK}[ \u00a0\u202f]*(?:(?:{_JOINERS})[ \u00a0]+)?"
    rf"(?P<clock>(?:(?:{BEFORE_CLOCK})[ \u00a0]?)?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?"
    rf"(?:[ \u00a0\u202f]*+{_MK}[^\W\d][^\]\-\d\n]{{0,10}}?)?){_MK}"
    rf"(?(br)\][ \u00a0]?|[ \u00a0\u202f]+[-\u2013][ \u00a0]))"
)
HEAD = re.compile(_SCAN.pattern[2:])
_GROUPS = ("hdr", "br", "date", "sep", "clock")
_STRIDE = len(_GROUPS) + 1
_STAMP_END = re.compile(r"(?:\][ \u00a0]?|[ \u00a0\u202f]+[-\u2013][ \u00a0])$")
_LEADING_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_ATTACHED = re.compile(r"^<[^<>:]{2,30}:\s?([^<>/\\]{1,200}\.[A-Za-z0-9]{1,8})>")
_FILE_ATTACHED = re.compile(r"^(\S[^()]{0,200}\.[A-Za-z0-9]{1,8}) \(([^()]{3,40})\)$")
_EDITED_TAIL = re.compile(r"\s*[\u200e\u200f]?<([^<>\n]{3,60})>$")
_URL = re.compile(r"https?://", re.I)
_MAYBE_MARKER = frozenset(">)")  # a last character that sends a text to _classify


def looks_like_whatsapp(lines: list[str]) -> bool:
    """True when the first non-empty lines contain message headers (used for detection)."""
    filled = [x for x in lines if x.strip()]
    found = sum(1 for line in filled if HEAD.match(line))
    return found >= 1 and (HEAD.match(filled[0]) is not None or found * 3 >= len(filled))


class _Scan:
    """The export cut at its headers: `flat` holds, per message, the groups of its header
    (see _GROUPS) and its text; `leading` the lines before the first header; `cut` the
    bytes left out of a message (an overlong line, or text past MAX_MESSAGE_CHARS)."""

    def __init__(self, pieces: Iterator[str], cancel: CancelCheck | None = None) -> None:
        self.flat: list[str | None] = []
        self.leading: list[str] = []
        self.cut: dict[int, int] = {}
        flat = self.flat
        split = _SCAN.split
        for piece in pieces:  # a megabyte at a time
            if cancel is not None and cancel():
                raise Cancelled()
            if type(piece) is LongLine:
                self._long(piece)
            else:
                parts = split("\n" + piece)
                if parts[0]:  # lines before the first header of this piece
                    self._more(parts[0][1:], 0)
                if len(parts) > 1:
                    flat += islice(parts, 1, None)
            if not flat and len(self.leading) > _MAX_LEADING_JUNK:
                break

    def _long(self, line: LongLine) -> None:
        m = _SCAN.match("\n" + line)
        if m is None:
            self._more(line, line.dropped)
            return
        self.flat += m.group(*_GROUPS)
        self.flat.append(line[m.end() - 1:])
        if line.dropped:
            self.cut[len(self.flat) // _STRIDE - 1] = line.dropped

    def _more(self, text: str, dropped: int) -> None:
        """Lines that continue the last message (capped), or come before the first."""
        if not self.flat:
            self.leading.extend(text.split("\n"))
            return
        rec = len(self.flat) // _STRIDE - 1
        if self.cut.get(rec) or len(cast(str, self.flat[-1])) > MAX_MESSAGE_CHARS:
            self.cut[rec] = self.cut.get(rec, 0) + len(text.encode("utf-8", "replace")) + 1 \
                + dropped
            return
        self.flat[-1] = f"{self.flat[-1]}\n{text}"
        if dropped:
            self.cut[rec] = self.cut.get(rec, 0) + dropped


def _stamp(hdr: str) -> str:
    """The date and clock of a header as the export wrote them (marks inside kept)."""
    text = hdr.lstrip(_LEADING_MARKS)
    if text.startswith("["):
        text = text[1:]
    return _STAMP_END.sub("", text, count=1)


def _sender(name: str) -> str | None:
    """The sender a "Name: " prefix names, or None when it starts a system line (quotes,
    or a system phrase such as "changed the subject to")."""
    if '"' in name or "\u201c" in name or "\u00ab" in name:
        return None
    if name.count(" ") >= 3:
        folded = name.casefold()
        if any(hint in folded for hint in lang.SYSTEM_HINTS):
            return None
    return lang.strip_marks(name).strip()


class _Marks(NamedTuple):
    """What WhatsApp's markers in a message text mean (see _markers)."""

    text: str
    edited: bool = False
    deleted: bool = False
    system: bool = False
    attachment: tuple[str, str, str | None, bool] | None = None  # name, kind, path, omitted


def _markers(text: str, ios: bool, media: set[str]) -> _Marks:
    """Attachments/deleted/edited/system from the first line's WhatsApp markers."""
    edited = False
    if text.endswith(">"):
        tail = _EDITED_TAIL.search(text)
        if tail is not None and lang.norm(tail.group(1)) in lang.EDITED:
            edited = True
            text = text[:tail.start()]
    first, _nl, rest = text.partition("\n")
    marked = lang.has_marks(first)
    bare = lang.strip_marks(first).strip() if marked else first.strip()
    key = lang.norm(bare) if len(bare) <= 64 and not rest else ""
    shown = lang.strip_marks(text) if marked and not rest else text
    system = ios and marked and not _URL.search(text)
    if key and key in lang.DELETED:
        return _Marks(shown, edited, deleted=True)
    if key and key in lang.MEDIA_OMITTED_ANY:
        return _Marks("", edited, attachment=("", "file", None, True))
    if key and key in lang.MEDIA_OMITTED_KIND:
        return _Marks("", edited, attachment=("", lang.MEDIA_OMITTED_KIND[key], None, True))
    if bare.startswith("<") or bare.endswith(")"):
        found = _ATTACHED.match(bare)
        name = found.group(1).strip() if found else None
        if name is None:
            found = _FILE_ATTACHED.match(bare)
            if found and (lang.norm(found.group(2)) in lang.FILE_ATTACHED
                          or found.group(1) in media):
                name = found.group(1).strip()
        if name is not None:
            return _Marks(rest, edited, attachment=(name, lang.kind_from_name(name),
                                                    name if name in media else None, False))
    return _Marks(shown, edited, system=system)


def _classify(msg: Message, text: str, ios: bool, media: set[str],
              known: dict[str, _Marks]) -> None:
    """Apply a text's markers to its message; short texts (the markers repeat: "<Media
    omitted>" thousands of times) are read once per parse."""
    marks = known.get(text)
    if marks is None:
        marks = _markers(text, ios, media)
        if len(text) <= 100:
            known[text] = marks
    msg.text = marks.text
    if marks.edited:
        msg.edited = True
    if marks.deleted:
        msg.deleted = True
    if marks.system:
        msg.system = True
    if marks.attachment is not None:
        name, kind, path, omitted = marks.attachment
        msg.attachments.append(Attachment(name=name, kind=kind, path=path, omitted=omitted))


def parse_whatsapp(stream: BinaryIO, *, source_name: str = "", fmt: str = "whatsapp_txt",
                   media: set[str] | None = None, title_hint: str = "",
                   cancel: CancelCheck | None = None) -> Conversation:
    """Parse an export; lines before the first message are kept as unparsed entries.

    `title_hint` is the name of the zip the chat came in, which names the chat too.
    """
    head = stream.read(4096)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ChatParseError(source_name, "whatsapp", "binary")
    with _collector_paused():
        return _parse(_Scan(iter_text_blocks(Prefixed(head, stream)), cancel), source_name,
                      fmt, media or set(), title_hint, cancel)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the parser builds its objects.

    A parse creates hundreds of thousands of messages, none in a reference cycle; left on,
    the collector walks all of them again and again (a fifth of the parse time)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _checked(items: list[str], cancel: CancelCheck | None) -> Iterable[str]:
    """`items`, seeing a cancel every few thousand (the list itself when none can come)."""
    if cancel is None:
        return items
    return _every(items, cancel)


def _every(items: list[str], cancel: CancelCheck) -> Iterator[str]:
    for start in range(0, len(items), 8192):
        if cancel():
            raise Cancelled()
        yield from items[start:start + 8192]


def _parse(scan: _Scan, source_name: str, fmt: str, media: set[str],
           title_hint: str, cancel: CancelCheck | None = None) -> Conversation:
    flat = scan.flat
    if not flat:
        raise ChatParseError(source_name, "whatsapp", "no_messages")
    # Only the bracket group can be None; dates, clocks and texts are always there.
    dates = cast("list[str]", flat[2::_STRIDE])
    clocks = cast("list[str]", flat[4::_STRIDE])
    bodies = cast("list[str]", flat[5::_STRIDE])
    parts = {d: read_date(d) for d in dict.fromkeys(dates)}
    # Dates whose form puts the year first ("R4/1/25") say nothing of the others' order.
    readable = {d: p.numbers for d, p in parts.items() if p is not None and not p.ymd}
    order, basis = date_order(dates, readable, clocks, flat[3],
                               any(p.ymd for p in parts.values() if p is not None)
                               and not readable)
    plain = pick_calendar(parts, order, clocks)
    days = {d: None if (g := gregorian(p, order, plain[0])) is None else g.isoformat() + "T"
            for d, p in parts.items()}
    calendar, calendar_basis = file_calendar(parts, days, plain)
    # Dates and clocks not written as Latin-digit Gregorian: their messages keep the stamp.
    shown_dates = {d for d, p in parts.items() if p is not None and (
        p.zero != cal.LATIN or p.era_calendar or plain[0] != cal.GREGORIAN)}
    shown_clocks = {c for c in dict.fromkeys(clocks)
                    if not c.isascii() and clock_zero(c) != cal.LATIN}
    native = bool(shown_clocks) or any(p is not None and p.zero != cal.LATIN
                                       for p in parts.values())
    messages = [Message(index, text=line, unparsed=True)
                for index, line in enumerate(x for x in scan.leading if x.strip())]
    first = len(messages)
    brackets = flat[1:_STRIDE * 200:_STRIDE]
    ios_layout = sum(1 for br in brackets if br) * 2 > len(brackets)
    whens = message_times(dates, days, clocks, {d: p.zero for d, p in parts.items() if p}
                   if native else None)
    senders: dict[str, str | None] = {}  # what a "Name: " prefix means (None: a system line)
    seen: dict[str, None] = {}
    markers, marker_sizes = lang.PLAIN_MARKERS, {len(x) for x in lang.PLAIN_MARKERS}
    cuts = scan.cut
    known: dict[str, _Marks] = {}
    new_message = Message
    append = messages.append
    for index, when, body in zip(count(first), whens, _checked(bodies, cancel), strict=False):
        if when is None:
            append(new_message(index, text=cast(str, flat[(index - first) * _STRIDE]) + body,
                               unparsed=True))
            continue
        sep = body.find(": ")
        if 0 < sep <= 60:
            name = body[:sep]
            try:
                sender = senders[name]
            except KeyError:
                sender = senders[name] = _sender(name)
        else:
            sender = None
        if sender is not None:
            text = body[sep + 2:]
            if (text[-1:] not in _MAYBE_MARKER and text[:1] != "<"
                    and (text.isascii() or not lang.has_marks(text))
                    and (len(text) not in marker_sizes or text.lower() not in markers)
                    and ("\n" not in text or text[:text.find("\n")][-1:] not in ">)")):
                msg = new_message(index, when, DEVICE_TIME, sender, text)
                if sender not in seen:
                    seen[sender] = None
            else:
                msg = new_message(index, when, DEVICE_TIME, sender)
                _classify(msg, text, ios_layout, media, known)
                if not msg.system and sender not in seen:
                    seen[sender] = None
        elif body.endswith(":") and 0 < len(body) <= 61 and "\n" not in body:
            msg = new_message(index, when, DEVICE_TIME, lang.strip_marks(body[:-1]).strip())
            seen.setdefault(msg.sender or "", None)
        else:
            msg = new_message(index, when, system=True,
                              text=lang.strip_marks(body) if body[:1] in "\u200e\u200f"
                              else body)
        if cuts and cuts.get(index - first):
            msg.extra["truncated_bytes"] = cuts[index - first]
        append(msg)
    if shown_dates or shown_clocks:
        for msg in islice(messages, first, None):
            at = (msg.index - first) * _STRIDE
            if msg.time is not None and (flat[at + 2] in shown_dates
                                         or flat[at + 4] in shown_clocks):
                msg.shown_time = _stamp(cast(str, flat[at]))
    conv = Conversation(platform="whatsapp", format=fmt, messages=messages,
                        source_name=source_name)
    conv.participants = [p for p in seen if p]
    conv.notes = {"date_order": order, "date_order_basis": basis,
                  "calendar": calendar, "calendar_basis": calendar_basis,
                  "layout": "ios" if ios_layout else "android",
                  "time_note": "as shown on the exporting phone; time zone not recorded"}
    _name_chat(conv, [source_name, title_hint], ios_layout)
    return conv


def _name_chat(conv: Conversation, names: list[str], ios_layout: bool) -> None:
    """Title (and "me", for a two-person chat) from what the export itself says.

    The file (or zip) is named after the other person or the group ("WhatsApp Chat with
    Sam"); on iPhone the encryption notice is attributed to the chat partner or group.
    """
    basis = "file_name"
    title = None
    for name in names:
        stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] if name else ""
        title = lang.title_from_file_name(stem) if stem else None
        if title:
            break
    if not title and ios_layout:
        system_senders = [m.sender for m in conv.messages if m.system and m.sender]
        title = system_senders[0] if system_senders else None
        basis = "export"
    if not title:
        return
    conv.title = title
    if title in conv.participants and len(conv.participants) == 2:
        conv.set_me(next(p for p in conv.participants if p != title), basis)


class WhatsAppFormat(ChatFormat):
    """"Export chat" text: _chat.txt in a zip "with media", or "WhatsApp Chat with ...txt"."""

    id = "whatsapp"
    platforms = ("whatsapp",)
    reads = "text"
    bare_names = True  # WhatsApp names a file by its name alone, never by a folder

    def title(self) -> str:
        return _("WhatsApp")

    def rank(self, name: str) -> int | None:
        base = posixpath.basename(name).lower()
        if base == "_chat.txt" or base.startswith("whatsapp") and base.endswith(".txt"):
            return 0
        return 4 if base.endswith(".txt") else None

    def detect(self, probe: Probe) -> bool:
        if probe.single and probe.wanted == "whatsapp":
            return True  # the person says so; lines that are no message are kept as found
        lines = probe.head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[:40]
        if len(probe.head) >= SNIFF and len(lines) > 1:
            lines = lines[:-1]  # cut by the sniff
        return looks_like_whatsapp([x for x in lines if x.strip()][:30])

    def parse(self, probe: Probe) -> list[Conversation]:
        # A file chosen alone: its folder is not the export, so no name there is media
        # until a message names it (link_media looks it up then).
        media = set() if probe.single else {posixpath.basename(n)
                                            for n in probe.folder_names("*")}
        with probe.open() as fh:
            return [parse_whatsapp(fh, source_name=probe.name, media=media,
                                   title_hint=probe.source.label, cancel=probe.cancel)]

    def whole_export(self, name: str) -> bool:
        return True  # an export holds one chat
