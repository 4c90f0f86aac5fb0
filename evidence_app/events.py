"""Custody-log records in words, for the CLI, the GUI and the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evidence_app.case_fields import case_field
from evidence_app.core.record_types import RecordType
from evidence_app.formatting import human_size
from evidence_app.i18n import _, ngettext

Record = dict[str, Any]


def _short(sha: str) -> str:
    return sha[:16] + "…" if sha else ""


_DESCRIBE: dict[RecordType, Callable[[dict[str, Any]], str]] = {
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
    "integrity_checked": lambda d: _("Integrity check: {checked_text}, {failed_text}").format(
        checked_text=ngettext("{count} item", "{count} items", int(d.get("items", 0))).format(
            count=int(d.get("items", 0))),
        failed_text=ngettext("{count} failed", "{count} failed",
                             len(d.get("failed", []))).format(
            count=len(d.get("failed", [])))),
    "passphrase_changed": lambda d: (
        _("Passphrase changed; new key epoch {epoch}").format(epoch=d["epoch"])
        if "epoch" in d else _("Passphrase changed")),
    "recovery_key_replaced": lambda d: _(
        "Recovery key replaced; new key epoch {epoch}").format(epoch=d.get("epoch")),
    "key_change_completed": lambda d: _(
        "An interrupted key change was completed; key epoch {epoch}").format(
        epoch=d.get("epoch")),
    "opened_with_recovery_key": lambda d: _("Opened with the recovery key"),
    "objects_quarantined": lambda d: ngettext(
        "{count} encrypted file that no record named was kept aside in quarantine",
        "{count} encrypted files that no record named were kept aside in quarantine",
        int(d.get("count", 0))).format(count=d.get("count", 0)),
    "rollback_noticed": lambda d: ngettext(
        "Older custody log noticed: this computer last saw {seen} record, the vault held "
        "{found}",
        "Older custody log noticed: this computer last saw {seen} records, the vault held "
        "{found}", int(d.get("last_seen_records", 0))).format(
        seen=d.get("last_seen_records", "?"), found=d.get("found_records", "?")),
    "header_restored": lambda d: _(
        "The vault's key file had been replaced by an older copy (key epoch {found}); the "
        "one last seen (key epoch {epoch}) was put back").format(
        found=d.get("found_epoch"), epoch=d.get("epoch")),
    "header_changed": lambda d: _(
        "The vault's key file differed from the one last seen on this computer"),
    "journal_repaired": lambda d: _(
        "An unfinished record from an interruption was moved aside ({size})").format(
        size=human_size(int(d.get("bytes", 0)))),
    "bundle_sealed": lambda d: ngettext(
        "Bundle sealed: {name} ({count} item)", "Bundle sealed: {name} ({count} items)",
        int(d.get("item_count", 0))).format(name=d.get("name", ""), count=d.get("item_count", 0)),
    "bundle_discarded": lambda d: _(
        "The bundle {name} was not kept: sealing was stopped before it was saved").format(
        name=d.get("name", "")),
    "chat_imported": lambda d: _chat_imported(d),
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


def _chat_imported(d: dict[str, Any]) -> str:
    """'Chat imported from item 3: 6 messages; transcript in item 4' (its JSON form; the
    HTML and text copies follow it)."""
    count = int(d.get("messages", 0))
    transcripts = [str(i) for i in d.get("transcripts", [])]
    return _("Chat imported from item {export}: {messages}; {transcripts}").format(
        export=", ".join(str(i) for i in d.get("originals", [])) or "-",
        messages=ngettext("{count} message", "{count} messages", count).format(count=count),
        transcripts=ngettext("transcript in item {items}", "transcripts in items {items}",
                             len(transcripts)).format(items=", ".join(transcripts) or "-"))


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


def _excerpt(text: Any, limit: int = 60) -> str:
    """The start of a note, on one line, to tell notes apart in a history."""
    line = " ".join(str(text or "").split())
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"


_FOR_ITEM: dict[RecordType, Callable[[dict[str, Any]], str]] = {
    "item_added": lambda d: (_("Made by the app from the item it belongs to")
                             if d.get("derived_from") else _("Added to the vault")),
    "note_added": lambda d: _("Note added: “{text}”").format(text=_excerpt(d.get("text"))),
    "note_edited": lambda d: _("Note changed to: “{text}”").format(
        text=_excerpt(d.get("text"))),
    "item_updated": lambda d: "; ".join(
        ([_("Marked as sensitive") if d["sensitive"] else _("No longer marked as sensitive")]
         if "sensitive" in d else [])
        + ([_("Description changed")] if "description" in d else [])) or _("Details changed"),
    "item_withdrawn": lambda d: _("Left out of the case: {reason}").format(
        reason=d.get("reason", "")),
    "item_viewed": lambda d: _("Looked at in the app"),
    "item_exported": lambda d: _("A copy was saved to {path}").format(
        path=d.get("destination", "")),
    "chat_imported": lambda d: ngettext(
        "Chat read from the export: {count} message", "Chat read from the export: {count} "
        "messages", int(d.get("messages", 0))).format(count=int(d.get("messages", 0))),
    "timestamp_obtained": lambda d: _("Trusted time confirmed by {tsa}").format(
        tsa=d.get("tsa", "")),
    "ots_proof": lambda d: (
        _("OpenTimestamps proof: in Bitcoin block {height}").format(height=d["blocks"][0][0])
        if d.get("state") == "bitcoin" and d.get("blocks") else
        _("OpenTimestamps proof: waiting for Bitcoin")),
}


def describe_for_item(record: Record) -> str:
    """One line of an item's own history, in the words of the person who owns it: no record,
    note or item numbers (the item is the one being looked at)."""
    fn = _FOR_ITEM.get(record.get("type", ""))
    if fn is None:
        return describe_record(record)
    try:
        return fn(record.get("data") or {})
    except (KeyError, TypeError, ValueError, IndexError):
        return describe_record(record)
