"""The person's choice about trusted timestamps, kept as custody records in the vault.

New vaults ask (GUI) or say (command line) and turn them on by default: each fingerprint goes
to two authorities under different roots and to OpenTimestamps calendars. The choice is
recorded ("timestamp_settings": enabled, authorities, extra trust roots, OpenTimestamps) so
the custody log shows when the person consented and whom fingerprints were sent to. The
latest such record is in force; a vault with none has timestamps off.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Final

from cryptography import x509

from evidence_app.core.errors import TsaNoTrustRoot
from evidence_app.core.journal import Record
from evidence_app.core.record_types import RecordType
from evidence_app.core.vault import Vault
from evidence_app.timestamp.ots import DEFAULT_CALENDARS
from evidence_app.timestamp.roots import trusted_roots
from evidence_app.timestamp.tsas import DEFAULT_TSAS, builtin_roots, resolve_tsa
from evidence_app.timestamp.tsp import load_roots

SETTINGS_RECORD: Final[RecordType] = "timestamp_settings"
DEFAULT_TIMEOUT = 5.0  # per run of requests; an authority that does not answer is asked later
TIMEOUT_ENV = "EVIDENCE_APP_TSA_TIMEOUT"


def default_timeout() -> float:
    """Seconds to wait for a TSA: 5, or EVIDENCE_APP_TSA_TIMEOUT (tests use a short one)."""
    try:
        value = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


@dataclass(frozen=True)
class TimestampSettings:
    enabled: bool = False
    tsas: tuple[tuple[str, str], ...] = ()  # (display name, URL), each asked for every stamp
    extra_roots_pem: str = ""
    policy: str | None = None
    ots: bool = True  # also an OpenTimestamps proof (Bitcoin), from `calendars`
    calendars: tuple[str, ...] = DEFAULT_CALENDARS
    timeout: float = field(default_factory=default_timeout)

    @property
    def tsa_urls(self) -> tuple[str, ...]:
        return tuple(url for _name, url in self.tsas)

    @property
    def tsa_names(self) -> str:
        return ", ".join(name for name, _url in self.tsas)

    def trust_roots(self) -> list[x509.Certificate]:
        """The shipped, reviewed roots, then the person's own (--tsa-ca)."""
        return trusted_roots(load_roots(self.extra_roots_pem))

    def to_record(self) -> dict[str, Any]:
        return {"enabled": self.enabled,
                "tsas": [{"name": name, "url": url} for name, url in self.tsas],
                "tsa_name": self.tsa_names, "trust_roots_pem": self.extra_roots_pem,
                "policy": self.policy, "ots": self.ots, "calendars": list(self.calendars)}


def default_settings() -> TimestampSettings:
    """On: the default pair of authorities (different roots) and OpenTimestamps."""
    return TimestampSettings(True, tuple(resolve_tsa(key) for key in DEFAULT_TSAS))


def _tsas(d: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    listed = d.get("tsas")
    if isinstance(listed, list):
        return tuple((str(t.get("name") or ""), str(t.get("url") or "")) for t in listed
                     if isinstance(t, dict) and t.get("url"))
    if d.get("tsa_url"):  # a vault from before several authorities
        return ((str(d.get("tsa_name") or ""), str(d["tsa_url"])),)
    return ()


def settings_from_records(records: list[Record]) -> TimestampSettings:
    for record in reversed(records):
        if record.get("type") == SETTINGS_RECORD:
            d = record.get("data") or {}
            calendars = d.get("calendars")
            return TimestampSettings(
                enabled=bool(d.get("enabled")), tsas=_tsas(d),
                extra_roots_pem=str(d.get("trust_roots_pem") or ""),
                policy=d.get("policy") or None, ots=bool(d.get("ots", False)),
                calendars=tuple(str(c) for c in calendars) if isinstance(calendars, list)
                else DEFAULT_CALENDARS)
    return TimestampSettings()


def current_settings(vault: Vault) -> TimestampSettings:
    return settings_from_records(vault.records)


def enable(vault: Vault, tsas: list[str] | tuple[str, ...] | str | None = None, *,
           extra_roots_pem: str = "", policy: str | None = None, ots: bool = True,
           calendars: tuple[str, ...] | None = None) -> TimestampSettings:
    """Record consent and the authorities (the default pair when none are named).

    Refuses an authority for which no trust root is known: its tokens could never be checked.
    """
    names = [tsas] if isinstance(tsas, str) else list(tsas or DEFAULT_TSAS)
    chosen = tuple(dict.fromkeys(resolve_tsa(name) for name in names))
    settings = replace(default_settings(), tsas=chosen, extra_roots_pem=extra_roots_pem,
                       policy=policy, ots=ots,
                       calendars=tuple(calendars) if calendars else DEFAULT_CALENDARS)
    own = load_roots(extra_roots_pem)
    for _name, url in chosen:
        if not builtin_roots(url) and not own:
            raise TsaNoTrustRoot(url)
    vault.record(SETTINGS_RECORD, settings.to_record())
    return settings


def disable(vault: Vault) -> TimestampSettings:
    """Record that nothing more may be sent; the choice is kept for turning it on again."""
    settings = replace(current_settings(vault), enabled=False)
    vault.record(SETTINGS_RECORD, settings.to_record())
    return settings
