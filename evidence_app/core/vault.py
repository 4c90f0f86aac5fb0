"""One vault = one case: a folder in which everything is encrypted and accounted for.

Layout: vault.json (key-wrapping parameters, no content), journal + head (custody log),
objects/ (encrypted originals and derived objects under random names), quarantine/
(objects no record names, kept rather than deleted), .lock.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from evidence_app import __version__
from evidence_app.core.errors import (
    CorruptHeader,
    HeaderOlderThanSeen,
    JournalCorrupt,
    NotAVault,
    VaultExists,
    VaultLocked,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from evidence_app.core.journal import Journal, Record
from evidence_app.core.keys import (
    MIN_PASSPHRASE_LENGTH,
    new_recovery_key,
    ssh_fingerprint,
    subkey,
)
from evidence_app.core.lastseen import LastSeen, Seen
from evidence_app.core.lockfile import VaultLock
from evidence_app.core.objectstore import ObjectStore
from evidence_app.core.quarantine import QUARANTINE_NAME, QuarantineMixin
from evidence_app.core.safefs import (
    atomic_write,
    fsync_dir,
    private_mkdir,
    remove_stale_temps,
)
from evidence_app.core.snapshot import SNAPSHOT_NAME, SnapshotMixin, referenced_objects
from evidence_app.core.state import CaseState, fold
from evidence_app.core.timeutil import now_utc_and_offset
from evidence_app.core.vault_header import (
    FORMAT,
    HEADER_NAME,
    RecoveryRecipient,
    build_header,
    epoch_of,
    header_bytes,
    header_checksum,
    open_signing_key,
    parse_header,
    read_header,
    unwrap_with_passphrase,
    unwrap_with_recovery_key,
)
from evidence_app.core.vault_ingest import IngestMixin
from evidence_app.core.vault_items import ItemsMixin

log = logging.getLogger(__name__)

__all__ = ["FORMAT", "HEADER_NAME", "Notice", "Vault", "header_checksum", "read_header",
           "referenced_objects"]

JOURNAL_NAME = "journal"
HEAD_NAME = "head"
OBJECTS_NAME = "objects"
LOCK_NAME = ".lock"
_OWN_NAMES = {HEADER_NAME, JOURNAL_NAME, HEAD_NAME, OBJECTS_NAME, LOCK_NAME, QUARANTINE_NAME,
              SNAPSHOT_NAME}


@dataclass
class Notice:
    """Something found and repaired while opening, which the person should be told.

    kind: "torn_tail" | "quarantined" | "rolled_back" | "header_restored" |
    "header_changed" | "key_change_completed"
    """

    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


def _check_passphrase(passphrase: str) -> None:
    """Refuse what anyone would guess first (core/passphrase_strength.py says why)."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(MIN_PASSPHRASE_LENGTH)
    from evidence_app.core.passphrase_strength import check_usable

    check_usable(passphrase)


def _stamp() -> str:
    return now_utc_and_offset()[0].replace(":", "").replace("-", "")[:15] + "Z"


