"""Ed25519 signatures in OpenSSH's SSHSIG format, so `ssh-keygen -Y verify` checks them.

Format: PROTOCOL.sshsig in the OpenSSH sources. The signed blob is
"SSHSIG" | string(namespace) | string(reserved="") | string("sha512") | string(SHA-512(msg)).
"""

from __future__ import annotations

import base64
import hashlib
import struct

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MAGIC = b"SSHSIG"
NAMESPACE = "evidence-locker-bundle"
PRINCIPAL = "evidence-locker-vault"
_BEGIN = "-----BEGIN SSH SIGNATURE-----"
_END = "-----END SSH SIGNATURE-----"


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _read_string(blob: bytes, pos: int) -> tuple[bytes, int]:
    if pos + 4 > len(blob):
        raise ValueError("truncated")
    (length,) = struct.unpack_from(">I", blob, pos)
    end = pos + 4 + length
    if end > len(blob):
        raise ValueError("truncated")
    return blob[pos + 4 : end], end


def public_key_blob(public_key: Ed25519PublicKey) -> bytes:
    return _string(b"ssh-ed25519") + _string(public_key.public_bytes_raw())


def openssh_public_key(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode("ascii")


def _signed_data(message: bytes, namespace: str) -> bytes:
    return (MAGIC + _string(namespace.encode()) + _string(b"") + _string(b"sha512")
            + _string(hashlib.sha512(message).digest()))


def sign(private_key: Ed25519PrivateKey, message: bytes, namespace: str = NAMESPACE) -> str:
    """The armored signature file content (what `ssh-keygen -Y sign` writes)."""
    raw_sig = private_key.sign(_signed_data(message, namespace))
    blob = (MAGIC + struct.pack(">I", 1) + _string(public_key_blob(private_key.public_key()))
            + _string(namespace.encode()) + _string(b"") + _string(b"sha512")
            + _string(_string(b"ssh-ed25519") + _string(raw_sig)))
    return _armor(blob)


def _armor(blob: bytes) -> str:
    """The one layout ssh-keygen writes (70-column base64 lines, final newline)."""
    b64 = base64.b64encode(blob).decode("ascii")
    lines = [b64[i : i + 70] for i in range(0, len(b64), 70)]
    return "\n".join([_BEGIN, *lines, _END]) + "\n"


def verify(armored: str, message: bytes, public_key: Ed25519PublicKey,
           namespace: str = NAMESPACE) -> bool:
    """True only for a well-formed signature by `public_key` over `message` in `namespace`."""
    try:
        text = armored.strip()
        if not (text.startswith(_BEGIN) and text.endswith(_END)):
            return False
        blob = base64.b64decode("".join(text[len(_BEGIN) : -len(_END)].split()), validate=True)
        if armored != _armor(blob):  # any other layout is a changed file, even if it decodes
            return False
        if not blob.startswith(MAGIC) or struct.unpack_from(">I", blob, 6)[0] != 1:
            return False
        pos = 10
        key_blob, pos = _read_string(blob, pos)
        ns, pos = _read_string(blob, pos)
        _reserved, pos = _read_string(blob, pos)
        hash_alg, pos = _read_string(blob, pos)
        sig_blob, pos = _read_string(blob, pos)
        if pos != len(blob) or key_blob != public_key_blob(public_key):
            return False
        if ns != namespace.encode() or hash_alg != b"sha512":
            return False
        sig_type, p = _read_string(sig_blob, 0)
        raw_sig, p = _read_string(sig_blob, p)
        if sig_type != b"ssh-ed25519" or p != len(sig_blob):
            return False
        public_key.verify(raw_sig, _signed_data(message, namespace))
    except (ValueError, struct.error, InvalidSignature):
        return False
    return True


def allowed_signers_line(public_key: Ed25519PublicKey) -> str:
    return f'{PRINCIPAL} namespaces="{NAMESPACE}" {openssh_public_key(public_key)}\n'


def load_openssh_public_key(text: str) -> Ed25519PublicKey:
    key = serialization.load_ssh_public_key(text.strip().encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an ed25519 key")
    return key
