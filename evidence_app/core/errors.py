"""Typed errors. They carry data; the CLI and GUI choose the words (evidence_app.messages).

What an error says about itself (its `reason`, `limit`, `kind`...) is one of a closed list,
written as a `Literal` beside the class: mypy refuses a reason nobody gave words to, and
tests/test_layers.py checks that messages.py says each one in words, never as the code.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal


class EvidenceError(Exception):
    """Base of every error the app expects and explains to a person."""


class Cancelled(EvidenceError):
    """The user cancelled a long operation; nothing partial was kept."""


# --- vault ---------------------------------------------------------------------------------


class VaultNotFound(EvidenceError):
    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class NotAVault(EvidenceError):
    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class VaultExists(EvidenceError):
    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class VaultBusy(EvidenceError):
    """Another window or program has this vault open."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class VaultLocked(EvidenceError):
    """An operation needed the keys, but the vault was locked."""


class UnsupportedVault(EvidenceError):
    def __init__(self, version: object) -> None:
        super().__init__(str(version))
        self.version = version


HeaderReason = Literal["unreadable", "checksum", "missing_field", "structure", "kdf",
                       "wrapped key", "previous keys", "signing key", "missing", "damaged"]


class CorruptHeader(EvidenceError):
    """vault.json (or the journal's head file) cannot be used; `detail` names what, for the
    log (a missing field's name)."""

    def __init__(self, path: Path, reason: HeaderReason, detail: str = "") -> None:
        super().__init__(f"{path}: {reason} {detail}".rstrip())
        self.path = path
        self.reason = reason
        self.detail = detail


class WrongPassphrase(EvidenceError):
    pass


class WrongRecoveryKey(EvidenceError):
    pass


RecoveryKeyReason = Literal["empty", "length", "character", "check"]


