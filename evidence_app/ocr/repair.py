"""Wallet addresses and IBANs as a machine reads them from a picture, made whole again.

An engine misreads a few look-alike characters (5/S, 0/O, 1/l) and splits a long address
where the picture wraps it or its letters sit apart. Those readings fail their checksums, so
they would never be listed; here each reading that has the shape of an address is tried with
its look-alike characters swapped, fewest swaps first, and kept only when exactly one
variant passes the address's own checksum (Base58Check, bech32, EIP-55, IBAN mod-97). A
misread address is then listed as the one address it can be, or not at all: never a guess.
"""

from __future__ import annotations

import functools
import itertools
import re
import time
from collections.abc import Callable, Container, Iterator

from evidence_app.chats.ibans import IBAN_LENGTHS, iban_valid
from evidence_app.chats.wallets import B58, base58_wallet, eth_wallet, segwit_wallet
from evidence_app.core.bech32 import CHARSET as BECH32

# Characters an engine confuses, each with what it may have been.
_LOOK_ALIKE: dict[str, str] = {
    "0": "oODQ", "O": "0oDQ", "o": "0O", "Q": "0O", "D": "0O",
    "1": "lIi", "l": "1Ii", "I": "1li", "i": "1lI", "j": "J", "J": "j",
    "5": "Ss", "S": "5s", "s": "S5", "8": "B", "B": "8", "2": "Zz", "Z": "2z", "z": "Z2",
    "6": "Gb", "G": "6", "b": "6", "9": "gq", "g": "9q8", "q": "9g",
    "c": "C", "C": "c", "k": "K", "K": "k", "p": "P", "P": "p", "u": "U", "U": "u",
    "v": "V", "V": "v", "w": "Wv", "W": "w", "x": "X", "X": "x", "y": "Y", "Y": "y",
    "m": "M", "M": "m", "n": "N", "N": "n", "r": "R", "R": "r", "t": "T", "T": "t",
    "h": "H", "H": "h", "e": "Ec", "E": "e6", "f": "F", "F": "f", "a": "A", "A": "a",
    "d": "D", "L": "L", "4": "A", "7": "T",
}
MAX_SWAPS = 3  # more misread characters than this and the reading is too poor to trust
MAX_FREE_SWAPS = 2  # of characters that are valid as read (each could be right)
MAX_TRIES = 5_000  # variants checked per reading (a few ms of hashing)
REPAIR_SECONDS = 4.0  # for all the repairs in one picture (see Budget)

_TOKEN_RE = re.compile(r"[0-9A-Za-z]+")
_BASE58_LENGTHS = range(26, 36)  # a 25-byte Base58Check address
# A segwit address is 42 (v0 key hash) or 62 characters (v0 script hash, taproot); "ltc1" one
# more. Other lengths are valid bech32 but no wallet shows them.
_BECH32_LENGTHS = frozenset({42, 62, 43, 63})


def _forced(text: str, allowed: str, fixed: int) -> str | None:
    """`text` with each character that cannot be in the address and has exactly one
    look-alike that can (bech32 has no "o": it was "0") put right; None when a character
    that cannot be there has no look-alike or several. These are not counted as swaps:
    there was no choice to make."""
    chars = list(text)
    for i in range(fixed, len(chars)):
        if chars[i] in allowed:
            continue
        options = [c for c in _LOOK_ALIKE.get(chars[i], "") if c in allowed]
        if len(options) != 1:
            return None if not options else text
        chars[i] = options[0]
    return "".join(chars)


def _variants(text: str, allowed: str, fixed: int, free_swaps: int = MAX_FREE_SWAPS
              ) -> Iterator[str]:
    """`text` with up to MAX_SWAPS look-alike swaps (characters outside `allowed` must be
    swapped), fewest swaps first; the first `fixed` characters are kept as read."""
    forced = _forced(text, allowed, fixed)
    if forced is not None:
        text = forced
    must = [i for i, ch in enumerate(text) if i >= fixed and ch not in allowed]
    if len(must) > MAX_SWAPS:
        return
    options = {i: [c for c in _LOOK_ALIKE.get(ch, "") if c in allowed]
               for i, ch in enumerate(text) if i >= fixed}
    if any(not options[i] for i in must):
        return
    free = [i for i in options if options[i] and i not in must]
    tries = 0
    for extra in range(min(free_swaps, MAX_SWAPS - len(must)) + 1):
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


