"""Key derivation and wrapping: the passphrase (Argon2id) and the recovery key both open
the current master key.

Changing the passphrase or the recovery key starts a new key epoch with a fresh master key
(see core/vault.py); content is never re-encrypted. The recovery key works like an age
recipient: it stands for an X25519 key pair whose public half is in the header, so each new
master key can be sealed to it without the recovery key itself being at hand, and nobody
holding an older master key can open a newer one.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import struct
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from evidence_app.core.errors import MalformedRecoveryKey

KEY_LEN = 32
MIN_PASSPHRASE_LENGTH = 8

# About 0.6 s on the development machine, 1-1.5 s on a modest two-core laptop (README).
# Nothing in the environment changes these (the test suite replaces them from its own
# start-up code, tests/fastkdf, which the shipped program never loads).
DEFAULT_ARGON2 = {"iterations": 3, "lanes": 4, "memory_cost": 256 * 1024}
# What a header may ask for: a damaged or hostile vault.json must not make opening take
# hours or gigabytes (4x the default in time and memory is the most we accept).
MAX_ARGON2 = {"iterations": 12, "lanes": 16, "memory_cost": 1024 * 1024}


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    """Strict: only the one canonical encoding (a changed unused bit is damage too)."""
    data = base64.b64decode(text.encode("ascii"), validate=True)
    if b64e(data) != text:
        raise ValueError("non-canonical base64")
    return data


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    iterations: int
    lanes: int
    memory_cost: int  # KiB
    algorithm: str = "argon2id"

    @classmethod
    def new(cls) -> KdfParams:
        return cls(salt=secrets.token_bytes(16), iterations=DEFAULT_ARGON2["iterations"],
                   lanes=DEFAULT_ARGON2["lanes"], memory_cost=DEFAULT_ARGON2["memory_cost"])

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["salt"] = b64e(self.salt)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KdfParams:
        if not isinstance(data, dict) or data.get("algorithm") != "argon2id":
            raise ValueError("unsupported kdf")
        numbers = {k: data[k] for k in MAX_ARGON2}
        if any(type(v) is not int or not 1 <= v <= MAX_ARGON2[k] for k, v in numbers.items()) \
                or numbers["memory_cost"] < 8 * numbers["lanes"] \
                or not isinstance(data["salt"], str):
            raise ValueError("kdf parameters out of range")
        salt = b64d(data["salt"])
        if not 16 <= len(salt) <= 64:
            raise ValueError("kdf salt length")
        return cls(salt=salt, **numbers)

    def derive(self, passphrase: str) -> bytes:
        kdf = Argon2id(
            salt=self.salt,
            length=KEY_LEN,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_cost,
        )
        return kdf.derive(passphrase.encode("utf-8"))


def subkey(master: bytes, purpose: str, salt: bytes | None = None) -> bytes:
    """An independent key for one purpose (journal, objects, ...) from the master key."""
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_LEN, salt=salt, info=purpose.encode()
    ).derive(master)


def seal_small(key: bytes, plaintext: bytes, aad: bytes) -> dict[str, str]:
    """AES-256-GCM for small values (wrapped keys, settings), as a JSON-friendly dict."""
    nonce = secrets.token_bytes(12)
    return {"nonce": b64e(nonce), "ct": b64e(AESGCM(key).encrypt(nonce, plaintext, aad))}


def open_small(key: bytes, sealed: dict[str, Any], aad: bytes) -> bytes:
    """Raises cryptography's InvalidTag when the key is wrong or the data was altered."""
    return AESGCM(key).decrypt(b64d(sealed["nonce"]), b64d(sealed["ct"]), aad)


__all__ = ["InvalidTag"]


# --- recovery key --------------------------------------------------------------------------
# 30 random Crockford base32 characters (150 bits) + 2 check characters, shown as 8 groups
# of 4. Crockford's alphabet has no I, L, O or U, so hand-copying errors are rare and the
# check characters catch most of the rest.

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(_ALPHABET)}
_DECODE.update({"O": 0, "I": 1, "L": 1})
RECOVERY_BODY = 30
RECOVERY_CHECK = 2
GROUP = 4
RECOVERY_GROUPS = (RECOVERY_BODY + RECOVERY_CHECK) // GROUP
_SEPARATORS = " -\t\n\r"


def _check_chars(body: str) -> str:
    digest = hashlib.sha256(body.encode("ascii")).digest()
    value = int.from_bytes(digest[:2], "big") >> 6  # 10 bits
    return _ALPHABET[value >> 5] + _ALPHABET[value & 31]


def new_recovery_key() -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(RECOVERY_BODY))
    full = body + _check_chars(body)
    return "-".join(full[i : i + 4] for i in range(0, len(full), 4))


