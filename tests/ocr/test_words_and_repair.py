"""The engine's answer read back, and misread addresses made whole only when certain.

No engine here: the TSV is written by hand in the engine's columns, as a hostile or a real
answer would be.
"""

from __future__ import annotations

import random

from babel.messages.pofile import read_po

from evidence_app.chats.indicators import extract_indicators
from evidence_app.chats.wallets import B58
from evidence_app.core.bech32 import CHARSET as BECH32
from evidence_app.ocr.found import narrow_box, picture_sources, place_indicators
from evidence_app.ocr.repair import repair, repaired_text
from evidence_app.ocr.words import MAX_WORDS, TSV_COLUMNS, lines_of, parse_tsv, text_of, to_tsv

HEADER = "\t".join(TSV_COLUMNS)


def _row(block: int, line: int, word: int, left: int, text: str, top: int = 10,
         width: int = 40, height: int = 20) -> str:
    return "\t".join(str(v) for v in (5, 1, block, 1, line, word, left, top, width, height,
                                      91.5, text))


def test_boxes_are_in_the_pictures_pixels_whatever_size_it_was_read_at():
    tsv = "\n".join([HEADER, _row(1, 1, 1, 200, "Send", top=100, width=80, height=40)])
    (word,) = parse_tsv(tsv, scale=2.0)
    assert word.box == (100, 50, 40, 20)
    assert parse_tsv(to_tsv([word]))[0] == word  # what is stored reads back the same


def test_lines_paragraphs_and_scripts_written_without_spaces():
    tsv = "\n".join([
        HEADER,
        _row(1, 1, 1, 10, "Pay"), _row(1, 1, 2, 60, "now"),
        _row(1, 2, 1, 10, "โอน", top=40), _row(1, 2, 2, 52, "เงิน", top=40),  # close: joined
        _row(2, 1, 1, 10, "วันนี้", top=90), _row(2, 1, 2, 200, "ครับ", top=90),  # far apart
    ])
    lines = lines_of(parse_tsv(tsv))
    assert [ln.text for ln in lines] == ["Pay now", "โอนเงิน", "วันนี้ ครับ"]
    assert text_of(lines) == "Pay now\nโอนเงิน\n\nวันนี้ ครับ\n"


def test_a_hostile_answer_is_bounded_and_never_breaks_the_columns():
    rows = [HEADER, "5\tbroken", "\t".join(["5"] * 12), "x" * 10_000]
    rows += [_row(1, 1, n, n, f"w{n}") for n in range(MAX_WORDS + 50)]
    rows.append(_row(1, 1, 1, 1, "tab\there"))  # cut off by the limit anyway
    words = parse_tsv("\n".join(rows))
    assert len(words) == MAX_WORDS
    tricky = parse_tsv("\n".join([HEADER, _row(1, 1, 1, 1, "a\u202eb")]))
    stored = to_tsv(tricky)
    assert all(len(r.split("\t")) == len(TSV_COLUMNS) for r in stored.splitlines())


