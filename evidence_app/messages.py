"""Words for errors: one translated sentence per typed error (what happened, what to do).

The CLI and the GUI both call describe(); the core never chooses words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from evidence_app.core import errors as e
from evidence_app.formatting import human_size, untrusted
from evidence_app.i18n import _, ngettext
from evidence_app.passphrase_words import refusal_sentence
from evidence_app.recovery_key_words import recovery_key_problem

if TYPE_CHECKING:
    from evidence_app.core.vault import Notice

_RECORD_REASONS: dict[e.RecordReason, Callable[[], str]] = {
    "unreadable": lambda: _("it cannot be read (it was changed or damaged)"),
    "hash": lambda: _("its content was changed"),
    "signature": lambda: _("its signature does not match this vault's key"),
    "chain": lambda: _("it does not follow on from the record before it"),
    "sequence": lambda: _("a record is missing or out of order here"),
    "missing": lambda: _("records are missing from this point on"),
}


def record_problem(exc: e.JournalCorrupt) -> str:
    reason = _RECORD_REASONS.get(exc.reason, _RECORD_REASONS["unreadable"])()
    return _("Custody log record {number}: {reason}.").format(number=exc.seq, reason=reason)


def object_problem(exc: e.CorruptObject | e.MissingObject | e.HashMismatch) -> str:
    item = getattr(exc, "item_id", None) or "?"
    if isinstance(exc, e.MissingObject):
        return _("Item {item}: its encrypted file is missing from the vault.").format(item=item)
    if isinstance(exc, e.HashMismatch):
        return _("Item {item}: its content no longer matches the fingerprint recorded when it "
                 "was added.").format(item=item)
    return _("Item {item}: the encrypted file is damaged in part {segment} and cannot be "
             "read.").format(item=item, segment=exc.segment + 1)


def refused_attachments_note(count: int) -> str:
    """After a chat import: attachments whose names pointed outside the export."""
    return ngettext(
        "{count} attachment named in the chat points outside the export, so it was not "
        "imported and is marked \"not in the export\"; its message is kept.",
        "{count} attachments named in the chat point outside the export, so they were not "
        "imported and are marked \"not in the export\"; their messages are kept.",
        count).format(count=count)


def _chat_too_big(exc: e.ChatExportTooBig) -> str:
    if exc.limit == "messages":
        return ngettext(
            "{path} holds more than {count} message, more than one import reads: export "
            "only the chat you are reporting (or a shorter time span) and import that, "
            "or add the file as ordinary evidence.",
            "{path} holds more than {count} messages, more than one import reads: export "
            "only the chat you are reporting (or a shorter time span) and import that, "
            "or add the file as ordinary evidence.", int(exc.value)).format(
            path=exc.path, count=f"{exc.value:,}")
    return _("{path} is built in a way no chat app writes (too big or too deeply nested in "
             "one place), so it was not read: add it as ordinary evidence, or export the "
             "chat again.").format(path=exc.path)


def describe(exc: BaseException) -> str:
    """One sentence for a person; falls back to a calm generic one (details go to the log)."""
    for kind, make in _TABLE:
        if isinstance(exc, kind):
            return make(exc)
    return _("Something went wrong that the app did not expect. Nothing was deleted; the "
             "details are in the log file.")



_TABLE: list[tuple[type[BaseException], Callable[[Any], str]]] = [
    (e.Cancelled, lambda x: _("Cancelled. Nothing was changed.")),
    (e.VaultNotFound, lambda x: _(
        "There is no vault at {path}. Check the folder, or create a vault there first."
    ).format(path=x.path)),
    (e.NotAVault, lambda x: _(
        "The folder {path} is not an Evidence Locker vault. Choose the folder you created "
        "the vault in."
    ).format(path=x.path)),
    (e.VaultExists, lambda x: _(
        "The folder {path} already holds a vault or other files. Choose an empty or new "
        "folder."
    ).format(path=x.path)),
    (e.VaultBusy, lambda x: _(
        "This vault is already open in another window or program. Close it there and try "
        "again."
    )),
    (e.VaultLocked, lambda x: _("The vault is locked. Unlock it with your passphrase first.")),
    (e.UnsupportedVault, lambda x: _(
        "This vault was made by a newer version of Evidence Locker. Update the app to open it."
    )),
    (e.CorruptHeader, lambda x: _(
        "The vault's key file ({name}) is damaged, so the vault cannot be opened. Do not "
        "change anything in the folder; restore it from a backup copy if you have one."
    ).format(name=x.path.name)),
    (e.WrongPassphrase, lambda x: _(
        "That passphrase did not open the vault. Check the spelling and the keyboard "
        "language, or use your recovery key."
    )),
    (e.WrongRecoveryKey, lambda x: _(
        "That recovery key does not belong to this vault. Check that it is the key printed "
        "for this vault."
    )),
    (e.MalformedRecoveryKey, recovery_key_problem),
    (e.WeakPassphrase, lambda x: refusal_sentence(x.reason, x.min_length)),
    (e.HeaderOlderThanSeen, lambda x: _(
        "This vault's key file (vault.json) is an older copy than the one this computer "
        "last saw, so a passphrase or recovery key that was replaced opens it. Open the "
        "vault with your current passphrase or recovery key; nothing was changed."
    )),
    (e.PassphraseMismatch, lambda x: _(
        "The two passphrases are not the same. Please type them again."
    )),
    (e.JournalCorrupt, lambda x: record_problem(x) + " " + _(
        "The vault is not changed further; keep a copy of the folder as it is."
    )),
    (e.CorruptObject, object_problem),
    (e.MissingObject, object_problem),
    (e.HashMismatch, object_problem),
    (e.InputNotFound, lambda x: _(
        "The file {path} does not exist. Check the name and the folder."
    ).format(path=x.path)),
    (e.InputIsDirectory, lambda x: _(
        "{path} is a folder. Choose the files inside it, or add the folder's files one by one."
    ).format(path=x.path)),
    (e.SecretFileUnreadable, lambda x: (_(
        "The passphrase or key file {path} cannot be opened. Check the name and the folder, "
        "and choose it again.") if x.reason == "cannot_open" else _(
        "The file {path} cannot be read as a passphrase or key file. Check that it is the "
        "right file, saved as plain text.")).format(path=x.path)),
    (e.InputUnreadable, lambda x: _(
        "The file {path} cannot be read. Check that it is a normal file you are allowed to "
        "open."
    ).format(path=x.path)),
    (e.InputInsideVault, lambda x: _(
        "{path} is one of the vault's own files, not evidence, so it was not added."
    ).format(path=x.path)),
    (e.ItemNotFound, lambda x: _(
        "There is no item {item} in this vault. The list command shows the item numbers."
    ).format(item=x.item_id)),
    (e.ItemTooBigToShow, lambda x: _(
        "Item {item} is too big to show here ({size}). Export a copy and open it with "
        "another program; the original stays unchanged.").format(
        item=x.item_id, size=human_size(x.size))),
    (e.NoteNotFound, lambda x: _("There is no note {note} in this vault.").format(
        note=x.note_id)),
    (e.OutputExists, lambda x: _(
        "{path} already exists and was not overwritten. Choose another name or folder."
    ).format(path=x.path)),
    (e.DiskFull, lambda x: _(
        "There is not enough free space in {path}: this needs {needed} and {free} is free. "
        "Nothing was written; free some space there (or use a bigger drive) and try again."
    ).format(path=x.path, needed=human_size(x.needed), free=human_size(x.free))
        if x.needed is not None and x.free is not None else _(
        "The disk is full, so this could not be saved. Nothing half-saved was kept; free "
        "some space and try again."
    )),
    (e.WriteFailed, lambda x: _(
        "Could not write to {path}. Check that the drive is connected and not read-only."
    ).format(path=x.path)),
    (e.TelegramHtmlExport, lambda x: _(
        "This is Telegram's HTML export, which only people can read. In Telegram Desktop open "
        "the chat, choose \u22ee > Export chat history, set Format to \"Machine-readable JSON\" "
        "and import the result.json file (or the whole export folder zipped)."
    )),
    (e.UnknownChatFormat, lambda x: _(
        "{path} is not a chat export this app can read. Supported: WhatsApp (Export chat, "
        ".txt or .zip), Telegram Desktop (Export chat history as JSON: result.json), "
        "Instagram and Facebook Messenger (Download your information as JSON: "
        "message_1.json), Discord (DiscordChatExporter as JSON). You can still add the file "
        "as ordinary evidence with the add command."
    ).format(path=x.path)),
    (e.ChatExportTooBig, _chat_too_big),
    (e.ChatParseError, lambda x: _(
        "{path} looks like a {format} export but cannot be read ({reason}). It may be "
        "incomplete or damaged: export the chat again, or add the file as ordinary evidence."
    ).format(path=x.path, format=x.format, reason=chat_reason(x.reason))),
    (e.ChatOwnerUnclear, lambda x: _(
        "Which of the people in this chat are you? Run the command again with --me and one "
        "of: {names}."
    ).format(names=", ".join(x.candidates))),
    (e.ChatOwnerNotFound, lambda x: _(
        "{name} is not one of the people in this chat. Use --me with one of: {names}."
    ).format(name=x.name, names=", ".join(x.candidates))),
    (e.FontsNotFound, lambda x: _(
        "The fonts that come with the app are missing ({folder}), so the PDF report cannot "
        "be made; nothing was sealed. Install Evidence Locker again and retry."
    ).format(folder=x.searched[0] if x.searched else "?")),
    (e.TsaUnreachable, lambda x: _(
        "The time-stamp authority {tsa} could not be reached (no internet connection, or no "
        "answer in time). Nothing is lost: what waits is sent next time."
    ).format(tsa=_tsa(x))),
    (e.TsaHttpError, lambda x: _(
        "The time-stamp authority {tsa} answered with an error (HTTP {status}). Nothing was "
        "stored; try again later or choose another authority."
    ).format(tsa=_tsa(x), status=x.status)),
    (e.TsaRefused, lambda x: _(
        "The time-stamp authority {tsa} declined to stamp ({reason}). Nothing was stored; "
        "choose another authority if this goes on."
    ).format(tsa=_tsa(x), reason=x.text or x.status)),
    (e.TimestampMismatch, lambda x: {
        "nonce": lambda: _(
            "The answer from {tsa} does not belong to this request (its one-time number "
            "differs), so it was not kept. Try again later."),
        "hash": lambda: _(
            "The answer from {tsa} stamps a different fingerprint than the one sent, so it "
            "was not kept."),
    }.get(x.field, lambda: _(
        "The answer from {tsa} was made under a different policy than the one asked for, so "
        "it was not kept."))().format(tsa=_tsa(x))),
    (e.TsaCertificateRejected, lambda x: {
        "expired": lambda: _(
            "The time-stamp from {tsa} is signed with a certificate that was not valid at the "
            "time it states, so it was not kept."),
        "usage": lambda: _(
            "The time-stamp from {tsa} is signed with a certificate that is not meant for "
            "time-stamping, so it was not kept."),
    }.get(x.reason, lambda: _(
        "The time-stamp from {tsa} is signed with a certificate that does not lead to a "
        "trusted root, so it was not kept. If you trust this authority, add its root "
        "certificate with --tsa-ca."))().format(tsa=_tsa(x))),
    (e.TsaBadResponse, lambda x: _(
        "The answer from {tsa} is not a valid time-stamp (damaged, or its signature does not "
        "match its content), so it was not kept."
    ).format(tsa=_tsa(x))),
    (e.OtsProofInvalid, lambda x: _(
        "The OpenTimestamps proof {name} cannot be used ({reason}): it is damaged, or it "
        "belongs to other evidence. The evidence and its other time-stamps are not affected."
    ).format(name=untrusted(x.path_or_name or "-", 80), reason=ots_reason(x.reason))),
    (e.TimestampsOff, lambda x: _(
        "Trusted timestamps are turned off, so nothing was sent. Turn them on with: "
        "timestamp --enable --tsa ADDRESS"
    )),
    (e.TsaNoTrustRoot, lambda x: _(
        "No trust root is known for the time-stamp authority {url}. Give its root certificate "
        "with --tsa-ca FILE (the authority publishes it on its web site)."
    ).format(url=x.url)),
    (e.TsaAddressInvalid, lambda x: _(
        "{url} is not a time-stamp authority address (it must start with http:// or "
        "https://), nor the name of a listed authority."
    ).format(url=x.url)),
    (e.TrustRootUnreadable, lambda x: _(
        "The file {path} holds no certificate that can be read (PEM or DER expected)."
    ).format(path=x.path)),
]


def _tsa(exc: e.TimestampError) -> str:
    """The authority's address, or words for it when a stored token is checked offline."""
    return exc.url or _("the time-stamp authority")

