"""report.html: self-contained, escaped, no picture of a sensitive item."""

from __future__ import annotations

import base64
import html
from html.parser import HTMLParser

from evidence_app.bundle.report_html import render_html
from evidence_app.i18n import set_language
from tests.bundle.test_report_samples import (
    HOSTILE_NAME,
    SENSITIVE_NAME,
    STATEMENT,
    fill_case,
    report_data,
)

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3",
                "p", "section", "table", "thead", "tbody", "tr", "th", "td", "article",
                "figure", "img", "figcaption", "div", "pre", "footer"}


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in_statement = False
        self.statement = ""

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        self.tags.append((tag, attrs_d))
        self._in_statement = attrs_d.get("class") == "statement"

    def handle_endtag(self, tag):
        self._in_statement = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_statement:
            self.statement += data


def _parse(page: str) -> _Collect:
    parser = _Collect()
    parser.feed(page)
    return parser


def test_everything_from_the_case_is_escaped(vault):
    fill_case(vault)
    page = render_html(report_data(vault))
    parsed = _parse(page)
    assert {tag for tag, _a in parsed.tags} <= ALLOWED_TAGS
    assert "<script" not in page.lower()
    assert "onerror=" not in page.replace("onerror=alert", "")  # only as escaped text
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;.jpg" in page
    text = "".join(parsed.text)
    assert HOSTILE_NAME in text
    assert "Lisa <img src=x onerror=alert(1)>" in text
    assert "invoice[U+202E]gpj.exe" in text  # direction trick made visible
    assert "\u202e" not in page


def test_statement_keeps_its_words_and_whitespace(vault):
    fill_case(vault)
    parsed = _parse(render_html(report_data(vault)))
    assert parsed.statement == STATEMENT


def test_self_contained_no_scripts_no_external_loads(vault):
    fill_case(vault)
    parsed = _parse(render_html(report_data(vault)))
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "href", "action"):
                assert value
                assert value.startswith("data:image/jpeg;base64,"), (tag, value)
    csp = [a["content"] for t, a in parsed.tags
           if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp
    assert "default-src 'none'" in csp[0]


def test_thumbnail_only_for_the_non_sensitive_image(vault):
    ids = fill_case(vault)
    page = render_html(report_data(vault))
    images = [a for t, a in _parse(page).tags if t == "img"]
    photo = base64.b64encode(vault.thumbnail_bytes(ids["photo"])).decode()
    private = base64.b64encode(vault.thumbnail_bytes(ids["private"])).decode()
    assert [a["src"] for a in images] == ["data:image/jpeg;base64," + photo]
    assert private not in page
    assert page.count("data:image") == 1
    assert SENSITIVE_NAME not in html.unescape(page)
    assert "Intimate image the offender threatened to publish" in page


def test_sections_an_officer_expects(vault):
    ids = fill_case(vault)
    data = report_data(vault)
    page = html.unescape(render_html(data))
    for heading in ("Case summary", "Statement in the victim's own words", "Timeline",
                    "Evidence items", "Chat transcripts", "Indicators", "Custody log",
                    "How to verify this bundle", "Payments made"):
        assert heading in page
    for item in data.items:
        assert item.sha256 in page
    assert "time confirmed by FreeTSA at 2026-11-23 10:15:02 UTC" in page
    assert "sha256sum -c manifest-sha256.txt" in page
    assert vault.fingerprint() in page
    assert f'id="item-{ids["photo"]}"' in page
    assert "2026-11-23 10:15:02 UTC · 2026-11-23 11:15:02 (UTC+01:00)" in page


def test_empty_indicators_and_chats_say_so(vault):
    fill_case(vault)
    page = render_html(report_data(vault, indicators=[], chats=[]))
    assert "No indicators were found in the sealed items." in page
    assert "No chat transcripts are part of this bundle." in page


def test_language_and_direction_attributes(vault):
    fill_case(vault)
    set_language("de")
    assert '<html lang="de" dir="ltr">' in render_html(report_data(vault, language="de"))
    set_language("ar")
    assert '<html lang="ar" dir="rtl">' in render_html(report_data(vault, language="ar"))
    set_language("en")
