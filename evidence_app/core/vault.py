"""One vault = one case: a folder in which everything is encrypted and accounted for.

Layout: vault.json (key-wrapping parameters, no content), journal + head (custody log),
objects/ (encrypted originals and derived objects under random names), .lock.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from evidence_app import __version__
from evidence_app.core.canonical import canonical_json
from evidence_app.core.errors import (
    CorruptHeader,
    JournalCorrupt,
    NotAVault,
    UnsupportedVault,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from evidence_app.core.journal import Journal, Record
from evidence_app.core.keys import (
    MIN_PASSPHRASE_LENGTH,
    InvalidTag,
    KdfParams,
    b64d,
    b64e,
    new_recovery_key,
    open_small,
    recovery_kek,
    seal_small,
    ssh_fingerprint,
    subkey,
)
from evidence_app.core.lockfile import VaultLock
from evidence_app.core.objectstore import ObjectStore
from evidence_app.core.safefs import (
    atomic_write,
    fsync_dir,
    private_mkdir,
    remove_stale_temps,
)
from evidence_app.core.state import CaseState, fold
from evidence_app.core.timeutil import now_utc_and_offset
from evidence_app.core.vault_ingest import IngestMixin
from evidence_app.core.vault_items import ItemsMixin

log = logging.getLogger(__name__)

FORMAT = "evidence-locker-vault"
VERSION = 1
HEADER_NAME = "vault.json"
JOURNAL_NAME = "journal"
HEAD_NAME = "head"
OBJECTS_NAME = "objects"
LOCK_NAME = ".lock"
_OWN_NAMES = {HEADER_NAME, JOURNAL_NAME, HEAD_NAME, OBJECTS_NAME, LOCK_NAME}


@dataclass
class Notice:
    """Something found and repaired while opening, which the person should be told."""

    kind: str  # "torn_tail" | "orphans_removed"
    detail: dict[str, Any] = field(default_factory=dict)


def _binding(header: dict[str, Any], *keys: str) -> bytes:
    return canonical_json({k: header[k] for k in keys})


_HEADER_KEYS = {"format", "version", "vault_id", "kdf", "wrapped_key", "signing_key", "checksum"}
_SEALED = ("nonce", "ct")


def header_checksum(header: dict[str, Any]) -> str:
    """SHA-256 over the header's other fields: accidental damage to vault.json (a flipped
    bit in a salt or in the recovery key's wrapping) is named as damage, not mistaken for a
    wrong passphrase, or left unnoticed until the recovery key is needed."""
    return hashlib.sha256(canonical_json({k: v for k, v in header.items()
                                          if k != "checksum"})).hexdigest()


def _header_bytes(header: dict[str, Any]) -> bytes:
    header["checksum"] = header_checksum(header)
    return json.dumps(header, indent=1).encode()


def _is_sealed(value: object, *extra: str) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(k), str) for k in (*_SEALED, *extra))


def read_header(path: Path) -> dict[str, Any]:
    """The vault's plaintext header; raises when the folder is missing or not a vault."""
    if not path.exists():
        raise VaultNotFound(path)
    if not path.is_dir():
        raise NotAVault(path)
    header_path = path / HEADER_NAME
    try:
        header = json.loads(header_path.read_text("utf-8"))
    except FileNotFoundError:
        raise NotAVault(path) from None
    except (OSError, ValueError):
        raise CorruptHeader(header_path, "unreadable") from None
    if not isinstance(header, dict) or ("checksum" not in header
                                        and header.get("format") != FORMAT):
        raise NotAVault(path)
    if "checksum" in header:
        try:
            intact = header["checksum"] == header_checksum(header)
        except ValueError:  # text that cannot be encoded (a lone surrogate)
            intact = False
        if not intact:
            raise CorruptHeader(header_path, "checksum")
    if header.get("format") != FORMAT:
        raise NotAVault(path)
    if header.get("version") != VERSION:
        raise UnsupportedVault(header.get("version"))
    for key in ("vault_id", "kdf", "wrapped_key", "signing_key"):
        if key not in header:
            raise CorruptHeader(header_path, f"missing {key}")
    wrapped = header["wrapped_key"]
    if set(header) - _HEADER_KEYS or not isinstance(header["vault_id"], str) \
            or not isinstance(header["kdf"], dict) or not isinstance(wrapped, dict) \
            or not _is_sealed(wrapped.get("passphrase")) \
            or not _is_sealed(wrapped.get("recovery"), "salt") \
            or not _is_sealed(header["signing_key"]):
        raise CorruptHeader(header_path, "structure")
    return header


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(MIN_PASSPHRASE_LENGTH)