_TABLE += [
    (e.NothingToSeal, lambda x: _(
        "There is nothing to seal: add evidence first, or choose at least one item that was "
        "not withdrawn."
    )),
    (e.AgeKeyError, lambda x: _(
        "That is not a valid age public key. A police unit's key starts with age1 and is 62 "
        "characters long; copy it exactly as the unit gave it."
    ) if x.what == "recipient" else _(
        "That is not a valid age identity file. It holds a line starting with "
        "AGE-SECRET-KEY-1, as made by age-keygen."
    )),
    (e.ReceiptUnreadable, lambda x: _(
        "The receipt {path} cannot be read, or does not show one bundle SHA-256 and one "
        "signer key fingerprint. Give the receipt text file that came with the bundle, or "
        "type both values with --expect-sha256 and --expect-fingerprint."
    ).format(path=x.path)),
    (e.ExpectedValueInvalid, lambda x: _(
        "{value} is not a signer key fingerprint: it looks like SHA256: followed by 43 "
        "letters, digits, + or /, exactly as on the receipt."
    ).format(value=untrusted(x.value, 80)) if x.what == "fingerprint" else _(
        "{value} is not a SHA-256: it has 64 characters 0-9 and a-f, exactly as on the "
        "receipt."
    ).format(value=untrusted(x.value, 80))),
    (e.NotABundle, lambda x: _(
        "{path} is not an Evidence Locker bundle (expected NAME.zip.age or NAME.zip as "
        "sealed by the app)."
    ).format(path=x.path)),
    (e.BundleKeyNeeded, lambda x: _(
        "This bundle is locked with a passphrase. Give it with --passphrase-file, or type it "
        "when asked; the person who sealed it gives it to you separately."
    ) if x.kind == "passphrase" else _(
        "This bundle is encrypted to a police unit's key. Give the unit's age identity file "
        "with --identity."
    )),
    (e.WrongBundleKey, lambda x: _(
        "That passphrase does not open this bundle. Check it word by word with the person "
        "who sealed it."
    ) if x.kind == "passphrase" else _(
        "This bundle was not encrypted to that key. Use the identity file of the unit it was "
        "sealed for."
    )),
    (e.UnsafeArchive, lambda x: _(
        "The archive was refused because it is unsafe to unpack ({reason}: {entry}). Nothing "
        "was unpacked outside the app's own temporary folder."
    ).format(reason=unsafe_reason(x.reason), entry=untrusted(x.entry, 80)) if x.entry else _(
        "The archive was refused because it is unsafe to unpack ({reason}). Nothing was "
        "unpacked."
    ).format(reason=unsafe_reason(x.reason))),
    (e.NotAnArchive, lambda x: _(
        "{path} is not a zip archive, or it is damaged."
    ).format(path=x.path)),
    (e.CaptureFailed, lambda x: capture_problem(x.reason)),
    (e.OcrUnavailable, lambda x: ocr_unavailable(x)),
    (e.OcrFailed, lambda x: {
        "timeout": lambda: _(
            "The words in this picture could not be read in time (the picture may be very "
            "large or unusual). The picture itself is unchanged."),
        "not_a_picture": lambda: _(
            "This file cannot be opened as a picture, so its words were not read. The file "
            "itself is unchanged."),
        "too_big": lambda: _(
            "This picture is too big to read its words here. The picture itself is "
            "unchanged."),
    }.get(x.reason, lambda: _(
        "The text-reading engine (Tesseract) failed on this picture, so its words were not "
        "read. The picture itself is unchanged."))()),
]

