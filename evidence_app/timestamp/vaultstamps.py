"""Timestamps in the vault: tokens and proofs as encrypted objects, recorded in the custody log.

Tokens cover fingerprints, not items: one token for a SHA-256 serves every item with that
content. Every custody record that names evidence is stamped: items (their content), notes,
case details, chat imports, changes and withdrawals (the record's hash), the vault's own
signing key, and each sealed bundle. Each fingerprint goes to every chosen authority, plus an
OpenTimestamps proof. What still waits is derived from the journal (fingerprints that no
chosen authority has stamped yet), so there is no queue file to lose or fake.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Final

from cryptography.hazmat.primitives.serialization import Encoding

from evidence_app.core.errors import OtsProofInvalid, TimestampError, VaultLocked
from evidence_app.core.journal import Record
from evidence_app.core.objectstore import ObjectStore
from evidence_app.core.record_types import RecordType
from evidence_app.core.timeutil import utc_iso
from evidence_app.core.vault import Vault
from evidence_app.timestamp import ots
from evidence_app.timestamp.client import Token, stamp_everywhere
from evidence_app.timestamp.settings import TimestampSettings, settings_from_records
from evidence_app.timestamp.tsp import embedded_certificates

log = logging.getLogger(__name__)

OBTAINED_RECORD: Final[RecordType] = "timestamp_obtained"
OTS_RECORD: Final[RecordType] = "ots_proof"
STAMPED_RECORD_TYPES: frozenset[RecordType] = frozenset({
    "note_added", "note_edited", "case_updated", "item_updated", "item_withdrawn",
    "chat_imported", "bundle_sealed"})
KEY_SUBJECT: dict[str, Any] = {"kind": "key"}

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Pending:
    """A fingerprint that some chosen authority has not stamped yet, and what it belongs to."""

    sha256: str
    subject: dict[str, Any]
    have: frozenset[str] = frozenset()  # the authorities (URLs) that already stamped it

    @property
    def stamped(self) -> bool:
        return bool(self.have)


@dataclass(frozen=True)
class Stamp:
    """A token as the custody log records it."""

    seq: int
    sha256: str
    subject: dict[str, Any]
    object_id: str
    root_object_id: str
    root_sha256: str
    tsa: str
    tsa_url: str
    time: str
    serial: str


@dataclass(frozen=True)
class Proof:
    """The latest OpenTimestamps proof recorded for a fingerprint."""

    seq: int
    sha256: str
    subject: dict[str, Any]
    object_id: str
    state: str  # "pending" | "bitcoin"


@dataclass
class FlushResult:
    stamped: list[Stamp] = field(default_factory=list)
    waiting: list[Pending] = field(default_factory=list)
    error: TimestampError | None = None
    proofs: int = 0  # OpenTimestamps proofs obtained or upgraded in this run


@dataclass(frozen=True)
class VaultToken:
    """What a bundle needs for one token: the token and the certificates to build its chain."""

    sha256: str
    subjects: list[dict[str, Any]]
    tsr: bytes
    untrusted_pem: bytes  # the TSA's certificate and chain, as it sent them
    tsa: str
    time: str
    serial: str


@dataclass(frozen=True)
class ItemStamp:
    item_id: str
    name: str
    sha256: str
    state: str  # "stamped" | "waiting" | "off"
    tsa: str = ""
    time: str = ""


def _store(vault: Vault) -> ObjectStore:
    if vault.store is None:
        raise VaultLocked()
    return vault.store


def key_digest(vault: Vault) -> str:
    """SHA-256 of signature/signer.pub as every bundle carries it (`-data signer.pub`)."""
    return hashlib.sha256((vault.public_key_openssh() + "\n").encode("ascii")).hexdigest()


def all_stamps(records: list[Record]) -> list[Stamp]:
    found = []
    for record in records:
        if record.get("type") != OBTAINED_RECORD:
            continue
        d = record["data"]
        root = d.get("root") or {}
        found.append(Stamp(record["seq"], d["sha256"], d.get("subject", {}), d["object_id"],
                           root.get("object_id", ""), root.get("sha256", ""), d.get("tsa", ""),
                           d.get("tsa_url", ""), d.get("time", ""), str(d.get("serial", ""))))
    return found


def recorded_proofs(records: list[Record]) -> dict[str, Proof]:
    """The latest OpenTimestamps proof for each fingerprint (upgrades replace pending ones)."""
    found: dict[str, Proof] = {}
    for record in records:
        if record.get("type") == OTS_RECORD:
            d = record["data"]
            found[d["sha256"]] = Proof(record["seq"], d["sha256"], d.get("subject", {}),
                                       d["object_id"], d.get("state", "pending"))
    return found


def _subjects(vault: Vault) -> list[tuple[str, dict[str, Any]]]:
    """Every fingerprint that should be stamped, in the order it arose."""
    out: list[tuple[str, dict[str, Any]]] = [(key_digest(vault), dict(KEY_SUBJECT))]
    for item in vault.state.items.values():
        out.append((item.sha256, {"kind": "item", "item_id": item.id}))
    for record in vault.records:
        if record.get("type") in STAMPED_RECORD_TYPES:
            out.append((record["hash"], {"kind": "record", "seq": record["seq"],
                                         "type": record["type"]}))
    return out


def pending(vault: Vault, settings: TimestampSettings | None = None) -> list[Pending]:
    """Fingerprints that a chosen authority has not stamped yet; key, items, then records."""
    records = vault.records
    settings = settings or settings_from_records(records)
    by_sha: dict[str, set[str]] = {}
    for stamp in all_stamps(records):
        by_sha.setdefault(stamp.sha256, set()).add(stamp.tsa_url)
    wanted = set(settings.tsa_urls)
    out: list[Pending] = []
    seen: set[str] = set()
    for sha, subject in _subjects(vault):
        if sha in seen:
            continue
        seen.add(sha)
        have = by_sha.get(sha, set())
        if not have or (wanted and not wanted <= have):
            out.append(Pending(sha, subject, frozenset(have)))
    return out


def waiting(vault: Vault) -> list[Pending]:
    """What has no token at all and will be sent at the next chance; nothing while off."""
    settings = settings_from_records(vault.records)
    return [p for p in pending(vault, settings) if not p.stamped] if settings.enabled else []


def record_token(vault: Vault, token: Token, subject: dict[str, Any]) -> Stamp:
    """Store a verified token (and its trust root, once) encrypted, then record it."""
    store = _store(vault)
    root_object = next((s.root_object_id for s in all_stamps(vault.records)
                        if s.root_sha256 == token.info.root_sha256 and s.root_object_id), None)
    created = [store.write_bytes(token.tsr, derived=True).object_id]
    if root_object is None:
        root_object = store.write_bytes(token.root_pem, derived=True).object_id
        created.append(root_object)
    data: dict[str, Any] = {
        "subject": subject, "sha256": token.sha256, "object_id": created[0],
        "root": {"object_id": root_object, "sha256": token.info.root_sha256},
        "tsa": token.info.tsa_name, "tsa_url": token.tsa_url,
        "time": utc_iso(token.info.gen_time), "serial": str(token.info.serial),
        "policy": token.info.policy,
    }
    if subject.get("kind") == "item":
        data["item_id"] = subject["item_id"]  # so it shows in the item's own history
    try:
        record = vault.record(OBTAINED_RECORD, data)
    except BaseException:
        for object_id in created:
            store.remove(object_id)
        raise
    return all_stamps([record])[0]


def record_proof(vault: Vault, sha256: str, proof: bytes, subject: dict[str, Any]) -> Proof:
    """Store an OpenTimestamps proof (a new one, or an upgrade of one already kept)."""
    store = _store(vault)
    status = ots.describe(proof, bytes.fromhex(sha256))
    object_id = store.write_bytes(proof, derived=True).object_id
    data: dict[str, Any] = {"subject": subject, "sha256": sha256, "object_id": object_id,
                            "state": status.state, "calendars": list(status.calendars),
                            "blocks": [list(b) for b in status.blocks]}
    if subject.get("kind") == "item":
        data["item_id"] = subject["item_id"]
    try:
        record = vault.record(OTS_RECORD, data)
    except BaseException:
        store.remove(object_id)
        raise
    return recorded_proofs([record])[sha256]


def stamp_now(vault: Vault, sha256: str, subject: dict[str, Any],
              settings: TimestampSettings | None = None,
              skip: set[str] | None = None, *, have: frozenset[str] | None = None,
              has_proof: bool | None = None) -> list[Stamp]:
    """Every chosen authority (and OpenTimestamps) for one fingerprint, recorded as they come.

    `have` (authorities that already stamped it) and `has_proof` are read from the journal
    when not given; a run over many fingerprints gives them, so it reads the journal once.
    Returns the stamps obtained; raises the first error only when no authority answered.
    """
    settings = settings or settings_from_records(vault.records)
    if have is None:
        have = frozenset(s.tsa_url for s in all_stamps(vault.records) if s.sha256 == sha256)
    if has_proof is None:
        has_proof = sha256 in recorded_proofs(vault.records)
    ask = settings if not have else _without(settings, have)
    witnesses = stamp_everywhere(bytes.fromhex(sha256), ask, skip)
    stamped = [record_token(vault, token, subject) for token in witnesses.tokens]
    if settings.ots and not has_proof:
        _ots_stamp(vault, sha256, subject, settings, skip)
    if not stamped and not have and witnesses.errors:
        raise next(iter(witnesses.errors.values()))
    return stamped


def _without(settings: TimestampSettings, urls: frozenset[str]) -> TimestampSettings:
    return replace(settings, tsas=tuple(t for t in settings.tsas if t[1] not in urls))


def _ots_stamp(vault: Vault, sha256: str, subject: dict[str, Any],
               settings: TimestampSettings, skip: set[str] | None) -> None:
    if skip is not None and "ots" in skip:
        return
    proof = ots.stamp(bytes.fromhex(sha256), settings.calendars, settings.timeout)
    if proof is None:
        if skip is not None:
            skip.add("ots")
        return
    record_proof(vault, sha256, proof, subject)


def upgrade_proofs(vault: Vault, settings: TimestampSettings | None = None,
                   progress: Progress | None = None) -> int:
    """Ask the calendars whether pending proofs are now in a Bitcoin block; count upgrades.

    `progress` is called before each proof, so a caller can stop the run there (the GUI's
    lock raises from it)."""
    settings = settings or settings_from_records(vault.records)
    if not settings.enabled or not settings.ots:
        return 0
    store = _store(vault)
    upgraded = 0
    waiting_proofs = [p for p in recorded_proofs(vault.records).values()
                      if p.state == "pending"]
    for done, proof in enumerate(waiting_proofs):
        if progress is not None:
            progress(done, len(waiting_proofs), proof.sha256)
        try:
            better = ots.upgrade(store.read_bytes(proof.object_id),
                                 settings.timeout,
                                 allowed=(*ots.DEFAULT_ALLOWED, *settings.calendars))
            if better is not None:
                record_proof(vault, proof.sha256, better, proof.subject)
                upgraded += 1
        except OtsProofInvalid:
            log.info("an OpenTimestamps proof could not be upgraded")
    return upgraded


def flush_queue(vault: Vault, settings: TimestampSettings | None = None,
                progress: Progress | None = None) -> FlushResult:
    """Send what waits; an authority that is down is skipped for the rest of the run.

    Call on unlock, after adding, and on "timestamp now". Does nothing while off. What no
    authority stamped keeps waiting; `error` says why the first of those failed.
    """
    settings = settings or settings_from_records(vault.records)
    result = FlushResult()
    if not settings.enabled:
        return result
    queue = pending(vault, settings)
    proofs = set(recorded_proofs(vault.records))
    skip: set[str] = set()
    for done, entry in enumerate(queue):
        if progress is not None:
            progress(done, len(queue), entry.sha256)
        try:
            stamps = stamp_now(vault, entry.sha256, entry.subject, settings, skip,
                               have=entry.have, has_proof=entry.sha256 in proofs)
        except TimestampError as exc:
            result.error = result.error or exc
            stamps = []
        result.stamped += stamps
        if not stamps and not entry.stamped:  # no authority answered (or all were down)
            result.waiting.append(entry)
    if settings.ots and "ots" not in skip:
        result.proofs = upgrade_proofs(vault, settings, progress)
    if progress is not None:
        progress(len(queue), len(queue), "")
    return result


def tokens_for_vault(vault: Vault, digests: set[str] | None = None) -> list[VaultToken]:
    """Every token (for `digests` only, when given), for the bundle's timestamps/ folder."""
    store = _store(vault)
    subjects: dict[str, list[dict[str, Any]]] = {}
    for item in vault.state.items.values():
        subjects.setdefault(item.sha256, []).append({"kind": "item", "item_id": item.id})
    tokens: list[VaultToken] = []
    for stamp in all_stamps(vault.records):
        if digests is not None and stamp.sha256 not in digests:
            continue
        listed = list(subjects.get(stamp.sha256, []))
        if stamp.subject not in listed:
            listed.append(stamp.subject)
        tsr = store.read_bytes(stamp.object_id)
        chain = b"".join(c.public_bytes(Encoding.PEM) for c in embedded_certificates(tsr))
        tokens.append(VaultToken(stamp.sha256, listed, tsr, chain, stamp.tsa, stamp.time,
                                 stamp.serial))
    return tokens


def proofs_for_vault(vault: Vault, digests: set[str]) -> dict[str, bytes]:
    """The latest OpenTimestamps proof of each of `digests` that has one."""
    store = _store(vault)
    return {sha: store.read_bytes(p.object_id)
            for sha, p in recorded_proofs(vault.records).items() if sha in digests}


def item_status(vault: Vault) -> list[ItemStamp]:
    """Per item: stamped (by whom, when), waiting, or off (timestamps not turned on)."""
    records = vault.records
    by_sha: dict[str, list[Stamp]] = {}
    for stamp in all_stamps(records):
        by_sha.setdefault(stamp.sha256, []).append(stamp)
    enabled = settings_from_records(records).enabled
    out: list[ItemStamp] = []
    for item in vault.state.items.values():
        stamps = by_sha.get(item.sha256)
        if stamps:
            out.append(ItemStamp(item.id, item.name, item.sha256, "stamped",
                                 ", ".join(dict.fromkeys(s.tsa for s in stamps)),
                                 stamps[0].time))
        else:
            out.append(ItemStamp(item.id, item.name, item.sha256,
                                 "waiting" if enabled else "off"))
    return out
