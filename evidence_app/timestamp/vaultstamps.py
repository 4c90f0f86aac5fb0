"""Timestamps in the vault: tokens as encrypted objects, recorded in the custody log.

Tokens cover fingerprints, not items: one token for a SHA-256 serves every item with that
content. What still waits is derived from the journal (fingerprints of items and of note /
case-detail records that have no token yet), so there is no queue file to lose or fake.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding

from evidence_app.core.errors import TimestampError, VaultLocked
from evidence_app.core.journal import Record
from evidence_app.core.objectstore import ObjectStore
from evidence_app.core.timeutil import utc_iso
from evidence_app.core.vault import Vault
from evidence_app.timestamp.client import Token, stamp_digest
from evidence_app.timestamp.settings import TimestampSettings, settings_from_records
from evidence_app.timestamp.tsp import embedded_certificates

OBTAINED_RECORD = "timestamp_obtained"
STAMPED_RECORD_TYPES = frozenset({"note_added", "note_edited", "case_updated"})

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Pending:
    """A fingerprint without a token, and what it belongs to."""

    sha256: str
    subject: dict[str, Any]


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


@dataclass
class FlushResult:
    stamped: list[Stamp] = field(default_factory=list)
    waiting: list[Pending] = field(default_factory=list)
    error: TimestampError | None = None


@dataclass(frozen=True)
class VaultToken:
    """What a bundle needs for one fingerprint: the token and the certificates to check it."""

    sha256: str
    subjects: list[dict[str, Any]]
    tsr: bytes
    untrusted_pem: bytes  # the TSA's certificate and chain, as it sent them
    root_pem: bytes  # the trust root the token was verified against
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


def recorded_stamps(records: list[Record]) -> dict[str, Stamp]:
    """The first token recorded for each fingerprint."""
    found: dict[str, Stamp] = {}
    for record in records:
        if record.get("type") != OBTAINED_RECORD:
            continue
        d = record["data"]
        found.setdefault(d["sha256"], Stamp(
            record["seq"], d["sha256"], d.get("subject", {}), d["object_id"],
            (d.get("root") or {}).get("object_id", ""), (d.get("root") or {}).get("sha256", ""),
            d.get("tsa", ""),
            d.get("tsa_url", ""), d.get("time", ""), str(d.get("serial", ""))))
    return found


def pending(vault: Vault) -> list[Pending]:
    """Every fingerprint that has no token yet, items first, in the order they were added."""
    records = vault.records
    have = set(recorded_stamps(records))
    out: list[Pending] = []
    for item in vault.state.items.values():
        if item.sha256 not in have:
            have.add(item.sha256)
            out.append(Pending(item.sha256, {"kind": "item", "item_id": item.id}))
    for record in records:
        if record.get("type") in STAMPED_RECORD_TYPES and record["hash"] not in have:
            have.add(record["hash"])
            out.append(Pending(record["hash"], {"kind": "record", "seq": record["seq"],
                                                "type": record["type"]}))
    return out


def waiting(vault: Vault) -> list[Pending]:
    """What will be sent at the next chance; nothing while timestamps are off."""
    return pending(vault) if settings_from_records(vault.records).enabled else []


def record_token(vault: Vault, token: Token, subject: dict[str, Any]) -> Stamp:
    """Store a verified token (and its trust root, once) encrypted, then record it."""
    store = _store(vault)
    root_object = next((s.root_object_id for s in recorded_stamps(vault.records).values()
                        if s.root_sha256 == token.info.root_sha256 and s.root_object_id), None)
    created = [store.write_bytes(token.tsr).object_id]
    if root_object is None:
        root_object = store.write_bytes(token.root_pem).object_id
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
    return recorded_stamps([record])[token.sha256]


def flush_queue(vault: Vault, settings: TimestampSettings | None = None,
                progress: Progress | None = None) -> FlushResult:
    """Send what waits, one by one; stop at the first failure (the rest keep waiting).

    Call on unlock, after adding, and on "timestamp now". Does nothing while off.
    """
    settings = settings or settings_from_records(vault.records)
    result = FlushResult()
    if not settings.enabled:
        return result
    queue = pending(vault)
    for done, entry in enumerate(queue):
        if progress is not None:
            progress(done, len(queue), entry.sha256)
        try:
            token = stamp_digest(bytes.fromhex(entry.sha256), settings)
        except TimestampError as exc:
            result.error = exc
            result.waiting = queue[done:]
            return result
        result.stamped.append(record_token(vault, token, entry.subject))
    if progress is not None:
        progress(len(queue), len(queue), "")
    return result


def tokens_for_vault(vault: Vault) -> list[VaultToken]:
    """Each fingerprint's token bytes and certificates, for the bundle's timestamps/ folder."""
    store = _store(vault)
    stamps = recorded_stamps(vault.records)
    subjects: dict[str, list[dict[str, Any]]] = {sha: [] for sha in stamps}
    for item in vault.state.items.values():
        if item.sha256 in subjects:
            subjects[item.sha256].append({"kind": "item", "item_id": item.id})
    tokens: list[VaultToken] = []
    for sha, stamp in stamps.items():
        listed = subjects[sha] or [stamp.subject]
        if stamp.subject not in listed:
            listed.append(stamp.subject)
        tsr = store.read_bytes(stamp.object_id)
        chain = b"".join(c.public_bytes(Encoding.PEM) for c in embedded_certificates(tsr))
        root = store.read_bytes(stamp.root_object_id) if stamp.root_object_id else b""
        tokens.append(VaultToken(sha, listed, tsr, chain, root, stamp.tsa, stamp.time,
                                 stamp.serial))
    return tokens


def item_status(vault: Vault) -> list[ItemStamp]:
    """Per item: stamped (by whom, when), waiting, or off (timestamps not turned on)."""
    records = vault.records
    stamps = recorded_stamps(records)
    enabled = settings_from_records(records).enabled
    out: list[ItemStamp] = []
    for item in vault.state.items.values():
        stamp = stamps.get(item.sha256)
        if stamp is not None:
            out.append(ItemStamp(item.id, item.name, item.sha256, "stamped", stamp.tsa,
                                 stamp.time))
        else:
            out.append(ItemStamp(item.id, item.name, item.sha256,
                                 "waiting" if enabled else "off"))
    return out