class MalformedRecoveryKey(EvidenceError):
    """The text typed is not a recovery key as printed. reason: "empty", "length" (not 32
    characters; `count` says how many), "character" (one a recovery key never has) or
    "check" (the check characters do not match: a typo). `groups`: which of the 8 groups
    (1-based) look mistyped, when that can be told; empty when it cannot."""

    def __init__(self, reason: RecoveryKeyReason = "check", groups: tuple[int, ...] = (),
                 count: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.groups = groups
        self.count = count


class PassphraseReason(StrEnum):
    """Why a passphrase is refused or weak (a code; the words are chosen at the edge).
    core.passphrase_strength calls it Reason; the first five refuse a passphrase outright
    (WeakPassphrase), the others only make it weak."""

    TOO_SHORT = "too_short"
    WHITESPACE = "whitespace"
    REPEATED = "repeated"
    SEQUENCE = "sequence"
    COMMON = "common"
    DICTIONARY = "dictionary"
    DATE = "date"
    GUESSABLE = "guessable"


class WeakPassphrase(EvidenceError):
    """A new passphrase refused outright, and why (TOO_SHORT, WHITESPACE, REPEATED,
    SEQUENCE or COMMON)."""

    def __init__(self, min_length: int,
                 reason: PassphraseReason = PassphraseReason.TOO_SHORT) -> None:
        super().__init__(reason)
        self.min_length = min_length
        self.reason = reason


class HeaderOlderThanSeen(EvidenceError):
    """vault.json is an older copy than the one this computer last saw (a key change was
    undone by putting an old file back); the person's current secret is needed."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class PassphraseMismatch(EvidenceError):
    pass


# --- objects and journal -------------------------------------------------------------------


ObjectReason = Literal["auth", "truncated", "header", "length"]


class CorruptObject(EvidenceError):
    """An encrypted object failed authentication; `segment` says where (0-based)."""

    def __init__(self, object_id: str, segment: int, reason: ObjectReason = "auth") -> None:
        super().__init__(f"{object_id} segment {segment}: {reason}")
        self.object_id = object_id
        self.segment = segment
        self.reason = reason
        self.item_id: str | None = None


class MissingObject(EvidenceError):
    def __init__(self, object_id: str) -> None:
        super().__init__(object_id)
        self.object_id = object_id
        self.item_id: str | None = None


class HashMismatch(EvidenceError):
    """Decrypted fine, but the content no longer has its recorded SHA-256."""

    def __init__(self, item_id: str, expected: str, actual: str) -> None:
        super().__init__(f"{item_id}: {expected} != {actual}")
        self.item_id = item_id
        self.expected = expected
        self.actual = actual


RecordReason = Literal["unreadable", "hash", "signature", "chain", "sequence", "missing"]


class JournalCorrupt(EvidenceError):
    """A custody record is unreadable, altered, out of order, missing or wrongly signed.

    `seq` is the 1-based number of the first record that fails; `reason` is one of
    "unreadable", "hash", "signature", "chain", "sequence", "missing".
    """

    def __init__(self, seq: int, reason: RecordReason) -> None:
        super().__init__(f"record {seq}: {reason}")
        self.seq = seq
        self.reason = reason


# --- input ---------------------------------------------------------------------------------


class InputNotFound(EvidenceError):
    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class InputUnreadable(EvidenceError):
    def __init__(self, path: Path, detail: str = "") -> None:
        super().__init__(str(path))
        self.path = path
        self.detail = detail


SecretFileReason = Literal["cannot_open", "not_text"]


class SecretFileUnreadable(InputUnreadable):
    """A passphrase or identity file that cannot be opened, or is not UTF-8 text (or is far
    too large to be one)."""

    def __init__(self, path: Path, reason: SecretFileReason = "cannot_open") -> None:
        super().__init__(path, reason)
        self.reason = reason


class InputIsDirectory(EvidenceError):
    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class ItemNotFound(EvidenceError):
    def __init__(self, item_id: str) -> None:
        super().__init__(item_id)
        self.item_id = item_id


class ItemTooBigToShow(EvidenceError):
    """The in-app reader takes a file of this kind whole into memory; this one is bigger
    than it allows (the original is untouched and can be exported)."""

    def __init__(self, item_id: str, size: int, limit: int) -> None:
        super().__init__(item_id, size, limit)
        self.item_id = item_id
        self.size = size
        self.limit = limit


class NoteNotFound(EvidenceError):
    def __init__(self, note_id: str) -> None:
        super().__init__(note_id)
        self.note_id = note_id


class OutputExists(EvidenceError):
    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class DiskFull(EvidenceError):
    """No space (or a size limit) while writing; whatever was partial has been removed.

    With `needed` and `free` (bytes) the shortage was seen before writing anything: `path`
    is the folder that lacks the space.
    """

    def __init__(self, path: Path | None = None, *, needed: int | None = None,
                 free: int | None = None) -> None:
        super().__init__(str(path) if path else "")
        self.path = path
        self.needed = needed
        self.free = free


class WriteFailed(EvidenceError):
    def __init__(self, path: Path, detail: str = "") -> None:
        super().__init__(str(path))
        self.path = path
        self.detail = detail


# --- archives ------------------------------------------------------------------------------


UnsafeReason = Literal["absolute_path", "path_escape", "symlink", "special_file",
                       "too_many_entries", "too_large", "bomb", "duplicate", "bad_name",
                       "encrypted", "damaged", "bad_directory"]


class UnsafeArchive(EvidenceError):
    """A zip that tries to escape its folder, holds links or devices, or expands too far.

    reason: "absolute_path", "path_escape", "symlink", "special_file", "too_many_entries",
    "too_large", "bomb", "duplicate", "bad_name", "encrypted", "damaged", "bad_directory"
    (a central directory larger than its entry count allows, or entries sharing data).
    `entry` is None when the whole archive is refused.
    """

    def __init__(self, entry: str | None, reason: UnsafeReason) -> None:
        super().__init__(f"{entry}: {reason}")
        self.entry = entry
        self.reason = reason


class NotAnArchive(EvidenceError):
    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


# --- chat exports --------------------------------------------------------------------------


ChatReason = Literal["bad_json", "truncated", "structure", "no_messages", "binary", "too_large",
                     "unknown_format", "html_export", "changed_while_read", "damaged",
                     "unreadable"]
ChatLimit = Literal["messages", "value", "items", "nesting"]


class ChatParseError(EvidenceError):
    """A chat export that cannot be read as its format.

    reason: "bad_json" (not JSON, or not UTF-8), "truncated" (ends early), "structure" (not
    laid out as the app writes it), "no_messages", "binary" (not text), "too_large",
    "changed_while_read", "damaged" (a zip that cannot be read), "unreadable"; the
    subclasses below give "unknown_format" and "html_export".
    """

    def __init__(self, path: str, fmt: str, reason: ChatReason, detail: str = "") -> None:
        super().__init__(f"{path} ({fmt}): {reason} {detail}".strip())
        self.path = path
        self.format = fmt
        self.reason = reason
        self.detail = detail


class UnknownChatFormat(ChatParseError):
    """Not an export of any supported chat app (the message lists them and how to export)."""

    def __init__(self, path: str) -> None:
        super().__init__(path, "unknown", "unknown_format")


class TelegramHtmlExport(ChatParseError):
    """Telegram's HTML export: readable by people only; the JSON export is needed."""

    def __init__(self, path: str) -> None:
        super().__init__(path, "telegram", "html_export")


class ChatExportTooBig(ChatParseError):
    """A chat export over one of the reading limits (a hostile file, or far too much).

    limit: "messages" (more than `value` messages), "value" (one message or other value
    over `value` characters), "items" (more other entries than any export has), or
    "nesting" (deeper than the decoder goes).
    """

    def __init__(self, path: str, fmt: str, limit: ChatLimit, value: int) -> None:
        super().__init__(path, fmt, "too_large", f"{limit} > {value}")
        self.limit = limit
        self.value = value


class ChatOwnerUnclear(EvidenceError):
    """Which participant is the person importing cannot be told from the export."""

    def __init__(self, candidates: list[str]) -> None:
        super().__init__(", ".join(candidates))
        self.candidates = candidates


class ChatOwnerNotFound(EvidenceError):
    """The name given as "me" is not one of the chat's participants."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.candidates = candidates


# --- report --------------------------------------------------------------------------------


class FontsNotFound(EvidenceError):
    """No usable font for the PDF report or receipt was found in any of `searched`."""

    def __init__(self, searched: list[str]) -> None:
        super().__init__(", ".join(searched))
        self.searched = searched


# --- trusted timestamps (RFC 3161) ---------------------------------------------------------


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


CaptureReason = Literal["unavailable", "no_screen", "window_gone", "no_window_list",
                        "empty_region"]


class CaptureFailed(EvidenceError):
    """A screenshot could not be taken.

    reason: "unavailable" (the system does not let apps read the screen, e.g. Wayland),
    "no_screen" (no such monitor), "window_gone" (the window closed or cannot be read),
    "no_window_list" (the system does not tell apps which windows are open),
    "empty_region" (the chosen area has no size).
    """

    def __init__(self, reason: CaptureReason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class InputInsideVault(EvidenceError):
    """The file belongs to the vault itself (its encrypted store, log or keys): never evidence."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path
