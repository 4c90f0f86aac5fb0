"""The sealed report as the first officer reads it: the PDF read back with poppler's tools.

One real vault (two WhatsApp chats, a payment written only in words, the victim's own
contact details), sealed in English and in German; every check reads the bag's files.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from evidence_app.bundle import report_chat_words as cw, report_words as w
from evidence_app.i18n import _, language, ngettext, set_language
from tests.bundle.first_page_sample import (
    IBAN,
    OFFENDER_EMAIL,
    PAYMENT_NOTE,
    VICTIM_EMAIL,
    VICTIM_PHONE,
    VICTIM_PHONE_E164,
    WALLET,
    Sealed,
    build,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils is installed by .ci/run")


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def page_text(pdf: Path, page: int | None = None, *, layout: bool = False) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return _run("pdftotext", *pages, *(["-layout"] if layout else []), str(pdf), "-")


def flat(text: str) -> str:
    """Text with every run of white space made one space (lines wrap anywhere)."""
    return " ".join(text.split())


def section(text: str, start: str, end: str) -> str:
    """The text between two headings (a heading's last occurrence is a section's title)."""
    begin = text.index(start)
    return text[begin:text.index(end, begin + len(start))]


@pytest.fixture(scope="module")
def sealed(tmp_path_factory) -> dict[str, Sealed]:
    base = tmp_path_factory.mktemp("first-page")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(base))
        for code in ("en", "de"):
            (base / code).mkdir()
            out[code] = build(base / code, code)
    set_language("en")
    return out


# --- the integrity status ---------------------------------------------------------------


@pytest.mark.parametrize("code", ["en", "de"])
def test_first_page_says_what_was_checked_what_is_original_and_which_times_are_trusted(
        sealed, code):
    first = flat(page_text(sealed[code].pdf, 1))
    with language(code):
        expected = [
            _("Integrity status"), _("Checked when sealed"), _("Evidence items"),
            _("Time span"), _("Trusted time"),
            ngettext("{count} item in this bundle:", "{count} items in this bundle:", 10
                       ).format(count=10),
            # 4 files handed in (picture, text, two chat exports), 6 transcripts made of them
            ngettext("{count} original, as the person handed it in ({items})",
                     "{count} originals, as the person handed them in ({items})", 4
                     ).format(count=4, items=items("1–3, 7", 4)),
            ngettext("{count} chat transcript made by this app ({items}) from {sources}",
                     "{count} chat transcripts made by this app ({items}) from {sources}", 6
                     ).format(count=6, items=items("4–6, 8–10", 6), sources=items("3, 7", 2)),
            _("{time} (phone's clock)").format(time="2026-04-03 21:15:01"),
            flat(ngettext(
                "The file was read back from the encrypted vault while sealing; its SHA-256 "
                "fingerprint is the one recorded when it was added.",
                "All {count} files were read back from the encrypted vault while sealing; "
                "each SHA-256 fingerprint is the one recorded when the file was added.",
                10).format(count=10)),
            # no item has a trusted time: the page says whose clock every time comes from
            flat(_("None. No item has a trusted timestamp (RFC 3161 or OpenTimestamps): "
                   "every time in this report comes from the victim's computer clock, and "
                   "chat times from the phone's clock. None of them is independently "
                   "confirmed.")),
        ]
        stale = _("Number of items")
    for text in expected:
        assert text in first, text
    assert stale not in first


def test_html_report_gives_the_same_integrity_status(sealed):
    html = sealed["en"].html
    assert 'id="integrity"' in html
    for label in ("Checked when sealed", "Evidence items", "Time span", "Trusted time",
                  "Problems recorded"):
        assert f'<th scope="row">{label}</th>' in html
    assert html.index('id="integrity"') < html.index('id="statement"')


# --- payments and wallets -----------------------------------------------------------------


def items(numbers: str, count: int) -> str:
    return ngettext("item {numbers}", "items {numbers}", count).format(numbers=numbers)


def _whole(word: str, line: str) -> bool:
    return re.search(rf"(?<!\S){re.escape(word)}(?!\S)", line) is not None


@pytest.mark.parametrize("code", ["en", "de"])
def test_table_headings_and_cells_never_break_inside_a_word(sealed, code):
    """'Amoun t', 'Currenc y', 'Zahlungs weg': a heading word split over two lines."""
    layout = page_text(sealed[code].pdf, layout=True)
    with language(code):
        headings = {
            "payments": [_("Date"), _("Amount"), _("Method"), _("Reference")],
            "timeline": w.timeline_header(), "chat": cw.chat_header(),
            "indicators": w.indicator_header(), "custody": w.custody_header(),
        }
        method = w.payment_method("bank transfer")
    for table, header in headings.items():
        first_words = [h.split()[0] for h in header]
        line = next((x for x in layout.splitlines() if _whole(first_words[0], x)
                     and _whole(first_words[1], x)), "")
        assert all(_whole(word, line) for word in first_words), (table, first_words, line)
    row = next(line for line in layout.splitlines() if "2026-04-06" in line)
    assert _whole(method.split()[0], row), row
    assert "250" in row


@pytest.mark.parametrize("code", ["en", "de"])
def test_a_payment_written_in_words_has_its_own_line_and_wallets_are_whole(sealed, code):
    pdf = sealed[code].pdf
    text = page_text(pdf)
    with language(code):
        title, recipient, next_title = _("Payments made"), _("Recipient"), _("Timeline")
    payments = section(text, title, next_title)
    assert PAYMENT_NOTE in flat(payments)  # in one piece, not squeezed into a column
    for line in payments.splitlines():  # never broken over lines, not even in a cell
        if "0x5290" in line:
            assert WALLET in line, line
    assert IBAN in payments
    assert recipient not in payments  # nobody filled in a recipient: no empty column


def test_html_payment_in_words_spans_the_table(sealed):
    html = sealed["en"].html
    payments = section(html, 'id="payments"', "</section>")
    assert re.search(r'<td class="case-text" colspan="\d">Payment 1, in the victim&#x27;s '
                     r"words: I paid 0.5 ETH", payments), payments
    assert "<th scope=\"col\">Recipient</th>" not in payments


def test_timeline_never_cuts_a_wallet_address(sealed):
    text = page_text(sealed["en"].pdf)
    timeline = section(text, "Timeline", "Evidence items")
    assert "0x5290" in timeline
    assert WALLET in timeline.replace("\n", "")
    assert not re.search(r"0x5290[0-9A-Fa-f]*…", text)


# --- the victim's own contact details -------------------------------------------------


@pytest.mark.parametrize("code", ["en", "de"])
def test_victims_contact_is_its_own_block_on_page_one_and_never_an_indicator(sealed, code):
    report = sealed[code]
    first = page_text(report.pdf, 1)
    text = page_text(report.pdf)
    with language(code):
        block, indicators, custody = (_("How to reach the person reporting"),
                                      _("Indicators"), _("Custody log"))
    assert block in first
    contact = first[first.index(block):]
    assert VICTIM_EMAIL in contact
    assert VICTIM_PHONE in contact
    found = section(text, indicators, custody)
    assert OFFENDER_EMAIL in found  # the offender's address is still there
    for own in (VICTIM_EMAIL, VICTIM_PHONE_E164, VICTIM_PHONE, "170 1234567"):
        assert own not in found
    values = {entry["value"] for entry in json.loads(report.indicators_json)}
    assert OFFENDER_EMAIL in values
    assert not values & {VICTIM_EMAIL, VICTIM_PHONE_E164}
    html_indicators = section(report.html, 'id="indicators"', "</section>")
    assert VICTIM_EMAIL not in html_indicators
    assert VICTIM_PHONE_E164 not in html_indicators


# --- chat transcripts in the report ---------------------------------------------------


def test_chats_say_what_was_left_out_and_who_spoke(sealed):
    layout = page_text(sealed["en"].pdf, layout=True)
    text = flat(page_text(sealed["en"].pdf))
    # a message that was only a left-out picture is never an empty "Anna:"
    assert not [line for line in layout.splitlines() if re.search(r"Anna:\s*$", line)]
    assert "[photo not included in the export]" in text
    assert "the export left it out" in text  # Android's "<Media omitted>" names no kind
    # the encryption notice is the app's, not Anna's (the iPhone export puts her name on it)
    assert "Anna: Messages and calls" not in text
    notice_rows = [line for line in layout.splitlines() if "Messages and calls" in line]
    assert notice_rows
    assert all(re.search(r"\(system|System\b", line) for line in notice_rows), \
        notice_rows


def test_chats_with_ambiguous_dates_say_so_and_raw_keys_are_words(sealed):
    text = flat(page_text(sealed["en"].pdf))
    assert text.count("Dates in this export can be read two ways") == 2
    assert "day first (03/04/2026 = 3 April 2026)" in text
    assert "Anna (WhatsApp)" in text
    assert "(whatsapp)" not in text
    assert "chat_imported" not in text
    assert "Chat imported from item 3" in text


def test_phone_clock_times_are_marked_next_to_utc_times(sealed):
    text = page_text(sealed["en"].pdf)
    timeline = flat(section(text, "Timeline", "Evidence items"))
    assert "(phone's clock)" in timeline
    assert " UTC" in timeline
    assert "times marked UTC come from the victim's computer" in timeline
    assert not re.search(r"\d\d:\d\d(:\d\d)? (?!\(phone's clock\)|UTC)[A-Z]", timeline)


def test_item_types_are_words_with_the_media_type_after_them(sealed):
    text = flat(page_text(sealed["en"].pdf))
    assert "Picture (image/png)" in text
    assert "Text (text/plain)" in text
    assert "Chat transcript (application/json)" in text
    assert not re.search(r"Type (text|image|application)/", text)


def test_receipt_counts_what_was_handed_in_apart_from_what_the_app_made(sealed):
    """The receipt travels alone: '10 items' would count six transcripts as evidence."""
    base = next(p for p in sealed["en"].folder.parents if (p / "out").is_dir())
    receipt = next((base / "out").glob("*.receipt.txt"))
    text = receipt.read_text(encoding="utf-8")
    assert "10 (4 as handed in, 6 made by this app from them)" in text
