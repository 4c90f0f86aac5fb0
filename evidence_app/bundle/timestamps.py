"""Trusted timestamps in a bundle: the items' tokens, a fresh one over the tag manifest at
sealing (when the person turned timestamps on), and checking them again when verifying.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding

from evidence_app.bundle import bag
from evidence_app.core.errors import TimestampError
from evidence_app.core.vault import Vault
from evidence_app.timestamp.bundlefiles import bundle_files, check_folder, verify_lines
from evidence_app.timestamp.client import stamp_digest
from evidence_app.timestamp.settings import current_settings
from evidence_app.timestamp.tsp import embedded_certificates
from evidence_app.timestamp.vaultstamps import VaultToken, record_token, tokens_for_vault

log = logging.getLogger(__name__)


def item_tokens(vault: Vault, sha256s: set[str]) -> list[VaultToken]:
    return [t for t in tokens_for_vault(vault) if t.sha256 in sha256s]


def manifest_stamp_hint() -> str:
    """The VERIFY.txt line for the tag-manifest token (its name is only known after sealing)."""
    return ("openssl ts -verify -in timestamps/$(sha256sum tagmanifest-sha256.txt | cut -c1-64)"
            ".tsr -data tagmanifest-sha256.txt -CAfile timestamps/root-*.pem -untrusted "
            "timestamps/$(sha256sum tagmanifest-sha256.txt | cut -c1-64).chain.pem")


def stamp_tagmanifest(vault: Vault, tagmanifest: bytes, bundle_name: str) -> VaultToken | None:
    """Ask the chosen TSA to stamp the tag manifest; None (and a log line) if it cannot."""
    settings = current_settings(vault)
    if not settings.enabled:
        return None
    digest = hashlib.sha256(tagmanifest).digest()
    try:
        token = stamp_digest(digest, settings)
        stamp = record_token(vault, token, {"kind": "bundle", "name": bundle_name,
                                            "file": bag.TAGMANIFEST})
    except TimestampError as exc:
        log.info("tag manifest not timestamped: %s", type(exc).__name__)
        return None
    chain = b"".join(c.public_bytes(Encoding.PEM) for c in embedded_certificates(token.tsr))
    return VaultToken(token.sha256, [{"kind": "bundle", "name": bundle_name}], token.tsr,
                      chain, token.root_pem, stamp.tsa, stamp.time, stamp.serial)


def token_files(tokens: list[VaultToken]) -> list[tuple[str, bytes]]:
    return bundle_files(tokens)


def token_commands(tokens: list[VaultToken]) -> list[str]:
    return verify_lines(tokens)


def check_bag_timestamps(folder: Path, files: dict[str, str]) -> list[dict[str, Any]]:
    """Each token: ok, its file, what it proves (a manifest file or the tag manifest), when."""
    by_sha: dict[str, list[str]] = {}
    for rel, sha in files.items():
        if rel.startswith("data/"):
            by_sha.setdefault(sha, []).append(rel)
    if bag.TAGMANIFEST in files:
        by_sha.setdefault(files[bag.TAGMANIFEST], []).append(bag.TAGMANIFEST)
    results = []
    for check in check_folder(folder):
        entry: dict[str, Any] = {"file": f"timestamps/{check.sha256}.tsr",
                                 "sha256": check.sha256, "covers": by_sha.get(check.sha256, [])}
        if check.error is not None:
            entry.update(ok=False, detail=type(check.error).__name__)
        elif not entry["covers"]:
            entry.update(ok=False, detail="not_in_bundle")
        else:
            assert check.info is not None
            entry.update(ok=True, tsa=check.info.tsa_name,
                         time=check.info.gen_time.strftime("%Y-%m-%d %H:%M:%S UTC"))
        results.append(entry)
    return results
