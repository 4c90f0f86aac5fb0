"""WhatsApp "Export chat" text (.txt, also the _chat.txt inside an export "with media").

Android: `31/12/2020, 23:59 - Name: text`; iPhone: `[31.12.20, 23:59:59] Name: text`,
with 12- or 24-hour clocks, any date separator, and direction marks around media lines.
Whether 03/04 is 3 April or 4 March is decided from the whole file (values over 12, then
which reading keeps the chat in time order), never from one line, and the basis is kept
in `notes` so a report can say how it was read. Times are the phone's clock ("device").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from typing import BinaryIO

from evidence_app.chats import whatsapp_lang as lang
from evidence_app.chats.model import DEVICE_TIME, Attachment, Conversation, Message
from evidence_app.chats.textlines import LongLine, iter_text_blocks
from evidence_app.core.errors import ChatParseError

MAX_MESSAGE_CHARS = 4 << 20
_MAX_LEADING_JUNK = 10_000

HEAD = re.compile(
    r"[\u200e\u200f\ufeff]*(?P<br>\[)?"
    r"(?P<a>\d{1,4})(?P<sep>[./\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})\.?"
    r",?[ \u00a0]*(?:(?:à|um|às|alle|a las|в|saat)[ \u00a0]+)?"
    r"(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?"
    r"(?:[ \u00a0\u202f]*(?P<ap>[^\W\d][^\]\-\d\n]{0,10}?))?"
    r"(?(br)\][ \u00a0]?|[ \u00a0\u202f]+[-\u2013][ \u00a0])"
)
HEAD_NL = re.compile("\n" + HEAD.pattern)
_ATTACHED = re.compile(r"^<[^<>:]{2,30}:\s?([^<>/\\]{1,200}\.[A-Za-z0-9]{1,8})>")
_FILE_ATTACHED = re.compile(r"^(\S[^()]{0,200}\.[A-Za-z0-9]{1,8}) \(([^()]{3,40})\)$")
_EDITED_TAIL = re.compile(r"\s*[\u200e\u200f]?<([^<>\n]{3,60})>$")
_URL = re.compile(r"https?://", re.I)

# One header-shaped line: date parts, time parts, am/pm word, the rest, following lines.
_Rec = list


def looks_like_whatsapp(lines: list[str]) -> bool:
    """True when the first non-empty lines contain message headers (used for detection)."""
    filled = [x for x in lines if x.strip()]
    found = sum(1 for line in filled if HEAD.match(line))
    return found >= 1 and (HEAD.match(filled[0]) is not None or found * 3 >= len(filled))


def _add_text(rec: _Rec, text: str, dropped: int) -> None:
    """Continuation lines for a message (capped at MAX_MESSAGE_CHARS, the rest counted)."""
    if rec[12] or rec[13] > MAX_MESSAGE_CHARS:
        rec[12] += len(text.encode("utf-8", "replace")) + 1 + dropped
        return
    if rec[9] is None:
        rec[9] = []
    rec[9].append(text)
    rec[13] += len(text)
    rec[12] += dropped


def _collect(pieces: Iterator[str]) -> tuple[list[_Rec], list[str]]:
    """Header records (one regex scan per block of text) and the lines before the first."""
    recs: list[_Rec] = []
    leading: list[str] = []
    current: _Rec | None = None
    finditer = HEAD_NL.finditer
    for piece in pieces:
        if type(piece) is LongLine:
            m = HEAD.match(piece)
            if m is not None:
                current = _record(m, m.group(0), piece[m.end():])
                current[12] = piece.dropped
                recs.append(current)
            elif current is None:
                leading.append(piece)
            else:
                _add_text(current, piece, piece.dropped)
            continue
        # A newline in front lets the regex engine jump from newline to newline.
        text = "\n" + piece
        prev: re.Match[str] | None = None
        for m in finditer(text):
            start = m.start()
            if prev is not None:
                a, b, c, sep, hh, mm, ss, ap, br = prev.group(*_GROUPS)
                recs.append([a, b, c, sep, hh, mm, ss, ap, text[prev.end():start], None,
                             text[prev.start() + 1:prev.end()], br is not None, 0, 0])
            elif start > 0:
                before = text[1:start]
                if current is not None:
                    _add_text(current, before, 0)
                else:
                    leading.extend(before.split("\n"))
            prev = m
        if prev is not None:
            current = _record(prev, text[prev.start() + 1:prev.end()], text[prev.end():])
            recs.append(current)
        elif current is not None:
            _add_text(current, piece, 0)
        else:
            leading.extend(piece.split("\n"))
        if current is None and len(leading) > _MAX_LEADING_JUNK:
            break
    return recs, leading


_GROUPS = ("a", "b", "c", "sep", "H", "M", "S", "ap", "br")


def _record(m: re.Match[str], header: str, body: str) -> _Rec:
    a, b, c, sep, hh, mm, ss, ap, br = m.group(*_GROUPS)
    return [a, b, c, sep, hh, mm, ss, ap, body, None, header, br is not None, 0, 0]


def _date_order(recs: list[_Rec]) -> tuple[str, str]:
    """("dmy"|"mdy"|"ymd", basis) decided from every header in the file."""
    firsts = {r[0] for r in recs}
    if any(len(a) == 4 for a in firsts):
        return "ymd", "values"
    # Pairs where both are over 12 are no date in either order; they do not vote.
    pairs = {(int(a), int(b)) for a, b in {(r[0], r[1]) for r in recs}}
    pairs = {(a, b) for a, b in pairs if a <= 12 or b <= 12}
    max_a = max((a for a, _b in pairs), default=0)
    max_b = max((b for _a, b in pairs), default=0)
    if max_a > 12 >= max_b:
        return "dmy", "values"
    if max_b > 12 >= max_a:
        return "mdy", "values"
    if max_a > 12 and max_b > 12:
        return "dmy", "conflict"
    back = {"dmy": 0, "mdy": 0}
    prev = {"dmy": (0, 0, 0), "mdy": (0, 0, 0)}
    for r in recs:
        y, a, b = int(r[2]), int(r[0]), int(r[1])
        for order, key in (("dmy", (y, b, a)), ("mdy", (y, a, b))):
            if key < prev[order]:
                back[order] += 1
            prev[order] = key
    if back["dmy"] != back["mdy"]:
        return ("dmy" if back["dmy"] < back["mdy"] else "mdy"), "sequence"
    ampm = any(r[7] for r in recs)
    return ("mdy" if ampm and recs and recs[0][3] == "/" else "dmy"), "assumed"


_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _iso(rec: _Rec, order: str, cache: dict[tuple[str, str, str], str | None]) -> str | None:
    """ISO date and time for a header, or None when it is not a real date or time."""
    key = (rec[0], rec[1], rec[2])
    date = cache.get(key, "")
    if date == "":
        a, b, c = int(rec[0]), int(rec[1]), int(rec[2])
        if order == "ymd":
            y, mo, d = a, b, c
        elif order == "dmy":
            y, mo, d = c, b, a
        else:
            y, mo, d = c, a, b
        if y < 100:
            y += 2000
        ok = 1 <= mo <= 12 and 1 <= d <= _DAYS[mo] and 1990 <= y <= 2200
        date = f"{y:04d}-{mo:02d}-{d:02d}" if ok else None
        cache[key] = date
    if date is None:
        return None
    ap = rec[7]
    if ap is None:  # 24-hour clock: compare the digits as text, no arithmetic needed
        hh, mm, ss = rec[4], rec[5], rec[6]
        if len(hh) == 1:
            hh = "0" + hh
        if hh > "23" or mm > "59" or (ss is not None and ss > "59"):
            return None
        return f"{date}T{hh}:{mm}" if ss is None else f"{date}T{hh}:{mm}:{ss}"
    hour, minute = int(rec[4]), int(rec[5])
    if ap:
        word = lang.norm(ap.replace(".", "").replace(" ", ""))
        if word in lang.PM:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + 12
        elif word in lang.AM:
            if not 1 <= hour <= 12:
                return None
            hour %= 12
        else:
            return None
    if hour > 23 or minute > 59:
        return None
    sec = rec[6]
    if sec is not None:
        if int(sec) > 59:
            return None
        return f"{date}T{hour:02d}:{minute:02d}:{sec}"
    return f"{date}T{hour:02d}:{minute:02d}"


def _system_sender(name: str) -> bool:
    """A "name" with quotes or a system phrase is the start of a system line."""
    if '"' in name or "\u201c" in name or "\u00ab" in name:
        return True
    if name.count(" ") < 3:
        return False
    folded = name.casefold()
    return any(hint in folded for hint in lang.SYSTEM_HINTS)


def _classify(msg: Message, text: str, ios: bool, media: set[str]) -> None:
    """Fill attachments/deleted/edited/system from the first line's WhatsApp markers."""
    if text.endswith(">"):
        tail = _EDITED_TAIL.search(text)
        if tail is not None and lang.norm(tail.group(1)) in lang.EDITED:
            msg.edited = True
            text = text[:tail.start()]
    first, _nl, rest = text.partition("\n")
    marked = lang.has_marks(first)
    bare = lang.strip_marks(first).strip() if marked else first.strip()
    key = lang.norm(bare) if len(bare) <= 64 and not rest else ""
    if key and key in lang.DELETED:
        msg.deleted = True
    elif key and key in lang.MEDIA_OMITTED_ANY:
        msg.attachments.append(Attachment(name="", kind="file", omitted=True))
        text = ""
    elif key and key in lang.MEDIA_OMITTED_KIND:
        msg.attachments.append(Attachment(name="", kind=lang.MEDIA_OMITTED_KIND[key],
                                          omitted=True))
        text = ""
    elif bare.startswith("<") or bare.endswith(")"):
        found = _ATTACHED.match(bare)
        name = found.group(1).strip() if found else None
        if name is None:
            found = _FILE_ATTACHED.match(bare)
            if found and (lang.norm(found.group(2)) in lang.FILE_ATTACHED
                          or found.group(1) in media):
                name = found.group(1).strip()
        if name is not None:
            msg.attachments.append(Attachment(name=name, kind=lang.kind_from_name(name),
                                              path=name if name in media else None))
            text = rest
        elif ios and marked and not _URL.search(text):
            msg.system = True
    elif ios and marked and not _URL.search(text):
        msg.system = True
    msg.text = lang.strip_marks(text) if marked and not rest else text


