"""Just enough DER to write a TimeStampReq and to put a reply's certificate set in order.

Many TSAs (and `openssl ts -reply`) list the certificates of their answer in chain order,
not in the sorted order DER asks of a SET OF; rfc3161-client's strict parser refuses that.
That set is not covered by the signature, so sorting it changes nothing that is signed: we
check the sorted copy and keep the TSA's bytes exactly as received.
"""

from __future__ import annotations


def tlv(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(raw)]) + raw + body


def integer(value: int) -> bytes:
    """A non-negative INTEGER, with the leading zero byte DER wants when the top bit is set."""
    return tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def oid(dotted: str) -> bytes:
    try:
        arcs = [int(part) for part in dotted.split(".")]
    except ValueError:
        raise ValueError(f"not an OID: {dotted}") from None
    if len(arcs) < 2 or arcs[0] > 2 or min(arcs) < 0:
        raise ValueError(f"not an OID: {dotted}")
    body = bytearray()
    for arc in [arcs[0] * 40 + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return tlv(0x06, bytes(body))


def _header(buf: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the element at pos; ValueError if not DER."""
    if pos + 2 > len(buf):
        raise ValueError("short")
    tag, first = buf[pos], buf[pos + 1]
    if tag & 0x1F == 0x1F:
        raise ValueError("high tag numbers are not used here")
    if first < 0x80:
        start, size = pos + 2, first
    else:
        count = first & 0x7F
        if count == 0 or count > 4:
            raise ValueError("indefinite or huge length")
        start = pos + 2 + count
        size = int.from_bytes(buf[pos + 2:start], "big")
    if start + size > len(buf):
        raise ValueError("short")
    return tag, start, start + size


def _children(buf: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(tag, element start, content start, element end) for each element in [start, end)."""
    out = []
    pos = start
    while pos < end:
        tag, c_start, c_end = _header(buf, pos)
        out.append((tag, pos, c_start, c_end))
        pos = c_end
    if pos != end:
        raise ValueError("overrun")
    return out


def sort_reply_certificates(resp: bytes) -> bytes:
    """The reply with its certificate set in DER order; unchanged if it cannot be read."""
    try:
        _tag, start, end = _header(resp, 0)
        parts = _children(resp, start, end)  # status, timeStampToken
        if len(parts) < 2:
            return resp
        _t, _p, ci_start, ci_end = parts[1]
        content_info = _children(resp, ci_start, ci_end)  # contentType, [0] content
        _t, _p, wrap_start, wrap_end = content_info[1]
        _t, sd_start, sd_end = _header(resp, wrap_start)
        for tag, _pos, c_start, c_end in _children(resp, sd_start, sd_end):
            if tag == 0xA0:
                certs = [resp[p:e] for _t2, p, _c, e in _children(resp, c_start, c_end)]
                return resp[:c_start] + b"".join(sorted(certs)) + resp[c_end:]
    except (ValueError, IndexError):
        return resp
    return resp