def _check_ok(full: str) -> bool:
    return _check_chars(full[:RECOVERY_BODY]) == full[RECOVERY_BODY:]


def _canonical_chars(text: str) -> str:
    """The typed characters in canonical form; raises on one a recovery key never has,
    naming its group (as typed: groups are counted by 4 characters)."""
    chars: list[str] = []
    for ch in text.upper():
        if ch in _SEPARATORS:
            continue
        if ch not in _DECODE:
            raise MalformedRecoveryKey("character", (len(chars) // GROUP + 1,))
        chars.append(_ALPHABET[_DECODE[ch]])
    return "".join(chars)


def _short_or_long_group(text: str) -> tuple[int, ...]:
    """When the person typed the groups apart and exactly one of the 8 is not 4 long."""
    groups = [g for g in "".join(" " if c in _SEPARATORS else c for c in text).split() if g]
    if len(groups) != RECOVERY_GROUPS:
        return ()
    wrong = [n for n, g in enumerate(groups, 1) if len(g) != GROUP]
    return tuple(wrong) if len(wrong) == 1 else ()


def recovery_key_fixes(text: str) -> list[tuple[tuple[int, ...], str]]:
    """Every key one slip away from what was typed (one character changed, or two
    neighbours swapped) whose check characters match: (the groups changed, the key's 32
    characters). With 10 check bits there are usually one or two; the vault tells which
    one is its own. Only for text of the right length and alphabet."""
    try:
        full = _canonical_chars(text)
    except MalformedRecoveryKey:
        return []
    if len(full) != RECOVERY_BODY + RECOVERY_CHECK:
        return []
    found: list[tuple[tuple[int, ...], str]] = []
    for i, ch in enumerate(full):
        for other in _ALPHABET:
            candidate = full[:i] + other + full[i + 1:]
            if other != ch and _check_ok(candidate):
                found.append(((i // GROUP + 1,), candidate))
    for i in range(len(full) - 1):
        candidate = full[:i] + full[i + 1] + full[i] + full[i + 2:]
        if full[i] != full[i + 1] and _check_ok(candidate):
            found.append((tuple(sorted({i // GROUP + 1, (i + 1) // GROUP + 1})), candidate))
    return found


def normalize_recovery_key(text: str) -> str:
    """Canonical form of what a person typed; raises MalformedRecoveryKey on a typo. Which
    group holds the typo is found with the vault (vault_header.unwrap_with_recovery_key),
    which knows its own key: the check characters alone often fit two places."""
    full = _canonical_chars(text)
    if not full:
        raise MalformedRecoveryKey("empty")
    if len(full) != RECOVERY_BODY + RECOVERY_CHECK:
        raise MalformedRecoveryKey("length", _short_or_long_group(text), len(full))
    if not _check_ok(full):
        raise MalformedRecoveryKey("check")
    return full[:RECOVERY_BODY]


def recovery_kek(recovery_key: str, salt: bytes,
                 info: bytes = b"evidence-locker recovery") -> bytes:
    """150 random bits need no slow KDF; HKDF binds the key to this vault's salt."""
    body = normalize_recovery_key(recovery_key)
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=salt, info=info
                ).derive(body.encode("ascii"))


def recovery_private_key(recovery_key: str, salt: bytes) -> X25519PrivateKey:
    """The X25519 key pair a recovery key stands for (version 2 vaults)."""
    return X25519PrivateKey.from_private_bytes(
        recovery_kek(recovery_key, salt, b"evidence-locker recovery x25519"))


def _sealing_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=ephemeral + recipient,
                info=b"evidence-locker sealed to recovery key").derive(shared)


def seal_to(recipient: X25519PublicKey, plaintext: bytes, aad: bytes) -> dict[str, str]:
    """ECIES as age does it: a fresh X25519 key per sealing, HKDF, AES-256-GCM."""
    ephemeral = X25519PrivateKey.generate()
    eph_raw = ephemeral.public_key().public_bytes_raw()
    key = _sealing_key(ephemeral.exchange(recipient), eph_raw, recipient.public_bytes_raw())
    return {"ephemeral": b64e(eph_raw), **seal_small(key, plaintext, aad)}


def open_sealed_to(private: X25519PrivateKey, sealed: dict[str, Any], aad: bytes) -> bytes:
    """Raises InvalidTag when the recovery key is not the one sealed to, or data changed."""
    eph_raw = b64d(sealed["ephemeral"])
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_raw))
    key = _sealing_key(shared, eph_raw, private.public_key().public_bytes_raw())
    return open_small(key, sealed, aad)


def ssh_fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA256:... exactly as `ssh-keygen -l` prints it, so officers can compare by eye."""
    raw = public_key.public_bytes_raw()
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", len(raw)) + raw
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
