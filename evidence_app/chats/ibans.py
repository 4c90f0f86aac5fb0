"""IBANs in free text: the country's length and the ISO 13616 mod-97 check must both hold."""

from __future__ import annotations

import re

# Lengths from the SWIFT IBAN registry.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22,
    "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23,
    "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21,
    "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27,
    "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22,
    "VG": 24, "XK": 20,
}

CANDIDATE_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){11,32})")


def iban_valid(iban: str) -> bool:
    """Length for the country, and the mod-97 remainder of 1."""
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban.isalnum():
        return False
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


def find_ibans(text: str) -> list[str]:
    """Valid IBANs without spaces. Words after one are cut off only at a space."""
    found = []
    for m in CANDIDATE_RE.finditer(text):
        raw = m.group(1)
        length = IBAN_LENGTHS.get(raw[:2])
        if length is None:
            continue
        kept = 0
        end = len(raw)
        for pos, char in enumerate(raw):
            if char.isalnum():
                kept += 1
                if kept == length:
                    end = pos + 1
                    break
        if kept < length or (end < len(raw) and raw[end].isalnum()):
            continue
        candidate = re.sub(r"[ \u00a0]", "", raw[:end])
        if iban_valid(candidate):
            found.append(candidate)
    return found
