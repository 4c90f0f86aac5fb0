"""Text for the reader, without Qt: which encoding a file is in, pages of a file of any size,
and the words of a web page without anything it would load or run.

A page is read from the vault as a byte range (Vault.read_item_range), so a 1 GB log is
never in memory and never written anywhere decrypted. Pages end after a line break found
near their nominal end, so no character (in any encoding that keeps "\\n" a byte of its
own: UTF-8, the legacy code pages, GB18030, Big5, Shift-JIS; UTF-16 and UTF-32 by their
code unit) is cut in two; a file without line breaks is cut between characters where the
encoding allows it (see Encoding.legacy_multibyte), else at the nominal place.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from evidence_app.formatting import visible_marks
from evidence_app.i18n import _

ReadRange = Callable[[int, int], bytes]
Cancel = Callable[[], bool]

PAGE_BYTES = 256 * 1024
PAGE_CHARS = 200_000  # a page of text already in memory (a web page's words)
SAMPLE_BYTES = 64 * 1024  # what the encoding is told from
ALIGN_WINDOW = 4096  # a page starts after a line break found this near its nominal start
MAX_HTML_BYTES = 16 << 20  # of a web page read for its words
MAX_HTML_CHARS = 4_000_000  # words kept from it

_BOMS = (  # longest first: the UTF-32-LE mark starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def visible(text: str) -> str:
    """Evidence text made safe to show: line breaks as "\n", control and direction
    characters as visible marks ([U+202E]: no "gpj.exe" shown as "exe.jpg")."""
    return visible_marks(text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class Encoding:
    codec: str  # a Python codec name
    bom: int = 0  # bytes of byte-order mark before the text

    @property
    def unit(self) -> int:
        """Bytes per code unit: pages start on a multiple of it."""
        name = codecs.lookup(self.codec).name
        return 4 if name.startswith("utf-32") else 2 if name.startswith("utf-16") else 1

    @property
    def legacy_multibyte(self) -> bool:
        """GB18030, Big5, Shift_JIS, EUC-KR...: a byte alone does not say whether it starts a
        character (UTF-8 does), so a page may only start after a line break or a byte
        below 0x30, which is never the second byte of a character in any of them."""
        return self.unit == 1 and not self.is_utf8 and _waits_for_more(self.codec)

    @property
    def is_utf8(self) -> bool:
        return codecs.lookup(self.codec).name == "utf-8"


@functools.lru_cache(maxsize=32)
def _waits_for_more(codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)
    for byte in range(0x80, 0x100):
        try:
            if decoder("strict").decode(bytes([byte]), final=False) == "":
                return True
        except UnicodeDecodeError:
            continue
    return False


def detect_encoding(sample: bytes) -> Encoding:
    """The encoding of a text file from its first bytes: a byte-order mark, then UTF-8,
    UTF-16 without a mark (Windows "Unicode" text), then charset-normalizer's best guess
    (legacy Thai, Chinese, Cyrillic... code pages), else Windows-1252."""
    for mark, codec in _BOMS:
        if sample.startswith(mark):
            return Encoding(codec, len(mark))
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return Encoding("utf-8")
    utf16 = _utf16_without_mark(sample)
    if utf16:
        return Encoding(utf16)
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:SAMPLE_BYTES]).best()
    guess = codecs.lookup(best.encoding).name if best is not None and best.encoding else ""
    if guess and not guess.startswith("mac"):
        return Encoding(guess)
    return Encoding("cp1252")  # a short Western text is guessed as a Mac code page


def _utf16_without_mark(sample: bytes) -> str | None:
    """Mostly-Latin UTF-16 has a zero in every other byte; which ones tells the order."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0:pairs * 2:2].count(0)
    odd = sample[1:pairs * 2:2].count(0)
    if odd > pairs * 0.3 and even < pairs * 0.05:
        return "utf-16-le"
    if even > pairs * 0.3 and odd < pairs * 0.05:
        return "utf-16-be"
    return None


