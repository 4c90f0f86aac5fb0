"""One vault = one case: a folder in which everything is encrypted and accounted for.

Layout: vault.json (key-wrapping parameters, no content), journal + head (custody log),
objects/ (encrypted originals and derived objects under random names), .lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from evidence_app import __version__
from evidence_app.core import media
from evidence_app.core.canonical import canonical_json
from evidence_app.core.errors import (
    CorruptHeader,
    CorruptObject,
    EvidenceError,
    HashMismatch,
    InputIsDirectory,
    InputNotFound,
    InputUnreadable,
    ItemNotFound,
    JournalCorrupt,
    MissingObject,
    NotAVault,
    NoteNotFound,
    OutputExists,
    UnsupportedVault,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from evidence_app.core.journal import Journal, Record, check_chain
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
from evidence_app.core.objectstore import CancelCheck, ObjectStore, Progress
from evidence_app.core.safefs import (
    atomic_output,
    atomic_write,
    fsync_dir,
    private_mkdir,
    remove_stale_temps,
)
from evidence_app.core.state import CaseState, Item, Note, fold
from evidence_app.core.timeutil import from_timestamp, now_utc_and_offset

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


@dataclass
class CheckResult:
    item_id: str
    name: str
    ok: bool
    problem: EvidenceError | None = None


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


class Vault:
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
            head_seq: int | None = journal.read_head()[0]
        except CorruptHeader:
            if not allow_damaged:
                raise
            head_seq = None
        scan = journal.scan(head_seq)
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

    # --- adding --------------------------------------------------------------------------

    def add_file(
        self,
        path: Path,
        *,
        note: str = "",
        sensitive: bool = False,
        source: dict[str, Any] | None = None,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> Item:
        """Ingest one file in one pass; returns the item once its record is durable."""
        path = Path(path)
        import stat as statmod

        # Look before opening: opening a FIFO for reading would block until a writer comes.
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            raise InputNotFound(path) from None
        except OSError as exc:
            raise InputUnreadable(path, exc.strerror or "") from None
        if statmod.S_ISDIR(mode):
            raise InputIsDirectory(path)
        if not statmod.S_ISREG(mode):
            raise InputUnreadable(path, "not a regular file")
        try:
            fh = open(path, "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            raise InputNotFound(path) from None
        except IsADirectoryError:
            raise InputIsDirectory(path) from None
        except OSError as exc:
            if path.is_dir():
                raise InputIsDirectory(path) from None
            raise InputUnreadable(path, exc.strerror or "") from None
        with fh:
            st = os.fstat(fh.fileno())
            if statmod.S_ISDIR(st.st_mode):
                raise InputIsDirectory(path)
            if not statmod.S_ISREG(st.st_mode):
                raise InputUnreadable(path, "not a regular file")
            mtime, mtime_offset = from_timestamp(st.st_mtime)
            return self._ingest(
                fh,
                name=path.name,
                total=st.st_size,
                file_mtime=(mtime, mtime_offset),
                source=source or {"type": "import", "path": str(path.resolve())},
                note=note,
                sensitive=sensitive,
                reopen=lambda: open(path, "rb"),
                progress=progress,
                cancel=cancel,
            )

    def add_bytes(
        self,
        data: bytes,
        name: str,
        *,
        source: dict[str, Any],
        note: str = "",
        sensitive: bool = False,
        kind: str = "original",
        derived_from: str | None = None,
        description: str = "",
    ) -> Item:
        """Ingest bytes made by the app itself (a screenshot, a transcript)."""
        return self._ingest(
            io.BytesIO(data),
            name=name,
            total=len(data),
            file_mtime=None,
            source=source,
            note=note,
            sensitive=sensitive,
            reopen=lambda: io.BytesIO(data),
            kind=kind,
            derived_from=derived_from,
            description=description,
        )

    def add_stream(
        self,
        src: BinaryIO,
        name: str,
        *,
        source: dict[str, Any],
        total: int = 0,
        reopen: Callable[[], BinaryIO] | None = None,
        note: str = "",
        sensitive: bool = False,
        kind: str = "original",
        derived_from: str | None = None,
        description: str = "",
        file_mtime: tuple[str, str] | None = None,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> Item:
        """Ingest from any readable stream (e.g. a member of a chat export zip).

        `reopen` gives a fresh stream for image metadata and thumbnails; without it, images
        are stored without them.
        """
        return self._ingest(
            src,
            name=name,
            total=total,
            file_mtime=file_mtime,
            source=source,
            note=note,
            sensitive=sensitive,
            reopen=reopen,
            kind=kind,
            derived_from=derived_from,
            description=description,
            progress=progress,
            cancel=cancel,
        )

    def _ingest(
        self,
        src: BinaryIO,
        *,
        name: str,
        total: int,
        file_mtime: tuple[str, str] | None,
        source: dict[str, Any],
        note: str,
        sensitive: bool,
        reopen: Callable[[], BinaryIO] | None,
        kind: str = "original",
        derived_from: str | None = None,
        description: str = "",
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> Item:
        if self.problem is not None:
            raise self.problem
        store = self._store()
        stored = store.write_stream(src, total=total, progress=progress, cancel=cancel)
        created = [stored.object_id]
        recording = False
        try:
            media_type = media.sniff_media_type(stored.head)
            exif: dict[str, Any] = {}
            image: dict[str, Any] | None = None
            thumbnail: dict[str, Any] | None = None
            if media.is_image(media_type) and reopen is not None:
                with reopen() as fh:
                    exif, image = media.read_image_metadata(fh)
                with reopen() as fh:
                    thumb = media.make_thumbnail(fh)
                if thumb is not None:
                    thumb_obj = store.write_bytes(thumb[0])
                    created.append(thumb_obj.object_id)
                    thumbnail = {"object_id": thumb_obj.object_id, "media_type": "image/jpeg",
                                 "width": thumb[1], "height": thumb[2]}
            item_id = self.state.next_item_id()
            data: dict[str, Any] = {
                "item_id": item_id,
                "object_id": stored.object_id,
                "name": name,
                "size": stored.size,
                "sha256": stored.sha256,
                "media_type": media_type,
                "source": source,
                "sensitive": sensitive,
                "duplicate_of": self.state.by_sha256.get(stored.sha256),
                "exif": exif,
                "image": image,
                "thumbnail": thumbnail,
                "kind": kind,
            }
            if file_mtime is not None:
                data["file_mtime"], data["file_mtime_offset"] = file_mtime
            if derived_from:
                data["derived_from"] = derived_from
            if description:
                data["description"] = description
            if note:
                data["note"] = note
                data["note_id"] = self.state.next_note_id()
            recording = True
            self._append("item_added", data)
        except BaseException as exc:
            # An interruption (Ctrl-C) while recording may come after the record became
            # durable: keep the objects then; the next open removes them if nothing names them.
            if not recording or isinstance(exc, EvidenceError):
                for object_id in created:
                    store.remove(object_id)
            raise
        return self.state.items[item_id]

    # --- notes, case details, flags -----------------------------------------------------

    def item(self, item_id: str) -> Item:
        key = str(item_id).lstrip("#")
        found = self.state.items.get(key)
        if found is None:
            raise ItemNotFound(str(item_id))
        return found

    def item_details(self, item_id: str) -> dict[str, Any]:
        """Every recorded field of an item, its notes and custody history (show, items.json)."""
        item = self.item(item_id)
        notes = [
            {"id": n.id, "text": n.text, "created_at": n.created_at, "edited_at": n.edited_at}
            for n in self.state.notes_for(item.id)
        ]
        seqs = set(item.history)
        history = [
            {"seq": r["seq"], "time": r["time"], "type": r["type"]}
            for r in self.records
            if r["seq"] in seqs
        ]
        return {
            "id": item.id,
            "name": item.name,
            "size": item.size,
            "sha256": item.sha256,
            "media_type": item.media_type,
            "added_at": item.added_at,
            "added_offset": item.added_offset,
            "file_mtime": item.file_mtime,
            "file_mtime_offset": item.file_mtime_offset,
            "source": item.source,
            "sensitive": item.sensitive,
            "duplicate_of": item.duplicate_of,
            "kind": item.kind,
            "derived_from": item.derived_from,
            "description": item.description,
            "withdrawn": item.withdrawn,
            "withdrawn_reason": item.withdrawn_reason,
            "image": item.image,
            "exif": item.exif,
            "has_thumbnail": bool(item.thumbnail),
            "notes": notes,
            "history": history,
        }

    def add_note(self, text: str, item_id: str | None = None) -> Note:
        if item_id is not None:
            item_id = self.item(item_id).id
        note_id = self.state.next_note_id()
        self._append("note_added", {"note_id": note_id, "item_id": item_id, "text": text})
        return self.state.notes[note_id]

    def edit_note(self, note_id: str, text: str) -> Note:
        if note_id not in self.state.notes:
            raise NoteNotFound(note_id)
        note = self.state.notes[note_id]
        self._append("note_edited", {"note_id": note_id, "item_id": note.item_id, "text": text})
        return note

    def update_case(self, fields: dict[str, Any]) -> None:
        """Merge case details (statement, dates, platforms, ...); empty values clear a field."""
        changed = {k: v for k, v in fields.items() if self.state.case.get(k) != v}
        if changed:
            self._append("case_updated", {"fields": changed})

    def update_item(
        self, item_id: str, *, sensitive: bool | None = None, description: str | None = None
    ) -> Item:
        item = self.item(item_id)
        data: dict[str, Any] = {"item_id": item.id}
        if sensitive is not None:
            data["sensitive"] = sensitive
        if description is not None:
            data["description"] = description
        self._append("item_updated", data)
        return item

    def withdraw_item(self, item_id: str, reason: str) -> Item:
        """Mark an item as not part of the evidence; nothing is ever deleted."""
        item = self.item(item_id)
        self._append("item_withdrawn", {"item_id": item.id, "reason": reason})
        return item

    def record_viewed(self, item_id: str) -> None:
        self._append("item_viewed", {"item_id": self.item(item_id).id})

    def record(self, rtype: str, data: dict[str, Any]) -> Record:
        """Record another event (bundle sealed, timestamp obtained...) in the custody log."""
        return self._append(rtype, data)

    # --- reading back --------------------------------------------------------------------

    def iter_item(self, item_id: str) -> Iterator[memoryview]:
        item = self.item(item_id)
        try:
            yield from self._store().iter_plaintext(item.object_id)
        except (CorruptObject, MissingObject) as exc:
            exc.item_id = item.id
            raise

    def thumbnail_bytes(self, item_id: str) -> bytes | None:
        item = self.item(item_id)
        if not item.thumbnail:
            return None
        return self._store().read_bytes(item.thumbnail["object_id"])

    def export_item(self, item_id: str, out: Path, *, overwrite: bool = False) -> Path:
        """Write the original, byte-for-byte and re-hashed on the way, and log the export."""
        item = self.item(item_id)
        out = Path(out)
        dest = out / safe_file_name(item.name, item.id) if out.is_dir() else out
        if dest.exists() and not overwrite:
            raise OutputExists(dest)
        hasher = hashlib.sha256()
        with atomic_output(dest) as fh:
            for view in self.iter_item(item.id):
                hasher.update(view)
                fh.write(view)
            if hasher.hexdigest() != item.sha256:
                raise HashMismatch(item.id, item.sha256, hasher.hexdigest())
        self._append("item_exported", {"item_id": item.id, "destination": str(dest.resolve())})
        return dest

    # --- integrity -----------------------------------------------------------------------

    def check(
        self, progress: Progress | None = None, cancel: CancelCheck | None = None
    ) -> list[CheckResult]:
        """Decrypt and re-hash every object; a bad one is reported, the rest still checked."""
        store = self._store()
        results: list[CheckResult] = []
        items = list(self.state.items.values())
        total = sum(i.size for i in items)
        done = 0
        for item in items:
            if cancel is not None and cancel():
                from evidence_app.core.errors import Cancelled

                raise Cancelled()
            try:
                digest, _size = store.hash_object(item.object_id, progress, done)
                if digest != item.sha256:
                    raise HashMismatch(item.id, item.sha256, digest)
                if item.thumbnail:
                    store.read_bytes(item.thumbnail["object_id"])
                results.append(CheckResult(item.id, item.name, True))
            except (CorruptObject, MissingObject) as exc:
                exc.item_id = item.id
                results.append(CheckResult(item.id, item.name, False, exc))
            except HashMismatch as exc:
                results.append(CheckResult(item.id, item.name, False, exc))
            done += item.size
            if progress is not None:
                progress(done, total, item.name)
        failed = [r.item_id for r in results if not r.ok]
        with contextlib.suppress(EvidenceError):
            self._append("integrity_checked", {"items": len(results), "failed": failed})
        return results

    def verify_log(self) -> int:
        """Check the whole chain and every signature; returns the record count or raises."""
        records = self._journal().records
        check_chain(records, self.public_key)
        if self.problem is not None:
            raise self.problem
        self._journal().read_head()
        return len(records)


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


def safe_file_name(name: str, fallback: str) -> str:
    """A name that stays inside the folder it is written to, on every system."""
    cleaned = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in name).strip(" .")
    return cleaned[:200] or f"item-{fallback}"


def _remove_unfinished_vault(path: Path, names: set[str]) -> None:
    import shutil

    for name in names:
        target = path / name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
