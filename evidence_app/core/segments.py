"""Chunked authenticated encryption of one object (AES-256-GCM, STREAM-style nonces).

Layout: header | segment 0 | segment 1 | ... Each segment is at most SEGMENT_SIZE bytes of
plaintext plus a 16-byte tag. The nonce is an 11-byte segment counter and a final-segment
flag, and every segment authenticates the header, so truncation, reordering, swapping
segments between objects or altering the header is detected and located to a segment.
The per-object key comes from HKDF(object key of the header's key epoch, salt in header).

Version 2 (ELOBJ2) pads what it encrypts to a size bucket (PADME: at most 12 % larger), so
the folder shows roughly how big an object is, not its exact size: the plaintext is the
content, zero bytes, and a 16-byte trailer at the end of the final segment (the content's
length, and whether the object is evidence or something derived from it, such as a
thumbnail: what the quarantine needs to offer the right objects back). Version 1 objects
(no padding, no trailer, epoch 0) are still read.
"""

from __future__ import annotations

import os
import secrets
import struct
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from evidence_app.core.errors import CorruptObject
from evidence_app.core.keys import subkey

MAGIC_V1 = b"ELOBJ1"
MAGIC = b"ELOBJ2"
SEGMENT_SIZE = 1 << 20
TAG_SIZE = 16
_HEADER_V1 = struct.Struct(">6sI16s")
_HEADER = struct.Struct(">6sI16sI")  # magic, segment size, salt, key epoch
HEADER_SIZE = _HEADER.size
MAX_SEGMENT_SIZE = 64 << 20
_TRAILER = struct.Struct(">QB7x")  # content length, kind (0 evidence, 1 derived)
TRAILER_SIZE = _TRAILER.size


def nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def padme(length: int) -> int:
    """PADME (Nikitin et al., 2019): round up so only O(log log L) bits of L show."""
    if length < 2:
        return length
    e = length.bit_length() - 1
    s = e.bit_length()
    mask = (1 << (e - s)) - 1
    return (length + mask) & ~mask


def padded_plain_size(content: int) -> int:
    """Plaintext bytes written for `content` bytes: content, zeros, length trailer."""
    return padme(content + TRAILER_SIZE)


def new_header(object_key: bytes, epoch: int = 0,
               segment_size: int = SEGMENT_SIZE) -> tuple[bytes, AESGCM]:
    salt = secrets.token_bytes(16)
    header = _HEADER.pack(MAGIC, segment_size, salt, epoch)
    return header, AESGCM(subkey(object_key, "evidence-locker object v1", salt))


def _parse_header(fh: BinaryIO, keys: Sequence[bytes],
                  object_id: str) -> tuple[bytes, int, AESGCM, bool]:
    """(header bytes, segment size, cipher, padded) for an object of either version."""
    header = fh.read(len(MAGIC))
    if len(header) < len(MAGIC):
        raise CorruptObject(object_id, 0, "truncated")
    padded = header == MAGIC
    layout = _HEADER if padded else _HEADER_V1
    header += fh.read(layout.size - len(header))
    if len(header) != layout.size:
        raise CorruptObject(object_id, 0, "truncated")
    if padded:
        _magic, segment_size, salt, epoch = layout.unpack(header)
    else:
        _magic, segment_size, salt = layout.unpack(header)
        epoch = 0
    if _magic not in (MAGIC, MAGIC_V1) or not 0 < segment_size <= MAX_SEGMENT_SIZE \
            or epoch >= len(keys):
        raise CorruptObject(object_id, 0, "header")
    aead = AESGCM(subkey(keys[epoch], "evidence-locker object v1", salt))
    return header, segment_size, aead, padded