def test_misread_addresses_are_made_whole_only_by_their_checksum():
    # The engine's real misreadings of a 15 px screenshot (5 as S, 0 as O, l as 1, a split)
    assert repair("TQn9Y2khEsLJW1ChVWFMSMeRDowSKcbLSE") == "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
    assert repair("bc1qarOsrrr7xfkvy51643lydnw9re59gtzzwf5mdq") == \
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    assert repair("be1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq") == \
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    assert repair("1BvBMSEYstWetqTFnSAu4m4GFg7xjaNVN2") == "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
    assert repair("Ox5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed") == \
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    assert repaired_text("TQn9Y2khEsLJW1 Ch VWFMSMeRDowSKcbLSE") == \
        "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
    assert repaired_text("IBAN DE89 3704 0O44 0532 0130 00") == "DE89370400440532013000"
    # Readings of benchmarks/ocr.py's screenshots: a character too many, I for i with S for
    # 5, the "o" and "i" bech32 cannot hold, letters in an IBAN's check digits
    assert repaired_text("vào vi nay: 3DEfzZbKBYA6mmComEMhLKujF5LXeRqTrMa 4") == \
        "3DEfzbKBYA6mmComEMhLKujF5LXeRqTrMa"
    assert repaired_text("TAWXorf6HEISSMSduCPDTzDSJZQ6We9CE2 9.") == \
        "TAwXorf6HEi5SMSduCPDTzDSJZQ6We9CE2"
    assert repair("bc1qhzcpfhvhOmze2cefd8lSkSsvia4gipOducndyj") == \
        "bc1qhzcpfhvh0mze2cefd8l5k5svla4glp0ducndyj"
    assert repaired_text("FRAT 7040 8822 1970 2323 9133 448 6-14") == \
        "FR4770408822197023239133448"
    # An Ethereum address with no mixed case has no checksum: a misreading is not repaired
    # into another one (found by the OCR experiments: 0xDD93... became 0xDD13...)
    assert repaired_text("OxDDI3c4267871B10C55A44972CE7BC3241461DA07") == ""
    # Too many misreadings: not listed at all, rather than a guess
    assert repair("TQn9Y2khEsLJWlChVWFMSMeRDowSKcbLSS") is None


def test_no_address_or_iban_is_made_up_from_ordinary_text_or_noise():
    lines = []
    for language in ("de", "fr", "id"):  # Latin letters in three languages' sentences
        with open(f"resources/locale/{language}/LC_MESSAGES/evidence_app.po", "rb") as fh:
            catalogue = read_po(fh)
        for message in catalogue:
            for text in (message.id, message.string):
                for part in (text if isinstance(text, tuple | list) else (text,)):
                    lines += (part or "").splitlines()
    assert len(lines) > 5000
    assert [ln for ln in lines if repaired_text(ln)] == []
    rng = random.Random(7)
    noise = ["1" + "".join(rng.choice(B58) for _ in range(33)) for _ in range(150)]
    noise += ["DE" + "".join(rng.choice("0123456789OISB") for _ in range(20))
              for _ in range(150)]
    noise += ["bc1q" + "".join(rng.choice(BECH32) for _ in range(38)) for _ in range(60)]
    made = [n for n in noise if repaired_text(n)]
    # an IBAN with a look-alike between digits that happens to pass mod-97 is the only way
    assert all(m.startswith("DE") for m in made)
    assert len(made) <= 3


def test_indicators_read_from_a_picture_name_it_and_the_box_where_they_were_read():
    # words 20 px high, a space of 6 px between words; a bubble's time 30 px away
    tsv = "\n".join([
        HEADER,
        _row(1, 1, 1, 10, "Wallet:", width=80), _row(1, 1, 2, 96, "TQn9Y2khEsLJW1", width=200),
        _row(1, 1, 3, 302, "ChVWFMSMeRDowSKcbLSE", width=260),
        _row(1, 1, 4, 568, "thanks", width=60),
        _row(1, 2, 1, 10, "+44", top=60), _row(1, 2, 2, 56, "7911", top=60, width=50),
        _row(1, 2, 3, 112, "123456", top=60, width=70),
        _row(1, 2, 4, 212, "10:32", top=64, width=40, height=14),
        # a bech32 address wrapped in its bubble, misread ("O" for 0) on the first line
        _row(2, 1, 1, 10, "bc1qarOsrrr7xfkvy5l643", top=110, width=230),
        _row(2, 2, 1, 10, "lydnw9re59gtzzwf5mdq", top=134, width=200),
    ])
    lines = lines_of(parse_tsv(tsv))
    found = extract_indicators(picture_sources("7", lines, "2026-01-02T03:04:05Z"), "GB",
                               set())
    place_indicators(found, {"7": lines})
    by_value = {f["value"]: f for f in found}
    wallet = by_value["TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"]
    (where,) = wallet["sources"]
    assert where["item_id"] == "7"
    assert where["kind"] == "picture"
    assert where["read_by_machine"] is True
    assert where["box"] == [96, 10, 466, 20]  # the two pieces, not "Wallet:" or "thanks"
    (phone,) = by_value["+447911123456"]["sources"]  # the time beside it does not hide it
    assert phone["box"] == [10, 60, 172, 20]
    (wrapped,) = by_value["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"]["sources"]
    assert wrapped["box"] == [10, 110, 230, 44]  # both lines of the bubble
    assert narrow_box("nowhere", lines[0]) == lines[0].box


