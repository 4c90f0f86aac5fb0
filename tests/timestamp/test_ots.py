"""OpenTimestamps proofs against local calendars: stamp, upgrade, describe, hostile proofs."""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from opentimestamps.calendar import DEFAULT_AGGREGATORS, DEFAULT_CALENDAR_WHITELIST
from opentimestamps.core.notary import PendingAttestation
from opentimestamps.core.op import OpAppend, OpSHA1, OpSHA256
from opentimestamps.core.serialize import BytesDeserializationContext, BytesSerializationContext
from opentimestamps.core.timestamp import DetachedTimestampFile, Timestamp

from evidence_app import messages
from evidence_app.core.errors import OtsProofInvalid, TimestampError
from evidence_app.timestamp.ots import (
    DEFAULT_ALLOWED,
    DEFAULT_CALENDARS,
    MAX_PROOF,
    OtsStatus,
    describe,
    ots_info_command,
    ots_verify_command,
    stamp,
    upgrade,
)

DATA = b"screenshot of the threat, 23 November\n"
DIGEST = hashlib.sha256(DATA).digest()
HEADER = DetachedTimestampFile.HEADER_MAGIC + b"\x01\x08" + DIGEST
UNKNOWN_ATTESTATION = b"\x00" + bytes(8) + b"\x00"  # tag 0 (attestation), 8-byte tag, no data
TIMEOUT = 5.0


@pytest.fixture(autouse=True)
def only_local_network(monkeypatch):
    """Nothing here may contact anything but 127.0.0.1: a hostile proof can name any host."""
    real = socket.create_connection
    elsewhere: list[object] = []

    def guarded(address, *args, **kwargs):
        if address[0] != "127.0.0.1":
            elsewhere.append(address)
            raise ConnectionRefusedError("tests stay on 127.0.0.1")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    yield
    assert elsewhere == []


def invalid_reason(proof: bytes, digest: bytes = DIGEST) -> str:
    with pytest.raises(OtsProofInvalid) as caught:
        describe(proof, digest, name="item-1.ots")
    assert caught.value.path_or_name == "item-1.ots"
    return caught.value.reason


def pending_proof(*urls: str) -> bytes:
    """A proof naming calendars by hand (no network): what a hostile bundle could carry."""
    detached = DetachedTimestampFile(OpSHA256(), Timestamp(DIGEST))
    tip = detached.timestamp.ops.add(OpAppend(b"n" * 16)).ops.add(OpSHA256())
    for url in urls:
        tip.attestations.add(PendingAttestation(url))
    return serialize_file(detached)


def serialize_file(detached: DetachedTimestampFile) -> bytes:
    ctx = BytesSerializationContext()
    detached.serialize(ctx)
    return ctx.getbytes()


# --- stamp ---------------------------------------------------------------------------------


def test_two_calendars_give_one_pending_proof(ots_calendars):
    first, second = ots_calendars(), ots_calendars()
    proof = stamp(DIGEST, [first.url, second.url], TIMEOUT)
    assert proof is not None
    assert describe(proof, DIGEST) == OtsStatus("pending", tuple(sorted([first.url,
                                                                        second.url])), ())
    assert (first.requests, second.requests) == (1, 1)


def test_calendars_never_see_the_fingerprint(ots_calendars):
    first, second = ots_calendars(), ots_calendars()
    proof = stamp(DIGEST, [first.url, second.url], TIMEOUT)
    assert proof is not None
    sent = first.posts[0]
    assert sent == second.posts[0]
    assert len(sent) == 32
    assert sent != DIGEST
    # the proof's first step is `ots stamp`'s: append a 16-byte nonce, then SHA-256
    detached = DetachedTimestampFile.deserialize(BytesDeserializationContext(proof))
    (op,) = detached.timestamp.ops
    assert isinstance(op, OpAppend)
    assert len(op[0]) == 16
    assert hashlib.sha256(DIGEST + op[0]).digest() == sent
    # and a fresh nonce each time
    stamp(DIGEST, [first.url], TIMEOUT)
    assert first.posts[1] != sent


def test_one_calendar_down_still_gives_a_proof(ots_calendars):
    down, up = ots_calendars(), ots_calendars()
    down.stop()
    proof = stamp(DIGEST, [down.url, up.url], TIMEOUT)
    assert proof is not None
    assert describe(proof, DIGEST).calendars == (up.url,)


@pytest.mark.parametrize("mode", ["down", "garbage", "http_error"])
def test_no_calendar_answering_gives_none(ots_calendars, mode):
    calendars = [ots_calendars(), ots_calendars()]
    for calendar in calendars:
        if mode == "down":
            calendar.stop()
        else:
            calendar.mode = mode
    assert stamp(DIGEST, [c.url for c in calendars], TIMEOUT) is None
    if mode != "down":
        assert [c.requests for c in calendars] == [1, 1]