def parse_whatsapp(stream: BinaryIO, *, source_name: str = "", fmt: str = "whatsapp_txt",
                   media: set[str] | None = None, title_hint: str = "") -> Conversation:
    """Parse an export; lines before the first message are kept as unparsed entries.

    `title_hint` is the name of the zip the chat came in, which names the chat too.
    """
    head = stream.read(4096)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ChatParseError(source_name, "whatsapp", "binary")
    recs, leading = _collect(iter_text_blocks(_Prefixed(head, stream)))
    if not recs:
        raise ChatParseError(source_name, "whatsapp", "no_messages")
    media = media or set()
    order, basis = _date_order(recs)
    cache: dict[tuple[str, str, str], str | None] = {}
    messages: list[Message] = []
    for line in leading:
        if line.strip():
            messages.append(Message(index=len(messages), text=line, unparsed=True))
    ios_layout = sum(1 for r in recs[:200] if r[11]) * 2 > min(len(recs), 200)
    times: dict[str, str | None] = {}
    seen: dict[str, None] = {}
    markers = lang.PLAIN_MARKERS
    for rec in recs:
        when = times.get(rec[10], "")  # the header text fixes the time
        if when == "":
            when = times[rec[10]] = _iso(rec, order, cache)
        index = len(messages)
        if when is None:
            raw = rec[10] + (rec[8] if rec[9] is None else "\n".join(chain([rec[8]], rec[9])))
            messages.append(Message(index, text=raw, unparsed=True))
            continue
        body = rec[8] if rec[9] is None else "\n".join(chain([rec[8]], rec[9]))
        sep = body.find(": ")
        name = body[:sep]
        plain = name.isascii() and '"' not in name and name.count(" ") < 3
        if 0 < sep <= 60 and (plain or not _system_sender(name)):
            sender = (name if name.isascii() else lang.strip_marks(name)).strip()
            text = body[sep + 2:]
            nl = text.find("\n")
            if (text[-1:] != ">" and text[:1] != "<"
                    and (text if nl < 0 else text[:nl])[-1:] not in ">)"
                    and (text.isascii() or not lang.has_marks(text))
                    and (len(text) > 64 or text.lower() not in markers)):
                msg = Message(index, when, DEVICE_TIME, sender, text)
            else:
                msg = Message(index, when, DEVICE_TIME, sender)
                _classify(msg, text, ios_layout, media)
            if not msg.system and sender not in seen:
                seen[sender] = None
        elif body.endswith(":") and 0 < len(body) <= 61 and "\n" not in body:
            msg = Message(index, when, DEVICE_TIME, lang.strip_marks(body[:-1]).strip())
            seen.setdefault(msg.sender or "", None)
        else:
            msg = Message(index, when, system=True,
                          text=lang.strip_marks(body) if body[:1] in "\u200e\u200f" else body)
        if rec[12]:
            msg.extra["truncated_bytes"] = rec[12]
        messages.append(msg)
    conv = Conversation(platform="whatsapp", format=fmt, messages=messages,
                        source_name=source_name)
    conv.participants = [p for p in seen if p]
    conv.notes = {"date_order": order, "date_order_basis": basis,
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


class _Prefixed:
    """A stream whose first bytes were already read (for sniffing)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0:
                data, self._head = self._head + self._rest.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            if len(data) < size:
                data += self._rest.read(size - len(data))
            return data
        return self._rest.read(size)
