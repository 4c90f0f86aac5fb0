"""vault.json: what opens the keys, and the key epochs.

Every change of passphrase or recovery key starts a new key epoch: a fresh master key for
everything written afterwards, the older master keys sealed under it ("previous_keys").
The passphrase (Argon2id) wraps the current master key; so does the recovery key, as an
X25519 recipient whose public half is in the header, which is what lets a passphrase change
seal the new master key to the recovery key without having it. A copy of an old vault.json
with the old passphrase therefore opens only the keys of its own epoch and earlier.

Version 1 headers (one master key, the recovery key as a symmetric wrap) are still read;
the first key change turns them into version 2.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from evidence_app.core.canonical import canonical_json
from evidence_app.core.errors import (
    CorruptHeader,
    MalformedRecoveryKey,
    NotAVault,
    UnsupportedVault,
    VaultNotFound,
    WrongPassphrase,
    WrongRecoveryKey,
)
from evidence_app.core.keys import (
    InvalidTag,
    KdfParams,
    b64d,
    b64e,
    open_sealed_to,
    open_small,
    recovery_kek,
    recovery_key_fixes,
    recovery_private_key,
    seal_small,
    seal_to,
    subkey,
)

FORMAT = "evidence-locker-vault"
VERSION = 2
READABLE_VERSIONS = (1, 2)
HEADER_NAME = "vault.json"
MAX_EPOCHS = 10_000
_HEADER_KEYS = {"format", "version", "vault_id", "epoch", "kdf", "wrapped_key",
                "previous_keys", "signing_key", "checksum"}
_SEALED = ("nonce", "ct")


def header_checksum(header: dict[str, Any]) -> str:
    """SHA-256 over the header's other fields: accidental damage to vault.json (a flipped
    bit in a salt or in the recovery key's wrapping) is named as damage, not mistaken for a
    wrong passphrase, or left unnoticed until the recovery key is needed."""
    return hashlib.sha256(canonical_json({k: v for k, v in header.items()
                                          if k != "checksum"})).hexdigest()


def header_bytes(header: dict[str, Any]) -> bytes:
    header["checksum"] = header_checksum(header)
    return json.dumps(header, indent=1).encode()


def epoch_of(header: dict[str, Any]) -> int:
    return int(header.get("epoch", 0))


def _binding(header: dict[str, Any], *keys: str) -> bytes:
    return canonical_json({k: header[k] for k in keys})


def _is_sealed(value: object, *extra: str) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(k), str) for k in (*_SEALED, *extra))


def read_header(path: Path) -> dict[str, Any]:
    """The vault's plaintext header; raises when the folder is missing or not a vault."""
    if not path.exists():
        raise VaultNotFound(path)
    if not path.is_dir():
        raise NotAVault(path)
    header_path = path / HEADER_NAME
    try:
        raw = header_path.read_bytes()
    except FileNotFoundError:
        raise NotAVault(path) from None
    except OSError:
        raise CorruptHeader(header_path, "unreadable") from None
    return parse_header(raw, path)


