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


def head_mismatch(records: list[Record], head: tuple[int, str]) -> JournalCorrupt | None:
    """The problem, if any, between the records and the head that acknowledged them."""
    seq, digest = head
    if len(records) < seq:
        return JournalCorrupt(len(records) + 1, "missing")
    if seq > 0 and records[seq - 1].get("hash") != digest:
        return JournalCorrupt(seq, "hash")
    return None


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
        self.records: list[Record] = []

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

    def scan(self, head: tuple[int, str] | None) -> ScanResult:
        """Read every frame. A bad final frame beyond the head is a torn tail, not damage.

        `head` is what the head file says: the last acknowledged record and its hash. A
        journal that holds a different record there (another copy of this vault's journal
        put in its place) is damage, even though its own chain is whole.
        """
        head_seq = head[0] if head is not None else None
        result = ScanResult()
        epoch = 0
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            result.problem = JournalCorrupt(1, "missing")
            return result
        pos = 0
        prev = GENESIS
        while pos < len(data):
            seq = len(result.records) + 1
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
            result.problem = head_mismatch(result.records, head)
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
        (length,) = _LEN.unpack_from(data, start)
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
        return self.append(first_type, data)

    def append(self, rtype: str, data: dict[str, Any]) -> Record:
        """Durably append one signed record; only then is what it describes acknowledged."""
        prev = self.records[-1]["hash"] if self.records else GENESIS
        time_utc, offset = now_utc_and_offset()
        body: Record = {
            "seq": len(self.records) + 1,
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
        append_durably(self.path, _LEN.pack(len(sealed)) + sealed)
        self.records.append(record)
        try:
            self._write_head(record["seq"], record["hash"])
        except EvidenceError:
            # The record itself is durable; a head that lags one record behind is expected
            # after a crash too and is brought up to date on the next open.
            log.warning("could not update the journal head")
        return record

    def sync_head(self) -> None:
        if self.records:
            self._write_head(self.records[-1]["seq"], self.records[-1]["hash"])
