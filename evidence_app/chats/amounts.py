"""Amounts of money with their currency ("$5,000", "1.200,50 EUR", "0.5 BTC", "300 USDT").

A bare number is never an amount: the currency must be written next to it. The value is
"<number> <CODE>" with a dot as decimal separator, so the same sum written two ways matches.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "₽": "RUB", "₺": "TRY",
           "₩": "KRW", "฿": "THB", "₫": "VND", "₱": "PHP", "¥": "JPY/CNY"}
WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pounds": "GBP",
         "bitcoin": "BTC", "bitcoins": "BTC", "rupees": "INR", "baht": "THB", "pesos": "PHP",
         "rubles": "RUB", "lira": "TRY", "yuan": "CNY", "dong": "VND", "ringgit": "MYR"}
CODES = ("USD", "EUR", "GBP", "CHF", "JPY", "CNY", "RMB", "INR", "RUB", "TRY", "THB", "VND",
         "PHP", "IDR", "MYR", "SGD", "HKD", "AUD", "CAD", "NZD", "AED", "KRW", "PLN", "SEK",
         "NOK", "DKK", "CZK", "BRL", "MXN", "NGN", "ZAR", "USDT", "USDC", "BTC", "ETH", "TRX",
         "BNB", "XRP", "LTC", "SOL", "DOGE")

_NUM = r"\d{1,3}(?:[.,' \u00a0\u202f]\d{3})+(?:[.,]\d{1,8})?|\d+(?:[.,]\d{1,8})?"
_CODE = "|".join(sorted(CODES, key=len, reverse=True))
_SYM = "".join(re.escape(s) for s in SYMBOLS)
_WORD = "|".join(sorted(WORDS, key=len, reverse=True))
AMOUNT_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<sym1>[{_SYM}])[ \u00a0]?(?P<n1>{_NUM})(?P<k1>[kK]\b)?"
    rf"|(?P<c1>{_CODE})[ \u00a0]?(?P<n2>{_NUM})(?P<k2>[kK]\b)?"
    rf"|(?P<n3>{_NUM})(?P<k3>[kK])?[ \u00a0]?(?:(?P<sym2>[{_SYM}])|(?P<c2>{_CODE})\b"
    rf"|(?P<w>(?i:{_WORD}))\b))(?![\w])"
)


def parse_number(text: str) -> Decimal | None:
    """'1.200,50' and '1,200.50' -> 1200.50; '1.200' -> 1200 (three digits: thousands)."""
    text = re.sub(r"[' \u00a0\u202f]", "", text)
    if "," in text and "." in text:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        text = text.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in text or "." in text:
        sep = "," if "," in text else "."
        head, _s, tail = text.rpartition(sep)
        if text.count(sep) > 1 or len(tail) == 3:
            text = text.replace(sep, "")
        else:
            text = head.replace(sep, "") + "." + tail
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def find_amounts(text: str) -> list[str]:
    found = []
    for m in AMOUNT_RE.finditer(text):
        g = m.groupdict()
        number = g["n1"] or g["n2"] or g["n3"]
        code = (SYMBOLS.get(g["sym1"] or g["sym2"] or "") or (g["c1"] or g["c2"] or "")
                or WORDS.get((g["w"] or "").lower(), ""))
        if code == "RMB":
            code = "CNY"
        value = parse_number(number) if number else None
        if value is None or value <= 0 or not code:
            continue
        if g["k1"] or g["k2"] or g["k3"]:
            value *= 1000
        found.append(f"{value.normalize():f} {code}")
    return found
