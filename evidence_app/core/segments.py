"""Chunked authenticated encryption of one object (AES-256-GCM, STREAM-style nonces).

Layout: header | segment 0 | segment 1 | ... Each segment is at most SEGMENT_SIZE bytes of
plaintext plus a 16-byte tag. The nonce is an 11-byte segment counter and a final-segment
flag, and every segment authenticates the header, so truncation, reordering, swapping
segments between objects or altering the header is detected and located to a segment.
The per-object key comes from HKDF(object key, salt in header).
"""

from __future__ import annotations

import secrets
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from evidence_app.core.errors import CorruptObject
from evidence_app.core.keys import subkey

MAGIC = b"ELOBJ1"
SEGMENT_SIZE = 1 << 20
TAG_SIZE = 16
_HEADER = struct.Struct(">6sI16s")
HEADER_SIZE = _HEADER.size
MAX_SEGMENT_SIZE = 64 << 20


def nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def new_header(object_key: bytes, segment_size: int = SEGMENT_SIZE) -> tuple[bytes, AESGCM]:
    salt = secrets.token_bytes(16)
    header = _HEADER.pack(MAGIC, segment_size, salt)
    return header, AESGCM(subkey(object_key, "evidence-locker object v1", salt))


def parse_header(object_key: bytes, header: bytes, object_id: str) -> tuple[int, AESGCM]:
    if len(header) != HEADER_SIZE:
        raise CorruptObject(object_id, 0, "truncated")
    magic, segment_size, salt = _HEADER.unpack(header)
    if magic != MAGIC or not 0 < segment_size <= MAX_SEGMENT_SIZE:
        raise CorruptObject(object_id, 0, "header")
    return segment_size, AESGCM(subkey(object_key, "evidence-locker object v1", salt))


def encrypted_size(plain_size: int, segment_size: int = SEGMENT_SIZE) -> int:
    segments = max(1, -(-plain_size // segment_size))
    return HEADER_SIZE + plain_size + segments * TAG_SIZE


def _read_full(fh: BinaryIO, buf: memoryview) -> int:
    got = 0
    while got < len(buf):
        n = fh.readinto(buf[got:])  # type: ignore[attr-defined]
        if not n:
            break
        got += n
    return got


def iter_plaintext(fh: BinaryIO, object_key: bytes, object_id: str) -> Iterator[memoryview]:
    """Yield decrypted segments in constant memory.

    Each view is only valid until the next one is requested (buffers are reused), which is
    what hashing and writing need; copy it with bytes() to keep it.
    """
    header = fh.read(HEADER_SIZE)
    segment_size, aead = parse_header(object_key, header, object_id)
    unit = segment_size + TAG_SIZE
    bufs = [bytearray(unit), bytearray(unit)]
    plain = bytearray(segment_size)
    cur = memoryview(bufs[0])
    n_cur = _read_full(fh, cur)
    index = 0
    while True:
        nxt = memoryview(bufs[(index + 1) % 2])
        n_nxt = _read_full(fh, nxt) if n_cur == unit else 0
        last = n_nxt == 0
        if n_cur < TAG_SIZE:
            raise CorruptObject(object_id, index, "truncated")
        out = memoryview(plain)[: n_cur - TAG_SIZE]
        try:
            aead.decrypt_into(nonce(index, last), cur[:n_cur], header, out)
        except InvalidTag:
            raise CorruptObject(object_id, index, "auth") from None
        yield out
        if last:
            return
        cur, n_cur = nxt, n_nxt
        index += 1
