"""The kinds of custody record a vault writes: one closed list, so a misspelt kind is a type
error (mypy) rather than a record nobody can describe.

These strings are what the journal stores on disk (the "type" of every record): never
rename one, or older vaults and sealed bundles would show records the app no longer knows.
A new kind is added here, given its words in evidence_app/events.py, and applied in
core/state.py when it changes what the vault holds.
"""

from __future__ import annotations

from typing import Literal, get_args

RecordType = Literal[
    "vault_created",
    "item_added",
    "note_added",
    "note_edited",
    "case_updated",
    "item_updated",
    "item_withdrawn",
    "item_viewed",
    "item_exported",
    "integrity_checked",
    "passphrase_changed",
    "recovery_key_replaced",
    "key_change_completed",
    "opened_with_recovery_key",
    "objects_quarantined",
    "rollback_noticed",
    "header_restored",
    "header_changed",
    "journal_repaired",
    "bundle_sealed",
    "bundle_discarded",
    "chat_imported",
    "timestamp_obtained",
    "ots_proof",
    "timestamp_settings",
]

RECORD_TYPES: frozenset[str] = frozenset(get_args(RecordType))
