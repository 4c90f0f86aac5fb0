"""What the officer expects, from outside the bundle: the receipt's SHA-256 and signer key.

A bundle that checks out against its own key proves only that whoever sealed it held that
key. Tying it to the person who handed it over needs a value from elsewhere: the paper or
text receipt, or values typed from it. The receipt is read for what it shows, in whatever
language it was printed: exactly one SHA-256 and one key fingerprint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from evidence_app.core.errors import ExpectedValueInvalid, ReceiptUnreadable

_FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")
_SHA256 = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{64}(?![0-9A-Za-z])")
MAX_RECEIPT = 1 << 20


@dataclass(frozen=True)
class Expected:
    """Values to compare with; `source` is "receipt" or "given" (typed on the command line)."""

    fingerprint: str | None = None
    sha256: str | None = None
    source: str = "given"


def fingerprint_value(text: str) -> str:
    """A fingerprint as the receipt prints it (SHA256:...), from what a person typed."""
    value = text.strip()
    if not _FINGERPRINT.fullmatch(value):
        raise ExpectedValueInvalid("fingerprint", text)
    return value


def sha256_value(text: str) -> str:
    value = text.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise ExpectedValueInvalid("sha256", text)
    return value


def from_receipt_text(text: str, path: Path | None = None) -> Expected:
    fingerprints = set(_FINGERPRINT.findall(text))
    hashes = {h.lower() for h in _SHA256.findall(text)}
    if len(fingerprints) != 1 or len(hashes) != 1:
        raise ReceiptUnreadable(path or Path("-"))
    return Expected(fingerprints.pop(), hashes.pop(), "receipt")


def from_receipt(path: Path) -> Expected:
    """The values on NAME.receipt.txt (or any text that shows each exactly once)."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_RECEIPT + 1)
    except OSError:
        raise ReceiptUnreadable(path) from None
    if len(raw) > MAX_RECEIPT:
        raise ReceiptUnreadable(path)
    return from_receipt_text(raw.decode("utf-8", "replace"), path)
