"""Custody-log records in words, for the CLI, the GUI and the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evidence_app.case_fields import case_field
from evidence_app.i18n import _

Record = dict[str, Any]


def _short(sha: str) -> str:
    return sha[:16] + "…" if sha else ""


_DESCRIBE: dict[str, Callable[[dict[str, Any]], str]] = {
    "vault_created": lambda d: _("Vault created"),
    "item_added": lambda d: _("Item {item} added: {name} (SHA-256 {sha})").format(
        item=d.get("item_id"), name=d.get("name"), sha=_short(d.get("sha256", ""))),
    "note_added": lambda d: (
        _("Note {note} added to item {item}").format(note=d.get("note_id"), item=d["item_id"])
        if d.get("item_id") else _("Case note {note} added").format(note=d.get("note_id"))),
    "note_edited": lambda d: _("Note {note} changed").format(note=d.get("note_id")),
    "case_updated": lambda d: _("Case details changed: {fields}").format(
        fields=", ".join(sorted(case_field(str(k)) for k in d.get("fields", {})))),
    "item_updated": lambda d: _("Item {item} details changed").format(item=d.get("item_id")),
    "item_withdrawn": lambda d: _("Item {item} withdrawn: {reason}").format(
        item=d.get("item_id"), reason=d.get("reason", "")),
    "item_viewed": lambda d: _("Item {item} viewed").format(item=d.get("item_id")),
    "item_exported": lambda d: _("Item {item} exported").format(item=d.get("item_id")),
    "integrity_checked": lambda d: _("Integrity check: {count} items, {failed} failed").format(
        count=d.get("items", 0), failed=len(d.get("failed", []))),
    "passphrase_changed": lambda d: _("Passphrase changed"),
    "opened_with_recovery_key": lambda d: _("Opened with the recovery key"),
    "journal_repaired": lambda d: _(
        "An unfinished record from an interruption was moved aside ({bytes} bytes)").format(
        bytes=d.get("bytes", 0)),
    "bundle_sealed": lambda d: _("Bundle sealed: {name} ({count} items)").format(
        name=d.get("name", ""), count=d.get("item_count", 0)),
    "timestamp_obtained": lambda d: _(
        "Trusted timestamp from {tsa} obtained for {what}").format(
        tsa=d.get("tsa", ""), what=_subject(d.get("subject", ""))),
    "ots_proof": lambda d: (
        _("OpenTimestamps proof for {what}: in Bitcoin block {height}").format(
            what=_subject(d.get("subject", "")), height=d["blocks"][0][0])
        if d.get("state") == "bitcoin" and d.get("blocks") else
        _("OpenTimestamps proof for {what}: pending").format(
            what=_subject(d.get("subject", "")))),
    "timestamp_settings": lambda d: (
        _("Trusted timestamps turned on (authority: {tsa})").format(tsa=d.get("tsa_name", ""))
        + (" + OpenTimestamps" if d.get("ots") else "")
        if d.get("enabled") else _("Trusted timestamps turned off")),
}


def _subject(subject: Any) -> str:
    """What a timestamp covers, in words (records keep it as a small dict)."""
    if not isinstance(subject, dict):
        return str(subject)
    if subject.get("kind") == "item":
        return _("item {item}").format(item=subject.get("item_id"))
    if subject.get("kind") == "record":
        return _("custody record {number}").format(number=subject.get("seq"))
    if subject.get("kind") in ("manifest", "bundle"):
        return _("the sealed bundle {name}").format(name=subject.get("name", ""))
    if subject.get("kind") == "key":
        return _("the vault's signing key")
    return str(subject.get("kind", ""))


def describe_record(record: Record) -> str:
    fn = _DESCRIBE.get(record.get("type", ""))
    data = record.get("data") or {}
    if fn is None:
        return str(record.get("type", "?"))
    try:
        return fn(data)
    except (KeyError, TypeError, ValueError):
        return str(record.get("type", "?"))