def encoding_label(encoding: Encoding) -> str:
    """The name people know an encoding by ("UTF-8", "UTF-16", "windows-1252")."""
    name = encoding.codec.lower()
    for known, label in (("utf_8", "UTF-8"), ("utf-8", "UTF-8"), ("utf_16", "UTF-16"),
                         ("utf-16", "UTF-16"), ("utf_32", "UTF-32"), ("utf-32", "UTF-32")):
        if name.startswith(known):
            return label
    return name.replace("cp", "windows-") if re.fullmatch(r"cp12\d\d", name) else name


class FilePages:
    """A text file in the vault as numbered pages; each read asks for one byte range."""

    def __init__(self, size: int, encoding: Encoding, page_bytes: int = PAGE_BYTES) -> None:
        self.size = size
        self.encoding = encoding
        self.page_bytes = page_bytes - page_bytes % 4
        self.count = max(1, -(-(size - encoding.bom) // self.page_bytes))

    def _nominal(self, number: int) -> int:
        return self.encoding.bom + number * self.page_bytes

    def _boundary(self, window: bytes, at: int) -> int:
        """Where the page that nominally starts at `at` really starts, from the bytes
        there (the same answer for the page before, which ends there)."""
        unit = self.encoding.unit
        newline = "\n".encode(self.encoding.codec)
        found = window.find(newline)
        while found >= 0 and found % unit:
            found = window.find(newline, found + 1)
        if found >= 0:
            return at + found + len(newline)
        skip = 0
        if self.encoding.legacy_multibyte:
            safe = next((i for i, byte in enumerate(window) if byte < 0x30), None)
            if safe is not None:
                return at + safe
            if at + len(window) >= self.size:
                return self.size  # the end of the file is near: the page before takes it
        elif self.encoding.is_utf8:
            while skip < min(3, len(window)) and 0x80 <= window[skip] <= 0xBF:
                skip += 1
        elif unit == 2 and len(window) >= 2:
            first = window[0] if self.encoding.codec.endswith("be") else window[1]
            skip = 2 if 0xDC <= first <= 0xDF else 0  # the second half of a surrogate pair
        return at + skip

    def span(self, read: ReadRange, number: int) -> tuple[int, bytes]:
        """(first byte, raw bytes) of page `number`."""
        start = self._nominal(number)
        nominal_end = self._nominal(number + 1)
        data = read(start, nominal_end - start + ALIGN_WINDOW)
        begin = 0 if number == 0 else self._boundary(data[:ALIGN_WINDOW], start) - start
        if number + 1 >= self.count:
            end = len(data)
        else:
            end = self._boundary(data[nominal_end - start:], nominal_end) - start
        return start + begin, data[begin:end]

    def read(self, read: ReadRange, number: int) -> str:
        return visible(self.span(read, number)[1].decode(self.encoding.codec, "replace"))

    def byte_range(self, number: int) -> tuple[int, int]:
        """First and last byte of a page, as nominally cut (for "bytes 262,144–524,287")."""
        return self._nominal(number), min(self.size, self._nominal(number + 1)) - 1


class MemoryPages:
    """Text already in memory (a web page's words) as pages of about PAGE_CHARS."""

    def __init__(self, text: str, page_chars: int = PAGE_CHARS) -> None:
        self.starts = [0]
        while len(text) - self.starts[-1] > page_chars:
            nominal = self.starts[-1] + page_chars
            cut = text.rfind("\n", self.starts[-1] + page_chars // 2, nominal)
            self.starts.append(cut + 1 if cut >= 0 else nominal)
        self._text = text
        self.count = len(self.starts)

    def read(self, read: ReadRange | None, number: int) -> str:
        end = self.starts[number + 1] if number + 1 < self.count else len(self._text)
        return self._text[self.starts[number]:end]


def find_page(pages: FilePages | MemoryPages, read: ReadRange | None, needle: str,
              start: int, forward: bool = True,
              cancel: Cancel | None = None) -> int | None:
    """The first page from `start` on (or back) that holds `needle`, any letter case."""
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    order: Iterable[int] = (range(start, pages.count) if forward else range(start, -1, -1))
    for number in order:
        if cancel is not None and cancel():
            return None
        if pattern.search(pages.read(read, number)):  # type: ignore[arg-type]
            return number
    return None


# --- web pages ---------------------------------------------------------------------------

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul",
          "ol", "section", "article", "header", "footer", "blockquote", "pre", "hr", "dt",
          "dd", "form", "title"}
_SILENT = {"script", "style", "noscript", "template"}
_LOADS = {"img": "src", "iframe": "src", "frame": "src", "embed": "src", "object": "data",
          "video": "src", "audio": "src", "source": "src", "script": "src", "link": "href",
          "input": "src"}
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{1,40})",
                           re.IGNORECASE)