_UNSAFE_REASONS: dict[e.UnsafeReason, Callable[[], str]] = {
    "absolute_path": lambda: _("an entry with an absolute path"),
    "path_escape": lambda: _("an entry that points outside its folder"),
    "symlink": lambda: _("a link"),
    "special_file": lambda: _("a device or special file"),
    "too_many_entries": lambda: _("too many entries"),
    "too_large": lambda: _("it would expand to more than the size limit"),
    "bomb": lambda: _("it expands far more than any normal file (a zip bomb)"),
    "duplicate": lambda: _("the same name twice"),
    "bad_name": lambda: _("an entry with an invalid name"),
    "encrypted": lambda: _("a password-protected entry"),
    "damaged": lambda: _("a damaged entry"),
    "bad_directory": lambda: _(
        "its table of contents does not match the file (damaged, or made to mislead)"),
}


def unsafe_reason(reason: e.UnsafeReason) -> str:
    return _UNSAFE_REASONS.get(reason, _UNSAFE_REASONS["damaged"])()


# Why a chat export cannot be read, said inside the sentence's brackets.
_CHAT_REASONS: dict[e.ChatReason, Callable[[], str]] = {
    "bad_json": lambda: _("it is not valid JSON"),
    "truncated": lambda: _("it ends part-way through"),
    "structure": lambda: _("it is not laid out the way that app writes its exports"),
    "no_messages": lambda: _("it holds no messages"),
    "binary": lambda: _("it is not a text file"),
    "too_large": lambda: _("it is too big"),
    "unknown_format": lambda: _("it is not from a supported chat app"),
    "html_export": lambda: _("it is an HTML export"),
    "changed_while_read": lambda: _("it changed while it was being read"),
    "damaged": lambda: _("the zip archive is damaged"),
    "unreadable": lambda: _("it could not be opened"),
}


