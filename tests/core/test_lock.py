"""One program at a time per vault."""

from __future__ import annotations

import pytest

from evidence_app.core.errors import VaultBusy
from evidence_app.core.vault import Vault
from tests.cli.util import assert_one_line_error
from tests.helpers import PASSPHRASE, run_cli


def test_second_open_is_refused_until_the_first_locks(vault, tmp_path):
    path = tmp_path / "vault"
    with pytest.raises(VaultBusy):
        Vault.open(path, PASSPHRASE)
    with pytest.raises(VaultBusy):
        Vault.open_with_recovery_key(path, "0000-0000-0000-0000-0000-0000-0000-0000")
    # Another program gets one calm line, and the open vault keeps working.
    assert_one_line_error(run_cli("--vault", str(path), "list"), "already open")
    vault.add_note("still works")
    vault.lock()
    with Vault.open(path, PASSPHRASE) as again:
        assert [n.text for n in again.state.notes.values()] == ["still works"]
    Vault.open(path, PASSPHRASE).lock()


def test_failed_open_releases_the_lock(vault, tmp_path):
    from evidence_app.core.errors import WrongPassphrase

    vault.lock()
    path = tmp_path / "vault"
    with pytest.raises(WrongPassphrase):
        Vault.open(path, "wrong passphrase")
    Vault.open(path, PASSPHRASE).lock()


def test_locked_vault_drops_keys(vault):
    from evidence_app.core.errors import VaultLocked

    vault.lock()
    assert not vault.is_open
    with pytest.raises(VaultLocked):
        vault.add_note("after lock")
    with pytest.raises(VaultLocked):
        vault.signer()