def test_a_number_that_lost_its_space_before_the_next_word_is_still_listed():
    tsv = "\n".join([HEADER, _row(1, 1, 1, 10, "Gọi", width=40),
                     _row(1, 1, 2, 56, "+84", width=40), _row(1, 1, 3, 102, "912", width=40),
                     _row(1, 1, 4, 148, "167", width=40),
                     _row(1, 1, 5, 194, "263nhé.", width=80)])  # as the engine read it
    found = extract_indicators(picture_sources("3", lines_of(parse_tsv(tsv))), "VN", set())
    assert [f["value"] for f in found if f["type"] == "phone"] == ["+84912167263"]


def test_a_second_pass_adds_what_a_checksum_confirms_never_a_second_spelling():
    """Thai letters read by the Thai model, the address and e-mail by English alone: the
    English pass adds the address and the e-mail the first pass could not read, but a
    second spelling of an e-mail the first pass did read is a misreading, not a new one."""
    from evidence_app.ocr.engine import Engine
    from evidence_app.ocr.passes import Pass, passes_for, reading_text

    first = parse_tsv("\n".join([
        HEADER, _row(1, 1, 1, 10, "โอนไปที่", width=80),
        _row(1, 1, 2, 96, "46629300855014221412794", width=240),  # "AE62": Thai model
        _row(1, 2, 1, 10, "mail", top=60), _row(1, 2, 2, 56, "jenny.c55@proton.me", top=60,
                                               width=200),
        _row(1, 3, 1, 10, "ส่งไปที่", top=110, width=80)]), page=1)
    second = parse_tsv("\n".join([
        HEADER, _row(1, 1, 1, 10, "Tuoulu", width=80),
        _row(1, 1, 2, 96, "AE629300855014221412794", width=240),
        _row(1, 2, 1, 10, "mail", top=60), _row(1, 2, 2, 56, "jenny.css@proton.me", top=60,
                                               width=200),
        _row(1, 3, 1, 10, "adv", top=110, width=60),
        _row(1, 3, 2, 76, "vip.manager5@outlook.com", top=110, width=220)]), page=2)
    lines = lines_of(first + second)
    found = extract_indicators(picture_sources("4", lines), "TH", set())
    place_indicators(found, {"4": lines})
    values = sorted(f["value"] for f in found if f["type"] in ("iban", "email"))
    assert values == ["AE629300855014221412794", "jenny.c55@proton.me",
                      "vip.manager5@outlook.com"]
    text = reading_text(lines)
    assert text.startswith("โอนไปที่ 46629300855014221412794\n")
    assert "AE629300855014221412794" in text  # the English pass's line, after the first's
    english = Engine(command="tesseract", version="5", languages=frozenset({"eng", "tha"}))
    assert passes_for(["tha", "eng"], english) == [Pass(("tha", "eng"), True),
                                                   Pass(("eng",), False)]
    assert passes_for(["eng"], english) == [Pass(("eng",), True), Pass(("eng",), False)]


def test_a_picture_full_of_address_like_strings_is_repaired_within_its_budget():
    """A hostile picture: thousands of strings shaped like addresses, none valid. Repairs
    stop when the picture's time is spent; each string is then only checked as read."""
    import time

    from evidence_app.ocr.repair import Budget

    rng = random.Random(3)
    lines = ["bc1q" + "".join(rng.choice(BECH32) for _ in range(38)) for _ in range(2000)]
    budget = Budget(seconds=0.5)
    started = time.monotonic()
    assert [ln for ln in lines if repaired_text(ln, budget)] == []
    assert time.monotonic() - started < 5  # 2,000 full repairs take about a minute
