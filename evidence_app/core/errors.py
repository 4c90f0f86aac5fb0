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


# --- reading the words in pictures (OCR) ---------------------------------------------------


OcrUnavailableReason = Literal["no_engine", "no_language"]


class OcrUnavailable(EvidenceError):
    """Pictures cannot be read here: no engine ("no_engine"), or it lacks the data for
    `languages` ("no_language"). Everything else works without it."""

    def __init__(self, reason: OcrUnavailableReason, languages: list[str]) -> None:
        super().__init__(f"{reason}: {'+'.join(languages)}")
        self.reason = reason
        self.languages = languages


OcrFailedReason = Literal["engine_error", "timeout", "not_a_picture", "too_big"]


class OcrFailed(EvidenceError):
    """One picture could not be read: the engine failed or took too long, the file is not a
    picture the app can open, or it is too big to read. The picture itself is unchanged."""

    def __init__(self, reason: OcrFailedReason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class InputInsideVault(EvidenceError):
    """The file belongs to the vault itself (its encrypted store, log or keys): never evidence."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


# Errors of trusted time and bundles live in errors_bundle.py (this module stays short);
# imported last, since they build on EvidenceError above.
from evidence_app.core.errors_bundle import (
    AgeKeyError as AgeKeyError,
    AgeKeyWhat as AgeKeyWhat,
    BundleKeyKind as BundleKeyKind,
    BundleKeyNeeded as BundleKeyNeeded,
    CertificateReason as CertificateReason,
    ExpectedValueInvalid as ExpectedValueInvalid,
    ExpectedWhat as ExpectedWhat,
    NotABundle as NotABundle,
    NotABundleReason as NotABundleReason,
    NothingToSeal as NothingToSeal,
    OtsProofInvalid as OtsProofInvalid,
    OtsReason as OtsReason,
    ReceiptUnreadable as ReceiptUnreadable,
    TimestampError as TimestampError,
    TimestampField as TimestampField,
    TimestampMismatch as TimestampMismatch,
    TimestampsOff as TimestampsOff,
    TrustRootUnreadable as TrustRootUnreadable,
    TsaAddressInvalid as TsaAddressInvalid,
    TsaBadResponse as TsaBadResponse,
    TsaCertificateRejected as TsaCertificateRejected,
    TsaHttpError as TsaHttpError,
    TsaNoTrustRoot as TsaNoTrustRoot,
    TsaRefused as TsaRefused,
    TsaUnreachable as TsaUnreachable,
    WrongBundleKey as WrongBundleKey,
)
