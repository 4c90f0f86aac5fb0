"""Wallet addresses and IBANs as a machine reads them from a picture, made whole again.

An engine misreads a few look-alike characters (5/S, 0/O, 1/l) and splits a long address
where the picture wraps it or its letters sit apart. Those readings fail their checksums, so
they would never be listed; here each reading that has the shape of an address is tried with
its look-alike characters swapped, fewest swaps first, and kept only when exactly one
variant passes the address's own checksum (Base58Check, bech32, EIP-55, IBAN mod-97). A
misread address is then listed as the one address it can be, or not at all: never a guess.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

from evidence_app.chats.ibans import IBAN_LENGTHS, iban_valid
from evidence_app.chats.wallets import B58, base58_wallet, eth_wallet, segwit_wallet
from evidence_app.core.bech32 import CHARSET as BECH32

# Characters an engine confuses, each with what it may have been.
_LOOK_ALIKE: dict[str, str] = {
    "0": "oODQ", "O": "0oDQ", "o": "0O", "Q": "0O", "D": "0O",
    "1": "lIi", "l": "1Ii", "I": "1l", "i": "1l", "j": "J", "J": "j",
    "5": "Ss", "S": "5s", "s": "S5", "8": "B", "B": "8", "2": "Zz", "Z": "2z", "z": "Z2",
    "6": "Gb", "G": "6", "b": "6", "9": "gq", "g": "9q", "q": "9g",
    "c": "C", "C": "c", "k": "K", "K": "k", "p": "P", "P": "p", "u": "U", "U": "u",
    "v": "V", "V": "v", "w": "W", "W": "w", "x": "X", "X": "x", "y": "Y", "Y": "y",
    "m": "M", "M": "m", "n": "N", "N": "n", "r": "R", "R": "r", "t": "T", "T": "t",
    "h": "H", "H": "h", "e": "E", "E": "e", "f": "F", "F": "f", "a": "A", "A": "a",
    "d": "D", "L": "L", "4": "A", "7": "T",
}
MAX_SWAPS = 3  # more misread characters than this and the reading is too poor to trust
MAX_FREE_SWAPS = 2  # of characters that are valid as read (each could be right)
MAX_TRIES = 5_000  # variants checked per reading (a few ms of hashing)

_TOKEN_RE = re.compile(r"[0-9A-Za-z]+")


def _variants(text: str, allowed: str, fixed: int) -> Iterator[str]:
    """`text` with up to MAX_SWAPS look-alike swaps (characters outside `allowed` must be
    swapped), fewest swaps first; the first `fixed` characters are kept as read."""
    must = [i for i, ch in enumerate(text) if i >= fixed and ch not in allowed]
    if len(must) > MAX_SWAPS:
        return
    options = {i: [c for c in _LOOK_ALIKE.get(ch, "") if c in allowed]
               for i, ch in enumerate(text) if i >= fixed}
    if any(not options[i] for i in must):
        return
    free = [i for i in options if options[i] and i not in must]
    tries = 0
    for extra in range(min(MAX_FREE_SWAPS, MAX_SWAPS - len(must)) + 1):
        for chosen in itertools.combinations(free, extra):
            positions = must + list(chosen)
            for letters in itertools.product(*(options[i] for i in positions)):
                chars = list(text)
                for pos, letter in zip(positions, letters, strict=True):
                    chars[pos] = letter
                yield "".join(chars)
                tries += 1
                if tries >= MAX_TRIES:
                    return


def _one_valid(text: str, allowed: str, fixed: int, valid: Callable[[str], bool]
               ) -> str | None:
    """The single variant with the fewest swaps that passes `valid`; None when none does
    or two different ones do at that number of swaps."""
    if all(ch in allowed for ch in text[fixed:]) and valid(text):
        return text
    found: set[str] = set()
    best = None
    for variant in _variants(text, allowed, fixed):
        swaps = sum(a != b for a, b in zip(variant, text, strict=True))
        if best is not None and swaps > best:
            break
        if valid(variant):
            best = swaps
            found.add(variant)
    return found.pop() if len(found) == 1 else None


def _base58(text: str) -> bool:
    return base58_wallet(text) is not None


def _bech32(text: str) -> bool:
    return segwit_wallet(text) is not None


def _eth(text: str) -> bool:
    return eth_wallet(text) is not None


def _random_looking(text: str) -> bool:
    """Digits and both cases mixed, as in a Base58 address, not a run of joined words."""
    digits = sum(c.isdigit() for c in text)
    upper = sum(c.isupper() for c in text)
    lower = sum(c.islower() for c in text)
    return digits >= 2 and upper >= 3 and lower >= 3


def repair(candidate: str) -> str | None:
    """The address or IBAN this reading can only be, or None."""
    text = candidate.strip(".,;:!?()[]{}<>\"'")
    low = text.lower()
    if re.match(r"[b6][ce][1li]", low):  # "be1", "bcl": the engine misread "bc1"
        low = "bc1" + low[3:]
    if low.startswith(("bc1", "ltc1")) and 14 <= len(text) <= 90:
        head = 3 if low.startswith("bc1") else 4
        # bech32 is written in one case: read in lower case, swap look-alikes after "bc1"
        return _one_valid(low, BECH32, head, _bech32)
    if low.startswith(("0x", "ox", "0×")) and len(text) == 42:
        body = "0x" + text[2:]
        return _one_valid(body, "0123456789abcdefABCDEF", 2, _eth)
    if text[:1] in "13TLMD" and 26 <= len(text) <= 35 and _random_looking(text):
        return _one_valid(text, B58, 1, _base58)
    return _iban(text)


_DIGIT_LOOK_ALIKE = {"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "i": "1", "S": "5",
                     "B": "8", "Z": "2"}


def _iban(text: str) -> str | None:
    """An IBAN's mod-97 check lets one in 97 wrong readings through, so no free swaps here:
    only a look-alike letter between two digits is read as the digit it resembles."""
    if IBAN_LENGTHS.get(text[:2].upper()) != len(text) or not text[2:4].isdigit():
        return None
    chars = list(text[:2].upper() + text[2:])
    for i in range(4, len(chars) - 1):
        if (chars[i] in _DIGIT_LOOK_ALIKE and chars[i - 1].isdigit()
                and chars[i + 1].isdigit()):
            chars[i] = _DIGIT_LOOK_ALIKE[chars[i]]
    iban = "".join(chars)
    return iban if iban_valid(iban) else None


def repaired_text(line: str) -> str:
    """Every address and IBAN this line of machine-read text can only be, one per line
    (empty when there is none): the extractor reads them beside the line as read. Pieces
    split apart by the engine are joined (up to eight in a row), and each joined reading is
    tried whole."""
    tokens = _TOKEN_RE.findall(line)
    found: list[str] = []
    for start in range(len(tokens)):
        joined = ""
        for token in tokens[start:start + 8]:
            joined += token
            if len(joined) > 90:
                break
            if len(joined) < 14:
                continue
            fixed = repair(joined)
            if fixed and fixed not in found and fixed not in line:
                found.append(fixed)
    return "\n".join(found)