def test_a_hanging_calendar_holds_the_caller_only_for_the_timeout(ots_calendars):
    hanging, good = ots_calendars(), ots_calendars()
    hanging.mode = "hang"
    started = time.monotonic()
    proof = stamp(DIGEST, [hanging.url, good.url], 0.5)
    assert time.monotonic() - started < 3
    assert proof is not None
    assert describe(proof, DIGEST).calendars == (good.url,)


def test_odd_calendar_addresses_are_not_contacted(ots_calendars):
    calendar = ots_calendars()
    odd = [f"{calendar.url}/?x=1", f"{calendar.url}/#x", "ftp://127.0.0.1/",
           f"http://user@127.0.0.1:{calendar.port}", "http://127.0.0.1:99999", "file:///etc"]
    assert stamp(DIGEST, odd, TIMEOUT) is None
    assert calendar.requests == 0


def test_stamp_wants_a_sha256_digest():
    with pytest.raises(ValueError, match="32 bytes"):
        stamp(b"short", [], TIMEOUT)


# --- upgrade -------------------------------------------------------------------------------


def test_confirmed_proof_is_upgraded_to_bitcoin(ots_calendars):
    first, second = ots_calendars(), ots_calendars()
    proof = stamp(DIGEST, [first.url, second.url], TIMEOUT)
    assert proof is not None
    allowed = [first.url, second.url]
    assert upgrade(proof, TIMEOUT, allowed) is None  # still pending: nothing changed
    assert (first.requests, second.requests) == (2, 2)

    first.confirm(840_000)
    upgraded = upgrade(proof, TIMEOUT, allowed)
    assert upgraded is not None
    status = describe(upgraded, DIGEST)
    assert status.state == "bitcoin"
    assert status.calendars == tuple(sorted(allowed))  # kept, as `ots upgrade` keeps them
    ((height, root),) = status.blocks
    assert height == 840_000
    assert re.fullmatch(r"[0-9a-f]{64}", root)

    before = first.requests + second.requests
    assert upgrade(upgraded, TIMEOUT, allowed) is None  # complete: nobody is asked again
    assert first.requests + second.requests == before


def test_upgrade_asks_only_allowed_calendars(ots_calendars):
    calendar = ots_calendars()
    proof = stamp(DIGEST, [calendar.url], TIMEOUT)
    assert proof is not None
    calendar.confirm(1)
    before = calendar.requests
    assert upgrade(proof, TIMEOUT, ["https://a.pool.opentimestamps.org", *DEFAULT_ALLOWED]) \
        is None
    assert calendar.requests == before
    # the client's glob patterns work too ("*" in the host)
    upgraded = upgrade(proof, TIMEOUT, ["http://127.0.0.*"])
    assert upgraded is not None
    assert describe(upgraded, DIGEST).state == "bitcoin"


def test_upgrade_ignores_hostile_calendar_addresses(ots_calendars):
    calendar = ots_calendars()
    odd = f"http://127.0.0.1:{calendar.port}0"  # a port above 65535
    proof = pending_proof(odd, "https://alice.btc.calendar.opentimestamps.org")
    assert upgrade(proof, TIMEOUT, [odd]) is None  # nothing contacted, nothing raised
    assert upgrade(proof, TIMEOUT, []) is None
    assert calendar.requests == 0


@pytest.mark.parametrize("mode", ["down", "garbage", "http_error"])
def test_failing_calendar_leaves_the_proof_as_it_was(ots_calendars, mode):
    calendar = ots_calendars()
    proof = stamp(DIGEST, [calendar.url], TIMEOUT)
    assert proof is not None
    calendar.confirm(7)
    if mode == "down":
        calendar.stop()
    else:
        calendar.mode = mode
    assert upgrade(proof, TIMEOUT, [calendar.url]) is None


def test_upgrade_of_a_damaged_proof_is_refused():
    with pytest.raises(OtsProofInvalid):
        upgrade(b"junk", TIMEOUT, DEFAULT_ALLOWED, name="x.ots")


# --- describe: hostile and wrong proofs ----------------------------------------------------


def test_proof_for_other_evidence_is_refused(ots_calendars):
    proof = stamp(DIGEST, [ots_calendars().url], TIMEOUT)
    assert proof is not None
    assert invalid_reason(proof, hashlib.sha256(b"other").digest()) == "other_digest"


def test_garbage_and_truncated_proofs_are_refused(ots_calendars):
    proof = stamp(DIGEST, [ots_calendars().url], TIMEOUT)
    assert proof is not None
    assert invalid_reason(b"") == "not_ots"
    assert invalid_reason(os.urandom(300)) == "not_ots"
    assert invalid_reason(proof[:-5]) == "damaged"
    assert invalid_reason(proof + b"\x00") == "damaged"  # trailing bytes
    sha1 = DetachedTimestampFile(OpSHA1(), Timestamp(hashlib.sha1(DATA).digest()))
    sha1.timestamp.attestations.add(PendingAttestation(ots_calendars().url))
    assert invalid_reason(serialize_file(sha1), sha1.file_digest) == "not_sha256"


