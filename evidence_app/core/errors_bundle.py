"""Typed errors of trusted time and of bundles (sealing, verifying, receipts, age keys).

Kept beside core/errors.py, which re-exports every name here: callers import them all from
evidence_app.core.errors, the one place for typed errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from evidence_app.core.errors import EvidenceError


class TimestampError(EvidenceError):
    """A time-stamp authority (TSA) gave no token that can be trusted; nothing was stored.

    `url` is the TSA asked ("" when a stored token is checked offline).
    """

    def __init__(self, url: str, detail: str = "") -> None:
        super().__init__(f"{url}: {detail}" if url else detail)
        self.url = url
        self.detail = detail


class TsaUnreachable(TimestampError):
    """No answer: no network, the server is down, or it took longer than the time limit."""


class TsaHttpError(TimestampError):
    def __init__(self, url: str, status: int) -> None:
        super().__init__(url, f"HTTP {status}")
        self.status = status


class TsaBadResponse(TimestampError):
    """The answer is not a usable RFC 3161 response (garbage, too large, unsigned...)."""


class TsaRefused(TimestampError):
    """The TSA answered, but declined to stamp (PKIStatus `status`, its own words `text`)."""

    def __init__(self, url: str, status: int, text: str = "") -> None:
        super().__init__(url, f"status {status} {text}".strip())
        self.status = status
        self.text = text


TimestampField = Literal["nonce", "hash", "policy"]
CertificateReason = Literal["untrusted", "expired", "usage"]
OtsReason = Literal["too_large", "not_ots", "damaged", "too_complex", "not_sha256",
                    "other_digest", "bad_attestation", "not_in_bundle", "unreadable"]


class TimestampMismatch(TimestampError):
    """A signed token that is not the answer to our request; `field`: nonce, hash, policy."""

    def __init__(self, url: str, field: TimestampField) -> None:
        super().__init__(url, f"{field} mismatch")
        self.field = field


class TsaCertificateRejected(TimestampError):
    """The token's signer cannot be trusted; `reason`: untrusted, expired, usage."""

    def __init__(self, url: str, reason: CertificateReason) -> None:
        super().__init__(url, reason)
        self.reason = reason


class OtsProofInvalid(TimestampError):
    """An OpenTimestamps proof (.ots) that cannot be used; it is checked offline, so url is "".

    reason: "too_large", "not_ots" (not a proof file, or an unknown version), "damaged"
    (truncated or malformed), "too_complex" (nested or branched beyond any real proof),
    "not_sha256", "other_digest" (a proof for something else), "bad_attestation"; in a
    bundle also "not_in_bundle" and "unreadable".
    """

    def __init__(self, path_or_name: str, reason: OtsReason) -> None:
        super().__init__("", f"{path_or_name}: {reason}" if path_or_name else reason)
        self.path_or_name = path_or_name
        self.reason = reason


class TimestampsOff(EvidenceError):
    """Trusted timestamps were not turned on, so nothing may be sent over the network."""


class TsaNoTrustRoot(EvidenceError):
    """A TSA was chosen for which no trust root is known; one must be given (--tsa-ca)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class TsaAddressInvalid(EvidenceError):
    """The TSA address is not an http:// or https:// address, nor a known TSA's name."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class TrustRootUnreadable(EvidenceError):
    """The trust-root file given (--tsa-ca) holds no readable PEM certificate."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


# --- bundles -------------------------------------------------------------------------------


class ReceiptUnreadable(EvidenceError):
    """The receipt given to `verify --receipt` cannot be read, or does not name exactly one
    bundle SHA-256 and one signer fingerprint."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


ExpectedWhat = Literal["fingerprint", "sha256"]
AgeKeyWhat = Literal["recipient", "identity"]
NotABundleReason = Literal["unknown_format", "layout"]
BundleKeyKind = Literal["passphrase", "identity"]


class ExpectedValueInvalid(EvidenceError):
    """`--expect-fingerprint` or `--expect-sha256` is not in the form a receipt prints."""

    def __init__(self, what: ExpectedWhat, value: str) -> None:
        super().__init__(f"{what}: {value}")
        self.what = what
        self.value = value


class NothingToSeal(EvidenceError):
    """No items were chosen, or every chosen item was withdrawn."""


class AgeKeyError(EvidenceError):
    """A recipient (age1...) or identity (AGE-SECRET-KEY-1...) is not a valid age key."""

    def __init__(self, what: AgeKeyWhat) -> None:
        super().__init__(what)
        self.what = what


class NotABundle(EvidenceError):
    """reason: "unknown_format", "layout" (not one bag folder)."""

    def __init__(self, path: Path, reason: NotABundleReason) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class BundleKeyNeeded(EvidenceError):
    """The bundle is encrypted; kind is "passphrase" or "identity"."""

    def __init__(self, kind: BundleKeyKind) -> None:
        super().__init__(kind)
        self.kind = kind


class WrongBundleKey(EvidenceError):
    def __init__(self, kind: BundleKeyKind) -> None:
        super().__init__(kind)
        self.kind = kind


# --- screen capture ------------------------------------------------------------------------
