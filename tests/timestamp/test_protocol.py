"""RFC 3161 against a real local TSA (openssl ts -reply): what is accepted, what is refused."""

from __future__ import annotations

import hashlib
import socket
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from rfc3161_client import _rust as rfc3161_rust

from evidence_app.core.errors import (
    TimestampError,
    TimestampMismatch,
    TimestampsOff,
    TsaBadResponse,
    TsaCertificateRejected,
    TsaHttpError,
    TsaRefused,
    TsaUnreachable,
)
from evidence_app.timestamp import (
    TimestampSettings,
    openssl_verify_command,
    stamp_digest,
    verify_token,
)
from evidence_app.timestamp.tsp import build_request, embedded_certificates

DATA = b"screenshot of the threat, 23 November\n"
DIGEST = hashlib.sha256(DATA).digest()


def settings_for(tsa, root: Path, **extra) -> TimestampSettings:
    return TimestampSettings(True, (("Test", tsa.url),), root.read_text(), ots=False, **extra)


def test_token_is_verified_and_kept_byte_for_byte(tsa, tsa_pki):
    token = stamp_digest(DIGEST, settings_for(tsa, tsa_pki.root_pem))
    assert token.tsr == tsa.replies[-1]  # the TSA's own bytes, not a re-encoding
    assert token.sha256 == DIGEST.hex()
    assert token.info.tsa_name == "Test TSA"
    assert token.info.gen_time.utcoffset() is not None
    assert token.root_pem == tsa_pki.root_pem.read_bytes()
    sent = rfc3161_rust.parse_timestamp_request(tsa.bodies[-1])
    assert sent.message_imprint.message == DIGEST  # only the fingerprint left the computer
    assert sent.cert_req
    again = verify_token(token.tsr, DIGEST, tsa_pki.root_pem.read_bytes())
    assert (again.serial, again.gen_time) == (token.info.serial, token.info.gen_time)


def test_each_request_has_its_own_nonce(tsa, tsa_pki):
    settings = settings_for(tsa, tsa_pki.root_pem)
    stamp_digest(DIGEST, settings)
    stamp_digest(DIGEST, settings)
    nonces = [rfc3161_rust.parse_timestamp_request(b).nonce for b in tsa.bodies]
    assert len(set(nonces)) == 2


@pytest.mark.parametrize("nonce", [1, 2**63 + 5, 2**64 - 1])
def test_request_encoding_reads_back(nonce):
    request = build_request(DIGEST, nonce=nonce, policy="1.2.840.113549.1.9.16.1.4")
    parsed = rfc3161_rust.parse_timestamp_request(request.der)
    assert parsed.nonce == nonce
    assert parsed.policy.dotted_string == "1.2.840.113549.1.9.16.1.4"


def _run(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, shell=True, capture_output=True, text=True, check=False)


def test_openssl_verifies_the_token(tsa, tsa_pki, tmp_path):
    token = stamp_digest(DIGEST, settings_for(tsa, tsa_pki.root_pem))
    (tmp_path / "item.tsr").write_bytes(token.tsr)
    (tmp_path / "evidence file.txt").write_bytes(DATA)
    (tmp_path / "tsa-chain.pem").write_bytes(b"".join(
        c.public_bytes(Encoding.PEM) for c in embedded_certificates(token.tsr)))
    (tmp_path / "root.pem").write_bytes(token.root_pem)
    for subject in ("evidence file.txt", DIGEST.hex()):
        command = openssl_verify_command("item.tsr", subject, "root.pem", "tsa-chain.pem")
        result = _run(f"cd {tmp_path} && {command}")
        assert "Verification: OK" in result.stdout, result.stderr
    with_time = openssl_verify_command("item.tsr", DIGEST.hex(), "root.pem", "tsa-chain.pem",
                                       at_time=token.info.gen_time)
    assert "-attime" in with_time
    assert "Verification: OK" in _run(f"cd {tmp_path} && {with_time}").stdout
    other = hashlib.sha256(b"something else").hexdigest()
    wrong = openssl_verify_command("item.tsr", other, "root.pem", "tsa-chain.pem")
    assert "Verification: OK" not in _run(f"cd {tmp_path} && {wrong}").stdout


