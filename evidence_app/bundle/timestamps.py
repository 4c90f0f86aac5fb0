"""Trusted timestamps in a bundle: what goes into timestamps/, and the stamps over the seal.

Layout (paths relative to the bag folder). Tokens are named by the fingerprint they prove,
which is the SHA-256 that manifest-sha256.txt lists for an original, the hash of a custody
record, or the SHA-256 of signature/signer.pub (the vault's key):
  timestamps/<sha256>-<n>.tsr        an authority's answer, byte for byte (n = 1, 2, ...)
  timestamps/<sha256>-<n>.chain.pem  the certificates that authority sent with it
  timestamps/<sha256>.ots            the OpenTimestamps proof of that fingerprint
  timestamps/seal-<n>.tsr, seal-<n>.chain.pem, seal.ots   over tagmanifest-sha256.txt
All but the seal files are listed in the tag manifest, so the signature covers them. No
trust root is put in the bag: an officer takes them from the app's published roots file
(resources/tsa-roots.pem) or the authority itself, never from the bundle.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from evidence_app.core.errors import TimestampError
from evidence_app.core.vault import Vault
from evidence_app.timestamp.settings import current_settings
from evidence_app.timestamp.vaultstamps import (
    VaultToken,
    proofs_for_vault,
    stamp_now,
    tokens_for_vault,
)

log = logging.getLogger(__name__)

FOLDER = "timestamps"
SEAL = "seal"


@dataclass(frozen=True)
class TokenFile:
    """One token as it lies in the bag."""

    stem: str  # "timestamps/<sha256>-<n>" or "timestamps/seal-<n>"
    sha256: str
    token: VaultToken

    @property
    def tsr(self) -> str:
        return f"{self.stem}.tsr"

    @property
    def chain(self) -> str:
        return f"{self.stem}.chain.pem"


def token_layout(tokens: list[VaultToken], seal: bool = False) -> list[TokenFile]:
    """Number each fingerprint's tokens in the order they were obtained."""
    counts: dict[str, int] = {}
    out = []
    for token in sorted(tokens, key=lambda t: (t.sha256, t.time, t.tsa, t.serial)):
        counts[token.sha256] = counts.get(token.sha256, 0) + 1
        base = SEAL if seal else token.sha256
        out.append(TokenFile(f"{FOLDER}/{base}-{counts[token.sha256]}", token.sha256, token))
    return out


def token_files(layout: list[TokenFile]) -> list[tuple[str, bytes]]:
    files: list[tuple[str, bytes]] = []
    for entry in layout:
        files += [(entry.tsr, entry.token.tsr), (entry.chain, entry.token.untrusted_pem)]
    return files


def proof_files(proofs: dict[str, bytes]) -> list[tuple[str, bytes]]:
    return [(f"{FOLDER}/{sha}.ots", data) for sha, data in sorted(proofs.items())]


@dataclass
class BundleStamps:
    """What the sealer puts in timestamps/ before signing (listed in the tag manifest)."""

    layout: list[TokenFile]
    proofs: dict[str, bytes]

    def files(self) -> list[tuple[str, bytes]]:
        return token_files(self.layout) + proof_files(self.proofs)


def bundle_stamps(vault: Vault, digests: set[str]) -> BundleStamps:
    """Every token and the latest proof of each fingerprint the bundle can show."""
    return BundleStamps(token_layout(tokens_for_vault(vault, digests)),
                        proofs_for_vault(vault, digests))


def stamp_seal(vault: Vault, tagmanifest: bytes, bundle_name: str) -> list[tuple[str, bytes]]:
    """Ask the chosen authorities (and calendars) to stamp the tag manifest, right after it
    is signed; the files for the bag, or none when timestamps are off or nobody answered."""
    settings = current_settings(vault)
    if not settings.enabled:
        return []
    sha = hashlib.sha256(tagmanifest).hexdigest()
    subject = {"kind": "bundle", "name": bundle_name}
    try:
        stamps = stamp_now(vault, sha, subject, settings)
    except TimestampError as exc:
        log.info("tag manifest not timestamped: %s", type(exc).__name__)
        stamps = []
    tokens = [t for t in tokens_for_vault(vault, {sha}) if any(
        s.serial == t.serial and s.tsa == t.tsa for s in stamps)]
    files = token_files(token_layout(tokens, seal=True))
    proof = proofs_for_vault(vault, {sha}).get(sha)
    if proof is not None:
        files.append((f"{FOLDER}/{SEAL}.ots", proof))
    return files
