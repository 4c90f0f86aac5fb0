"""The custody log as it goes into a bundle: the whole chain, with unrelated records redacted.

Records about items that are not in the bundle are replaced by {seq, prev, hash, redacted},
so the chain can still be followed from the first record to the last, and the officer learns
nothing about evidence that was not handed over. Full records keep their vault signature.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from evidence_app.core.canonical import canonical_json
from evidence_app.core.journal import GENESIS, Record, record_body, verify_signature
from evidence_app.core.record_types import RecordType

# Records with no item attached that say nothing about unsealed evidence.
_CASE_LEVEL: frozenset[RecordType] = frozenset({
    "vault_created", "case_updated", "passphrase_changed", "opened_with_recovery_key",
    "journal_repaired", "timestamp_settings", "bundle_sealed", "bundle_discarded",
    "recovery_key_replaced",
    "key_change_completed", "rollback_noticed", "header_restored", "header_changed"})


def _about_items(record: Record) -> set[str]:
    data = record.get("data") or {}
    found: set[str] = set()
    if isinstance(data.get("item_id"), str):
        found.add(data["item_id"])
    subject = data.get("subject")
    if isinstance(subject, dict) and isinstance(subject.get("item_id"), str):
        found.add(subject["item_id"])
    return found


def _include(record: Record, item_ids: set[str]) -> bool:
    about = _about_items(record)
    if about:
        return about <= item_ids
    rtype = record.get("type")
    if rtype == "note_added" or rtype == "note_edited":
        return (record.get("data") or {}).get("item_id") is None
    if rtype == "integrity_checked":
        return True
    return rtype in _CASE_LEVEL


# Records about a fingerprint rather than an item: shown when what they stamp is shown.
_STAMP_RECORDS: frozenset[RecordType] = frozenset({"timestamp_obtained", "ots_proof"})


def custody_lines(records: list[Record], item_ids: set[str]) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    shown: set[int] = set()
    for record in records:
        data = record.get("data")
        raw = data.get("subject") if isinstance(data, dict) else None
        subject: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if record.get("type") in _STAMP_RECORDS and subject.get("kind") == "record":
            include = subject.get("seq") in shown
        elif record.get("type") in _STAMP_RECORDS and subject.get("kind") in ("key", "bundle"):
            include = True
        else:
            include = _include(record, item_ids)
        if include:
            shown.add(record["seq"])
            lines.append(record)
        else:
            lines.append({"seq": record["seq"], "prev": record["prev"], "hash": record["hash"],
                          "redacted": True})
    return lines


def check_custody(lines: list[dict[str, Any]], public_key: Ed25519PublicKey) -> str | None:
    """None when the chain holds and every full record is signed; else what failed where."""
    prev: object = GENESIS  # what the next line must name; read from an untrusted bundle
    for expected, line in enumerate(lines, start=1):
        if line.get("seq") != expected:
            return f"record {expected}: sequence"
        if line.get("prev") != prev:
            return f"record {expected}: chain"
        if not line.get("redacted"):
            digest = hashlib.sha256(canonical_json(record_body(line))).hexdigest()
            if digest != line.get("hash"):
                return f"record {expected}: hash"
            if not verify_signature(line, public_key):
                return f"record {expected}: signature"
        prev = line.get("hash")
    return None


def recorded_hashes(lines: list[dict[str, Any]]) -> dict[str, str]:
    """item id -> SHA-256 as signed in the item's item_added record."""
    return {line["data"]["item_id"]: line["data"]["sha256"] for line in lines
            if not line.get("redacted") and line.get("type") == "item_added"}