@pytest.mark.parametrize(("mode", "error", "attr", "value"), [
    ("wrong_nonce", TimestampMismatch, "field", "nonce"),
    ("wrong_hash", TimestampMismatch, "field", "hash"),
    ("untrusted", TsaCertificateRejected, "reason", "untrusted"),
    ("expired", TsaCertificateRejected, "reason", "expired"),
    ("tampered", TsaBadResponse, "detail", "signature"),
    ("garbage", TsaBadResponse, "detail", "not an RFC 3161 response"),
    ("http_error", TsaHttpError, "status", 503),
])
def test_misbehaving_tsa_is_refused(tsa, tsa_pki, mode, error, attr, value):
    tsa.mode = mode
    with pytest.raises(error) as caught:
        stamp_digest(DIGEST, settings_for(tsa, tsa_pki.root_pem))
    assert getattr(caught.value, attr) == value
    assert caught.value.url == tsa.url
    assert tsa.requests == 1


def test_root_the_app_does_not_trust_is_refused(tsa, tsa_pki):
    with pytest.raises(TsaCertificateRejected) as caught:
        stamp_digest(DIGEST, settings_for(tsa, tsa_pki.rogue_root_pem))
    assert caught.value.reason == "untrusted"


def test_stored_token_checked_offline(tsa, tsa_pki):
    token = stamp_digest(DIGEST, settings_for(tsa, tsa_pki.root_pem))
    with pytest.raises(TimestampMismatch):
        verify_token(token.tsr, hashlib.sha256(b"other").digest(), tsa_pki.root_pem.read_bytes())
    with pytest.raises(TsaCertificateRejected):
        verify_token(token.tsr, DIGEST, tsa_pki.rogue_root_pem.read_bytes())


def test_policy_is_asked_for_and_checked(tsa, tsa_pki):
    token = stamp_digest(DIGEST, settings_for(tsa, tsa_pki.root_pem, policy="1.2.3.4.5"))
    assert token.info.policy == "1.2.3.4.5"
    with pytest.raises(TsaRefused):
        stamp_digest(DIGEST, settings_for(tsa, tsa_pki.root_pem, policy="1.2.3.9"))


def test_unreachable_and_slow_tsa(tsa, tsa_pki):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings = replace(settings_for(tsa, tsa_pki.root_pem),
                       tsas=(("Closed", f"http://127.0.0.1:{closed}/tsr"),))
    with pytest.raises(TsaUnreachable):
        stamp_digest(DIGEST, settings)
    tsa.mode = "hang"
    with pytest.raises(TsaUnreachable):
        stamp_digest(DIGEST, replace(settings_for(tsa, tsa_pki.root_pem), timeout=0.3))


def test_nothing_is_sent_while_off(tsa, tsa_pki):
    off = replace(settings_for(tsa, tsa_pki.root_pem), enabled=False)
    with pytest.raises(TimestampsOff):
        stamp_digest(DIGEST, off)
    assert tsa.requests == 0


def test_any_damaged_byte_is_refused_or_changes_nothing_signed(tsa, tsa_pki):
    """Flip each byte of a real token: either a typed refusal, or the same signed claim (the
    few bytes outside what the signature covers, such as version numbers)."""
    token = stamp_digest(DIGEST, settings_for(tsa, tsa_pki.root_pem))
    root = tsa_pki.root_pem.read_bytes()
    claim = (token.info.serial, token.info.gen_time, token.info.tsa_name, token.info.policy)
    accepted = 0
    for at in range(len(token.tsr)):
        damaged = token.tsr[:at] + bytes([token.tsr[at] ^ 0x01]) + token.tsr[at + 1:]
        try:
            info = verify_token(damaged, DIGEST, root)
        except TimestampError:
            continue
        accepted += 1
        assert (info.serial, info.gen_time, info.tsa_name, info.policy) == claim
    assert accepted < 20