def _one_valid(text: str, allowed: str, fixed: int, valid: Callable[[str], bool], *,
               free_swaps: int = MAX_FREE_SWAPS) -> str | None:
    """The single variant with the fewest swaps that passes `valid`; None when none does
    or two different ones do at that number of swaps."""
    if all(ch in allowed for ch in text[fixed:]) and valid(text):
        return text
    found: set[str] = set()
    best = None
    for variant in _variants(text, allowed, fixed, free_swaps):
        swaps = sum(a != b for a, b in zip(variant, text, strict=True))
        if best is not None and swaps > best:
            break
        if valid(variant):
            best = swaps
            found.add(variant)
    return found.pop() if len(found) == 1 else None


def _one_extra(text: str, allowed: str, fixed: int, valid: Callable[[str], bool],
               swaps: int = 0) -> str | None:
    """A reading with one character too many (the engine's commonest slip on random
    strings): each single deletion, with only the forced swaps; kept when exactly one
    deletion passes the checksum."""
    found: set[str] = set()
    for i in range(fixed, len(text)):
        shorter = text[:i] + text[i + 1:]
        fixed_up = _one_valid(shorter, allowed, fixed, valid, free_swaps=swaps)
        if fixed_up:
            found.add(fixed_up)
            if len(found) > 1:
                return None
    return found.pop() if found else None


def _one_missing(text: str, allowed: str, fixed: int, valid: Callable[[str], bool]
                 ) -> str | None:
    """A reading one character short (the last one cut off by the bubble's edge, or one
    lost between two): each character of the alphabet at each place, with only the forced
    swaps; kept when exactly one passes."""
    forced = _forced(text, allowed, fixed) or text
    if any(c not in allowed for c in forced[fixed:]):
        return None
    found: set[str] = set()
    for i in range(fixed, len(forced) + 1):
        for char in allowed:
            longer = forced[:i] + char + forced[i:]
            if valid(longer):
                found.add(longer)
                if len(found) > 1:
                    return None
    return found.pop() if found else None


# Letters the engine reads as one, or one read as two ("vv" as "w", "rn" as "m").
_MERGED = (("w", "vv"), ("m", "rn"), ("W", "VV"))


def _regrouped(text: str, fixed: int) -> Iterator[str]:
    """The reading with one "w" read as "vv" (or "m" as "rn"), and the other way round."""
    for one, two in _MERGED:
        for i in range(fixed, len(text)):
            if text.startswith(one, i):
                yield text[:i] + two + text[i + 1:]
            if text.startswith(two, i):
                yield text[:i] + one + text[i + 2:]


def _checked(text: str, allowed: str, fixed: int, valid: Callable[[str], bool],
             lengths: Container[int], *, extra_swaps: int = 0) -> str | None:
    """Swaps first; then, for a reading one character too long, one deletion (with
    `extra_swaps` look-alike swaps beside it, where the check is cheap); then letters read
    as one or as two; each kept only when exactly one reading passes."""
    if len(text) in lengths:
        repaired = _one_valid(text, allowed, fixed, valid)
        if repaired:
            return repaired
    if len(text) - 1 in lengths:
        repaired = _one_extra(text, allowed, fixed, valid, extra_swaps)
        if repaired:
            return repaired
    if len(text) + 1 in lengths:
        repaired = _one_missing(text, allowed, fixed, valid)
        if repaired:
            return repaired
    found = {r for variant in _regrouped(text, fixed) if len(variant) in lengths
             for r in [_one_valid(variant, allowed, fixed, valid, free_swaps=1)] if r}
    return found.pop() if len(found) == 1 else None


def _base58(text: str) -> bool:
    return base58_wallet(text) is not None


def _bech32(text: str) -> bool:
    return segwit_wallet(text) is not None


def _eth(text: str) -> bool:
    """Only an address in mixed case carries a checksum (EIP-55): a one-case variant of a
    misreading would pass whatever its letters, so it is never a repair."""
    body = text[2:]
    return body.lower() != body and body.upper() != body and eth_wallet(text) == text


def _random_looking(text: str) -> bool:
    """Digits and both cases mixed, as in a Base58 address, not a run of joined words."""
    digits = sum(c.isdigit() for c in text)
    upper = sum(c.isupper() for c in text)
    lower = sum(c.islower() for c in text)
    return digits >= 2 and upper >= 3 and lower >= 3


