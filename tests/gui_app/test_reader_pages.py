"""The reader's pages, without Qt: whatever the encoding and wherever a page would end, no
character is cut in two, lost or shown twice; a web page keeps its words, not its code."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from evidence_app.gui.reader_rules import CHAT, HTML, PDF, TEXT, reader_kind
from evidence_app.gui.reader_text import (
    Encoding,
    FilePages,
    MemoryPages,
    detect_encoding,
    find_page,
    html_encoding,
    html_words,
)

CODECS = ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "gb18030", "big5", "shift_jis",
          "cp1251"]
LETTERS = {
    "utf-8": "aé€😀ไทย中\n", "utf-16-le": "aé€😀ไทย中\n", "utf-16-be": "aé😀中\n",
    "utf-32-le": "a😀中\n", "gb18030": "a中文测试😀 \n", "big5": "a中文 \n",
    "shift_jis": "aア日本語 \n", "cp1251": "aбвгд\n",
}


@settings(max_examples=60, deadline=None)
@given(codec=st.sampled_from(CODECS), data=st.data(),
       page=st.integers(min_value=16, max_value=400))
def test_pages_put_together_are_the_file(codec, data, page):
    text = data.draw(st.text(alphabet=LETTERS[codec], max_size=600))
    raw = text.encode(codec)
    pages = FilePages(len(raw), Encoding(codec), page_bytes=page)

    def read(offset: int, length: int) -> bytes:
        return raw[max(0, offset):offset + length]

    assert "".join(pages.read(read, n) for n in range(pages.count)) == text


def test_a_byte_order_mark_is_not_shown():
    raw = "Hallo München".encode("utf-16")
    encoding = detect_encoding(raw)
    pages = FilePages(len(raw), encoding)
    assert pages.read(lambda o, n: raw[o:o + n], 0) == "Hallo München"


def test_memory_pages_and_search():
    text = "".join(f"line {n}\n" for n in range(50_000))
    pages = MemoryPages(text, page_chars=10_000)
    assert "".join(pages.read(None, n) for n in range(pages.count)) == text
    assert find_page(pages, None, "LINE 49999", 0) == pages.count - 1
    assert find_page(pages, None, "line 5\n", pages.count - 1, forward=False) == 0
    assert find_page(pages, None, "not there", 0) is None


def test_a_web_pages_words_without_its_code():
    page = ('<html><head><meta charset="windows-1251"><style>p{}</style></head><body>'
            '<p>\xcf\xf0\xe8\xe2\xe5\xf2</p><script>var x="hidden"</script>'
            '<noscript>also hidden</noscript><p>a &amp; b &lt;i&gt;</p></body></html>'
            ).encode("latin-1")
    encoding = html_encoding(page)
    assert encoding.codec == "cp1251"
    words = html_words([page[:50], page[50:]], encoding)
    assert words.text == "Привет\n\na & b <i>"
    assert not words.truncated


@pytest.mark.parametrize(("kind", "media", "name", "source", "expected"), [
    ("original", "text/plain", "a.txt", {}, TEXT),
    ("original", "application/octet-stream", "old-notes.TXT", {}, TEXT),
    ("original", "application/octet-stream", "photo.bin", {}, None),
    ("original", "text/html", "x", {}, HTML),
    ("original", "application/pdf", "r.pdf", {}, PDF),
    ("original", "application/zip", "WhatsApp Chat.zip", {"type": "chat_export"}, CHAT),
    ("transcript", "text/html", "t.html", {"role": "html"}, CHAT),
    ("original", "image/png", "x.png", {}, None),
    ("chat_media", "image/jpeg", "IMG.jpg", {"type": "chat_media"}, None),
])
def test_what_the_reader_opens(kind, media, name, source, expected):
    from evidence_app.core.state import Item

    item = Item(id="1", object_id="o", name=name, size=1, sha256="0", media_type=media,
                added_at="", added_offset="", file_mtime=None, file_mtime_offset=None,
                source=source, sensitive=False, duplicate_of=None, exif={}, image=None,
                thumbnail=None, kind=kind)
    assert reader_kind(item) == expected


def test_the_readers_core_needs_no_qt():
    """What the reader decides (kinds, pages, encodings, chat rows) runs without Qt."""
    import subprocess
    import sys

    code = ("import sys, evidence_app.gui.reader_rules, evidence_app.gui.reader_text, "
            "evidence_app.gui.reader_chat; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