def chat_reason(reason: e.ChatReason) -> str:
    return _CHAT_REASONS.get(reason, _CHAT_REASONS["structure"])()


# Why an OpenTimestamps proof cannot be used, said inside the sentence's brackets.
_OTS_REASONS: dict[e.OtsReason, Callable[[], str]] = {
    "too_large": lambda: _("the file is far bigger than any proof"),
    "not_ots": lambda: _("it is not an OpenTimestamps proof, or one from a newer version"),
    "damaged": lambda: _("it is cut short or malformed"),
    "too_complex": lambda: _("it is more complex than any real proof"),
    "not_sha256": lambda: _("it does not stamp a SHA-256 fingerprint"),
    "other_digest": lambda: _("it stamps a different fingerprint"),
    "bad_attestation": lambda: _("it holds a confirmation that cannot be read"),
    "not_in_bundle": lambda: _("it is not in the bundle"),
    "unreadable": lambda: _("it cannot be read"),
}


def ots_reason(reason: e.OtsReason) -> str:
    return _OTS_REASONS.get(reason, _OTS_REASONS["damaged"])()


_CAPTURE_PROBLEMS: dict[e.CaptureReason, Callable[[], str]] = {
    "unavailable": lambda: _(
        "This system does not let apps take screenshots, so please use its own screenshot "
        "tool (for example the Print Screen key) and then add the picture with “Add files”."),
    "no_screen": lambda: _(
        "That screen is no longer connected; choose another screen and try again."),
    "window_gone": lambda: _(
        "That window could not be captured (it may have closed); choose it again, or "
        "capture the whole screen instead."),
    "no_window_list": lambda: _(
        "This system does not tell apps which windows are open, so please capture the whole "
        "screen or a region instead."),
    "empty_region": lambda: _(
        "The chosen area was too small to capture; drag a larger rectangle."),
}


