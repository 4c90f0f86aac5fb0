"""The printed recovery key: easy to copy by hand, forgiving of look-alikes, strict on typos."""

from __future__ import annotations

import random
import re

import pytest

from evidence_app.core.errors import MalformedRecoveryKey, WrongRecoveryKey
from evidence_app.core.keys import _ALPHABET, new_recovery_key, normalize_recovery_key
from evidence_app.core.vault import Vault
from tests.helpers import PASSPHRASE


def test_shape_is_eight_groups_of_four():
    keys = {new_recovery_key() for _ in range(50)}
    assert len(keys) == 50
    for key in keys:
        assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}", key), key
        assert not set(key) & set("ILOU")


def test_case_spacing_and_look_alikes_are_accepted():
    key = new_recovery_key()
    body = normalize_recovery_key(key)
    assert normalize_recovery_key(key.lower()) == body
    assert normalize_recovery_key(key.replace("-", " ")) == body
    assert normalize_recovery_key(" " + key.replace("-", "") + "\n") == body
    # What a hand copy turns 0 and 1 into.
    look_alike = key.replace("0", "O").replace("1", "I")
    assert normalize_recovery_key(look_alike) == body
    assert normalize_recovery_key(key.replace("1", "l").lower()) == body


def _typos(key: str, rng: random.Random):
    chars = [c for c in key if c != "-"]
    for i, c in enumerate(chars):
        other = rng.choice([a for a in _ALPHABET if a != c])
        yield "".join(chars[:i] + [other] + chars[i + 1 :])
    for i in range(len(chars) - 1):
        if chars[i] != chars[i + 1]:
            swapped = chars[:i] + [chars[i + 1], chars[i]] + chars[i + 2 :]
            yield "".join(swapped)


def test_typos_are_detected():
    """Two check characters (10 bits) catch all but about 1 in 1000 single typos."""
    rng = random.Random(3)
    total = caught = 0
    for _ in range(40):
        for typo in _typos(new_recovery_key(), rng):
            total += 1
            try:
                normalize_recovery_key(typo)
            except MalformedRecoveryKey:
                caught += 1
    assert total > 2000
    assert caught / total > 0.99


@pytest.mark.parametrize("text", ["", "ABCD", "U" * 32, "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345",
                                  "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789-ABCD", "ÄBCD" * 8])
def test_wrong_length_or_letters(text):
    with pytest.raises(MalformedRecoveryKey):
        normalize_recovery_key(text)


def test_recovery_key_opens_only_its_vault(tmp_path):
    vault, key = Vault.create(tmp_path / "a", PASSPHRASE)
    vault.lock()
    other, other_key = Vault.create(tmp_path / "b", PASSPHRASE)
    other.lock()
    opened = Vault.open_with_recovery_key(tmp_path / "a", key.lower().replace("0", "o"))
    assert opened.records[-1]["type"] == "opened_with_recovery_key"
    opened.change_passphrase("a brand new passphrase")
    opened.lock()
    Vault.open(tmp_path / "a", "a brand new passphrase").lock()
    with pytest.raises(WrongRecoveryKey):
        Vault.open_with_recovery_key(tmp_path / "a", other_key)
