"""The timestamps/ folder of a sealed bag, and checking it again on the officer's side.

Layout (paths relative to the bag folder), named by the fingerprint they prove, which is
the same SHA-256 that manifest-sha256.txt lists for the original:
  timestamps/<sha256>.tsr         the TSA's answer, byte for byte
  timestamps/<sha256>.chain.pem   the TSA's certificate and chain, as it sent them
  timestamps/root-<fp16>.pem      the trust root it was verified against (shared)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from evidence_app.core.errors import TimestampError
from evidence_app.core.vault import Vault
from evidence_app.timestamp.openssl import openssl_verify_command
from evidence_app.timestamp.tsas import fingerprint
from evidence_app.timestamp.tsp import TokenInfo, load_roots, verify_token
from evidence_app.timestamp.vaultstamps import VaultToken, tokens_for_vault

FOLDER = "timestamps"
_TSR = re.compile(r"([0-9a-f]{64})\.tsr")


def _root_name(token: VaultToken) -> str:
    roots = load_roots(token.root_pem)
    return f"{FOLDER}/root-{fingerprint(roots[0])[:16]}.pem" if roots else ""


def bundle_files(tokens: list[VaultToken]) -> list[tuple[str, bytes]]:
    """(path in the bag, bytes) for every token, its chain and the roots they need."""
    files: dict[str, bytes] = {}
    for token in tokens:
        files[f"{FOLDER}/{token.sha256}.tsr"] = token.tsr
        files[f"{FOLDER}/{token.sha256}.chain.pem"] = token.untrusted_pem
        root = _root_name(token)
        if root:
            files[root] = token.root_pem
    return sorted(files.items())


def verify_lines(tokens: list[VaultToken]) -> list[str]:
    """One `openssl ts -verify` line per token, run from inside the bag folder."""
    return [openssl_verify_command(f"{FOLDER}/{t.sha256}.tsr", t.sha256, _root_name(t),
                                   f"{FOLDER}/{t.sha256}.chain.pem")
            for t in tokens if _root_name(t)]


def vault_bundle_files(vault: Vault) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Everything the sealer needs from the vault: the files and the VERIFY.txt lines."""
    tokens = tokens_for_vault(vault)
    return bundle_files(tokens), verify_lines(tokens)


@dataclass(frozen=True)
class FolderCheck:
    """One token in a bag's timestamps/ folder, checked: info when good, error when not."""

    sha256: str
    info: TokenInfo | None
    error: TimestampError | None


def check_folder(bag: Path) -> list[FolderCheck]:
    """Check every .tsr under bag/timestamps against its own name and the roots beside it.

    The caller ties each fingerprint to a file through manifest-sha256.txt.
    """
    folder = Path(bag) / FOLDER
    roots = b"".join(p.read_bytes() for p in sorted(folder.glob("root-*.pem")))
    results: list[FolderCheck] = []
    for path in sorted(folder.glob("*.tsr")):
        match = _TSR.fullmatch(path.name)
        if match is None:
            continue
        sha = match.group(1)
        try:
            info = verify_token(path.read_bytes(), bytes.fromhex(sha), roots)
        except TimestampError as exc:
            results.append(FolderCheck(sha, None, exc))
        else:
            results.append(FolderCheck(sha, info, None))
    return results
