"""OpenTimestamps proofs: a second, independent witness of time beside RFC 3161 tokens.

Qt-free. An .ots proof links a SHA-256 fingerprint, by hash operations anyone can redo, to a
Bitcoin block header; no key or authority has to be trusted, only the block chain. It starts
"pending" (public calendars promise to put it in a block within hours) and is upgraded later.

The file format, the operations and their limits are the `opentimestamps` library's
(python-opentimestamps, the code behind the official `ots` client); this module adds what
hostile input and a victim's privacy need: size and complexity limits when reading, a
random nonce so calendars never see the evidence's fingerprint, a whitelist of calendars,
and one time limit for all network work.
"""

from __future__ import annotations

import http.client
import logging
import queue
import re
import secrets
import shlex
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

import certifi
from opentimestamps.calendar import UrlWhitelist
from opentimestamps.core.notary import (
    BitcoinBlockHeaderAttestation,
    PendingAttestation,
    TimeAttestation,
)
from opentimestamps.core.op import OpAppend, OpSHA256
from opentimestamps.core.serialize import (
    BadMagicError,
    BytesDeserializationContext,
    BytesSerializationContext,
    DeserializationError,
    RecursionLimitError,
    UnsupportedMajorVersion,
)
from opentimestamps.core.timestamp import DetachedTimestampFile, Timestamp

from evidence_app import __version__
from evidence_app.core.errors import OtsProofInvalid

log = logging.getLogger(__name__)

DEFAULT_CALENDARS: tuple[str, ...] = (
    "https://a.pool.opentimestamps.org",
    "https://b.pool.opentimestamps.org",
    "https://a.pool.eternitywall.com",
    "https://ots.btc.catallaxy.com",
)
"""Where `ots stamp` submits when no calendar is named (opentimestamps-client 0.7.2)."""

DEFAULT_ALLOWED: tuple[str, ...] = (
    *DEFAULT_CALENDARS,
    "https://*.calendar.catallaxy.com",
    "https://*.calendar.eternitywall.com",
    "https://*.calendar.opentimestamps.org",
)
"""Calendars `upgrade` may ask: the pools above plus the `ots` client's default whitelist.

The pools answer with pending attestations that name the calendars behind them (e.g.
https://alice.btc.calendar.opentimestamps.org), not themselves, so the whitelist's
patterns (a "*" matches any host name part) are what let real proofs be upgraded.
"""

MAX_PROOF = 64 * 1024
"""Largest proof read; real ones are 0.2-10 KB, so anything larger is refused."""

_MAX_READS = 4096
"""Reads allowed while parsing one proof or answer. Every node of the proof tree costs at
least one and holds at most 4 KB, so this caps memory near 20 MB; without it a 64 KB file
can make the library build 280 MB. A complete proof from four calendars needs about 800."""

_MAX_ANSWER = 10_000
"""Largest calendar answer read, the limit the library's own RemoteCalendar uses."""

_NONCE_BYTES = 16  # as `ots stamp`: append 16 random bytes, then SHA-256
_MAX_HEIGHT = 2**32  # a Bitcoin block height is a 32-bit number; anything else is forged

_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._/-]*)?")
_PATTERN = re.compile(r"https?://[A-Za-z0-9.*-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._/-]*)?")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class OtsStatus:
    """What a proof says, read offline (nothing here has been checked against Bitcoin).

    state: "bitcoin" when the proof reaches at least one Bitcoin block header attestation,
    else "pending" (calendars promised one; `upgrade` fetches it once it is in a block).
    calendars: the URLs of the pending attestations, as written in the proof.
    blocks: (height, merkle root) for each Bitcoin attestation. The root is in the byte order
    block explorers and `bitcoin-cli getblockheader` show (the reverse of the raw bytes the
    proof computes, which `ots verify` compares with the header's hashMerkleRoot as stored),
    the same hex `ots info` prints as "# Bitcoin block merkle root", so an officer can compare
    it with any explorer's page for that block.
    """

    state: str
    calendars: tuple[str, ...]
    blocks: tuple[tuple[int, str], ...]


