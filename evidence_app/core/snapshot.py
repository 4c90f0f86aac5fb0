"""An encrypted snapshot of the folded case state, so a large vault lists at once.

The custody journal stays the source of truth; the snapshot is a cache of its fold that is
used only when it provably describes the journal found on disk, and otherwise ignored
(the journal is then read and folded as before, and a new snapshot written on lock).

What is in it (AES-256-GCM under the snapshot key of the current key epoch, an HKDF
subkey of the master key like the journal and object keys; `seal_small` as for the head
file; the AAD names the purpose, the vault and the key epoch): the records folded (count
and the last one's hash), the length and SHA-256 of the journal bytes that held them, the
key epoch of the last of them, which fold code made it (core/state.py fold_fingerprint),
the state, and every object id those records name (for the quarantine).

Why that is as strong as reading the whole journal: a snapshot is written only from a
journal that was read and checked record by record on open (decryption, sequence, chain,
hashes, head) plus the records this process appended itself, and it carries the SHA-256
of exactly those bytes. On open the journal's first `end` bytes must hash the same, so
they hold the same checked records; only the frames after them are read and checked, and
the head must name the last record as usual. A snapshot that fails to decrypt (damaged,
another vault's, an older key epoch's) or does not match the journal is ignored. The
signature check of every record stays where it was: `log --verify` and `check`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from evidence_app.core.errors import EvidenceError
from evidence_app.core.journal import Journal, Record, Resume, ScanResult
from evidence_app.core.keys import InvalidTag, open_small, seal_small, subkey
from evidence_app.core.safefs import atomic_write
from evidence_app.core.segments import padme
from evidence_app.core.state import CaseState, fold_fingerprint, state_from_data, state_to_data
from evidence_app.core.vault_parts import VaultParts

log = logging.getLogger(__name__)

SNAPSHOT_NAME = "state.snapshot"
VERSION = 1
MAX_SNAPSHOT = 1 << 30  # a larger file is not ours (and would not fit in memory)


@dataclass
class Snapshot:
    """A fold of records 1..resume.seq, valid for the journal bytes resume names."""

    resume: Resume
    state: CaseState
    referenced: set[str]


def snapshot_key(master: bytes) -> bytes:
    return subkey(master, "snapshot")


def _aad(vault_id: str, key_epoch: int) -> bytes:
    return f"evidence-locker|{vault_id}|state snapshot v{VERSION}|epoch {key_epoch}".encode()


def write_snapshot(folder: Path, key: bytes, vault_id: str, key_epoch: int,
                   snapshot: Snapshot) -> None:
    """Write the snapshot atomically (temp file, fsync, rename, fsync of the folder)."""
    r = snapshot.resume
    payload = {"seq": r.seq, "hash": r.hash, "end": r.end, "epoch": r.epoch,
               "sha256": r.sha256, "fold": fold_fingerprint(),
               "state": state_to_data(snapshot.state),
               "referenced": sorted(snapshot.referenced)}
    plain = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    plain += b" " * (padme(len(plain)) - len(plain))
    sealed = seal_small(key, plain, _aad(vault_id, key_epoch))
    atomic_write(folder / SNAPSHOT_NAME, json.dumps(sealed).encode("ascii"))


def read_snapshot(folder: Path, key: bytes, vault_id: str, key_epoch: int) -> Snapshot | None:
    """The snapshot if it opens under this vault's current key and this fold code."""
    path = folder / SNAPSHOT_NAME
    try:
        if path.stat().st_size > MAX_SNAPSHOT:
            raise ValueError("too large")
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.info("the state snapshot is unreadable; the custody log is read instead")
        return None
    try:
        plain = open_small(key, json.loads(raw), _aad(vault_id, key_epoch))
        data = json.loads(plain)
        if data["fold"] != fold_fingerprint():
            log.info("the state snapshot was made by other code; the custody log is read")
            return None
        resume = Resume(seq=data["seq"], hash=data["hash"], end=data["end"],
                        epoch=data["epoch"], sha256=data["sha256"])
        if not all(type(v) is int and v >= 1 for v in (resume.seq, resume.end)) \
                or type(resume.epoch) is not int or resume.epoch > key_epoch \
                or not all(isinstance(v, str) and len(v) == 64
                           for v in (resume.hash, resume.sha256)):
            raise ValueError("snapshot fields")
        referenced = data["referenced"]
        if not isinstance(referenced, list) or not all(isinstance(v, str) for v in referenced):
            raise ValueError("snapshot referenced")
        return Snapshot(resume, state_from_data(data["state"]), set(referenced))
    except (InvalidTag, ValueError, KeyError, TypeError, AttributeError):
        # Damaged, another vault's, an older key epoch's: a cache, so only logged.
        log.info("the state snapshot does not open; the custody log is read instead")
        return None