def encrypted_size(plain_size: int, segment_size: int = SEGMENT_SIZE) -> int:
    """Size on disk of an object holding `plain_size` bytes of content."""
    plain = padded_plain_size(plain_size)
    segments = max(1, -(-plain // segment_size))
    return HEADER_SIZE + plain + segments * TAG_SIZE


def _read_full(fh: BinaryIO, buf: memoryview) -> int:
    got = 0
    while got < len(buf):
        n = fh.readinto(buf[got:])  # type: ignore[attr-defined]
        if not n:
            break
        got += n
    return got


def trailer(content: int, derived: bool) -> bytes:
    return _TRAILER.pack(content, 1 if derived else 0)


def _read_trailer(fh: BinaryIO, aead: AESGCM, header: bytes, unit: int,
                  object_id: str) -> tuple[int, bool]:
    """Decrypt the final segment first: its trailer says where the content ends."""
    body = os.fstat(fh.fileno()).st_size - len(header)
    if body < TAG_SIZE + TRAILER_SIZE:
        raise CorruptObject(object_id, 0, "truncated")
    last_index = (body - 1) // unit
    fh.seek(len(header) + last_index * unit)
    sealed = fh.read(unit)
    try:
        plain = aead.decrypt(nonce(last_index, True), sealed, header)
    except InvalidTag:
        raise CorruptObject(object_id, last_index, "auth") from None
    if len(plain) < TRAILER_SIZE:
        raise CorruptObject(object_id, last_index, "truncated")
    length, kind = _TRAILER.unpack(plain[-TRAILER_SIZE:])
    if length > body - (last_index + 1) * TAG_SIZE - TRAILER_SIZE or kind > 1:
        raise CorruptObject(object_id, last_index, "length")
    fh.seek(len(header))
    return length, kind == 1


def read_kind(fh: BinaryIO, keys: Sequence[bytes], object_id: str) -> tuple[int, bool]:
    """(content size, derived) of an object, from its header and final segment only."""
    header, segment_size, aead, padded = _parse_header(fh, keys, object_id)
    if not padded:
        body = os.fstat(fh.fileno()).st_size - len(header)
        unit = segment_size + TAG_SIZE
        return body - max(1, -(-body // unit)) * TAG_SIZE, False
    return _read_trailer(fh, aead, header, segment_size + TAG_SIZE, object_id)


def iter_plaintext(fh: BinaryIO, keys: Sequence[bytes], object_id: str) -> Iterator[memoryview]:
    """Yield the decrypted content in constant memory (padding is checked, not yielded).

    `keys` are the vault's object keys by key epoch. Each view is only valid until the next
    one is requested (buffers are reused), which is what hashing and writing need; copy it
    with bytes() to keep it.
    """
    header, segment_size, aead, padded = _parse_header(fh, keys, object_id)
    unit = segment_size + TAG_SIZE
    remaining = _read_trailer(fh, aead, header, unit, object_id)[0] if padded else None
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
        if remaining is None:
            yield out
        elif remaining:
            take = min(remaining, len(out))
            remaining -= take
            yield out[:take]
        if last:
            return
        cur, n_cur = nxt, n_nxt
        index += 1


def read_range(fh: BinaryIO, keys: Sequence[bytes], object_id: str, offset: int,
               length: int) -> bytes:
    """Up to `length` bytes of content from `offset`, decrypting only the segments that hold
    them: a reader pages through a file of any size without decrypting all of it or writing
    it anywhere. Past the end: fewer bytes, or none."""
    header, segment_size, aead, padded = _parse_header(fh, keys, object_id)
    unit = segment_size + TAG_SIZE
    body = os.fstat(fh.fileno()).st_size - len(header)
    final = max(1, -(-body // unit)) - 1  # index of the final segment
    if padded:
        size = _read_trailer(fh, aead, header, unit, object_id)[0]
    else:
        size = body - (final + 1) * TAG_SIZE
    end = min(size, offset + length)
    if offset < 0 or offset >= end:
        return b""
    first = offset // segment_size
    out = bytearray()
    for index in range(first, (end - 1) // segment_size + 1):
        fh.seek(len(header) + index * unit)
        sealed = fh.read(unit)
        if len(sealed) < TAG_SIZE:
            raise CorruptObject(object_id, index, "truncated")
        try:
            out += aead.decrypt(nonce(index, index == final), sealed, header)
        except InvalidTag:
            raise CorruptObject(object_id, index, "auth") from None
    start = offset - first * segment_size
    return bytes(out[start:start + end - offset])