class _TooComplex(DeserializationError):  # type: ignore[misc]  # the library has no types
    """More reads than any real proof needs."""


class _BoundedContext(BytesDeserializationContext):  # type: ignore[misc]  # (no types)
    """The library's reader, counting reads so a hostile proof cannot build a huge tree."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self._left = _MAX_READS

    def fd_read(self, length: int) -> bytes:
        self._left -= 1
        if self._left < 0:
            raise _TooComplex("proof too complex")
        data: bytes = super().fd_read(length)
        return data


# --- reading -------------------------------------------------------------------------------


def describe(proof: bytes, digest: bytes, *, name: str = "") -> OtsStatus:
    """Read a proof (bounded) and say what it attests for exactly `digest`.

    Raises OtsProofInvalid (with `name`, e.g. the file's name) when the proof cannot be read
    or is not a SHA-256 proof for `digest`: a proof for other data must never look valid.
    """
    detached = _parse(proof, name)
    if detached.file_digest != digest:
        raise OtsProofInvalid(name, "other_digest")
    calendars: set[str] = set()
    blocks: set[tuple[int, str]] = set()
    for node in _walk(detached.timestamp):
        for attestation in node.attestations:
            if isinstance(attestation, PendingAttestation):
                calendars.add(attestation.uri)
            elif isinstance(attestation, BitcoinBlockHeaderAttestation):
                if len(node.msg) != 32 or not 0 <= attestation.height < _MAX_HEIGHT:
                    raise OtsProofInvalid(name, "bad_attestation")
                blocks.add((attestation.height, node.msg[::-1].hex()))
    return OtsStatus("bitcoin" if blocks else "pending", tuple(sorted(calendars)),
                     tuple(sorted(blocks)))


def _parse(proof: bytes, name: str) -> DetachedTimestampFile:
    """The library's DetachedTimestampFile, read within MAX_PROOF and _MAX_READS."""
    if len(proof) > MAX_PROOF:
        raise OtsProofInvalid(name, "too_large")
    try:
        detached = DetachedTimestampFile.deserialize(_BoundedContext(proof))
    except (_TooComplex, RecursionLimitError, RecursionError):
        # the library stops at 256 levels; RecursionError only if the caller's stack is deep
        raise OtsProofInvalid(name, "too_complex") from None
    except (BadMagicError, UnsupportedMajorVersion):
        raise OtsProofInvalid(name, "not_ots") from None
    except (DeserializationError, ValueError):
        raise OtsProofInvalid(name, "damaged") from None
    if not isinstance(detached.file_hash_op, OpSHA256):
        raise OtsProofInvalid(name, "not_sha256")
    return detached


def _walk(root: Timestamp) -> Iterator[Timestamp]:
    """Every node of a proof tree, without recursion."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.ops.values())


def _attestations(root: Timestamp) -> set[TimeAttestation]:
    return {attestation for node in _walk(root) for attestation in node.attestations}


def _serialize(detached: DetachedTimestampFile) -> bytes:
    ctx = BytesSerializationContext()
    detached.serialize(ctx)
    data: bytes = ctx.getbytes()
    return data


def _read_answer(body: bytes, commitment: bytes) -> Timestamp | None:
    """A calendar's answer: a timestamp for `commitment`, or None if it is not a sound one."""
    if len(body) > _MAX_ANSWER:
        return None
    ctx = _BoundedContext(body)
    try:
        answer: Timestamp = Timestamp.deserialize(ctx, commitment)
        ctx.assert_eof()
    except (DeserializationError, ValueError, RecursionError):
        return None
    return answer


def _with_answer(detached: DetachedTimestampFile, commitment: bytes,
                 answer: Timestamp) -> bytes | None:
    """Merge an answer where the proof reaches `commitment`; the new bytes if still sound.

    The result is read back under the same limits as any proof, so an answer that would
    make our own proof unreadable (too large, too complex) is dropped, not stored.
    """
    node = next((n for n in _walk(detached.timestamp) if n.msg == commitment), None)
    if node is None:
        return None
    node.merge(answer)
    proof = _serialize(detached)
    try:
        _parse(proof, "")
    except OtsProofInvalid as exc:
        log.debug("calendar answer dropped: %s", exc.reason)
        return None
    return proof


# --- network -------------------------------------------------------------------------------


def stamp(digest: bytes, calendars: Sequence[str], timeout: float) -> bytes | None:
    """Submit a SHA-256 fingerprint to calendars; the .ots proof bytes, or None if none answered.

    As `ots stamp` does, 16 random bytes are appended and the result hashed again before
    anything is sent, so a calendar (and anyone reading its public log) never sees the
    evidence's own fingerprint. All calendars are asked at once; the call returns after
    about `timeout` seconds at most. A calendar that fails is skipped; it is not an error.
    """
    if len(digest) != 32:
        raise ValueError("a SHA-256 digest is 32 bytes")
    nonce = secrets.token_bytes(_NONCE_BYTES)
    commitment = OpSHA256()(OpAppend(nonce)(digest))
    urls = [url for url in dict.fromkeys(calendars) if _safe_url(url)]
    bodies = _ask_all([(urljoin(url, "digest"), commitment) for url in urls], timeout)
    proof: bytes | None = None
    for url, body in zip(urls, bodies, strict=True):
        answer = _read_answer(body, commitment) if body is not None else None
        if answer is None:
            log.info("OpenTimestamps calendar gave no usable answer: %s", url)
            continue
        base = _parse(proof, "") if proof is not None else _new_proof(digest, nonce)
        proof = _with_answer(base, commitment, answer) or proof
    return proof


def _new_proof(digest: bytes, nonce: bytes) -> DetachedTimestampFile:
    """digest -> append nonce -> sha256: the start `ots stamp` writes for one file."""
    detached = DetachedTimestampFile(OpSHA256(), Timestamp(digest))
    detached.timestamp.ops.add(OpAppend(nonce)).ops.add(OpSHA256())
    return detached


def upgrade(proof: bytes, timeout: float, allowed: Sequence[str], *,
            name: str = "") -> bytes | None:
    """Ask the calendars of pending attestations for the Bitcoin part; new bytes, or None.

    Only calendars matched by `allowed` are contacted (base URLs, or patterns with "*" in
    the host as in DEFAULT_ALLOWED): a proof may come from anyone and name any address.
    A proof that already reaches Bitcoin is left as it is, as `ots upgrade` does. Calendars
    that fail, or still say pending, leave the proof unchanged. Raises OtsProofInvalid if
    `proof` cannot be read.
    """
    detached = _parse(proof, name)
    known = _attestations(detached.timestamp)
    if any(isinstance(a, BitcoinBlockHeaderAttestation) for a in known):
        return None
    whitelist = _whitelist(allowed)
    asks = list(dict.fromkeys(
        (attestation.uri, node.msg)
        for node in _walk(detached.timestamp)
        for attestation in node.attestations
        if isinstance(attestation, PendingAttestation) and _is_allowed(attestation.uri,
                                                                        whitelist)))
    bodies = _ask_all([(urljoin(url, "timestamp/" + commitment.hex()), None)
                       for url, commitment in asks], timeout)
    current = proof
    for (url, commitment), body in zip(asks, bodies, strict=True):
        answer = _read_answer(body, commitment) if body is not None else None
        if answer is None or not _attestations(answer) - known:
            continue
        upgraded = _with_answer(_parse(current, name), commitment, answer)
        if upgraded is not None:
            log.info("OpenTimestamps calendar upgraded a proof: %s", url)
            current = upgraded
            known |= _attestations(answer)
    return current if current != proof else None


def _safe_url(url: str) -> bool:
    """http(s)://host[:port][/path] with plain characters only: nothing else is contacted."""
    if len(url) > PendingAttestation.MAX_URI_LENGTH or not _URL.fullmatch(url):
        return False
    try:
        port = urlparse(url).port  # ValueError above 65535
    except ValueError:
        return False
    return port is None or port > 0


def _whitelist(allowed: Sequence[str]) -> UrlWhitelist:
    """The library's glob whitelist (the `ots` client's mechanism) of the usable entries."""
    whitelist = UrlWhitelist()
    for entry in allowed:
        if len(entry) <= PendingAttestation.MAX_URI_LENGTH and _PATTERN.fullmatch(entry):
            whitelist.add(entry.rstrip("/"))
    return whitelist


def _is_allowed(url: str, whitelist: UrlWhitelist) -> bool:
    return _safe_url(url) and url.rstrip("/") in whitelist


def _ask_all(requests: Sequence[tuple[str, bytes | None]], timeout: float) -> list[bytes | None]:
    """Send every request at once, each in its own thread; wait about `timeout` in all.

    Answers that have not arrived by then count as failures. Their daemon threads end at
    their own socket time limit, so a slow or hostile server cannot hold the caller.
    """
    results: list[bytes | None] = [None] * len(requests)
    done: queue.Queue[tuple[int, bytes | None]] = queue.Queue()
    for index, (url, data) in enumerate(requests):
        threading.Thread(target=_ask_one, args=(index, url, data, timeout, done),
                         name="ots-calendar", daemon=True).start()
    deadline = time.monotonic() + timeout
    for _ in requests:
        try:
            index, body = done.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        results[index] = body
    return results


def _ask_one(index: int, url: str, data: bytes | None, timeout: float,
             done: queue.Queue[tuple[int, bytes | None]]) -> None:
    done.put((index, _http(url, data, timeout)))


def _http(url: str, data: bytes | None, timeout: float) -> bytes | None:
    """POST `data` (or GET); the body of a 200 answer, None for anything else.

    A 404 is how a calendar says "not in a block yet"; other failures are the calendar's
    trouble and only logged.
    """
    request = urllib.request.Request(  # noqa: S310 - the URL was checked by _safe_url
        url, data=data, method="GET" if data is None else "POST",
        headers={"Accept": "application/vnd.opentimestamps.v1",
                 "User-Agent": f"evidence-app/{__version__}"})
    context = (ssl.create_default_context(cafile=certifi.where())
               if url.startswith("https:") else None)
    try:
        with urllib.request.urlopen(  # noqa: S310
                request, timeout=timeout, context=context) as answer:
            if answer.status != 200:
                return None
            body: bytes = answer.read(_MAX_ANSWER + 1)
    except urllib.error.HTTPError as exc:
        log.debug("OpenTimestamps calendar answered HTTP %s", exc.code)
        return None
    except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException,
            OSError, ValueError) as exc:
        log.debug("OpenTimestamps calendar unreachable: %s", type(exc).__name__)
        return None
    return body if len(body) <= _MAX_ANSWER else None


# --- by hand -------------------------------------------------------------------------------


def ots_info_command(proof_file: str) -> str:
    """`ots info`: prints the proof's tree offline (pending calendars, block and merkle root)."""
    return " ".join(shlex.quote(a) for a in ("ots", "info", proof_file))


def ots_verify_command(proof_file: str, data_file: str) -> str:
    """`ots verify` for a proof against a file, or against its SHA-256 hex (64 digits: -d).

    It needs a Bitcoin Core node (bitcoin.conf, or --bitcoin-node URL) to read the block
    header; with --no-bitcoin it only names the block and merkle root to look up by hand.
    """
    subject = ("-d", data_file.lower()) if _HEX64.fullmatch(data_file) else ("-f", data_file)
    return " ".join(shlex.quote(a) for a in ("ots", "verify", *subject, proof_file))