@functools.lru_cache(maxsize=4096)  # a piece's readings come again in its line and bubble
def repair(candidate: str) -> str | None:
    """The address or IBAN this reading can only be, or None."""
    text = candidate.strip(".,;:!?()[]{}<>\"'")
    low = text.lower()
    if re.match(r"[b6h][ce][1li]", low):  # "be1", "bcl", "hcl": the engine misread "bc1"
        low = "bc1" + low[3:]
    elif re.match(r"bc[qp]", low):  # "bc p6s0...": the 1 was lost
        low = "bc1" + low[2:]
    if (low.startswith(("bc1", "ltc1")) and 14 <= len(low) <= 91
            and sum(c.isdigit() for c in _forced(low, BECH32, 3) or low) >= 5):
        # a quarter of bech32 is digits ("bei spiel" is not "bc1 spiel")
        head = 3 if low.startswith("bc1") else 4
        # bech32 is written in one case: read in lower case, swap look-alikes after "bc1";
        # its check is cheap, so a deletion may come with one swap beside it
        return _checked(low, BECH32, head, _bech32, _BECH32_LENGTHS, extra_swaps=1)
    if low.startswith(("0x", "ox", "0×")) and len(text) == 42:
        body = "0x" + text[2:]
        return _one_valid(body, "0123456789abcdefABCDEF", 2, _eth)
    if text[:1] in "IlJ|" and 26 <= len(text) <= 36:  # a legacy address's leading "1"
        text = "1" + text[1:]
    if text[:1] in "13TLMD" and 26 <= len(text) <= 36 and _random_looking(text):
        return _checked(text, B58, 1, _base58, _BASE58_LENGTHS)
    return _iban(text)


_DIGIT_LOOK_ALIKE = {"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "i": "1", "S": "5",
                     "B": "8", "Z": "2"}


_CHECK_DIGIT = {**_DIGIT_LOOK_ALIKE, "A": "4", "T": "7", "G": "6", "b": "6", "q": "9",
                "g": "9", "s": "5", "z": "2"}


def _iban(text: str) -> str | None:
    """An IBAN's mod-97 check lets one in 97 wrong readings through, so no free swaps here:
    only a look-alike letter between two digits is read as the digit it resembles."""
    if IBAN_LENGTHS.get(text[:2].upper()) != len(text):
        return None
    bban = text[4:]
    if (sum(c.isdigit() for c in bban) * 2 < len(bban)
            or sum(c.islower() for c in text) > 2):
        return None  # IBANs are mostly digits and written in capitals: these are words
    check = "".join(_CHECK_DIGIT.get(c, c) for c in text[2:4])  # "FRAT 7040": FR47
    if not check.isdigit():
        return None
    chars = list(text[:2].upper() + check + text[4:])
    for i in range(4, len(chars) - 1):
        if (chars[i] in _DIGIT_LOOK_ALIKE and chars[i - 1].isdigit()
                and chars[i + 1].isdigit()):
            chars[i] = _DIGIT_LOOK_ALIKE[chars[i]]
    iban = "".join(chars)
    return iban if iban_valid(iban) else None


class Budget:
    """Time for repairs in one picture: a real screenshot needs a fraction of a second; a
    picture made to hold thousands of address-like strings gets this long, then each
    reading is only checked as it is."""

    def __init__(self, seconds: float = REPAIR_SECONDS) -> None:
        self.until = time.monotonic() + seconds

    def left(self) -> bool:
        return time.monotonic() < self.until


# Characters outside letters and digits that an engine writes for one of them.
_SIGNS = str.maketrans({"¢": "c", "©": "c", "|": "l", "€": "E", "£": "E"})


def repaired_text(line: str, budget: Budget | None = None) -> str:
    """Every address and IBAN this line of machine-read text can only be, one per line
    (empty when there is none): the extractor reads them beside the line as read. Pieces
    split apart by the engine are joined (up to eight in a row), and each joined reading is
    tried whole."""
    tokens = _TOKEN_RE.findall(line.translate(_SIGNS))
    found: list[str] = []
    for start in range(len(tokens)):
        joined = ""
        for token in tokens[start:start + 8]:
            joined += token
            if len(joined) > 90:
                break
            if len(joined) < 14:
                continue
            if budget is not None and not budget.left():
                return "\n".join(found)
            fixed = repair(joined)
            if fixed and fixed not in found and fixed not in line:
                found.append(fixed)
    return "\n".join(found)
