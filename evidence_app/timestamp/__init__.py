"""Trusted timestamps (RFC 3161): a third party's signed proof that a fingerprint existed.

Qt-free. Off until the person turns it on; then only SHA-256 fingerprints and a random
nonce are sent to the chosen time-stamp authority, never the evidence itself.
"""

from __future__ import annotations

from evidence_app.i18n import _
from evidence_app.timestamp.client import Token, stamp_digest
from evidence_app.timestamp.openssl import openssl_verify_command
from evidence_app.timestamp.settings import (
    TimestampSettings,
    current_settings,
    disable,
    enable,
)
from evidence_app.timestamp.tsas import KNOWN_TSAS, KnownTsa
from evidence_app.timestamp.tsp import TokenInfo, verify_token
from evidence_app.timestamp.vaultstamps import (
    FlushResult,
    ItemStamp,
    Pending,
    Stamp,
    VaultToken,
    flush_queue,
    item_status,
    record_token,
    stamp_now,
    tokens_for_vault,
    waiting,
)


def privacy_sentence() -> str:
    """The one sentence shown wherever the person is asked to turn timestamps on."""
    return _("Only fingerprints (SHA-256 hashes) of your evidence are sent to the time-stamp "
             "authority, never the evidence itself, its names or your notes.")


__all__ = [
    "KNOWN_TSAS", "FlushResult", "ItemStamp", "KnownTsa", "Pending", "Stamp",
    "TimestampSettings", "Token", "TokenInfo", "VaultToken", "current_settings",
    "disable", "enable", "flush_queue", "item_status", "openssl_verify_command",
    "privacy_sentence", "record_token", "stamp_digest", "stamp_now", "tokens_for_vault",
    "verify_token", "waiting",
]
