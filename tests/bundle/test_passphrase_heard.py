"""An officer types a bundle passphrase as heard over the phone: capitals, commas, an extra
space, a word misspelt after its fourth letter. The app knows each word by its first four
letters, so it still opens; a passphrase with a wrong word still does not.

Real bundles, real age scrypt (each try costs one scrypt): the passphrases are fixed here so
the test knows what was "read aloud".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_app.bundle import agefile, passwords
from evidence_app.bundle.seal import Protection, seal
from evidence_app.bundle.verify import verify_bundle
from evidence_app.core.errors import NotABundle, WrongBundleKey
from tests.helpers import PASSPHRASE

READ_ALOUD = "tomato lantern emu violin harvest pebble saffron walrus"
TYPED = "Tomatoe, Lanterns  emus VIOLINS harvested pebbels saffron walruses"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real sealed bundle whose passphrase was READ_ALOUD."""
    from evidence_app.core.vault import Vault

    tmp = tmp_path_factory.mktemp("heard")
    vault, _recovery = Vault.create(tmp / "vault", PASSPHRASE)
    note = tmp / "message.txt"
    note.write_bytes(b"Pay or I send the pictures.\n")
    vault.add_file(note)
    try:
        return seal(vault, tmp / "out", Protection("passphrase", passphrase=READ_ALOUD)) \
            .bundle_path
    finally:
        vault.lock()


def test_a_passphrase_typed_as_heard_still_opens_the_bundle(bundle: Path,
                                                             tmp_path: Path) -> None:
    assert set(READ_ALOUD.split()) <= set(passwords.wordlist())
    assert passwords.recognised(TYPED) == READ_ALOUD
    report = verify_bundle(bundle, tmp_path, passphrase=TYPED)
    assert [c.ok for c in report.checks if c.key == "decrypt"] == [True]
    assert report.items  # read, not just decrypted


def test_a_wrong_or_missing_word_still_does_not_open_it(bundle: Path, tmp_path: Path) -> None:
    wrong_word = TYPED.replace("pebbels", "pelican")  # right first letters, wrong word
    assert passwords.recognised(wrong_word) != READ_ALOUD
    with pytest.raises(WrongBundleKey):
        verify_bundle(bundle, tmp_path / "wrong", passphrase=wrong_word)
    with pytest.raises(WrongBundleKey):
        verify_bundle(bundle, tmp_path / "short", passphrase=READ_ALOUD.rsplit(" ", 1)[0])


def test_a_passphrase_not_from_the_list_is_used_exactly_as_typed(tmp_path: Path) -> None:
    """Bundles sealed before the list changed (BIP-39 words) or by hand keep opening with
    exactly their passphrase, and only with it. (Not a bag inside: NotABundle means the
    passphrase fitted.)"""
    old = "Abandon  ability able about above absent absorb"
    path = tmp_path / "old.zip.age"
    with open(path, "wb") as fh:
        writer = agefile.AgeWriter(fh, passphrase=old, scrypt_log_n=10)
        writer.write(b"not a zip")
        writer.close()
    with pytest.raises(NotABundle):
        verify_bundle(path, tmp_path / "exact", passphrase=old)
    with pytest.raises(WrongBundleKey):
        verify_bundle(path, tmp_path / "lower", passphrase=old.lower())


@pytest.mark.parametrize(("typed", "meant"), [
    ("TOMATO lantern", "tomato lantern"),
    ("tomato-lantern,emu.", "tomato lantern emu"),
    ("tomatoes lanterns emus", "tomato lantern emu"),
    ("toma lant", "tomato lantern"),
    ("tom lantern", None),  # too little to know the word
    ("tomato lantern gun", None),  # a word that is not on the list
    ("", None),
])
def test_recognised_words(typed: str, meant: str | None) -> None:
    assert passwords.recognised(typed) == meant