def parse_header(raw: bytes, path: Path) -> dict[str, Any]:
    """Check a header's shape (it is hostile until its keys open)."""
    header_path = path / HEADER_NAME
    try:
        header = json.loads(raw)
    except ValueError:
        raise CorruptHeader(header_path, "unreadable") from None
    if not isinstance(header, dict) or ("checksum" not in header
                                        and header.get("format") != FORMAT):
        raise NotAVault(path)
    if "checksum" in header:
        try:
            intact = header["checksum"] == header_checksum(header)
        except ValueError:  # text that cannot be encoded (a lone surrogate)
            intact = False
        if not intact:
            raise CorruptHeader(header_path, "checksum")
    if header.get("format") != FORMAT:
        raise NotAVault(path)
    version = header.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise UnsupportedVault(version)
    for key in ("vault_id", "kdf", "wrapped_key", "signing_key"):
        if key not in header:
            raise CorruptHeader(header_path, "missing_field", key)
    wrapped = header["wrapped_key"]
    recovery_fields = ("salt",) if version == 1 else ("salt", "public", "ephemeral")
    epoch = header.get("epoch", 0)
    if set(header) - _HEADER_KEYS or not isinstance(header["vault_id"], str) \
            or not all(c in "0123456789abcdef" for c in header["vault_id"]) \
            or len(header["vault_id"]) != 32 \
            or not isinstance(header["kdf"], dict) or not isinstance(wrapped, dict) \
            or not _is_sealed(wrapped.get("passphrase")) \
            or not _is_sealed(wrapped.get("recovery"), *recovery_fields) \
            or not _is_sealed(header["signing_key"]) \
            or (version == 1 and ("epoch" in header or "previous_keys" in header)) \
            or type(epoch) is not int or not 0 <= epoch <= MAX_EPOCHS \
            or (epoch > 0) != _is_sealed(header.get("previous_keys")):
        raise CorruptHeader(header_path, "structure")
    return header


# --- opening -------------------------------------------------------------------------------


def _passphrase_aad(header: dict[str, Any]) -> bytes:
    keys: tuple[str, ...] = ("format", "version", "vault_id", "kdf")
    if header["version"] >= 2:
        keys += ("epoch",)
    return _binding(header, *keys) + b"|passphrase"


def _recovery_aad(header: dict[str, Any]) -> bytes:
    if header["version"] == 1:
        return _binding(header, "format", "version", "vault_id") + b"|recovery"
    public: str = header["wrapped_key"]["recovery"]["public"]
    return (_binding(header, "format", "version", "vault_id", "epoch") + b"|recovery|"
            + public.encode("ascii"))


def _previous_aad(header: dict[str, Any]) -> bytes:
    return _binding(header, "vault_id", "epoch") + b"|previous keys"


def signing_aad(vault_id: str) -> bytes:
    return f"evidence-locker|{vault_id}".encode() + b"|signing"


def kdf_of(header: dict[str, Any], path: Path) -> KdfParams:
    try:
        return KdfParams.from_dict(header["kdf"])
    except (ValueError, KeyError, TypeError):
        raise CorruptHeader(path / HEADER_NAME, "kdf") from None


def unwrap_with_passphrase(header: dict[str, Any], passphrase: str, path: Path) -> list[bytes]:
    """The master keys of every epoch, oldest first; raises WrongPassphrase."""
    kdf = kdf_of(header, path)
    try:
        current = open_small(kdf.derive(passphrase), header["wrapped_key"]["passphrase"],
                             _passphrase_aad(header))
    except InvalidTag:
        raise WrongPassphrase() from None
    except (KeyError, ValueError, TypeError):
        raise CorruptHeader(path / HEADER_NAME, "wrapped key") from None
    return _all_masters(header, current, path)


def unwrap_with_recovery_key(header: dict[str, Any], recovery_key: str,
                             path: Path) -> list[bytes]:
    """The master keys of every epoch; raises WrongRecoveryKey (MalformedRecoveryKey for a
    typo the check characters catch, naming the group this vault's key differs in)."""
    try:
        current = _recovery_unwrap(header, recovery_key)
    except MalformedRecoveryKey as exc:
        if exc.reason != "check":
            raise
        fixed = [groups for groups, key in recovery_key_fixes(recovery_key)
                 if _recovery_opens(header, key)]
        raise MalformedRecoveryKey("check", fixed[0] if len(fixed) == 1 else ()) from None
    except InvalidTag:
        raise WrongRecoveryKey() from None
    except (KeyError, ValueError, TypeError):
        raise CorruptHeader(path / HEADER_NAME, "wrapped key") from None
    return _all_masters(header, current, path)


