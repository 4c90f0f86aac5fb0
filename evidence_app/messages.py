"""Words for errors: one translated sentence per typed error (what happened, what to do).

The CLI and the GUI both call describe(); the core never chooses words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evidence_app.core import errors as e
from evidence_app.i18n import _

_RECORD_REASONS: dict[str, Callable[[], str]] = {
    "unreadable": lambda: _("it cannot be read (it was changed or damaged)"),
    "hash": lambda: _("its content was changed"),
    "signature": lambda: _("its signature does not match this vault's key"),
    "chain": lambda: _("it does not follow on from the record before it"),
    "sequence": lambda: _("a record is missing or out of order here"),
    "missing": lambda: _("records are missing from this point on"),
}


def record_problem(exc: e.JournalCorrupt) -> str:
    reason = _RECORD_REASONS.get(exc.reason, lambda: exc.reason)()
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
    (e.MalformedRecoveryKey, lambda x: _(
        "That does not look like a complete recovery key: it has 8 groups of 4 letters and "
        "numbers. Check each group for a typo."
    )),
    (e.WeakPassphrase, lambda x: _(
        "Please choose a passphrase of at least {count} characters; a few unrelated words "
        "are easy to remember and hard to guess."
    ).format(count=x.min_length)),
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
    (e.InputUnreadable, lambda x: _(
        "The file {path} cannot be read. Check that it is a normal file you are allowed to "
        "open."
    ).format(path=x.path)),
    (e.ItemNotFound, lambda x: _(
        "There is no item {item} in this vault. The list command shows the item numbers."
    ).format(item=x.item_id)),
    (e.NoteNotFound, lambda x: _("There is no note {note} in this vault.").format(
        note=x.note_id)),
    (e.OutputExists, lambda x: _(
        "{path} already exists and was not overwritten. Choose another name or folder."
    ).format(path=x.path)),
    (e.DiskFull, lambda x: _(
        "The disk is full, so this could not be saved. Nothing half-saved was kept; free "
        "some space and try again."
    )),
    (e.WriteFailed, lambda x: _(
        "Could not write to {path}. Check that the drive is connected and not read-only."
    ).format(path=x.path)),
]