class Vault(IngestMixin, ItemsMixin, QuarantineMixin, SnapshotMixin):
    """An open (unlocked) vault. Use create()/open(); call lock() when done."""

    def __init__(self, path: Path, header: dict[str, Any], masters: list[bytes],
                 lock: VaultLock, seen: LastSeen | None = None) -> None:
        self.path = path
        self.header = header
        self._lock = lock
        self._masters: list[bytearray] | None = [bytearray(m) for m in masters]
        self._seen = seen
        self.vault_id = header["vault_id"]
        aad = f"evidence-locker|{self.vault_id}".encode()
        raw = open_signing_key(header, masters[-1], path)
        self._signer: Ed25519PrivateKey | None = Ed25519PrivateKey.from_private_bytes(raw)
        self.public_key: Ed25519PublicKey = self._signer.public_key()
        self.store: ObjectStore | None = ObjectStore(
            path / OBJECTS_NAME, [subkey(m, "objects") for m in masters])
        self.journal: Journal | None = Journal(
            path / JOURNAL_NAME, path / HEAD_NAME, [subkey(m, "journal") for m in masters],
            aad, self._signer)
        self.state = CaseState()
        self.notices: list[Notice] = []
        self.problem: JournalCorrupt | None = None
        self._snapshot = None  # the state snapshot this open started from
        self.state_source: Literal["journal", "snapshot"] = "journal"

    # --- lifecycle -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str,
               seen: LastSeen | None = None) -> tuple[Vault, str]:
        """A new vault; returns it open, and the recovery key to show the person once."""
        _check_passphrase(passphrase)
        path = Path(path)
        if (path / HEADER_NAME).exists():
            raise VaultExists(path)
        if path.exists():
            if not path.is_dir():
                raise NotAVault(path)
            leftovers = {p.name for p in path.iterdir()}
            if leftovers - _OWN_NAMES:
                raise VaultExists(path)
            _remove_unfinished_vault(path, leftovers)
        private_mkdir(path)
        private_mkdir(path / OBJECTS_NAME)
        master = secrets.token_bytes(32)
        recovery_key = new_recovery_key()
        vault_id = secrets.token_hex(16)
        signer = Ed25519PrivateKey.generate()
        header = build_header(vault_id, [master], passphrase,
                              RecoveryRecipient.from_key(recovery_key), _raw(signer))
        lock = VaultLock(path / LOCK_NAME)
        lock.acquire()
        try:
            vault = cls(path, header, [master], lock, seen)
            assert vault.journal is not None
            first = vault.journal.create(
                "vault_created",
                {"vault_id": vault_id, "public_key": vault.public_key_openssh(),
                 "software": f"evidence-app {__version__}"},
            )
            # The header goes last: a folder without it is an unfinished vault, not a vault.
            atomic_write(path / HEADER_NAME, header_bytes(header))
            fsync_dir(path)
        except BaseException:
            lock.release()
            raise
        vault.state = fold([first])
        vault._note_seen()
        return vault, recovery_key

    @classmethod
    def open(cls, path: Path, passphrase: str, *, allow_damaged: bool = False,
             seen: LastSeen | None = None) -> Vault:
        return cls._unlock(Path(path), lambda h, p: unwrap_with_passphrase(h, passphrase, p),
                           allow_damaged, seen)

    @classmethod
    def open_with_recovery_key(cls, path: Path, recovery_key: str, *,
                               allow_damaged: bool = False,
                               seen: LastSeen | None = None) -> Vault:
        """Open with the printed recovery key; the caller then sets a new passphrase."""
        vault = cls._unlock(Path(path),
                            lambda h, p: unwrap_with_recovery_key(h, recovery_key, p),
                            allow_damaged, seen)
        if vault.problem is None:
            try:
                vault._append("opened_with_recovery_key", {})
            except BaseException:
                vault.lock()
                raise
        return vault

    @classmethod
    def _unlock(cls, path: Path, unwrap: Any, allow_damaged: bool,
                seen: LastSeen | None) -> Vault:
        """Open with `unwrap(header, path) -> master keys`, comparing vault.json with the
        copy this computer last saw: an older copy put back is noticed, and when the
        person's secret opens the remembered one, that one is put back (the replaced file
        is kept beside it)."""
        header = read_header(path)
        remembered = seen.load(header["vault_id"]) if seen is not None else None
        other = _remembered_header(remembered, header, path)
        lock = VaultLock(path / LOCK_NAME)
        lock.acquire()
        try:
            restored: dict[str, Any] | None = None
            try:
                masters = unwrap(header, path)
                if other is not None and epoch_of(other) > epoch_of(header):
                    try:
                        masters = unwrap(other, path)
                    except (WrongPassphrase, WrongRecoveryKey):
                        raise HeaderOlderThanSeen(path) from None
                    restored = other
            except (WrongPassphrase, WrongRecoveryKey):
                # Only a newer remembered header is put back: an older one that an old
                # passphrase opens would be a rollback made by the app itself.
                if other is None or epoch_of(other) <= epoch_of(header):
                    raise
                masters = unwrap(other, path)
                restored = other
            found = header
            if restored is not None:
                header = restored
            vault = cls(path, header, masters, lock, seen)
            if restored is not None:
                vault._put_back_header(found, restored)
            elif other is not None and epoch_of(other) == epoch_of(header):
                vault.notices.append(Notice("header_changed", {}))
            vault._load(allow_damaged, remembered)
        except BaseException:
            lock.release()
            raise
        return vault

    def _put_back_header(self, found: dict[str, Any], restored: dict[str, Any]) -> None:
        aside = self.path / f"{HEADER_NAME}.replaced-{_stamp()}"
        atomic_write(aside, header_bytes(dict(found)))
        atomic_write(self.path / HEADER_NAME, header_bytes(dict(restored)))
        self.notices.append(Notice("header_restored", {
            "found_epoch": epoch_of(found), "epoch": epoch_of(restored),
            "kept_as": str(aside)}))

    def _load(self, allow_damaged: bool, remembered: Seen | None = None) -> None:
        journal = self._journal()
        try:
            head: tuple[int, str] | None = journal.read_head()
        except CorruptHeader:
            if not allow_damaged:
                raise
            head = None
        head_seq = head[0] if head is not None else None
        if not self._resume(journal, head):
            scan = journal.scan(head)
            journal.adopt(scan)
            self.problem = scan.problem
            if scan.problem is not None and not allow_damaged:
                raise scan.problem
            records = scan.records
            if records and records[0]["data"].get("public_key") != self.public_key_openssh():
                self.problem = JournalCorrupt(1, "signature")
                if not allow_damaged:
                    raise self.problem
            self.state = fold(records)
            if self.problem is not None:
                return  # read-only inspection: repair nothing, move nothing
            if scan.torn is not None:
                journal.move_torn_tail(scan.torn, self.path, _stamp())
                log.warning("journal: an unfinished last record was moved aside")
        if head_seq is not None and head_seq < journal.count:
            journal.sync_head()
        self._report_torn_tails(journal)
        # Temp files of writes a crash cut short: objects, and the head or header updates.
        remove_stale_temps(self.path)
        for notice in self.notices:
            if notice.kind == "header_restored":
                self._append("header_restored", {k: notice.detail[k]
                                                 for k in ("found_epoch", "epoch")})
            elif notice.kind == "header_changed":
                self._append("header_changed", {})
        rolled_back = remembered is not None and _behind(journal, remembered)
        if rolled_back:
            assert remembered is not None
            found = journal.count
            self.notices.append(Notice("rolled_back", {"seen": remembered.records,
                                                       "found": found}))
            self._append("rollback_noticed", {"last_seen_records": remembered.records,
                                              "last_seen_hash": remembered.last_hash,
                                              "found_records": found})
        current_epoch = len(self._masters or []) - 1
        if journal.last_epoch < current_epoch:
            # A key change was cut short after the new header, before its record.
            self.notices.append(Notice("key_change_completed", {"epoch": current_epoch}))
            self._append("key_change_completed", {"epoch": current_epoch})
        moved = self._quarantine_unnamed(self._referenced())
        if moved:
            log.info("kept aside %d objects no record names", moved)
            self.notices.append(Notice("quarantined", {"count": moved,
                                                       "rolled_back": rolled_back}))
        self._note_seen()

    def _report_torn_tails(self, journal: Journal) -> None:
        """Report and record every torn tail set aside, including one whose recording a
        crash prevented (it was moved aside, then the process died before the record)."""
        asides = sorted(self.path.glob("journal.torn-*.bin"))
        if not asides:
            return
        recorded = {r["data"].get("moved_aside") for r in journal.records
                    if r["type"] == "journal_repaired"}
        for aside in asides:
            if aside.name not in recorded:
                size = aside.stat().st_size
                self.notices.append(Notice("torn_tail", {"bytes": size, "moved_to": str(aside)}))
                self._append("journal_repaired", {"moved_aside": aside.name, "bytes": size})

    def lock(self, *, save_snapshot: bool = True) -> None:
        """Close the vault and drop the keys this object holds. save_snapshot=False skips
        writing the state snapshot (a tenth of a second per thousands of items), for a
        lock that must be instant; a worker can call save_snapshot() before."""
        if self._masters is not None and self.problem is None:
            self._note_seen()
            if save_snapshot:
                self.save_snapshot()
        for master in self._masters or []:
            for i in range(len(master)):
                master[i] = 0
        self._masters = None
        self._signer = None
        self.store = None
        self.journal = None
        self.state = CaseState()
        self._lock.release()

    close = lock

    @property
    def is_open(self) -> bool:
        return self._masters is not None

    def _note_seen(self) -> None:
        """Remember, outside the vault, the last record and the header as they are now."""
        journal = self.journal
        if self._seen is None or journal is None or not journal.count:
            return
        self._seen.save(self.vault_id, Seen(journal.count, journal.last_hash,
                                            header_bytes(dict(self.header)),
                                            epoch_of(self.header)))

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.is_open:
            self.lock()

    def _journal(self) -> Journal:
        if self.journal is None:
            raise VaultLocked()
        return self.journal

    def _store(self) -> ObjectStore:
        if self.store is None:
            raise VaultLocked()
        return self.store

    def _append(self, rtype: str, data: dict[str, Any]) -> Record:
        if self.problem is not None:
            raise self.problem
        record = self._journal().append(rtype, data)
        self.state.apply(record)
        return record

    @property
    def records(self) -> list[Record]:
        return self._journal().records

    def public_key_openssh(self) -> str:
        return self.public_key.public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        ).decode("ascii")

    def fingerprint(self) -> str:
        """SHA256:... as `ssh-keygen -l` prints it, so officers can compare by eye."""
        return ssh_fingerprint(self.public_key)

    def signer(self) -> Ed25519PrivateKey:
        if self._signer is None:
            raise VaultLocked()
        return self._signer

    # --- passphrase and recovery key: each change starts a key epoch ---------------------

    def change_passphrase(self, new_passphrase: str) -> str | None:
        """A new passphrase and a new key epoch: what is written from now on cannot be read
        with an old copy of vault.json and the old passphrase. The recovery key stays the
        same, except for a vault made by the first version, whose recovery key cannot take
        a new key: then a new recovery key is made and returned (show it to the person)."""
        _check_passphrase(new_passphrase)
        recipient = RecoveryRecipient.from_header(self.header)
        new_key = None
        if recipient is None:
            new_key = new_recovery_key()
            recipient = RecoveryRecipient.from_key(new_key)
        epoch = self._new_epoch(new_passphrase, recipient)
        self._append("passphrase_changed", {"epoch": epoch,
                                            "recovery_key_replaced": new_key is not None})
        return new_key

    def check_passphrase(self, passphrase: str) -> None:
        """Raise WrongPassphrase unless `passphrase` opens this vault's current key file
        (asked again before a change of secrets, as at an unlocked, unattended computer)."""
        unwrap_with_passphrase(self.header, passphrase, self.path)

    def replace_recovery_key(self, passphrase: str) -> str:
        """A new recovery key (the old one stops working) and a new key epoch. Asks for the
        passphrase again: the new header needs it, and the vault keeps no copy of it."""
        self.check_passphrase(passphrase)
        new_key = new_recovery_key()
        epoch = self._new_epoch(passphrase, RecoveryRecipient.from_key(new_key))
        self._append("recovery_key_replaced", {"epoch": epoch})
        return new_key

    def _new_epoch(self, passphrase: str, recipient: RecoveryRecipient) -> int:
        """Write the header of a new epoch (the commit point), then switch to its keys."""
        if self._masters is None:
            raise VaultLocked()
        if self.problem is not None:
            raise self.problem
        fresh = secrets.token_bytes(32)
        masters = [bytes(m) for m in self._masters] + [fresh]
        header = build_header(self.vault_id, masters, passphrase, recipient,
                              _raw(self.signer()))
        atomic_write(self.path / HEADER_NAME, header_bytes(header))
        self.header = header
        self._masters.append(bytearray(fresh))
        self._store().add_key(subkey(fresh, "objects"))
        self._journal().add_key(subkey(fresh, "journal"))
        self._note_seen()
        return len(masters) - 1


def _behind(journal: Journal, seen: Seen) -> bool:
    """True when the log is shorter than, or not a continuation of, the one last seen."""
    if seen.records > journal.count:
        return True
    return seen.records > 0 and journal.hash_at(seen.records) != seen.last_hash


def _remembered_header(seen: Seen | None, header: dict[str, Any],
                       path: Path) -> dict[str, Any] | None:
    """The header last seen on this computer, when it differs from the one found."""
    if seen is None:
        return None
    try:
        other = parse_header(seen.header, path)
    except Exception:  # noqa: BLE001 - a damaged note is no evidence of anything
        return None
    if other["vault_id"] != header["vault_id"] \
            or header_checksum(other) == header_checksum(header):
        return None
    return other


def _raw(signer: Ed25519PrivateKey) -> bytes:
    return signer.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())



def _remove_unfinished_vault(path: Path, names: set[str]) -> None:
    import shutil

    for name in names:
        target = path / name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