def _recovery_unwrap(header: dict[str, Any], recovery_key: str) -> bytes:
    wrapped = header["wrapped_key"]["recovery"]
    salt = b64d(wrapped["salt"])
    if header["version"] == 1:
        return open_small(recovery_kek(recovery_key, salt), wrapped, _recovery_aad(header))
    private = recovery_private_key(recovery_key, salt)
    if b64e(private.public_key().public_bytes_raw()) != wrapped["public"]:
        raise WrongRecoveryKey()
    return open_sealed_to(private, wrapped, _recovery_aad(header))


def _recovery_opens(header: dict[str, Any], recovery_key: str) -> bool:
    """Whether a corrected recovery key is this vault's (a typo is then located exactly)."""
    try:
        _recovery_unwrap(header, recovery_key)
    except (WrongRecoveryKey, InvalidTag, KeyError, ValueError, TypeError):
        return False
    return True


def _all_masters(header: dict[str, Any], current: bytes, path: Path) -> list[bytes]:
    epoch = epoch_of(header)
    if len(current) != 32:
        raise CorruptHeader(path / HEADER_NAME, "wrapped key")
    if epoch == 0:
        return [current]
    try:
        listed = json.loads(open_small(subkey(current, "previous keys"),
                                       header["previous_keys"], _previous_aad(header)))
        older = [b64d(k) for k in listed]
    except (InvalidTag, ValueError, TypeError, KeyError):
        raise CorruptHeader(path / HEADER_NAME, "previous keys") from None
    if len(older) != epoch or any(len(k) != 32 for k in older):
        raise CorruptHeader(path / HEADER_NAME, "previous keys")
    return [*older, current]


def open_signing_key(header: dict[str, Any], current: bytes, path: Path) -> bytes:
    try:
        return open_small(subkey(current, "signing key"), header["signing_key"],
                          signing_aad(header["vault_id"]))
    except (InvalidTag, ValueError):
        raise CorruptHeader(path / HEADER_NAME, "signing key") from None


# --- writing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryRecipient:
    """What the header keeps of the recovery key: its salt and public half."""

    salt: bytes
    public: X25519PublicKey

    @classmethod
    def from_key(cls, recovery_key: str) -> RecoveryRecipient:
        salt = secrets.token_bytes(16)
        return cls(salt, recovery_private_key(recovery_key, salt).public_key())

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> RecoveryRecipient | None:
        """None for a version 1 header (its recovery key cannot take a new master key)."""
        if header["version"] == 1:
            return None
        wrapped = header["wrapped_key"]["recovery"]
        return cls(b64d(wrapped["salt"]),
                   X25519PublicKey.from_public_bytes(b64d(wrapped["public"])))


def build_header(vault_id: str, masters: list[bytes], passphrase: str,
                 recovery: RecoveryRecipient, signer_raw: bytes) -> dict[str, Any]:
    """A version 2 header for the last of `masters` (the older ones sealed under it)."""
    current = masters[-1]
    epoch = len(masters) - 1
    kdf = KdfParams.new()
    header: dict[str, Any] = {"format": FORMAT, "version": VERSION, "vault_id": vault_id,
                              "epoch": epoch, "kdf": kdf.to_dict()}
    public = b64e(recovery.public.public_bytes_raw())
    header["wrapped_key"] = {
        "passphrase": seal_small(kdf.derive(passphrase), current, _passphrase_aad(header)),
        "recovery": {"salt": b64e(recovery.salt), "public": public},
    }
    header["wrapped_key"]["recovery"].update(
        seal_to(recovery.public, current, _recovery_aad(header)))
    if epoch:
        older = json.dumps([b64e(k) for k in masters[:-1]]).encode()
        header["previous_keys"] = seal_small(subkey(current, "previous keys"), older,
                                             _previous_aad(header))
    header["signing_key"] = seal_small(subkey(current, "signing key"), signer_raw,
                                       signing_aad(vault_id))
    header["checksum"] = header_checksum(header)
    return header
