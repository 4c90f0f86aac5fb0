"""How easy a new vault passphrase is to guess: refused, weak, good or strong.

Two layers, because an offender who shares the computer tries the obvious first:

- refused outright (check_usable, enforced by Vault.create and change_passphrase): shorter
  than the minimum, only spaces or invisible characters, one character (or a tiny group)
  repeated, a plain keyboard or alphabet sequence, or one of the most common passwords in
  the app's languages (resources/common-passwords.txt), also with a few digits or symbols
  added around it or with look-alike letters;
- weak (assess().needs_confirmation): zxcvbn's estimate below WEAK_BELOW_SCORE. Whether to
  ask "use it anyway?" is the CLI's and GUI's decision, not the core's.

Only codes come out of here (Verdict, Reason); evidence_app.passphrase_words picks the words.
Nothing here logs or keeps the passphrase.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from evidence_app.core.errors import PassphraseReason, WeakPassphrase
from evidence_app.core.keys import MIN_PASSPHRASE_LENGTH
from evidence_app.paths import resources_dir

COMMON_PASSWORDS_FILE = "common-passwords.txt"
WEAK_BELOW_SCORE = 3  # zxcvbn 0-2: guessable within about 10^10 tries (offline, fast hash)
STRONG_FROM_SCORE = 4
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; the rest only makes it stronger
MAX_AFFIX = 6  # "пароль123", "Passwort1!": digits/symbols around a common word
MIN_CORE = 4  # a common word shorter than this is not looked for inside a passphrase
MAX_REPEAT_UNIT = 3  # "abababab", "abcabcabc" count as repeated


class Verdict(StrEnum):
    REFUSED = "refused"
    WEAK = "weak"
    GOOD = "good"
    STRONG = "strong"


# Why a passphrase is refused or weak; kept in core.errors, as WeakPassphrase carries it.
Reason = PassphraseReason


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    score: int  # zxcvbn 0-4 (0 when refused)
    guesses_log10: float
    reason: Reason | None  # None for good and strong ones

    @property
    def refused(self) -> bool:
        return self.verdict is Verdict.REFUSED

    @property
    def needs_confirmation(self) -> bool:
        """Weak but allowed: the person is warned and asked before it is used."""
        return self.verdict is Verdict.WEAK


# --- normalizing ------------------------------------------------------------------------

_DROPPED = {"Mn", "Me", "Cf", "Cc", "Zs", "Zl", "Zp"}
# Cyrillic and Greek letters that look like Latin ones: "раssword" with a Cyrillic "р"
# is still "password" to the eye and to a guesser.
_LOOK_ALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ӏ": "l", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
})
_LEET = (str.maketrans({"@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o",
                        "$": "s", "5": "s", "7": "t", "8": "b", "9": "g"}),
         str.maketrans({"@": "a", "4": "a", "3": "e", "1": "l", "|": "l", "0": "o",
                        "$": "s", "5": "s", "7": "t", "+": "t"}))


def visible(passphrase: str) -> str:
    """The passphrase as it reads: NFKC, without invisible format and control characters
    (zero-width spaces add nothing a person would notice)."""
    text = unicodedata.normalize("NFKC", passphrase)
    return "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc"))


def fold(text: str) -> str:
    """The form lists are compared in: NFKC, case-folded, without whitespace, accents and
    invisible characters."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c)
                   not in _DROPPED)


def _forms(text: str) -> set[str]:
    """fold(text) and its look-alike skeleton (the same string for most passphrases)."""
    folded = fold(text)
    return {folded, folded.translate(_LOOK_ALIKES)}


# --- the refusal rules ------------------------------------------------------------------

# Keyboard rows (QWERTY, QWERTZ, AZERTY, Russian, Arabic, Thai), digit runs, alphabets.
_ROWS = (
    "01234567890123456789", "`1234567890-=", "&é\"'(-è_çà)=",
    "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./", "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopü+", "asdfghjklöä#", "yxcvbnm,.-", "azertyuiop^$", "qsdfghjklmù*",
    "wxcvbn,;:!", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю.", "ضصثقفغعهخحجد",
    "شسيبلاتنمكط", "ئءؤرلاىةوزظ", "ๆไำพะัีรนยบลฃ", "ฟหกดเ้่าสวง", "ผปแอิืทมใฝ",
    "abcdefghijklmnopqrstuvwxyz", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
)


@cache
def _sequences() -> tuple[str, ...]:
    rows = [fold(row) for row in _ROWS]
    return tuple(rows + [row[::-1] for row in rows])


