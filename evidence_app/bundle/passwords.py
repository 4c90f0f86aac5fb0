"""Bundle passphrases a person can read aloud to the police: words from resources/wordlist.

The person reading it out may be reporting sextortion, so the list holds only plain,
concrete words (food, plants, animals, weather, places, tools, colours...) and none about
children or family, sex or the body, violence, death, drugs, crime, prison or the police
(its header says how it was made; tests/bundle/test_passphrase_words.py checks it against a
deny-list). Each word is known by its first four letters, so a word misheard or misspelt
after them is still recognised (recognised()). 8 words from its more than 1,024 give more
than 80 bits (it was 77 before), on top of age's scrypt; the tests check both numbers.
"""

from __future__ import annotations

import math
import re
import secrets
import unicodedata
from functools import cache

from evidence_app.paths import resources_dir

WORDLIST_FILE = "wordlist"
WORDS = 8
KEY_LETTERS = 4  # a word is known by its first four letters


@cache
def wordlist() -> tuple[str, ...]:
    """The shipped words, read once (lines starting with # are the file's header)."""
    text = (resources_dir() / WORDLIST_FILE).read_text("utf-8")
    return tuple(word for line in text.splitlines()
                 if (word := line.strip()) and not word.startswith("#"))


@cache
def _by_key() -> dict[str, str]:
    return {word[:KEY_LETTERS]: word for word in wordlist()}


def bits(words: int = WORDS) -> float:
    """The strength of a passphrase of `words` words, in bits: words * log2(list size)."""
    return words * math.log2(len(wordlist()))


def new_passphrase(words: int = WORDS) -> str:
    choices = wordlist()
    return " ".join(secrets.choice(choices) for _ in range(words))


def recognised(typed: str) -> str | None:
    """The passphrase someone typed from hearing it, as the app made it, or None.

    Case, spacing and punctuation between words do not count, and each word counts by its
    first four letters (or whole, if shorter): "Tomatoe, LANTERNS..." is "tomato lantern...".
    None when a word is not from the list (then the passphrase was not one of ours).
    """
    text = unicodedata.normalize("NFKC", typed).casefold()
    found = []
    for token in re.findall(r"[a-z]+", text):
        # no 3-letter word starts another word, so "emus" can only have been "emu"
        word = _by_key().get(token[:KEY_LETTERS]) or _by_key().get(token[:KEY_LETTERS - 1])
        if word is None:
            return None
        found.append(word)
    return " ".join(found) if found else None


def alternatives(typed: str) -> list[str]:
    """Other passphrases to try after `typed` itself: its recognised form, if different."""
    meant = recognised(typed)
    return [meant] if meant is not None and meant != typed else []
