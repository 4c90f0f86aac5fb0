"""A recovery key copied from paper with one slip: the app says which group to check,
instead of calling it "not complete". The check characters narrow it down; the vault's own
key settles it."""

from __future__ import annotations

import random

import pytest

from evidence_app.core.errors import MalformedRecoveryKey, WrongRecoveryKey
from evidence_app.core.keys import _ALPHABET, normalize_recovery_key
from evidence_app.core.vault import Vault
from evidence_app.messages import describe
from tests.helpers import PASSPHRASE


def _with(key: str, index: int, char: str) -> str:
    chars = [c for c in key if c != "-"]
    chars[index] = char
    joined = "".join(chars)
    return "-".join(joined[i:i + 4] for i in range(0, 32, 4))


def _refusal(path, typed: str) -> MalformedRecoveryKey | None:
    """What opening with `typed` says; None when the slip happens to pass the 10 check
    bits (about 1 in 1000) and the key is simply another vault's."""
    try:
        Vault.open_with_recovery_key(path, typed)
    except MalformedRecoveryKey as exc:
        return exc
    except WrongRecoveryKey:
        return None
    raise AssertionError("a mistyped key opened the vault")


@pytest.fixture(scope="module")
def locked_vault(tmp_path_factory):
    path = tmp_path_factory.mktemp("typos") / "vault"
    vault, key = Vault.create(path, PASSPHRASE)
    vault.lock()
    return path, key


def test_each_mistyped_character_is_located_to_its_group(locked_vault):
    path, key = locked_vault
    rng = random.Random(16)
    named = 0
    for index in range(32):
        typed = _with(key, index, rng.choice([a for a in _ALPHABET
                                              if a != key.replace("-", "")[index]]))
        exc = _refusal(path, typed)
        if exc is None:
            continue
        group = index // 4 + 1
        assert exc.groups == (group,), (index, exc.groups)
        text = describe(exc)
        assert f"Group {group} of 8" in text
        assert "complete" not in text
        named += 1
    assert named >= 30


def test_swapped_neighbours_across_groups_name_both(locked_vault):
    path, key = locked_vault
    flat = key.replace("-", "")
    for i in (3, 11, 19):  # the last of one group and the first of the next
        if flat[i] == flat[i + 1]:
            continue
        swapped = flat[:i] + flat[i + 1] + flat[i] + flat[i + 2:]
        with pytest.raises(MalformedRecoveryKey) as caught:
            Vault.open_with_recovery_key(path, swapped)
        assert caught.value.groups == (i // 4 + 1, i // 4 + 2)
        assert f"Groups {i // 4 + 1} and {i // 4 + 2} of 8" in describe(caught.value)


def test_a_dropped_character_names_the_short_group(locked_vault):
    path, key = locked_vault
    groups = key.split("-")
    groups[4] = groups[4][:3]
    with pytest.raises(MalformedRecoveryKey) as caught:
        Vault.open_with_recovery_key(path, "-".join(groups))
    assert caught.value.reason == "length"
    assert "Group 5 of 8 does not have 4 characters" in describe(caught.value)
    with pytest.raises(MalformedRecoveryKey) as caught:
        normalize_recovery_key(key.replace("-", "")[:31])
    assert "You typed 31 characters, but a recovery key has 32" in describe(caught.value)


def test_a_letter_keys_never_have_names_its_group():
    key = "0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ"
    with pytest.raises(MalformedRecoveryKey) as caught:
        normalize_recovery_key(key.replace("89AB", "89UB"))
    assert caught.value.groups == (3,)
    assert "Group 3 of 8 has a character that recovery keys never use" in \
        describe(caught.value)
    with pytest.raises(MalformedRecoveryKey) as caught:
        normalize_recovery_key("   ")
    assert describe(caught.value).startswith("Type your recovery key")


def test_two_slips_are_not_pinned_on_one_group(locked_vault):
    """More than one slip: no group is named (a wrong guess would send the person to the
    wrong place); the sentence says what form the key has and to compare each group."""
    path, key = locked_vault
    flat = key.replace("-", "")
    rng = random.Random(5)
    for _ in range(20):
        a, b = rng.sample(range(32), 2)
        typed = _with(_with(key, a, rng.choice([c for c in _ALPHABET if c != flat[a]])),
                      b, rng.choice([c for c in _ALPHABET if c != flat[b]]))
        exc = _refusal(path, typed)
        if exc is not None:
            assert exc.groups == ()
            assert "compare each group with your paper" in describe(exc)