def _is_sequence(text: str) -> bool:
    """A run along a keyboard row or an alphabet, either way, or code points counting up
    or down by one (any script's alphabet order: "ກຂຄ", "abcd", "9876")."""
    if len(text) < 4:
        return False
    if any(text in row for row in _sequences()):
        return True
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1})


def _is_repeated(text: str) -> bool:
    """One character, or a group of up to MAX_REPEAT_UNIT, over and over."""
    for unit in range(1, MAX_REPEAT_UNIT + 1):
        if len(text) >= 2 * unit and text == (text[:unit] * len(text))[:len(text)]:
            return True
    return False


@cache
def common_passwords() -> frozenset[str]:
    """The shipped refusal list, folded (and look-alike folded) once."""
    path = resources_dir() / COMMON_PASSWORDS_FILE
    found: set[str] = set()
    for line in path.read_text("utf-8").splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            found |= {form for form in _forms(entry) if form}
    return frozenset(found)


def _is_affix(char: str) -> bool:
    return unicodedata.category(char)[0] in "NPS"


def _cores(text: str) -> set[str]:
    """text without up to MAX_AFFIX digits or symbols around it, as written and de-leeted."""
    start, end = 0, len(text)
    while start < end and _is_affix(text[start]):
        start += 1
    while end > start and _is_affix(text[end - 1]):
        end -= 1
    cores = {text}
    if len(text) - (end - start) <= MAX_AFFIX and end - start >= MIN_CORE:
        cores.add(text[start:end])
    return cores | {core.translate(table) for core in set(cores) for table in _LEET}


def refusal_reason(passphrase: str) -> Reason | None:
    """Why this passphrase cannot be used at all, or None."""
    if passphrase and not fold(passphrase):
        return Reason.WHITESPACE
    shown = visible(passphrase)
    if len(shown) < MIN_PASSPHRASE_LENGTH:
        return Reason.TOO_SHORT
    forms = _forms(shown)
    if any(_is_repeated(form) for form in forms):
        return Reason.REPEATED
    if any(_is_sequence(form) for form in forms):
        return Reason.SEQUENCE
    common = common_passwords()
    if any(core in common for form in forms for core in _cores(form)):
        return Reason.COMMON
    return None


def check_usable(passphrase: str) -> None:
    """Raise WeakPassphrase (with its reason) for a passphrase that must not lock a vault."""
    reason = refusal_reason(passphrase)
    if reason is not None:
        raise WeakPassphrase(MIN_PASSPHRASE_LENGTH, reason)


# --- the estimate -----------------------------------------------------------------------

_PATTERN_REASONS = {
    "spatial": Reason.SEQUENCE, "sequence": Reason.SEQUENCE, "repeat": Reason.REPEATED,
    "date": Reason.DATE, "regex": Reason.DATE,
}


def _weak_reason(sequence: Sequence[Mapping[str, Any]]) -> Reason:
    """What makes up most of a weak passphrase, from zxcvbn's match sequence."""
    matches = [m for m in sequence if m.get("pattern") != "bruteforce"]
    if not matches:
        return Reason.GUESSABLE
    biggest = max(matches, key=lambda m: len(m.get("token", "")))
    if biggest["pattern"] == "dictionary":
        return Reason.COMMON if biggest.get("dictionary_name") == "passwords" \
            else Reason.DICTIONARY
    return _PATTERN_REASONS.get(biggest["pattern"], Reason.GUESSABLE)


def assess(passphrase: str) -> Assessment:
    """The refusal rules, then zxcvbn's estimate: what the CLI and GUI show and ask about."""
    from zxcvbn import zxcvbn  # 40 ms to import: only when a new passphrase is chosen

    shown = visible(passphrase)
    estimate = zxcvbn(shown[:ZXCVBN_MAX_LENGTH]) if shown else None
    log10 = float(estimate["guesses_log10"]) if estimate else 0.0
    refused = refusal_reason(passphrase)
    if refused is not None or estimate is None:
        return Assessment(Verdict.REFUSED, 0, log10, refused or Reason.TOO_SHORT)
    score = int(estimate["score"])
    if score < WEAK_BELOW_SCORE:
        return Assessment(Verdict.WEAK, score, log10, _weak_reason(estimate["sequence"]))
    verdict = Verdict.STRONG if score >= STRONG_FROM_SCORE else Verdict.GOOD
    return Assessment(verdict, score, log10, None)
