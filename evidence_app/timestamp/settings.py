"""The person's choice about trusted timestamps, kept as custody records in the vault.

Off by default. Turning it on is recorded ("timestamp_settings": enabled, TSA, extra trust
root) so the custody log shows when the person consented and which authority was used.
The latest such record is in force.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from evidence_app.core.errors import TsaNoTrustRoot
from evidence_app.core.journal import Record
from evidence_app.core.vault import Vault
from evidence_app.timestamp.tsas import builtin_roots, resolve_tsa
from evidence_app.timestamp.tsp import load_roots

SETTINGS_RECORD = "timestamp_settings"
DEFAULT_TIMEOUT = 10.0
TIMEOUT_ENV = "EVIDENCE_APP_TSA_TIMEOUT"


def default_timeout() -> float:
    """Seconds to wait for a TSA: 10, or EVIDENCE_APP_TSA_TIMEOUT (tests use a short one)."""
    try:
        value = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


@dataclass(frozen=True)
class TimestampSettings:
    enabled: bool = False
    tsa_url: str = ""
    tsa_name: str = ""
    extra_roots_pem: str = ""
    policy: str | None = None
    timeout: float = field(default_factory=default_timeout)

    def trust_roots(self) -> list[x509.Certificate]:
        """Roots shipped for a built-in TSA (via certifi), then the person's own (--tsa-ca)."""
        roots = builtin_roots(self.tsa_url) + load_roots(self.extra_roots_pem)
        unique: dict[bytes, x509.Certificate] = {}
        for cert in roots:
            unique.setdefault(cert.public_bytes(Encoding.DER), cert)
        return list(unique.values())

    def to_record(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "tsa_url": self.tsa_url, "tsa_name": self.tsa_name,
                "trust_roots_pem": self.extra_roots_pem, "policy": self.policy}


def settings_from_records(records: list[Record]) -> TimestampSettings:
    for record in reversed(records):
        if record.get("type") == SETTINGS_RECORD:
            d = record.get("data") or {}
            return TimestampSettings(
                enabled=bool(d.get("enabled")), tsa_url=str(d.get("tsa_url") or ""),
                tsa_name=str(d.get("tsa_name") or ""),
                extra_roots_pem=str(d.get("trust_roots_pem") or ""),
                policy=d.get("policy") or None)
    return TimestampSettings()


def current_settings(vault: Vault) -> TimestampSettings:
    return settings_from_records(vault.records)


def enable(vault: Vault, tsa: str, *, extra_roots_pem: str = "",
           policy: str | None = None) -> TimestampSettings:
    """Record consent and the TSA. Refuses a TSA for which no trust root is known."""
    name, url = resolve_tsa(tsa)
    settings = TimestampSettings(True, url, name, extra_roots_pem, policy)
    if not settings.trust_roots():
        raise TsaNoTrustRoot(url)
    vault.record(SETTINGS_RECORD, settings.to_record())
    return settings


def disable(vault: Vault) -> TimestampSettings:
    """Record that nothing more may be sent; the TSA choice is kept for turning it on again."""
    old = current_settings(vault)
    settings = TimestampSettings(False, old.tsa_url, old.tsa_name, old.extra_roots_pem,
                                 old.policy)
    vault.record(SETTINGS_RECORD, settings.to_record())
    return settings
