"""age v1 files (age-encryption.org/v1), streamed in constant memory, both directions.

Why not pyrage alone: pyrage has no streaming passphrase (scrypt) mode, and its pull-style
encrypt_io fed through a pipe ran at under 10 MB/s here. Sealing needs a push-style writer
(the zip is written straight into it, so no plaintext copy of the evidence ever touches the
disk). This module implements only the published format — X25519 and scrypt recipients,
HKDF/HMAC header, ChaCha20-Poly1305 STREAM payload — with primitives from `cryptography`,
and the tests check it against the real `age` and `age-keygen` in both directions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Literal, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from evidence_app.core import bech32
from evidence_app.core.errors import AgeKeyError, EvidenceError

VERSION_LINE = b"age-encryption.org/v1"
CHUNK = 64 * 1024
TAG = 16
SCRYPT_LOG_N = 18
# We write 18. age itself accepts up to 22, but 2**22 costs 4 GiB and half a minute here,
# which a damaged or hostile bundle header must not be able to demand of a police laptop.
MAX_SCRYPT_LOG_N = 20
MAX_STANZA_BODY = 1 << 16
_ZERO_NONCE = b"\x00" * 12


AgeDecryptReason = Literal["not_age", "no_key", "header", "damaged"]


class AgeDecryptError(EvidenceError):
    """reason: "not_age", "no_key" (key/passphrase does not fit), "header", "damaged"."""

    def __init__(self, reason: AgeDecryptReason, offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offset = offset


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    if "=" in text or not text.isascii():
        raise AgeDecryptError("header")
    try:
        data = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:
        raise AgeDecryptError("header") from None
    if _b64(data) != text:  # the spec's canonical encoding: no stray bits in the last char
        raise AgeDecryptError("header")
    return data


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def _stream_nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


# --- keys ----------------------------------------------------------------------------------


def parse_recipient(text: str) -> X25519PublicKey:
    try:
        hrp, data = bech32.decode(text.strip())
    except ValueError:
        raise AgeKeyError("recipient") from None
    if hrp != "age" or len(data) != 32:
        raise AgeKeyError("recipient")
    return X25519PublicKey.from_public_bytes(data)


def parse_identity(text: str) -> X25519PrivateKey:
    try:
        hrp, data = bech32.decode(text.strip())
    except ValueError:
        raise AgeKeyError("identity") from None
    if hrp != "age-secret-key-" or len(data) != 32:
        raise AgeKeyError("identity")
    return X25519PrivateKey.from_private_bytes(data)


def identities_from_file_text(text: str) -> list[X25519PrivateKey]:
    """Identity files as age-keygen writes them: comments, blank lines, one key a line."""
    keys = [parse_identity(line) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    if not keys:
        raise AgeKeyError("identity")
    return keys


def recipient_string(public: X25519PublicKey) -> str:
    return bech32.encode("age", public.public_bytes_raw())


def identity_string(private: X25519PrivateKey) -> str:
    return bech32.encode("age-secret-key-", private.private_bytes_raw()).upper()


# --- writing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stanza:
    kind: str
    args: list[str]
    body: bytes

    def encode(self) -> bytes:
        lines = ["-> " + " ".join([self.kind, *self.args])]
        b64 = _b64(self.body)
        lines += [b64[i : i + 64] for i in range(0, len(b64), 64)]
        if len(b64) % 64 == 0:
            lines.append("")
        return ("\n".join(lines) + "\n").encode("ascii")


def x25519_stanza(file_key: bytes, recipient: X25519PublicKey) -> Stanza:
    ephemeral = X25519PrivateKey.generate()
    share = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(recipient)
    wrap = _hkdf(shared, share + recipient.public_bytes_raw(), b"age-encryption.org/v1/X25519")
    return Stanza("X25519", [_b64(share)], ChaCha20Poly1305(wrap).encrypt(_ZERO_NONCE,
                                                                             file_key, None))


def scrypt_stanza(file_key: bytes, passphrase: str, log_n: int = SCRYPT_LOG_N) -> Stanza:
    salt = secrets.token_bytes(16)
    key = Scrypt(salt=b"age-encryption.org/v1/scrypt" + salt, length=32, n=2**log_n, r=8,
                 p=1).derive(passphrase.encode("utf-8"))
    return Stanza("scrypt", [_b64(salt), str(log_n)],
                  ChaCha20Poly1305(key).encrypt(_ZERO_NONCE, file_key, None))


class ByteSink(Protocol):
    """Where AgeWriter puts the encrypted bytes: a file, or anything that writes and
    flushes like one (the seal's counting and hashing sink)."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...


class AgeWriter:
    """A write-only stream that encrypts into `out`; close() writes the final chunk."""

    def __init__(self, out: ByteSink, *, recipients: list[X25519PublicKey] | None = None,
                 passphrase: str | None = None, scrypt_log_n: int = SCRYPT_LOG_N) -> None:
        file_key = secrets.token_bytes(16)
        if passphrase is not None:
            stanzas = [scrypt_stanza(file_key, passphrase, scrypt_log_n)]
        elif recipients:
            stanzas = [x25519_stanza(file_key, r) for r in recipients]
        else:
            raise AgeKeyError("recipient")
        header = VERSION_LINE + b"\n" + b"".join(s.encode() for s in stanzas) + b"---"
        mac = hmac.new(_hkdf(file_key, b"", b"header"), header, hashlib.sha256).digest()
        nonce = secrets.token_bytes(16)
        self._out = out
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._buf = bytearray()
        self._counter = 0
        self._written = 0
        self._closed = False
        self._failed: OSError | None = None
        out.write(header + b" " + _b64(mac).encode("ascii") + b"\n" + nonce)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self._failed is not None:  # after a failed write (a full disk) nothing more goes
            raise self._failed  # out: the same error again, not a broken age file
        view = memoryview(data)
        n = len(view)
        self._buf += view
        # Keep at least one byte back: the final chunk must be known to be final.
        while len(self._buf) > CHUNK:
            with memoryview(self._buf) as whole:  # released even when the write fails
                self._emit(whole[:CHUNK], last=False)
            del self._buf[:CHUNK]
        self._written += n
        return n

    def _emit(self, chunk: memoryview, last: bool) -> None:
        try:
            self._out.write(self._aead.encrypt(_stream_nonce(self._counter, last), chunk, None))
        except OSError as exc:
            self._failed = exc
            raise
        self._counter += 1

    def tell(self) -> int:
        return self._written

    def seek(self, *_args: object) -> int:
        raise OSError("not seekable")

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if self._failed is not None:
            self._closed = True
        if not self._closed:
            with memoryview(self._buf) as rest:
                self._emit(rest, last=True)
            self._buf = bytearray()
            self._closed = True
            self._out.flush()


# --- reading -------------------------------------------------------------------------------


def _read_line(src: BinaryIO, limit: int = 4096) -> bytes:
    line = src.readline(limit)
    if not line.endswith(b"\n"):
        raise AgeDecryptError("header")
    return line[:-1]


def _parse_header(src: BinaryIO) -> tuple[list[Stanza], bytes, bytes]:
    first = src.readline(64)
    if first.rstrip(b"\n") != VERSION_LINE:
        raise AgeDecryptError("not_age")
    raw = bytearray(first)
    stanzas: list[Stanza] = []
    while True:
        line = _read_line(src)
        if line.startswith(b"--- "):
            raw += b"---"
            return stanzas, bytes(raw), _unb64(line[4:].decode("ascii", "replace"))
        if not line.startswith(b"-> ") or len(stanzas) > 64:
            raise AgeDecryptError("header")
        raw += line + b"\n"
        parts = line[3:].decode("ascii", "replace").split(" ")
        body = b""
        while True:
            body_line = _read_line(src)
            raw += body_line + b"\n"
            body += _unb64(body_line.decode("ascii", "replace"))
            if len(body) > MAX_STANZA_BODY:
                raise AgeDecryptError("header")
            if len(body_line) < 64:
                break
        stanzas.append(Stanza(parts[0], parts[1:], body))


def _unwrap(stanzas: list[Stanza], identities: list[X25519PrivateKey],
            passphrases: Sequence[str] | None) -> bytes:
    for stanza in stanzas:
        try:
            if stanza.kind == "X25519" and identities and len(stanza.args) == 1:
                share = _unb64(stanza.args[0])
                peer = X25519PublicKey.from_public_bytes(share)
                for identity in identities:
                    wrap = _hkdf(identity.exchange(peer),
                                 share + identity.public_key().public_bytes_raw(),
                                 b"age-encryption.org/v1/X25519")
                    try:
                        return ChaCha20Poly1305(wrap).decrypt(_ZERO_NONCE, stanza.body, None)
                    except InvalidTag:
                        continue
            elif stanza.kind == "scrypt" and passphrases and len(stanzas) == 1:
                salt, log_n = _unb64(stanza.args[0]), int(stanza.args[1])
                if not 1 <= log_n <= MAX_SCRYPT_LOG_N or len(salt) != 16:
                    raise AgeDecryptError("header")
                for passphrase in passphrases:
                    key = Scrypt(salt=b"age-encryption.org/v1/scrypt" + salt, length=32,
                                 n=2**log_n, r=8, p=1).derive(passphrase.encode("utf-8"))
                    try:
                        return ChaCha20Poly1305(key).decrypt(_ZERO_NONCE, stanza.body, None)
                    except InvalidTag:
                        continue
        except InvalidTag:
            continue
        except (ValueError, IndexError):
            raise AgeDecryptError("header") from None
    raise AgeDecryptError("no_key")


def iter_decrypt(src: BinaryIO, *, identities: list[X25519PrivateKey] | None = None,
                 passphrase: str | None = None,
                 also_try: Sequence[str] = ()) -> Iterator[bytes]:
    """Plaintext chunks; raises AgeDecryptError on a wrong key or any damage/truncation.

    also_try: other passphrases to try, in order, when `passphrase` does not fit (what a
    person most likely meant by what they typed; each costs one scrypt).
    """
    stanzas, header, mac = _parse_header(src)
    passphrases = [] if passphrase is None else [passphrase, *also_try]
    file_key = _unwrap(stanzas, identities or [], passphrases)
    expected = hmac.new(_hkdf(file_key, b"", b"header"), header, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, mac):
        raise AgeDecryptError("header")
    nonce = src.read(16)
    if len(nonce) != 16:
        raise AgeDecryptError("damaged", 0)
    aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    unit = CHUNK + TAG
    cur = src.read(unit)
    counter = 0
    while True:
        nxt = src.read(unit) if len(cur) == unit else b""
        last = not nxt
        try:
            plain = aead.decrypt(_stream_nonce(counter, last), cur, None)
        except InvalidTag:
            raise AgeDecryptError("damaged", counter * CHUNK) from None
        if last and not plain and counter > 0:
            raise AgeDecryptError("damaged", counter * CHUNK)
        yield plain
        if last:
            return
        cur = nxt
        counter += 1


def is_age_file(head: bytes) -> bool:
    return head.startswith(VERSION_LINE)
