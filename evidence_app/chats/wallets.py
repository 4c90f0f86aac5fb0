"""Crypto wallet addresses, accepted only when their checksum holds.

A string that merely looks like an address is not reported: an officer who sends a
freeze request for a mistyped wallet loses days. Base58Check (Bitcoin legacy/P2SH, TRON,
Litecoin, Dogecoin), bech32/bech32m (BIP-173/350: bc1, ltc1) and EIP-55 (Ethereum and
other EVM chains, checked when the address is written in mixed case).
"""

from __future__ import annotations

import hashlib
import re

from evidence_app.core import bech32

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(B58)}
_VERSIONS = {0x00: "btc", 0x05: "btc", 0x41: "tron", 0x30: "ltc", 0x32: "ltc", 0x1E: "doge"}

BASE58_RE = re.compile(r"(?<![0-9A-Za-z])[13LMTD][1-9A-HJ-NP-Za-km-z]{25,34}(?![0-9A-Za-z])")
BECH32_RE = re.compile(r"(?<![0-9A-Za-z])(?:bc1|ltc1)[02-9ac-hj-np-z]{8,87}(?![0-9A-Za-z])",
                       re.I)
ETH_RE = re.compile(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])")


def b58decode_check(text: str) -> bytes | None:
    """Payload of a Base58Check string (version byte first), or None when it does not check."""
    num = 0
    for char in text:
        digit = _B58_INDEX.get(char)
        if digit is None:
            return None
        num = num * 58 + digit
    body = num.to_bytes((num.bit_length() + 7) // 8, "big") if num else b""
    raw = b"\x00" * (len(text) - len(text.lstrip("1"))) + body
    if len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload


def base58_wallet(text: str) -> str | None:
    """"btc", "tron", "ltc" or "doge" for a valid 25-byte Base58Check address."""
    payload = b58decode_check(text)
    if payload is None or len(payload) != 21:
        return None
    return _VERSIONS.get(payload[0])


def segwit_wallet(text: str) -> str | None:
    """"btc"/"ltc" for a valid segwit address (right checksum variant for its version)."""
    try:
        hrp, data, const = bech32.decode_raw(text, max_length=90)
    except ValueError:
        return None
    if hrp not in ("bc", "ltc") or not data:
        return None
    version = data[0]
    if version > 16 or const != (bech32.BECH32 if version == 0 else bech32.BECH32M):
        return None
    try:
        program = bech32.convert_bits(data[1:], 5, 8, False)
    except ValueError:
        return None
    if not 2 <= len(program) <= 40:
        return None
    if version == 0 and len(program) not in (20, 32):
        return None
    return "btc" if hrp == "bc" else "ltc"


_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]
_ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61],
        [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]
_MASK = (1 << 64) - 1


def _rol(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK if shift else value


def _keccak_f(a: list[list[int]]) -> list[list[int]]:
    for rc in _RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rol(a[x][y], _ROT[x][y])
        a = [[b[x][y] ^ (~b[(x + 1) % 5][y] & _MASK & b[(x + 2) % 5][y]) for y in range(5)]
             for x in range(5)]
        a[0][0] ^= rc
    return a


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum uses it (not NIST SHA3-256: the padding differs)."""
    rate = 136
    padded = bytearray(data) + b"\x01"
    while len(padded) % rate:
        padded.append(0)
    padded[-1] |= 0x80
    state = [[0] * 5 for _ in range(5)]
    for start in range(0, len(padded), rate):
        block = padded[start:start + rate]
        for i in range(rate // 8):
            state[i % 5][i // 5] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        state = _keccak_f(state)
    out = b"".join(state[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out


def eth_wallet(text: str) -> str | None:
    """The address, EIP-55 checksummed form, when valid (mixed case must match EIP-55)."""
    body = text[2:]
    digest = keccak256(body.lower().encode("ascii")).hex()
    checksummed = "0x" + "".join(
        ch.upper() if ch.isalpha() and int(digest[i], 16) >= 8 else ch.lower()
        for i, ch in enumerate(body.lower()))
    mixed = body.lower() != body and body.upper() != body
    if mixed and text != checksummed:
        return None
    if int(body, 16) == 0:
        return None
    return checksummed


def find_wallets(text: str) -> list[tuple[str, str]]:
    """(type, address) for every checksum-valid address in the text."""
    found: list[tuple[str, str]] = []
    for m in BASE58_RE.finditer(text):
        kind = base58_wallet(m.group())
        if kind:
            found.append((kind, m.group()))
    for m in BECH32_RE.finditer(text):
        kind = segwit_wallet(m.group())
        if kind:
            found.append((kind, m.group().lower()))
    for m in ETH_RE.finditer(text):
        address = eth_wallet(m.group())
        if address:
            found.append(("eth", address))
    return found
