"""Weak vault passphrases, tried the way someone who shares the computer would guess them:
the most common passwords of the app's languages, spaces, one key held down, a keyboard
row. The core refuses them; weak-but-allowed ones are only assessed (the edge asks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_app.core.errors import WeakPassphrase
from evidence_app.core.passphrase_strength import (
    COMMON_PASSWORDS_FILE,
    Reason,
    Verdict,
    assess,
    common_passwords,
    fold,
)
from evidence_app.core.vault import HEADER_NAME, Vault
from evidence_app.paths import resources_dir
from tests.helpers import PASSPHRASE

REPO = Path(__file__).resolve().parents[2]

REFUSED = [
    ("12345678", "sequence"),
    ("password", "common"),
    ("Passwort", "common"),
    ("        ", "whitespace"),
    ("\t \u3000\u200b\u200b \n ", "whitespace"),
    ("\u200b" * 12, "whitespace"),
    ("qwertyui", "sequence"),
    ("qwertzui", "sequence"),
    ("azertyui", "sequence"),
    ("йцукенгш", "sequence"),
    ("87654321", "sequence"),
    ("абвгдежз", "sequence"),
    ("\u0430aaaaaaa", "repeated"),  # a Cyrillic "а", then seven Latin "a"
    ("00000000", "repeated"),
    ("11111111", "repeated"),
    ("abababab", "repeated"),
    ("пароль123", "common"),
    ("ПАРОЛЬ2024", "common"),
    ("Passwort1!", "common"),
    ("PASSWORD", "common"),
    ("pass word", "common"),
    ("p@ssw0rd", "common"),
    ("P4ssw0rd!", "common"),
    ("\u0440assword", "common"),  # Cyrillic "р"
    ("pass\u200bword", "common"),
    ("contraseña", "common"),
    ("Contrasena1", "common"),
    ("motdepasse", "common"),
    ("senha1234", "common"),
    ("1q2w3e4r", "common"),
    ("iloveyou", "common"),
    ("gfhjkm123", "common"),  # "пароль" typed on an English keyboard
    ("katasandi", "common"),
    ("mahalkita", "common"),
    ("anhyeuem", "common"),
    ("matkhau123", "common"),
    ("รหัสผ่าน", "common"),
    ("كلمةالسر", "common"),
    ("woaini1314", "common"),
    ("ｐａｓｓｗｏｒｄ", "common"),  # full-width letters (NFKC)
    ("1234567", "too_short"),
]


@pytest.mark.parametrize(("secret", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_vault_create_refuses_guessable_passphrases(tmp_path: Path, secret: str,
                                                    reason: str) -> None:
    folder = tmp_path / "vault"
    with pytest.raises(WeakPassphrase) as refused:
        Vault.create(folder, secret)
    assert refused.value.reason == reason
    assert refused.value.min_length == 8
    assert not (folder / HEADER_NAME).exists()
    found = assess(secret)
    assert found.verdict is Verdict.REFUSED
    assert found.reason == Reason(reason)


@pytest.mark.parametrize("secret", ["password", "Passwort", "        ", "12345678",
                                    "qwertyui", "пароль123"])
def test_change_passphrase_refuses_them_and_keeps_the_old_one(vault: Vault, secret: str):
    path = vault.path
    with pytest.raises(WeakPassphrase):
        vault.change_passphrase(secret)
    vault.lock()
    Vault.open(path, PASSPHRASE).lock()  # nothing changed
    with pytest.raises(Exception):  # noqa: B017, PT011 - any failure to open will do
        Vault.open(path, secret)


def test_a_long_diceware_like_passphrase_is_strong(tmp_path: Path) -> None:
    secret = "plinth gravel otter canyon mosaic"
    found = assess(secret)
    assert found.verdict is Verdict.STRONG
    assert found.score == 4
    assert found.reason is None
    assert found.guesses_log10 > 14
    vault, _key = Vault.create(tmp_path / "vault", secret)
    vault.lock()


@pytest.mark.parametrize("secret", ["tiger-lamp", "sunflower1985", "Julia2003!"])
def test_a_medium_passphrase_is_allowed_but_flagged_weak(tmp_path: Path, secret: str):
    found = assess(secret)
    assert found.verdict is Verdict.WEAK
    assert found.needs_confirmation
    assert not found.refused
    assert found.score < 3
    assert isinstance(found.reason, Reason)
    vault, _key = Vault.create(tmp_path / "vault", secret)  # the core does not ask
    vault.lock()


def test_reasons_are_codes_not_words() -> None:
    for secret in ("tiger-lamp", "12345678", "password", "        ", "short"):
        reason = assess(secret).reason
        assert reason is not None
        assert reason.value.replace("_", "").isalpha()
        assert reason.value.islower()


def test_the_suites_passphrase_is_not_weak() -> None:
    assert assess(PASSPHRASE).verdict in (Verdict.GOOD, Verdict.STRONG)


def test_very_long_passphrases_are_assessed() -> None:
    # zxcvbn refuses input over 72 characters; the estimate must not.
    found = assess("river " * 2000 + "lantern quietly")
    assert found.verdict is not Verdict.REFUSED
    assert assess("x" * 5000).verdict is Verdict.REFUSED


def test_the_refusal_list_ships_with_the_program() -> None:
    shipped = resources_dir() / COMMON_PASSWORDS_FILE
    assert shipped.is_file()
    words = common_passwords()
    assert len(words) > 300
    for expected in ("password", "passwort", "motdepasse", "contrasena", "пароль", "senha",
                     "katasandi", "matkhau", "mahalkita", "woaini"):
        assert fold(expected) in words, expected
    # The frozen build lists its resources one by one: this file must be among them.
    spec = (REPO / "installer" / "evidence-app.spec").read_text("utf-8")
    assert COMMON_PASSWORDS_FILE in spec
