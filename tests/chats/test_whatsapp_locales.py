"""WhatsApp text exports from phones set to other digits, clocks and calendars (issue 18).

The exports are written here in the shapes phones produce. Where the shapes come from:

- A phone writes the date and the clock in its locale's short formats (Unicode CLDR, which
  Android and iOS both use): Arabic "d\u200f/M\u200f/y" with a right-to-left mark after day
  and month, Arabic-Indic digits, the Arabic comma between date and clock and "ص"/"م" for
  AM/PM; Persian "y/M/d" with Extended Arabic-Indic (Persian) digits and "ق.ظ"/"ب.ظ";
  English with another calendar "M/d/y G" ("1/25/2565 BE", "6/22/1443 AH", "1/25/111
  Minguo"); Japanese calendar "GGGGGy/M/d" ("R4/1/25"); Republic of China "Gy/M/d"
  ("民國111/1/25"); Thai "ก่อนเที่ยง"/"หลังเที่ยง", Burmese "နံနက်"/"ညနေ" for AM/PM.
- The Android Persian export layout ("۲۰۲۱/۵/۳۰، ۱۸:۴۴ - name: text", "<رسانه حذف شد>") is
  quoted in the issue tracker of rwhatsapp (JBGruber/rwhatsapp issue 28); Arabic-Indic
  digits, the Arabic comma and direction marks in Arabic exports are described in
  mtln/chat-export pull request 30; Thai Buddhist years ("15/1/2567, 09:30") and Thai,
  Devanagari and Bengali digits in exports in RSMFConverter's WhatsApp parser guide.

Each of these exports was "not a chat export" (or lost its times) before issue 18.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from hypothesis import given, settings, strategies as st

from evidence_app.chats import open_export
from evidence_app.chats.model import Conversation
from evidence_app.chats.render import render_transcript_html, render_transcript_text
from evidence_app.chats.whatsapp import looks_like_whatsapp, parse_whatsapp
from tests.chats.conftest import make_zip

RLM, LRM, ALM = "\u200f", "\u200e", "\u061c"


def _parse(text: str) -> Conversation:
    return parse_whatsapp(io.BytesIO(text.encode("utf-8")), source_name="_chat.txt")


def _times(conv: Conversation) -> list[str | None]:
    return [m.time for m in conv.messages]


# --- non-Latin digits, direction marks, AM/PM words -----------------------------------

ARABIC_IOS = (
    f"{LRM}[{RLM}٢٥{RLM}/١{RLM}/٢٠٢٢، ٩:٠٥:١٢ م] سامي: {LRM}الرسائل والمكالمات مشفرة "
    "تمامًا بين الطرفين.\n"
    f"[{RLM}٢٥{RLM}/١{RLM}/٢٠٢٢، ٩:٠٥:١٢ م] {RLM}سامي: مرحبا\n"
    f"[{RLM}٢٥{RLM}/١{RLM}/٢٠٢٢، ٩:٠٦:٠٠ م] Alex Example: who is this?\n"
    f"[{RLM}٢٦{RLM}/١{RLM}/٢٠٢٢، ١٢:٠١:٠٠ ص] سامي: send 0.5 BTC\n"
    "to this wallet\n"
    f"[{RLM}٢٦{RLM}/١{RLM}/٢٠٢٢، ١٢:٣٠:٠٠ م] Alex Example: no\n"
)


def test_arabic_ios_digits_marks_and_words():
    conv = _parse(ARABIC_IOS)
    assert conv.notes["layout"] == "ios"
    assert conv.counts()["unparsed_lines"] == 0
    assert _times(conv) == ["2022-01-25T21:05:12", "2022-01-25T21:05:12",
                            "2022-01-25T21:06:00", "2022-01-26T00:01:00",
                            "2022-01-26T12:30:00"]
    notice, hello, who, wallet, _no = conv.messages
    assert notice.system
    assert hello.sender == "سامي"
    assert wallet.text == "send 0.5 BTC\nto this wallet"
    assert conv.participants == ["سامي", "Alex Example"]
    # The stamp as the phone wrote it is kept beside the converted time.
    assert hello.shown_time is not None
    assert hello.shown_time.replace(RLM, "") == "٢٥/١/٢٠٢٢، ٩:٠٥:١٢ م"
    assert conv.notes["calendar"] == "gregorian"


def test_arabic_android_with_letter_marks_is_detected():
    text = (f"٢٥{ALM}/١{ALM}/٢٠٢٢، ٩:٠٥ م - سامي: مرحبا\n"
            f"٢٥{ALM}/١{ALM}/٢٠٢٢، ١١:٥٩ م - Alex Example: ok\n")
    assert looks_like_whatsapp(text.splitlines())
    conv = _parse(text)
    assert _times(conv) == ["2022-01-25T21:05", "2022-01-25T23:59"]
    assert [m.sender for m in conv.messages] == ["سامي", "Alex Example"]


PERSIAN_ANDROID = (
    "۱۴۰۰/۱۱/۵، ۱۸:۴۴ - پیام‌ها و تماس‌ها سرتاسر رمزگذاری شده‌اند. هیچ شخصی خارج از "
    "گفتگو حتی خود واتساپ هم نمی‌تواند آن‌ها را بخواند یا بشنود.\n"
    "۱۴۰۰/۱۱/۵، ۱۸:۴۴ - Sattar: سلام\n"
    "۱۴۰۰/۱۱/۶، ۰۹:۰۵ - شطرنج: <رسانه حذف شد>\n"
    "۱۴۰۰/۱۲/۲۹، ۲۳:۵۹ - Sattar: آخر سال\n"
    "۱۴۰۱/۱/۱، ۰۰:۰۱ - شطرنج: نوروز مبارک\n"
    "۱۴۰۱/۱/۳۱، ۱۰:۰۰ - Sattar: روز سی و یکم\n"
)


def test_persian_android_solar_hijri():
    conv = _parse(PERSIAN_ANDROID)
    assert conv.counts()["unparsed_lines"] == 0
    assert _times(conv) == ["2022-01-25T18:44", "2022-01-25T18:44", "2022-01-26T09:05",
                            "2022-03-20T23:59", "2022-03-21T00:01", "2022-04-20T10:00"]
    assert conv.notes["calendar"] == "persian"
    assert conv.messages[0].system
    assert conv.messages[2].attachments[0].omitted
    assert conv.messages[1].shown_time == "۱۴۰۰/۱۱/۵، ۱۸:۴۴"


def test_persian_ios_twelve_hour_words():
    text = ("[۱۴۰۰/۱۱/۵, ۹:۰۵:۱۲ ق.ظ] Sattar: صبح بخیر\n"
            "[۱۴۰۰/۱۱/۵, ۹:۰۵:۱۲ ب.ظ] شطرنج: شب بخیر\n")
    conv = _parse(text)
    assert _times(conv) == ["2022-01-25T09:05:12", "2022-01-25T21:05:12"]
    assert conv.notes["calendar"] == "persian"


@pytest.mark.parametrize(("text", "expected"), [
    # Burmese digits, Burmese AM/PM words (Android, no comma)
    ("၂၅/၁/၂၂ ၉:၀၅ ညနေ - မောင်မောင်: မင်္ဂလာပါ\n"
     "၂၆/၁/၂၂ ၁၂:၁၀ နံနက် - Ko Ko: hi\n",
     ["2022-01-25T21:05", "2022-01-26T00:10"]),
    # Khmer digits (iOS)
    ("[២៥/១/២០២២ ៩:០៥:១២ PM] សុខា: សួស្តី\n[២៦/១/២០២២ ៨:០០:០០ AM] Dara: hi\n",
     ["2022-01-25T21:05:12", "2022-01-26T08:00:00"]),
    # Bengali digits (Android)
    ("২৫/১/২২, ৯:০৫ PM - রহিম: হ্যালো\n২৬/১/২২, ১০:০০ AM - Karim: hi\n",
     ["2022-01-25T21:05", "2022-01-26T10:00"]),
    # Devanagari digits (Android)
    ("२५/१/२२, ९:०५ pm - राम: नमस्ते\n२६/१/२२, १०:०० am - Shyam: hi\n",
     ["2022-01-25T21:05", "2022-01-26T10:00"]),
    # Thai digits and Thai AM/PM words, Gregorian years
    ("[๒๕/๑/๒๐๒๒ ๙:๐๕:๑๒ หลังเที่ยง] สมชาย: สวัสดี\n"
     "[๒๖/๑/๒๐๒๒ ๘:๐๐:๐๐ ก่อนเที่ยง] Nok: hi\n",
     ["2022-01-25T21:05:12", "2022-01-26T08:00:00"]),
], ids=["burmese", "khmer", "bengali", "devanagari", "thai_digits"])
def test_native_digits(text, expected):
    conv = _parse(text)
    assert conv.counts()["unparsed_lines"] == 0
    assert _times(conv) == expected
    assert all(m.shown_time for m in conv.messages)


def test_latin_digit_exports_keep_no_second_stamp():
    conv = _parse("25/01/2022, 21:05 - Sam Fiction: hi\n26/01/2022, 00:04 - Sam Fiction: x\n")
    assert [m.shown_time for m in conv.messages] == [None, None]
    assert "shown_time" not in json.dumps(conv.to_dict())


# --- other calendars -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected", "calendar", "basis"), [
    # Thai iPhone, Buddhist calendar, Latin digits
    ("[25/1/2565 21:05:12] สมชาย: สวัสดี\n[26/1/2565 08:00:00] Nok: hi\n",
     ["2022-01-25T21:05:12", "2022-01-26T08:00:00"], "buddhist", "years"),
    # ... and Thai digits
    ("[๒๕/๑/๒๕๖๕ ๒๑:๐๕:๑๒] สมชาย: สวัสดี\n[๒๖/๑/๒๕๖๕ ๐๘:๐๐:๐๐] Nok: hi\n",
     ["2022-01-25T21:05:12", "2022-01-26T08:00:00"], "buddhist", "years"),
    # English iPhone set to the Buddhist calendar: the era is written
    ("[1/25/2565 BE, 9:05:12\u202fPM] Somchai: hi\n[1/26/2565 BE, 8:00:00\u202fAM] Nok: ok\n",
     ["2022-01-25T21:05:12", "2022-01-26T08:00:00"], "buddhist", "era"),
    # Japanese calendar (era letter and year), across the Heisei-Reiwa change
    ("[H31/04/30 23:59:00] 田中: 平成最後\n[R1/05/01 00:00:01] 佐藤: 令和元年\n"
     "[R4/01/25 21:05:12] 田中: こんにちは\n",
     ["2019-04-30T23:59:00", "2019-05-01T00:00:01", "2022-01-25T21:05:12"],
     "japanese", "era"),
    # Japanese calendar written with the era's name and 年月日
    ("[令和4年1月25日 21:05:12] 田中: こんにちは\n[令和4年1月26日 8:00:00] 佐藤: はい\n",
     ["2022-01-25T21:05:12", "2022-01-26T08:00:00"], "japanese", "era"),
    # Republic of China (Minguo) calendar, Chinese day periods before the clock
    ("[民國111/1/25 下午9:05:12] 陳小明: 你好\n[民國111/1/26 上午8:00:00] 王: 好\n",
     ["2022-01-25T21:05:12", "2022-01-26T08:00:00"], "roc", "era"),
    # ... without the era: a three-digit year first can only be a Minguo year
    ("111/1/25 21:05 - 陳小明: 你好\n111/1/26 08:00 - 王: 好\n",
     ["2022-01-25T21:05", "2022-01-26T08:00"], "roc", "years"),
    # Islamic (Umm al-Qura) calendar, Arabic iPhone: era "هـ", Arabic words and digits
    (f"[{RLM}٢٢{RLM}/٦{RLM}/١٤٤٣ هـ، ٩:٠٥:١٢ م] سامي: مرحبا\n"
     f"[{RLM}٢٣{RLM}/٦{RLM}/١٤٤٣ هـ، ٨:٠٠:٠٠ ص] Alex: hi\n",
     ["2022-01-25T21:05:12", "2022-01-26T08:00:00"], "islamic", "era"),
    # ... English iPhone set to the Islamic calendar
    ("[6/22/1443 AH, 9:05:12 PM] Sam: hi\n[6/23/1443 AH, 8:00:00 AM] Alex: ok\n",
     ["2022-01-25T21:05:12", "2022-01-26T08:00:00"], "islamic", "era"),
    # Hijri years with Arabic AM/PM words and no era
    ("[22/6/1443, 9:05:12 م] سامي: مرحبا\n[23/6/1443, 8:00:00 ص] Alex: hi\n",
     ["2022-01-25T21:05:12", "2022-01-26T08:00:00"], "islamic", "words"),
    # ... and with Latin digits and a 24-hour clock: only the Islamic reading is a date
    # when WhatsApp existed (Solar Hijri 1443 is 2064)
    ("1443/06/22, 21:05 - Sam: hi\n1443/06/23, 08:00 - Alex: ok\n",
     ["2022-01-25T21:05", "2022-01-26T08:00"], "islamic", "years"),
    # English iPhone set to the Persian calendar
    ("[11/5/1400 AP, 9:05:12 PM] Sattar: hi\n[11/6/1400 AP, 8:00:00 AM] Ali: ok\n",
     ["2022-01-25T21:05:12", "2022-01-26T08:00:00"], "persian", "era"),
], ids=["thai_buddhist", "thai_buddhist_thai_digits", "buddhist_be", "japanese_letters",
        "japanese_kanji", "roc_era", "roc_years", "islamic_arabic", "islamic_ah",
        "islamic_words", "islamic_years", "persian_ap"])
def test_other_calendars(text, expected, calendar, basis):
    conv = _parse(text)
    assert conv.counts()["unparsed_lines"] == 0
    assert _times(conv) == expected
    assert conv.notes["calendar"] == calendar
    assert conv.notes["calendar_basis"] == basis
    first = conv.messages[0]
    assert first.shown_time == text.split("\n", 1)[0].split("] ")[0].split(" - ")[0] \
        .lstrip("[")


def test_transcripts_show_both_dates():
    conv = _parse("[25/1/2565 21:05:12] สมชาย: สวัสดี\n[26/1/2565 08:00:00] Nok: hi\n")
    text = render_transcript_text(conv)
    assert "2022-01-25 21:05:12" in text
    assert "25/1/2565 21:05:12" in text
    assert "written in the export as" in text
    assert "Buddhist" in text
    html = render_transcript_html(conv)
    assert "25/1/2565 21:05:12" in html
    assert "Buddhist" in html
    stored = json.loads("".join(conv.iter_json()))
    assert stored["messages"][0]["shown_time"] == "25/1/2565 21:05:12"
    assert stored["notes"]["calendar"] == "buddhist"
    again = Conversation.from_dict(stored)
    assert again.messages[0].shown_time == "25/1/2565 21:05:12"


def test_hijri_conversion_names_its_variant_in_the_transcript():
    conv = _parse("[6/22/1443 AH, 9:05:12 PM] Sam: hi\n[6/23/1443 AH, 8:00:00 AM] Alex: ok\n")
    text = render_transcript_text(conv)
    assert "Umm al-Qura" in text


# --- hostile and broken exports: kept and marked, never a wrong date ------------------

def test_mixed_digits_are_kept_unparsed():
    text = (f"[{RLM}٢٥{RLM}/١{RLM}/٢٠٢٢، ٩:٠٥:١٢ م] سامي: مرحبا\n"
            f"[{RLM}٢5{RLM}/١{RLM}/٢٠٢٢، ٩:٠٥:١٢ م] سامي: mixed in the date\n"
            f"[{RLM}٢٥{RLM}/١{RLM}/٢٠٢٢، 9:05:12 م] سامي: date and clock disagree\n"
            "[25/1/2022, 9:05:12 PM] Sam: Latin\n")
    good, mixed, split, latin = _parse(text).messages
    assert good.time == "2022-01-25T21:05:12"
    assert mixed.unparsed
    assert mixed.time is None
    assert "mixed in the date" in mixed.text
    assert split.unparsed
    assert latin.time == "2022-01-25T21:05:12"


@pytest.mark.parametrize("bad", [
    "25/1/9999, 10:00 - Sam: absurd year",
    "25/13/2565, 10:00 - Sam: thirteenth month",
    "31/6/1443, 10:00 - Sam: no 31st in a Hijri month",
    "30/6/1443, 10:00 - Sam: Jumada II 1443 has 29 days (Umm al-Qura)",
    "30/4/2565, 10:00 - Sam: fine",  # control: a real date in the same file
])
def test_impossible_dates_in_other_calendars_are_kept_unparsed(bad):
    good = "29/6/1443, 09:00 - Sam: ok\n22/6/1443, 09:00 - Sam: ok\n"
    conv = _parse(good + bad + "\n")
    last = conv.messages[-1]
    if bad.endswith("fine"):
        # A Buddhist date in a Hijri file: no calendar reads every line, nothing is guessed.
        assert last.unparsed or last.time is None
    else:
        assert last.unparsed
        assert last.time is None
        assert last.text == bad
    assert conv.messages[0].time == "2022-02-01T09:00"


def test_hijri_month_thirteen_does_not_flip_the_day_month_order():
    text = (f"[{RLM}٢٢{RLM}/٦{RLM}/١٤٤٣ هـ، ٩:٠٥:١٢ م] سامي: مرحبا\n"
            f"[{RLM}١{RLM}/١٣{RLM}/١٤٤٣ هـ، ٩:٠٥:١٢ م] سامي: month 13\n")
    ok, bad = _parse(text).messages
    assert ok.time == "2022-01-25T21:05:12"
    assert bad.unparsed


def test_persian_day_31_in_a_30_day_month_is_kept_unparsed():
    conv = _parse("۱۴۰۰/۷/۳۰، ۱۰:۰۰ - Sattar: ok\n۱۴۰۰/۷/۳۱، ۱۰:۰۰ - Sattar: no such day\n")
    ok, bad = conv.messages
    assert ok.time == "2021-10-22T10:00"
    assert bad.unparsed


def test_hijri_or_persian_undecided_is_not_guessed():
    """One Solar Hijri year and one Islamic year, nothing else to tell them apart: no date
    is invented; the lines are kept, marked, and the export says why."""
    conv = _parse("1401/11/05, 09:00 - Sam: a\n1443/06/22, 09:00 - Alex: b\n")
    assert [m.time for m in conv.messages] == [None, None]
    assert all(m.unparsed for m in conv.messages)
    assert conv.notes["calendar"] == "unknown"
    text = render_transcript_text(conv)
    assert "Islamic" in text
    assert "Persian" in text


def test_japanese_era_year_outside_its_era_is_kept_unparsed():
    conv = _parse("[R4/01/25 21:05:12] 田中: ok\n[H32/01/25 21:05:12] 田中: Heisei ended in 31\n"
                  "[R1/04/30 10:00:00] 田中: Reiwa began on 1 May\n")
    ok, heisei, reiwa = conv.messages
    assert ok.time == "2022-01-25T21:05:12"
    assert heisei.unparsed
    assert reiwa.unparsed


def test_hostile_stamps_do_not_crash():
    lines = ["[R9999/1/1 10:00:00] A: x", "[民國9999/1/1 10:00:00] A: x",
             "[1/1/9999 AH, 10:00:00 AM] A: x", "[1/1/0 AP, 10:00:00 AM] A: x",
             "[0/0/0000 BE, 10:00:00 AM] A: x", "[٠/٠/٠٠٠٠، ٠:٠٠:٠٠ م] A: x",
             "[𝟐𝟓/𝟏/𝟐𝟎𝟐𝟐, 10:00:00] A: math digits"]
    conv = _parse("[25/1/2022, 10:00:00] A: ok\n" + "\n".join(lines) + "\n")
    assert conv.messages[0].time == "2022-01-25T10:00:00"
    kept = "\n".join(m.text for m in conv.messages)
    for line in lines:
        assert line.split("] ", 1)[1] in kept
    assert all(m.time is None for m in conv.messages[1:])


def test_zero_to_eleven_clocks_still_read_with_native_digits():
    conv = _parse(f"٢٥{RLM}/١{RLM}/٢٠٢٢، ٠٠:٠٤ ص - سامي: four past midnight\n"
                  f"٢٥{RLM}/١{RLM}/٢٠٢٢، ٠٠:٣٠ م - سامي: half past noon\n")
    assert _times(conv) == ["2022-01-25T00:04", "2022-01-25T12:30"]


# Stamps built from the pieces phones write, in any mix: digits of several scripts, marks,
# eras before and after, AM/PM words, separators. Whatever comes, the parse ends, nothing
# is dropped, and every time given is a real date read from one set of digits.
_PIECES = st.sampled_from([
    "1", "2", "3", "9", "0", "12", "31", "13", "2565", "1443", "1401", "111", "2022", "99",
    "٢", "٥", "١٤٤٣", "۱۴۰۰", "๒๕๖๕", "၂", "២", "২", "२", "𝟐", "/", ".", "-", ", ", "،",
    " ", RLM, LRM, ALM, "\u202f", "R", "H", "民國", "令和", "年", "月", "日", " BE", " AH",
    " AP", " هـ", "9:05", "21:05:12", "٩:٠٥", "۱۸:۴۴", " PM", " م", " ق.ظ", "下午",
    " หลังเที่ยง", "] A: x", " - A: x", "["])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=14).map("".join), min_size=1, max_size=8))
def test_mixed_up_stamps_never_crash_or_invent_dates(lines):
    from evidence_app.chats import calendars  # (new with issue 18)

    data = "\n".join(["[25/1/2022, 10:00:00] A: anchor", *lines]).encode()
    conv = parse_whatsapp(io.BytesIO(data))
    kept = "\n".join(m.text for m in conv.messages)
    assert kept.count("x") >= sum(line.count("A: x") for line in lines)  # nothing dropped
    for msg in conv.messages:
        if msg.time is None:
            continue
        day = dt.date.fromisoformat(msg.time[:10])
        assert 1990 <= day.year <= 2200
        if msg.shown_time is not None:
            assert calendars.digits_of(msg.shown_time) is not None  # one set of digits


def test_exports_are_recognised_in_a_zip_and_alone(tmp_path):
    """Detection (not only parsing) takes them: an Arabic iPhone's zip with media, a Thai
    Buddhist-calendar export and a Persian one chosen as files."""
    zipped = make_zip(tmp_path / "WhatsApp Chat - سامي.zip",
                      {"_chat.txt": ARABIC_IOS.encode(), "00000005-PHOTO.jpg": b"\xff\xd8"})
    with open_export(zipped) as parsed:
        (conv,) = parsed.conversations
        assert parsed.format == "whatsapp_zip"
        assert conv.messages[1].time == "2022-01-25T21:05:12"
    for name, text in (("WhatsApp Chat with Somchai.txt",
                        "[25/1/2565 21:05:12] สมชาย: สวัสดี\n[26/1/2565 08:00:00] Nok: hi\n"),
                       ("WhatsApp Chat with Sattar.txt", PERSIAN_ANDROID)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with open_export(path) as parsed:
            assert parsed.conversations[0].messages[1].time.startswith("2022-01-2")