def resume_from(journal: Journal, snapshot: Snapshot,
                head: tuple[int, str]) -> tuple[CaseState, ScanResult] | None:
    """The state folded from the snapshot and the records after it, when the journal
    still holds, byte for byte, what the snapshot was folded from and everything after it
    reads and chains cleanly up to the head; None otherwise (read the whole journal)."""
    resume = snapshot.resume
    if head[0] < resume.seq:
        return None
    scan = journal.scan(head, resume)
    if not scan.resumed or scan.problem is not None or scan.torn is not None:
        return None
    state = snapshot.state
    for record in scan.records:
        state.apply(record)
    return state, scan


def snapshot_now(journal: Journal, state: CaseState, referenced: set[str]) -> Snapshot | None:
    """A snapshot of the state as it is now, or None when the journal bytes it would stand
    for were not all checked (a damaged journal opened for inspection, a failed write)."""
    checked = journal.checked_bytes()
    if checked is None or journal.count == 0:
        return None
    end, sha256 = checked
    resume = Resume(journal.count, journal.last_hash, end, journal.last_epoch, sha256)
    return Snapshot(resume, state, referenced)


def save_quietly(folder: Path, key: bytes, vault_id: str, key_epoch: int,
                 snapshot: Snapshot) -> bool:
    """Write the snapshot; a failure (full disk, read-only stick) only costs speed."""
    try:
        write_snapshot(folder, key, vault_id, key_epoch, snapshot)
    except (OSError, EvidenceError):
        log.warning("could not write the state snapshot")
        return False
    return True


class SnapshotMixin(VaultParts):
    """The vault's use of its snapshot: on open (core/vault.py _load) and on lock."""

    path: Path
    vault_id: str
    journal: Journal | None
    _masters: list[bytearray] | None
    _snapshot: Snapshot | None
    state_source: Literal["journal", "snapshot"]

    if TYPE_CHECKING:

        def public_key_openssh(self) -> str: ...

    def _resume(self, journal: Journal, head: tuple[int, str] | None) -> bool:
        """Start from the state snapshot when it fits this journal exactly; False: read
        the whole journal instead (core/snapshot.py says why that is as strong)."""
        if head is None or not self._masters:
            return False
        snapshot = read_snapshot(self.path, snapshot_key(bytes(self._masters[-1])),
                                 self.vault_id, len(self._masters) - 1)
        resumed = resume_from(journal, snapshot, head) if snapshot is not None else None
        if resumed is None or resumed[0].public_key != self.public_key_openssh():
            return False
        self.state, scan = resumed
        journal.adopt(scan, snapshot.resume if snapshot is not None else None)
        self._snapshot, self.state_source = snapshot, "snapshot"
        return True

    def _referenced(self) -> set[str]:
        """Every object a record names (from the snapshot and the records after it)."""
        journal, base = self._journal(), self._snapshot
        if base is None:
            return referenced_objects(journal.records)
        return base.referenced | referenced_objects(journal.records_after(base.resume.seq))

    def save_snapshot(self) -> None:
        """Keep the fold for the next open, unless the snapshot on disk already holds it
        (lock() does this; a long piece of work may do it at its end)."""
        journal, masters, base = self.journal, self._masters, self._snapshot
        if journal is None or not masters or self.problem is not None \
                or (base is not None and base.resume.seq == journal.count):
            return
        referenced = self._referenced()
        snapshot = snapshot_now(journal, self.state, referenced)
        if snapshot is not None and save_quietly(
                self.path, snapshot_key(bytes(masters[-1])), self.vault_id,
                len(masters) - 1, snapshot):
            self._snapshot = Snapshot(snapshot.resume, self.state, referenced)



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
