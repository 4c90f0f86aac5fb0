"""The custody journal: append-only, hash-chained, encrypted, every record signed.

On disk, each record is one frame: 4-byte big-endian length, 12-byte nonce, AES-256-GCM
ciphertext of the record's JSON (padded with spaces to a PADME size bucket, so a frame's
length says little about what it holds). A separate encrypted `head` file names the last
acknowledged record, so records cut off the end are noticed, and a damaged final frame
written after the head (a crash mid-append) is told apart from damage to acknowledged data.

Each frame is encrypted under the journal key of the key epoch current when it was written
(core/vault_header.py). Epochs only go forward: once a frame of epoch N has been read, a
frame that opens only with an older key is damage (someone holding an old key wrote it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from evidence_app.core.canonical import canonical_json
from evidence_app.core.errors import CorruptHeader, EvidenceError, JournalCorrupt
from evidence_app.core.keys import b64d, b64e, open_small, seal_small
from evidence_app.core.safefs import append_durably, atomic_write, truncate_durably
from evidence_app.core.segments import padme
from evidence_app.core.timeutil import now_utc_and_offset

log = logging.getLogger(__name__)

GENESIS = "0" * 64
_LEN = struct.Struct(">I")
MAX_RECORD = 16 << 20

Record = dict[str, Any]


def record_body(record: Record) -> Record:
    return {k: v for k, v in record.items() if k not in ("hash", "sig")}


def record_hash(record: Record) -> str:
    return hashlib.sha256(canonical_json(record_body(record))).hexdigest()


def verify_signature(record: Record, public_key: Ed25519PublicKey) -> bool:
    try:
        public_key.verify(b64d(record["sig"]), canonical_json(record_body(record)))
    except (InvalidSignature, KeyError, ValueError):
        return False
    return True


def check_chain(records: list[Record], public_key: Ed25519PublicKey | None) -> None:
    """Raise JournalCorrupt naming the first record that is out of order, altered or unsigned."""
    prev = GENESIS
    for expected, record in enumerate(records, start=1):
        if record.get("seq") != expected:
            raise JournalCorrupt(expected, "sequence")
        if record.get("prev") != prev:
            raise JournalCorrupt(expected, "chain")
        if record_hash(record) != record.get("hash"):
            raise JournalCorrupt(expected, "hash")
        if public_key is not None and not verify_signature(record, public_key):
            raise JournalCorrupt(expected, "signature")
        prev = record["hash"]


def head_mismatch(records: list[Record], head: tuple[int, str],
                  base: tuple[int, str] = (0, GENESIS)) -> JournalCorrupt | None:
    """The problem, if any, between the records and the head that acknowledged them.
    `records` follow record `base` (seq, hash); a head before `base` is not judged here."""
    seq, digest = head
    base_seq, base_hash = base
    if base_seq + len(records) < seq:
        return JournalCorrupt(base_seq + len(records) + 1, "missing")
    found = base_hash if seq <= base_seq else records[seq - base_seq - 1].get("hash")
    if seq > 0 and found != digest:
        return JournalCorrupt(seq, "hash")
    return None


@dataclass(frozen=True)
class Resume:
    """Where reading may start: records 1..seq (the last with `hash`, written under key
    epoch `epoch`) fill the first `end` bytes of the journal, and those bytes, whose
    SHA-256 is `sha256`, were read and checked record by record when that was noted (by
    core/snapshot.py). Bytes that hash the same hold the same checked records."""

    seq: int
    hash: str
    end: int
    epoch: int
    sha256: str


@dataclass
class TornTail:
    """A damaged final frame that was never acknowledged, moved aside on open."""

    offset: int
    length: int
    moved_to: Path | None = None


@dataclass
class ScanResult:
    records: list[Record] = field(default_factory=list)
    problem: JournalCorrupt | None = None
    torn: TornTail | None = None
    end_offset: int = 0
    last_epoch: int = -1  # the key epoch of the last record read (-1: none)
    # SHA-256 of the journal's bytes up to end_offset (what was checked), to go on with.
    checked: Any = None
    resumed: bool = False  # the bytes before the Resume point were as noted


class Journal:
    def __init__(
        self,
        path: Path,
        head_path: Path,
        keys: bytes | list[bytes],
        aad: bytes,
        signer: Ed25519PrivateKey,
    ) -> None:
        """`keys`: the journal key of each key epoch, oldest first; records are written
        under the last."""
        self.path = path
        self.head_path = head_path
        self._keys: list[bytes] = []
        self._aeads: list[AESGCM] = []
        for key in [keys] if isinstance(keys, bytes) else keys:
            self.add_key(key)
        self._aad = aad
        self._signer = signer
        self._records: list[Record] = []
        # Records 1..seq not read yet (a snapshot held their fold): read when asked for.
        self._unread: Resume | None = None
        # The bytes checked on open or written since, and their SHA-256 (None: unknown).
        self._checked: tuple[int, Any] | None = None
        self.last_epoch = -1  # the key epoch of the last record (-1: none)

    @property
    def records(self) -> list[Record]:
        """Every record; those left unread by a resumed open are read (and checked) now."""
        if self._unread is not None:
            unread = self._unread
            scan = self.scan((unread.seq, unread.hash), stop=unread.end)
            if scan.problem is None and len(scan.records) != unread.seq:
                scan.problem = JournalCorrupt(len(scan.records) + 1, "missing")
            if scan.problem is not None:
                raise scan.problem
            self._records[:0] = scan.records
            self._unread = None
        return self._records

    @records.setter
    def records(self, records: list[Record]) -> None:
        self._records = records
        self._unread = None

    def adopt(self, scan: ScanResult, resume: Resume | None = None) -> None:
        """Take what an open read: all records, or (resumed) those after `resume`."""
        self._records = scan.records
        self._unread = resume if scan.resumed else None
        clean = scan.problem is None and scan.checked is not None
        self._checked = (scan.end_offset, scan.checked) if clean else None
        self.last_epoch = scan.last_epoch

    @property
    def count(self) -> int:
        """How many records there are (without reading any left unread)."""
        return (self._unread.seq if self._unread else 0) + len(self._records)

    @property
    def last_hash(self) -> str:
        if self._records:
            return str(self._records[-1]["hash"])
        return self._unread.hash if self._unread else GENESIS

    def records_after(self, seq: int) -> list[Record]:
        """The records after record `seq`, reading unread ones only when they are needed."""
        unread = self._unread.seq if self._unread else 0
        if seq >= unread:
            return self._records[seq - unread:]
        return self.records[seq:]

    def hash_at(self, seq: int) -> str:
        """The hash of record `seq` (1-based, at most count)."""
        unread = self._unread
        if unread is not None and seq == unread.seq:
            return unread.hash
        if unread is not None and seq > unread.seq:
            return str(self._records[seq - unread.seq - 1]["hash"])
        return str(self.records[seq - 1]["hash"])

    def checked_bytes(self) -> tuple[int, str] | None:
        """(length, SHA-256) of the journal bytes checked on open or written since."""
        if self._checked is None:
            return None
        return self._checked[0], self._checked[1].hexdigest()

    def add_key(self, key: bytes) -> None:
        """A new key epoch: records from now on are written under `key`."""
        self._keys.append(key)
        self._aeads.append(AESGCM(key))

    @property
    def _key(self) -> bytes:
        return self._keys[-1]

    @property
    def _aead(self) -> AESGCM:
        return self._aeads[-1]

    # --- head -----------------------------------------------------------------------------

    def read_head(self) -> tuple[int, str]:
        """The last acknowledged record. The head may still be under the previous epoch's
        key when a key change was cut short before its first record."""
        try:
            sealed = json.loads(self.head_path.read_text("utf-8"))
        except FileNotFoundError:
            raise CorruptHeader(self.head_path, "missing") from None
        except (OSError, ValueError):
            raise CorruptHeader(self.head_path, "damaged") from None
        for key in reversed(self._keys[-2:]):
            try:
                head = json.loads(open_small(key, sealed, self._aad + b"|head"))
                return int(head["seq"]), str(head["hash"])
            except InvalidTag:
                continue
            except (ValueError, KeyError, TypeError):
                break
        raise CorruptHeader(self.head_path, "damaged")

    def _write_head(self, seq: int, digest: str) -> None:
        payload = json.dumps({"seq": seq, "hash": digest}).encode()
        sealed = seal_small(self._key, payload, self._aad + b"|head")
        atomic_write(self.head_path, json.dumps(sealed).encode())

    # --- reading --------------------------------------------------------------------------

    def scan(self, head: tuple[int, str] | None, resume: Resume | None = None,
             stop: int | None = None) -> ScanResult:
        """Read every frame. A bad final frame beyond the head is a torn tail, not damage.

        `head` is what the head file says: the last acknowledged record and its hash. A
        journal that holds a different record there (another copy of this vault's journal
        put in its place) is damage, even though its own chain is whole.
        With `resume`, only the frames after it are read, and only if the bytes before it
        are still the ones noted (else `resumed` is False and nothing is read); `stop`
        reads only the first `stop` bytes.
        """
        head_seq = head[0] if head is not None else None
        result = ScanResult()
        epoch = resume.epoch if resume is not None else 0
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            result.problem = JournalCorrupt(1, "missing")
            return result
        if stop is not None:
            data = data[:stop]
        view = memoryview(data)
        pos = 0
        prev = GENESIS
        base = (0, GENESIS)
        checked = hashlib.sha256()
        if resume is not None:
            checked.update(view[:resume.end])
            if len(data) < resume.end or checked.hexdigest() != resume.sha256:
                return result
            result.resumed = True
            pos = result.end_offset = resume.end
            prev = resume.hash
            base = (resume.seq, resume.hash)
            result.last_epoch = resume.epoch
        while pos < len(data):
            seq = base[0] + len(result.records) + 1
            frame_start = pos
            record: Record | None = None
            if len(data) - pos >= _LEN.size:
                (length,) = _LEN.unpack_from(data, pos)
                end = pos + _LEN.size + length
                if 12 + 16 <= length <= MAX_RECORD and end <= len(data):
                    nonce = data[pos + 4 : pos + 16]
                    found = self._open_frame(nonce, data[pos + 16 : end], epoch)
                    if found is not None:
                        epoch, record = found
                    pos = end
            if record is None:
                beyond_head = head_seq is None or seq > head_seq
                if beyond_head and self._is_last_frame(data, frame_start):
                    result.torn = TornTail(frame_start, len(data) - frame_start)
                else:
                    result.problem = JournalCorrupt(seq, "unreadable")
                break
            if record.get("seq") != seq:
                result.problem = JournalCorrupt(seq, "sequence")
                break
            if record.get("prev") != prev or record_hash(record) != record.get("hash"):
                result.problem = JournalCorrupt(
                    seq, "chain" if record.get("prev") != prev else "hash"
                )
                break
            prev = record["hash"]
            result.records.append(record)
            result.end_offset = pos
            result.last_epoch = epoch
        if result.problem is None and head is not None:
            result.problem = head_mismatch(result.records, head, base)
        checked.update(view[resume.end if resume is not None else 0:result.end_offset])
        result.checked = checked
        return result

    def _open_frame(self, nonce: bytes, sealed: bytes, epoch: int) -> tuple[int, Record] | None:
        """(epoch, record) under the key of `epoch` or a later one; never an earlier one."""
        for number in range(epoch, len(self._aeads)):
            try:
                plain = self._aeads[number].decrypt(nonce, sealed, self._aad)
            except InvalidTag:
                continue
            try:
                record = json.loads(plain)
            except ValueError:
                return None
            return (number, record) if isinstance(record, dict) else None
        return None

    @staticmethod
    def _is_last_frame(data: bytes, start: int) -> bool:
        if len(data) - start < _LEN.size:
            return True
        length: int = _LEN.unpack_from(data, start)[0]
        return start + _LEN.size + length >= len(data)

    def move_torn_tail(self, torn: TornTail, vault_dir: Path, stamp: str) -> Path:
        """Keep the damaged bytes (still encrypted) beside the vault, then cut them off."""
        data = self.path.read_bytes()[torn.offset :]
        aside = vault_dir / f"journal.torn-{stamp}.bin"
        number = 1
        while aside.exists() and aside.read_bytes() != data:  # never overwrite another one
            number += 1
            aside = vault_dir / f"journal.torn-{stamp}-{number}.bin"
        atomic_write(aside, data)
        truncate_durably(self.path, torn.offset)
        torn.moved_to = aside
        return aside

    # --- writing --------------------------------------------------------------------------

    def create(self, first_type: str, data: dict[str, Any]) -> Record:
        self.path.touch(mode=0o600, exist_ok=False)
        self._checked = (0, hashlib.sha256())
        return self.append(first_type, data)

    def append(self, rtype: str, data: dict[str, Any]) -> Record:
        """Durably append one signed record; only then is what it describes acknowledged."""
        prev = self.last_hash
        time_utc, offset = now_utc_and_offset()
        body: Record = {
            "seq": self.count + 1,
            "prev": prev,
            "time": time_utc,
            "offset": offset,
            "type": rtype,
            "data": data,
        }
        encoded_body = canonical_json(body)
        record = dict(body)
        record["hash"] = hashlib.sha256(encoded_body).hexdigest()
        record["sig"] = b64e(self._signer.sign(encoded_body))
        plain = json.dumps(record, ensure_ascii=False).encode("utf-8")
        plain += b" " * (padme(len(plain)) - len(plain))
        nonce = secrets.token_bytes(12)
        sealed = nonce + self._aead.encrypt(nonce, plain, self._aad)
        frame = _LEN.pack(len(sealed)) + sealed
        append_durably(self.path, frame)
        self._records.append(record)
        self.last_epoch = len(self._aeads) - 1
        if self._checked is not None:
            self._checked[1].update(frame)
            self._checked = (self._checked[0] + len(frame), self._checked[1])
        try:
            self._write_head(record["seq"], record["hash"])
        except EvidenceError:
            # The record itself is durable; a head that lags one record behind is expected
            # after a crash too and is brought up to date on the next open.
            log.warning("could not update the journal head")
        return record

    def sync_head(self) -> None:
        if self.count:
            self._write_head(self.count, self.last_hash)
