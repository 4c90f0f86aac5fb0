"""Bech32 and bech32m (BIP 173, BIP 350): age keys, and Bitcoin/Litecoin segwit addresses.

age uses bech32 without the 90-character length limit; wallet checks pass max_length=90.
"""

from __future__ import annotations

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32 = 1
BECH32M = 0x2BC830A3
_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def polymod(values: list[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= _GEN[i] if (top >> i) & 1 else 0
    return chk


def hrp_expand(hrp: str) -> list[int]:
    return [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]


def convert_bits(data: list[int] | bytes, from_bits: int, to_bits: int, pad: bool) -> list[int]:
    """Regroup bits; raises ValueError on invalid padding when not padding."""
    acc = bits = 0
    out = []
    maxv = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if pad and bits:
        out.append((acc << (to_bits - bits)) & maxv)
    elif not pad and (bits >= from_bits or (acc << (to_bits - bits)) & maxv):
        raise ValueError("bad padding")
    return out


def decode_raw(text: str, max_length: int | None = None) -> tuple[str, list[int], int]:
    """(hrp, 5-bit data without checksum, checksum constant: BECH32 or BECH32M if valid)."""
    if text.lower() != text and text.upper() != text:
        raise ValueError("mixed case")
    if max_length is not None and len(text) > max_length:
        raise ValueError("too long")
    text = text.lower()
    pos = text.rfind("1")
    if pos < 1 or pos + 7 > len(text):
        raise ValueError("no separator")
    hrp, rest = text[:pos], text[pos + 1 :]
    if any(c not in CHARSET for c in rest):
        raise ValueError("bad character")
    values = [CHARSET.index(c) for c in rest]
    return hrp, values[:-6], polymod(hrp_expand(hrp) + values)


def decode(text: str) -> tuple[str, bytes]:
    """Plain bech32 (as age uses it): (hrp, data bytes); raises ValueError."""
    hrp, data, const = decode_raw(text)
    if const != BECH32:
        raise ValueError("bad checksum")
    return hrp, bytes(convert_bits(data, 5, 8, False))


def encode(hrp: str, data: bytes) -> str:
    values = convert_bits(data, 8, 5, True)
    mod = polymod(hrp_expand(hrp) + values + [0] * 6) ^ BECH32
    checksum = [(mod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[d] for d in values + checksum)
