"""Timestamps in the vault: consent, tokens as encrypted objects, the queue from the journal."""

from __future__ import annotations

import hashlib
import subprocess

import pytest

from evidence_app.core.errors import TsaAddressInvalid, TsaNoTrustRoot
from evidence_app.core.vault import Vault
from evidence_app.timestamp import (
    current_settings,
    disable,
    enable,
    flush_queue,
    item_status,
    openssl_verify_command,
    tokens_for_vault,
    verify_token,
    waiting,
)
from evidence_app.timestamp.vaultstamps import key_digest
from tests.helpers import PASSPHRASE


def obtained(vault: Vault) -> list[dict]:
    return [r["data"] for r in vault.records if r["type"] == "timestamp_obtained"]


def test_off_by_default_and_nothing_sent(vault, tsa):
    vault.add_bytes(b"photo", "a.jpg", source={"type": "test"})
    assert not current_settings(vault).enabled
    assert waiting(vault) == []
    assert flush_queue(vault).stamped == []
    assert [s.state for s in item_status(vault)] == ["off"]
    assert tsa.requests == 0


def test_enable_needs_a_trust_root_and_a_real_address(vault):
    with pytest.raises(TsaNoTrustRoot):
        enable(vault, "http://127.0.0.1:9/tsr")
    with pytest.raises(TsaNoTrustRoot):
        enable(vault, "freetsa")  # its root is not shipped
    with pytest.raises(TsaAddressInvalid):
        enable(vault, "file:///etc/passwd")
    settings = enable(vault, "digicert")  # root from the shipped, reviewed file
    assert settings.tsa_urls == ("http://timestamp.digicert.com",)
    assert settings.trust_roots()
    assert not [r for r in vault.records if r["type"] == "timestamp_obtained"]


def test_items_notes_and_case_changes_are_stamped(vault, tsa, tsa_pki):
    first = vault.add_bytes(b"chat screenshot", "a.png", source={"type": "test"})
    twin = vault.add_bytes(b"chat screenshot", "copy.png", source={"type": "test"})
    vault.add_note("he asked for money", item_id=first.id)
    vault.update_case({"statement": "what happened"})
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(), ots=False)
    # the vault's key, one fingerprint for both copies, the note, the case
    assert len(waiting(vault)) == 4
    result = flush_queue(vault)
    assert result.error is None
    assert result.waiting == []
    assert len(result.stamped) == 4 == tsa.requests
    assert {s.state for s in item_status(vault)} == {"stamped"}
    kinds = sorted(d["subject"]["kind"] for d in obtained(vault))
    assert kinds == ["item", "key", "record", "record"]
    item_record = next(d for d in obtained(vault) if d["subject"]["kind"] == "item")
    assert item_record["item_id"] == first.id
    assert item_record["object_id"]
    assert item_record["time"].endswith("Z")
    assert item_record["tsa"] == "Test TSA"
    tokens = {t.sha256: t for t in tokens_for_vault(vault)}
    token = tokens[first.sha256]
    assert {s["item_id"] for s in token.subjects} == {first.id, twin.id}
    info = verify_token(token.tsr, bytes.fromhex(first.sha256), tsa_pki.root_pem.read_bytes())
    assert info.tsa_name == "Test TSA"
    assert flush_queue(vault).stamped == []  # nothing left: nothing more is sent
    assert tsa.requests == 4


def test_tokens_are_encrypted_and_survive_reopening(vault, tsa, tsa_pki):
    vault.add_bytes(b"receipt", "r.pdf", source={"type": "test"})
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(), ots=False)
    flush_queue(vault)
    token = tokens_for_vault(vault)[0]
    path = vault.path
    raw = b"".join(p.read_bytes() for p in (path / "objects").rglob("*") if p.is_file())
    assert token.tsr[-64:] not in raw  # the signature bytes are nowhere in plaintext
    vault.lock()
    reopened = Vault.open(path, PASSPHRASE)
    try:
        assert reopened.notices == []  # the orphan sweep kept the token and its root
        assert tokens_for_vault(reopened)[0].tsr == token.tsr
    finally:
        reopened.lock()


def test_queue_waits_while_tsa_is_down_then_flushes(vault, tsa, tsa_pki):
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(), ots=False)
    tsa.stop()
    item = vault.add_bytes(b"video", "v.mp4", source={"type": "test"})
    result = flush_queue(vault)
    assert result.error is not None
    assert type(result.error).__name__ == "TsaUnreachable"
    assert [w.sha256 for w in result.waiting] == [key_digest(vault), item.sha256]
    assert tsa.requests == 0  # found down once: not asked again for the item in that run
    assert obtained(vault) == []
    assert [s.state for s in item_status(vault)] == ["waiting"]
    tsa.start()
    assert len(flush_queue(vault).stamped) == 2
    assert waiting(vault) == []


@pytest.mark.parametrize("mode", ["wrong_nonce", "wrong_hash", "untrusted", "tampered"])
def test_nothing_stored_from_a_bad_answer(vault, tsa, tsa_pki, mode):
    vault.add_bytes(b"evidence", "e.txt", source={"type": "test"})
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(), ots=False)
    objects_before = vault.store.all_ids()
    tsa.mode = mode
    result = flush_queue(vault)
    assert result.error is not None
    assert len(result.waiting) == 2  # the item and the vault's key
    assert obtained(vault) == []
    assert vault.store.all_ids() == objects_before


def test_disable_stops_sending(vault, tsa, tsa_pki):
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(), ots=False)
    disable(vault)
    vault.add_bytes(b"later", "l.txt", source={"type": "test"})
    assert flush_queue(vault).stamped == []
    assert waiting(vault) == []
    assert tsa.requests == 0
    assert current_settings(vault).tsa_urls == (tsa.url,)  # kept for turning it on again


def test_openssl_verifies_a_stored_token_against_the_exported_item(vault, tsa, tsa_pki,
                                                                    tmp_path):
    data = b"bank transfer receipt"
    item = vault.add_bytes(data, "receipt.txt", source={"type": "test"})
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(), ots=False)
    flush_queue(vault)
    token = next(t for t in tokens_for_vault(vault) if t.sha256 == item.sha256)
    exported = vault.export_item(item.id, tmp_path)
    assert hashlib.sha256(exported.read_bytes()).hexdigest() == token.sha256
    (tmp_path / f"{token.sha256}.tsr").write_bytes(token.tsr)
    (tmp_path / "tsa-certs.pem").write_bytes(token.untrusted_pem)
    (tmp_path / "tsa-root.pem").write_bytes(tsa_pki.root_pem.read_bytes())
    command = openssl_verify_command(f"{token.sha256}.tsr", exported.name, "tsa-root.pem",
                                     "tsa-certs.pem")
    result = subprocess.run(f"cd {tmp_path} && {command}", shell=True, capture_output=True,
                            text=True, check=False)
    assert "Verification: OK" in result.stdout, result.stderr