class Vault(IngestMixin, ItemsMixin):
    """An open (unlocked) vault. Use create()/open(); call lock() when done."""

    def __init__(self, path: Path, header: dict[str, Any], master: bytes, lock: VaultLock):
        self.path = path
        self.header = header
        self._lock = lock
        self._master: bytearray | None = bytearray(master)
        self.vault_id = header["vault_id"]
        aad = f"evidence-locker|{self.vault_id}".encode()
        sealed_signer = header["signing_key"]
        try:
            raw = open_small(subkey(master, "signing key"), sealed_signer, aad + b"|signing")
        except (InvalidTag, ValueError):
            raise CorruptHeader(path / HEADER_NAME, "signing key") from None
        self._signer: Ed25519PrivateKey | None = Ed25519PrivateKey.from_private_bytes(raw)
        self.public_key: Ed25519PublicKey = self._signer.public_key()
        self.store: ObjectStore | None = ObjectStore(
            path / OBJECTS_NAME, subkey(master, "objects")
        )
        self.journal: Journal | None = Journal(
            path / JOURNAL_NAME, path / HEAD_NAME, subkey(master, "journal"), aad, self._signer
        )
        self.state = CaseState()
        self.notices: list[Notice] = []
        self.problem: JournalCorrupt | None = None

    # --- lifecycle -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str) -> tuple[Vault, str]:
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
        header: dict[str, Any] = {"format": FORMAT, "version": VERSION, "vault_id": vault_id}
        kdf = KdfParams.new()
        header["kdf"] = kdf.to_dict()
        rec_salt = secrets.token_bytes(16)
        header["wrapped_key"] = {
            "passphrase": seal_small(
                kdf.derive(passphrase), master, _binding(header, "format", "version", "vault_id",
                                                         "kdf") + b"|passphrase"
            ),
            "recovery": {
                "salt": b64e(rec_salt),
                **seal_small(
                    recovery_kek(recovery_key, rec_salt),
                    master,
                    _binding(header, "format", "version", "vault_id") + b"|recovery",
                ),
            },
        }
        signer = Ed25519PrivateKey.generate()
        aad = f"evidence-locker|{vault_id}".encode()
        header["signing_key"] = seal_small(
            subkey(master, "signing key"),
            signer.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            ),
            aad + b"|signing",
        )
        lock = VaultLock(path / LOCK_NAME)
        lock.acquire()
        try:
            vault = cls(path, header, master, lock)
            assert vault.journal is not None
            first = vault.journal.create(
                "vault_created",
                {"vault_id": vault_id, "public_key": vault.public_key_openssh(),
                 "software": f"evidence-app {__version__}"},
            )
            # The header goes last: a folder without it is an unfinished vault, not a vault.
            atomic_write(path / HEADER_NAME, _header_bytes(header))
            fsync_dir(path)
        except BaseException:
            lock.release()
            raise
        vault.state = fold([first])
        return vault, recovery_key

    @classmethod
    def open(cls, path: Path, passphrase: str, *, allow_damaged: bool = False) -> Vault:
        path = Path(path)
        header = read_header(path)
        try:
            kdf = KdfParams.from_dict(header["kdf"])
        except (ValueError, KeyError, TypeError):
            raise CorruptHeader(path / HEADER_NAME, "kdf") from None
        lock = VaultLock(path / LOCK_NAME)
        lock.acquire()
        try:
            try:
                master = open_small(
                    kdf.derive(passphrase),
                    header["wrapped_key"]["passphrase"],
                    _binding(header, "format", "version", "vault_id", "kdf") + b"|passphrase",
                )
            except InvalidTag:
                raise WrongPassphrase() from None
            except (KeyError, ValueError, TypeError):
                raise CorruptHeader(path / HEADER_NAME, "wrapped key") from None
            vault = cls(path, header, master, lock)
            vault._load(allow_damaged)
        except BaseException:
            lock.release()
            raise
        return vault

    @classmethod
    def open_with_recovery_key(
        cls, path: Path, recovery_key: str, *, allow_damaged: bool = False
    ) -> Vault:
        """Open with the printed recovery key; the caller then sets a new passphrase."""
        path = Path(path)
        header = read_header(path)
        lock = VaultLock(path / LOCK_NAME)
        lock.acquire()
        try:
            wrapped = header["wrapped_key"]["recovery"]
            try:
                master = open_small(
                    recovery_kek(recovery_key, b64d(wrapped["salt"])),
                    wrapped,
                    _binding(header, "format", "version", "vault_id") + b"|recovery",
                )
            except InvalidTag:
                raise WrongRecoveryKey() from None
            except ValueError:
                raise CorruptHeader(path / HEADER_NAME, "wrapped key") from None
            vault = cls(path, header, master, lock)
            vault._load(allow_damaged)
            if vault.problem is None:
                vault._append("opened_with_recovery_key", {})
        except BaseException:
            lock.release()
            raise
        return vault

    def _load(self, allow_damaged: bool) -> None:
        journal = self._journal()
        try:
            head: tuple[int, str] | None = journal.read_head()
        except CorruptHeader:
            if not allow_damaged:
                raise
            head = None
        head_seq = head[0] if head is not None else None
        scan = journal.scan(head)
        journal.records = scan.records
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
            return  # read-only inspection: repair nothing, delete nothing
        if scan.torn is not None:
            stamp = now_utc_and_offset()[0].replace(":", "").replace("-", "")[:15] + "Z"
            journal.move_torn_tail(scan.torn, self.path, stamp)
            log.warning("journal: an unfinished last record was moved aside")
        elif head_seq is not None and head_seq < len(records):
            journal.sync_head()
        self._report_torn_tails(journal)
        store = self._store()
        # Temp files of writes a crash cut short: objects, and the head or header updates.
        remove_stale_temps(self.path)
        orphans = store.all_ids() - referenced_objects(journal.records)
        for object_id in orphans:
            store.remove(object_id)
        if orphans:
            log.info("removed %d unrecorded objects left by an interrupted add", len(orphans))
            self.notices.append(Notice("orphans_removed", {"count": len(orphans)}))

    def _report_torn_tails(self, journal: Journal) -> None:
        """Report and record every torn tail set aside, including one whose recording a
        crash prevented (it was moved aside, then the process died before the record)."""
        recorded = {r["data"].get("moved_aside") for r in journal.records
                    if r["type"] == "journal_repaired"}
        for aside in sorted(self.path.glob("journal.torn-*.bin")):
            if aside.name not in recorded:
                size = aside.stat().st_size
                self.notices.append(Notice("torn_tail", {"bytes": size, "moved_to": str(aside)}))
                self._append("journal_repaired", {"moved_aside": aside.name, "bytes": size})

    def lock(self) -> None:
        """Close the vault and drop the keys this object holds."""
        if self._master is not None:
            for i in range(len(self._master)):
                self._master[i] = 0
        self._master = None
        self._signer = None
        self.store = None
        self.journal = None
        self.state = CaseState()
        self._lock.release()

    close = lock

    @property
    def is_open(self) -> bool:
        return self._master is not None

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

    # --- passphrase ----------------------------------------------------------------------

    def change_passphrase(self, new_passphrase: str) -> None:
        """Re-wrap the master key under a new passphrase; content is not re-encrypted."""
        _check_passphrase(new_passphrase)
        if self._master is None:
            raise VaultLocked()
        header = dict(self.header)
        kdf = KdfParams.new()
        header["kdf"] = kdf.to_dict()
        header["wrapped_key"] = dict(header["wrapped_key"])
        header["wrapped_key"]["passphrase"] = seal_small(
            kdf.derive(new_passphrase),
            bytes(self._master),
            _binding(header, "format", "version", "vault_id", "kdf") + b"|passphrase",
        )
        atomic_write(self.path / HEADER_NAME, _header_bytes(header))
        self.header = header
        self._append("passphrase_changed", {})

def referenced_objects(records: list[Record]) -> set[str]:
    """Every object id a record names, at any depth (originals, thumbnails, tokens...)."""
    found: set[str] = set()
    stack: list[Any] = [r.get("data") for r in records]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, inner in value.items():
                if key == "object_id" and isinstance(inner, str):
                    found.add(inner)
                elif key not in _NO_OBJECTS_INSIDE and isinstance(inner, (dict, list)):
                    stack.append(inner)
        elif isinstance(value, list):
            stack.extend(v for v in value if isinstance(v, (dict, list)))
    return found


# Metadata copied from files (camera EXIF, image size) never names an object.
_NO_OBJECTS_INSIDE = frozenset({"exif", "image"})


def _remove_unfinished_vault(path: Path, names: set[str]) -> None:
    import shutil

    for name in names:
        target = path / name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