def ocr_unavailable(exc: e.OcrUnavailable) -> str:
    """Which part of reading pictures is missing, and the command that adds it (Debian and
    Ubuntu; the Windows and macOS builds carry the engine and all 14 languages)."""
    from evidence_app.languages import language_name
    from evidence_app.ocr.engine import APP_LANGUAGE, install_hint

    command = "sudo apt install " + install_hint(exc.languages)
    if exc.reason == "no_engine":
        return _("Words in pictures cannot be read on this computer: the text-reading engine "
                 "(Tesseract) is not installed. Everything else works; to add it, run: "
                 "{command}").format(command=command)
    return _("Words in pictures cannot be read in {languages} on this computer: that "
             "language data is not installed. To add it, run: {command}").format(
        languages=", ".join(language_name(APP_LANGUAGE.get(c, c)) for c in exc.languages),
        command=command)


def capture_problem(reason: e.CaptureReason) -> str:
    return _CAPTURE_PROBLEMS.get(reason, _CAPTURE_PROBLEMS["unavailable"])()


def notice_text(notice: Notice) -> str:
    """What was found and done while opening a vault (core.vault.Notice), in one or two
    sentences for the person."""
    d = notice.detail
    if notice.kind == "torn_tail":
        return _("The last custody record was unfinished (the app was interrupted while "
                 "saving). It was moved aside to {path}; everything saved before it is "
                 "intact.").format(path=d["moved_to"])
    if notice.kind == "quarantined" and d.get("rolled_back"):
        return ngettext(
            "{count} encrypted file in the vault is not named by this older custody log. It "
            "was kept aside, not deleted: bring it back as an item with \"Recover kept-aside "
            "files\" in Settings (or: evidence-app recover).",
            "{count} encrypted files in the vault are not named by this older custody log. "
            "They were kept aside, not deleted: bring them back as items with \"Recover "
            "kept-aside files\" in Settings (or: evidence-app recover).",
            int(d["count"])).format(count=d["count"])
    if notice.kind == "quarantined":
        return ngettext(
            "An interruption left {count} encrypted file that no custody record names "
            "(usually a file that was being added). It was kept aside, not deleted: bring it "
            "back as an item with \"Recover kept-aside files\" in Settings (or: evidence-app "
            "recover).",
            "An interruption left {count} encrypted files that no custody record names "
            "(usually a file that was being added). They were kept aside, not deleted: bring "
            "them back as items with \"Recover kept-aside files\" in Settings (or: "
            "evidence-app recover).", int(d["count"])).format(count=d["count"])
    if notice.kind == "rolled_back":
        return ngettext(
            "Warning: this custody log is older than the one this computer last saw "
            "({seen} record, now {found}). Someone may have put back an old copy of the "
            "vault's files. This was recorded in the log; keep a copy of the folder as it is "
            "and tell the person helping you.",
            "Warning: this custody log is older than the one this computer last saw "
            "({seen} records, now {found}). Someone may have put back an old copy of the "
            "vault's files. This was recorded in the log; keep a copy of the folder as it is "
            "and tell the person helping you.", int(d["seen"])).format(
                seen=d["seen"], found=d["found"])
    if notice.kind == "header_restored":
        return _("Warning: the vault's key file (vault.json) had been replaced with an older "
                 "copy. The one this computer last saw was put back, and the replaced file "
                 "kept as {path}. This was recorded in the log.").format(path=d["kept_as"])
    if notice.kind == "header_changed":
        return _("The vault's key file (vault.json) is not the one this computer last saw, "
                 "although no passphrase change explains it. This was recorded in the log.")
    if notice.kind == "key_change_completed":
        return _("A passphrase or recovery key change was interrupted after the new key was "
                 "saved; it is now complete and recorded.")
    return notice.kind

# Last, after every kind of time-stamp failure above: any other one.
_TABLE.append((e.TimestampError, lambda x: _(
    "The time-stamp authority {tsa} gave no time-stamp that can be trusted, so nothing was "
    "stored. Try again later or choose another authority.").format(tsa=_tsa(x))))
