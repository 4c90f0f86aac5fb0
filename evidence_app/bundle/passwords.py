"""Bundle passphrases a person can read aloud: words from the BIP-39 English list.

Its 2,048 words are common, and the first four letters of each are unique, so a word heard
over the phone or misspelt is still recognised. 7 words = 77 bits, on top of age's scrypt.
"""

from __future__ import annotations

import secrets

from mnemonic import Mnemonic

WORDS = 7


def new_passphrase(words: int = WORDS) -> str:
    wordlist = Mnemonic("english").wordlist
    return " ".join(secrets.choice(wordlist) for _ in range(words))
