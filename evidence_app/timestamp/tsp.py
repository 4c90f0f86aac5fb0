"""RFC 3161 requests and the checks every answer must pass before it is kept.

rfc3161-client's request builder hashes the data it is given; we stamp a SHA-256 we already
have (an item's fingerprint, a custody record's hash, a bag's tag manifest), so the small
TimeStampReq is encoded here and read back with rfc3161-client to make sure it is well formed.
Verification order: well-formed -> granted -> our hash -> our nonce -> our policy -> signer
certificate valid at the stamp's time and meant for timestamping -> signature and chain to one
of the trust roots (rfc3161-client, which repeats the request checks). Only then is a token
returned; the caller stores nothing before that.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from rfc3161_client import (
    PKIStatus,
    TimeStampResponse,
    VerificationError,
    VerifierBuilder,
    _rust as rfc3161_rust,
    decode_timestamp_response,
)

from evidence_app.core.errors import (
    TimestampMismatch,
    TrustRootUnreadable,
    TsaBadResponse,
    TsaCertificateRejected,
    TsaRefused,
)
from evidence_app.timestamp import der
from evidence_app.timestamp.tsas import fingerprint

SHA256_OID = "2.16.840.1.101.3.4.2.1"
_SHA256_ALGID = bytes.fromhex("300d06096086480165030402010500")


@dataclass(frozen=True)
class TokenInfo:
    """What a verified token says: who stamped, when (UTC), its serial, its policy."""

    tsa_name: str
    gen_time: dt.datetime
    serial: int
    policy: str
    root_sha256: str = ""


@dataclass(frozen=True)
class Request:
    der: bytes
    nonce: int
    policy: str | None


# --- encoding a request---------------------------------------------------------------------


def build_request(digest: bytes, *, nonce: int | None = None, policy: str | None = None) -> Request:
    """A TimeStampReq for a SHA-256 digest, with a random 64-bit nonce and certReq TRUE."""
    if len(digest) != 32:
        raise ValueError("a SHA-256 digest is 32 bytes")
    nonce = secrets.randbits(64) if nonce is None else nonce
    body = der.integer(1) + der.tlv(0x30, _SHA256_ALGID + der.tlv(0x04, digest))
    if policy:
        body += der.oid(policy)
    body += der.integer(nonce) + b"\x01\x01\xff"
    encoded = der.tlv(0x30, body)
    parsed = rfc3161_rust.parse_timestamp_request(encoded)
    if parsed.nonce != nonce or parsed.message_imprint.message != digest or not parsed.cert_req:
        raise ValueError("timestamp request did not encode as intended")
    return Request(encoded, nonce, policy)


# --- trust roots ---------------------------------------------------------------------------


def load_roots(pem: bytes | str | Iterable[bytes | str | x509.Certificate]) -> list[
        x509.Certificate]:
    """Certificates from PEM text (one or many blocks), or from a list of PEMs/certificates."""
    items: Iterable[bytes | str | x509.Certificate] = (
        [pem] if isinstance(pem, bytes | str) else pem)
    roots: list[x509.Certificate] = []
    for item in items:
        if isinstance(item, x509.Certificate):
            roots.append(item)
            continue
        data = item.encode("ascii", "replace") if isinstance(item, str) else item
        if b"-----BEGIN CERTIFICATE-----" in data:
            roots.extend(x509.load_pem_x509_certificates(data))
    return roots


def read_root_file(path: str | Path) -> str:
    """PEM text of a trust-root file given by the person; raises when it holds none."""
    target = Path(path)
    try:
        data = target.read_bytes()
    except OSError:
        raise TrustRootUnreadable(target) from None
    try:
        certs = load_roots(data)
    except ValueError:
        certs = []
    if not certs:
        try:
            certs = [x509.load_der_x509_certificate(data)]
        except ValueError:
            raise TrustRootUnreadable(target) from None
    return "".join(c.public_bytes(Encoding.PEM).decode("ascii") for c in certs)


# --- checking an answer --------------------------------------------------------------------


def _parse(reply: bytes, url: str) -> TimeStampResponse:
    try:
        response = decode_timestamp_response(der.sort_reply_certificates(reply))
    except ValueError:
        raise TsaBadResponse(url, "not an RFC 3161 response") from None
    if response.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TsaRefused(url, int(response.status), " ".join(response.status_string or []))
    if response.status != PKIStatus.GRANTED:
        raise TsaRefused(url, int(response.status), "granted with modifications")
    try:
        response.tst_info  # noqa: B018 - a granted answer without a token is malformed
    except ValueError:
        raise TsaBadResponse(url, "no token") from None
    return response


def _signer(response: TimeStampResponse, url: str) -> tuple[x509.Certificate,
                                                            list[x509.Certificate]]:
    try:
        certs = [x509.load_der_x509_certificate(c) for c in response.signed_data.certificates]
        infos = list(response.signed_data.signer_infos)
    except ValueError:
        raise TsaBadResponse(url, "certificates unreadable") from None
    if len(infos) != 1:
        raise TsaBadResponse(url, "expected one signer")
    for cert in certs:
        if cert.issuer == infos[0].issuer and cert.serial_number == infos[0].serial_number:
            return cert, certs
    raise TsaBadResponse(url, "signer certificate missing")


def _tsa_name(response: TimeStampResponse, leaf: x509.Certificate) -> str:
    names = leaf.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    if names:
        return str(names[0].value)
    return leaf.subject.rfc4514_string() or "?"


def check_response(
    reply: bytes,
    digest: bytes,
    roots: Sequence[x509.Certificate],
    *,
    nonce: int | None = None,
    policy: str | None = None,
    url: str = "",
) -> TokenInfo:
    """Every check a token must pass; raises a typed TimestampError naming the first failure.

    Parts of the answer are decoded lazily, so a damaged one can fail anywhere below; any
    such decoding error means the same thing: not a valid time-stamp.
    """
    try:
        return _check(reply, digest, roots, nonce, policy, url)
    except DECODING_ERRORS:
        raise TsaBadResponse(url, "malformed") from None


DECODING_ERRORS = (ValueError, KeyError, TypeError, IndexError, x509.InvalidVersion,
                    x509.DuplicateExtension, x509.UnsupportedGeneralNameType)


def _check(reply: bytes, digest: bytes, roots: Sequence[x509.Certificate], nonce: int | None,
           policy: str | None, url: str) -> TokenInfo:
    response = _parse(reply, url)
    tst = response.tst_info
    imprint = tst.message_imprint
    if imprint.hash_algorithm.dotted_string != SHA256_OID or imprint.message != digest:
        raise TimestampMismatch(url, "hash")
    if nonce is not None and tst.nonce != nonce:
        raise TimestampMismatch(url, "nonce")
    if policy is not None and tst.policy.dotted_string != policy:
        raise TimestampMismatch(url, "policy")
    leaf, _embedded = _signer(response, url)
    gen_time = tst.gen_time
    if gen_time.tzinfo is None:
        gen_time = gen_time.replace(tzinfo=dt.UTC)
    if not leaf.not_valid_before_utc <= gen_time <= leaf.not_valid_after_utc:
        raise TsaCertificateRejected(url, "expired")
    try:
        eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        raise TsaCertificateRejected(url, "usage") from None
    if not eku.critical or x509.ExtendedKeyUsageOID.TIME_STAMPING not in eku.value:
        raise TsaCertificateRejected(url, "usage")
    anchor = _verify_chain(response, digest, roots, nonce, policy, url)
    return TokenInfo(_tsa_name(response, leaf), gen_time, int(tst.serial_number),
                     tst.policy.dotted_string, fingerprint(anchor))


def _verify_chain(response: TimeStampResponse, digest: bytes, roots: Sequence[x509.Certificate],
                  nonce: int | None, policy: str | None, url: str) -> x509.Certificate:
    """The root the signature chains to. Each root is tried on its own, so we know which one;
    the certificates inside the answer are only ever used as untrusted intermediates."""
    problems: list[str] = []
    for root in roots:
        builder = VerifierBuilder().add_root_certificate(root)
        if nonce is not None:
            builder = builder.nonce(nonce)
        if policy is not None:
            builder = builder.policy_id(x509.ObjectIdentifier(policy))
        try:
            builder.build().verify(response, digest)
        except VerificationError as exc:
            problems.append(str(exc).lower())
            continue
        return root
    if any("signature failure" in p or "digest failure" in p for p in problems):
        raise TsaBadResponse(url, "signature")  # chain fine, but the content was changed
    if any("expired" in p or "not yet valid" in p for p in problems):
        raise TsaCertificateRejected(url, "expired")
    if not problems or any("certificate" in p for p in problems):
        raise TsaCertificateRejected(url, "untrusted")
    raise TsaBadResponse(url, problems[-1])


def verify_token(tsr_der: bytes, sha256_bytes: bytes,
                 trust_roots_pem: bytes | str | Iterable[bytes | str]) -> TokenInfo:
    """Check a stored token (.tsr, a full TimeStampResp) offline against a digest and roots."""
    return check_response(tsr_der, sha256_bytes, load_roots(trust_roots_pem))


def embedded_certificates(tsr_der: bytes) -> list[x509.Certificate]:
    """The certificates the TSA put in its answer (its own, and usually its chain)."""
    response = decode_timestamp_response(der.sort_reply_certificates(tsr_der))
    return [x509.load_der_x509_certificate(c) for c in response.signed_data.certificates]
