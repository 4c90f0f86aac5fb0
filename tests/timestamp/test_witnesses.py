"""Several witnesses of time: one authority down is not a failure, the missing one is asked
later; and a token stays valid after its authority's certificate has expired."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from evidence_app.timestamp import enable, flush_queue, verify_token, waiting
from evidence_app.timestamp.vaultstamps import all_stamps, pending
from tests.timestamp import pki
from tests.timestamp.pki import make_pki
from tests.timestamp.tsa_server import TestTsa


def test_one_authority_down_is_not_a_failure(vault, tsa, tsa_pki, tmp_path) -> None:
    other_pki = make_pki(tmp_path / "pki-b")
    (tmp_path / "work-b").mkdir()
    other = TestTsa(other_pki, tmp_path / "work-b")
    other.start()
    try:
        roots = tsa_pki.root_pem.read_text() + other_pki.root_pem.read_text()
        enable(vault, [tsa.url, other.url], extra_roots_pem=roots, ots=False)
        other.stop()
        item = vault.add_bytes(b"threat", "threat.png", source={"type": "test"})
        result = flush_queue(vault)
        assert result.waiting == []  # the key and the item: each stamped by one authority
        assert {s.tsa_url for s in all_stamps(vault.records)} == {tsa.url}
        assert waiting(vault) == []  # nothing lacks a witness altogether...
        assert {p.sha256 for p in pending(vault)} >= {item.sha256}  # ...but one is missing
        other.start()
        flush_queue(vault)
        urls = {s.tsa_url for s in all_stamps(vault.records) if s.sha256 == item.sha256}
        assert urls == {tsa.url, other.url}
        assert pending(vault) == []
    finally:
        other.stop()


def test_token_stays_valid_after_its_certificate_expires(tmp_path: Path) -> None:
    """Validity is judged at the stamp's time (RFC 3161), not at the time of checking."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    root = pki._cert("Short Root", root_key, None, None, ca=True)
    now = dt.datetime.now(dt.UTC)
    short = pki._cert("Short-lived TSA", tsa_key, root, root_key, ca=False,
                      not_before=now - dt.timedelta(minutes=1),
                      not_after=now + dt.timedelta(seconds=3))
    (tmp_path / "root.pem").write_bytes(pki._pem(root))
    (tmp_path / "tsa.pem").write_bytes(pki._pem(short))
    (tmp_path / "tsa.key").write_bytes(pki._key_pem(tsa_key))
    (tmp_path / "serial").write_text("01\n")
    (tmp_path / "ts.cnf").write_text(f"""[ tsa ]
default_tsa = s
[ s ]
serial = {tmp_path}/serial
crypto_device = builtin
signer_cert = {tmp_path}/tsa.pem
certs = {tmp_path}/root.pem
signer_key = {tmp_path}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
ess_cert_id_alg = sha256
""")
    digest = hashlib.sha256(b"evidence").digest()
    from evidence_app.timestamp.tsp import build_request

    (tmp_path / "q.tsq").write_bytes(build_request(digest).der)
    subprocess.run(["openssl", "ts", "-reply", "-config", str(tmp_path / "ts.cnf"),
                    "-queryfile", str(tmp_path / "q.tsq"), "-out", str(tmp_path / "r.tsr")],
                   check=True, capture_output=True)
    token = (tmp_path / "r.tsr").read_bytes()
    assert verify_token(token, digest, pki._pem(root)).tsa_name == "Short-lived TSA"
    time.sleep(max(0.0, (short.not_valid_after_utc - dt.datetime.now(dt.UTC))
                   .total_seconds()) + 1.5)
    assert dt.datetime.now(dt.UTC) > short.not_valid_after_utc
    info = verify_token(token, digest, pki._pem(root))  # still valid: checked at its time
    assert info.gen_time < short.not_valid_after_utc