@dataclass
class PageWords:
    text: str
    truncated: bool  # the page was longer than what was read
    not_loaded: list[str]  # addresses the page would have loaded (pictures, scripts, frames)


class _Words(HTMLParser):
    """The words of a page, its links and pictures written out as text; nothing fetched."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.chars = 0
        self.silent = 0
        self.links: list[str | None] = []
        self.not_loaded: list[str] = []

    def _add(self, text: str) -> None:
        if self.chars < MAX_HTML_CHARS:
            text = text[:MAX_HTML_CHARS - self.chars]
            self.parts.append(text)
            self.chars += len(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in _SILENT:
            self.silent += 1
        if tag in _BLOCK:
            self._add("\n")
        address = found.get(_LOADS.get(tag, "")) or found.get("background")
        if address and len(self.not_loaded) < 1000:
            self.not_loaded.append(address[:2000])
        if tag == "img":
            alt = " ".join((found.get("alt") or "").split())[:500]
            self._add(" [" + _("picture, not loaded") + (f": {alt}" if alt else "") + "] ")
        if tag == "a":
            self.links.append(found.get("href"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SILENT:
            self.silent -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SILENT:
            self.silent = max(0, self.silent - 1)
        if tag == "a" and self.links:
            href = self.links.pop()
            if href and not href.startswith("#"):
                self._add(f" <{href[:2000]}>")
        if tag in _BLOCK:
            self._add("\n")

    def handle_data(self, data: str) -> None:
        if not self.silent and data:
            words = " ".join(data.split())
            self._add((" " if data[0].isspace() else "") + words
                      + (" " if words and data[-1].isspace() else ""))


def html_encoding(sample: bytes) -> Encoding:
    """A page's encoding: its byte-order mark, its <meta charset>, else as for text."""
    for mark, codec in _BOMS:
        if sample.startswith(mark):
            return Encoding(codec, len(mark))
    declared = _META_CHARSET.search(sample[:4096])
    if declared:
        try:
            return Encoding(codecs.lookup(declared.group(1).decode("ascii")).name)
        except LookupError:
            pass
    return detect_encoding(sample)


def html_words(chunks: Iterable[bytes], encoding: Encoding) -> PageWords:
    """The words of a web page read a chunk at a time, at most MAX_HTML_BYTES of it."""
    parser = _Words()
    decoder = codecs.getincrementaldecoder(encoding.codec)("replace")
    seen = 0
    truncated = False
    first = True
    for chunk in chunks:
        if first:
            chunk, first = chunk[encoding.bom:], False
        if seen + len(chunk) > MAX_HTML_BYTES:
            chunk, truncated = chunk[:MAX_HTML_BYTES - seen], True
        seen += len(chunk)
        parser.feed(decoder.decode(chunk))
        if truncated or parser.chars >= MAX_HTML_CHARS:
            truncated = True
            break
    parser.feed(decoder.decode(b"", final=True))
    parser.close()
    text = re.sub(r"[ \t]*\n[ \t\n]*\n", "\n\n", "".join(parser.parts))
    text = re.sub(r"\n[ \t]+", "\n", text).strip()
    return PageWords(visible(text), truncated, parser.not_loaded)