def test_proof_over_the_size_limit_is_refused_unread():
    assert invalid_reason(HEADER + b"\x00" * MAX_PROOF) == "too_large"


def test_deeply_nested_proof_is_refused_quickly():
    hostile = HEADER + b"\x08" * 5000 + UNKNOWN_ATTESTATION  # 5,000 nested SHA-256 steps
    started = time.monotonic()
    assert invalid_reason(hostile) == "too_complex"
    assert time.monotonic() - started < 2


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # the library on "reverse"
def test_hugely_branched_proof_cannot_eat_memory():
    # 4 KB messages, copied again by every one of thousands of cheap "reverse" steps: the
    # library alone builds ~280 MB from this 64 KB file.
    grow = b"\xf0\xdf\x1f" + b"A" * 4063  # append 4,063 bytes: a 4,095-byte message
    branch = b"\xf2" * 240 + UNKNOWN_ATTESTATION
    body = b"".join(b"\xff\xf1\x01" + bytes([k]) + branch for k in range(240))
    hostile = HEADER + grow + body + b"\xf2" + UNKNOWN_ATTESTATION
    assert len(hostile) <= MAX_PROOF
    tracemalloc.start()
    started = time.monotonic()
    try:
        assert invalid_reason(hostile) == "too_complex"
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40_000_000
    assert time.monotonic() - started < 10


def test_impossible_bitcoin_attestation_is_refused():
    # a 40-byte message cannot be a block's merkle root
    bitcoin = b"\x00" + bytes.fromhex("0588960d73d71901") + b"\x01\x07"
    assert invalid_reason(HEADER + b"\xf0\x08" + b"x" * 8 + bitcoin) == "bad_attestation"


def test_refusal_is_a_timestamp_error_with_a_sentence():
    exc = OtsProofInvalid("data/evidence/a.png.ots", "other_digest")
    assert isinstance(exc, TimestampError)
    assert exc.url == ""
    sentence = messages.describe(exc)
    assert "a.png.ots" in sentence
    assert "different fingerprint" in sentence
    assert "other_digest" not in sentence  # words, never the code
    assert "did not expect" not in sentence


# --- constants and commands ----------------------------------------------------------------


def test_defaults_are_the_official_clients():
    assert DEFAULT_CALENDARS == tuple(DEFAULT_AGGREGATORS)
    patterns = {url.geturl() for url in DEFAULT_CALENDAR_WHITELIST}
    assert set(DEFAULT_ALLOWED) == set(DEFAULT_CALENDARS) | patterns


def test_commands_are_quoted():
    assert ots_info_command("timestamps/item 1.ots") == "ots info 'timestamps/item 1.ots'"
    assert ots_verify_command("p.ots", "data/evidence/a b.png") == \
        "ots verify -f 'data/evidence/a b.png' p.ots"
    assert ots_verify_command("p.ots", DIGEST.hex().upper()) == \
        f"ots verify -d {DIGEST.hex()} p.ots"


def _ots() -> Path:
    ots = Path(sys.executable).with_name("ots")
    if not ots.is_file():
        pytest.skip("opentimestamps-client (ots) is not installed")
    return ots


def run_ots(tmp_path: Path, command: str) -> str:
    args = shlex.split(command)
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run([str(_ots()), "--no-cache", *args[1:]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    return done.stdout + done.stderr


def test_ots_info_reads_our_proofs(ots_calendars, tmp_path):
    """The standard tool reads what we write: pending calendars, then block and root."""
    _ots()
    calendar = ots_calendars()
    proof = stamp(DIGEST, [calendar.url], TIMEOUT)
    assert proof is not None
    (tmp_path / "item 1.ots").write_bytes(proof)
    shown = run_ots(tmp_path, ots_info_command("item 1.ots"))
    assert f"File sha256 hash: {DIGEST.hex()}" in shown
    assert f"PendingAttestation('{calendar.url}')" in shown

    calendar.confirm(840_000)
    upgraded = upgrade(proof, TIMEOUT, [calendar.url])
    assert upgraded is not None
    (tmp_path / "item 1.ots").write_bytes(upgraded)
    shown = run_ots(tmp_path, ots_info_command("item 1.ots"))
    ((height, root),) = describe(upgraded, DIGEST).blocks
    assert f"BitcoinBlockHeaderAttestation({height})" in shown
    assert f"# Bitcoin block merkle root {root}" in shown

    # verify without a Bitcoin node: it names the block and root to look up by hand
    (tmp_path / "item 1").write_bytes(DATA)
    verify = ots_verify_command("item 1.ots", "item 1").replace("ots verify",
                                                                 "ots --no-bitcoin verify")
    shown = run_ots(tmp_path, verify)
    assert f"check that Bitcoin block {height} has merkleroot {root}" in shown


def test_module_is_qt_free():
    code = ("import sys, evidence_app.timestamp.ots; "
            "sys.exit(any(m.startswith('PySide6') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
