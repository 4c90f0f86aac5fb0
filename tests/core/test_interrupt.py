"""Ctrl-C at the worst moment of an add: just after its record became durable."""

from __future__ import annotations

import pytest

from evidence_app.core.journal import Journal
from evidence_app.core.vault import Vault
from tests.helpers import PASSPHRASE


def test_interrupt_after_the_record_is_durable_keeps_the_content(vault, tmp_path, monkeypatch):
    src = tmp_path / "evidence.txt"
    src.write_bytes(b"proof" * 1000)

    def interrupted(self, seq, digest):  # Ctrl-C arriving while the head file is updated
        raise KeyboardInterrupt

    monkeypatch.setattr(Journal, "_write_head", interrupted)
    with pytest.raises(KeyboardInterrupt):
        vault.add_file(src)
    monkeypatch.undo()
    vault.lock()
    with Vault.open(tmp_path / "vault", PASSPHRASE) as again:
        # The record was durable, so the item is part of the case, and so is its content.
        assert again.item("1").name == "evidence.txt"
        assert [r.ok for r in again.check()] == [True]


def test_interrupt_before_the_record_leaves_nothing(vault, tmp_path, monkeypatch):
    src = tmp_path / "evidence.txt"
    src.write_bytes(b"proof" * 1000)

    def interrupted(self, rtype, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(Journal, "append", interrupted)
    with pytest.raises(KeyboardInterrupt):
        vault.add_file(src)
    monkeypatch.undo()
    vault.lock()
    with Vault.open(tmp_path / "vault", PASSPHRASE) as again:
        assert again.state.items == {}
        assert again.store is not None
        assert again.store.all_ids() == set()
