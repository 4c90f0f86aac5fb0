"""Chunked AES-GCM objects: sizes at and around segment boundaries, and every kind of damage
located to the right segment."""

from __future__ import annotations

import hashlib
import io
import os
import secrets

import pytest

from evidence_app.core.errors import CorruptObject, InputUnreadable, MissingObject
from evidence_app.core.objectstore import ObjectStore
from evidence_app.core.segments import (
    HEADER_SIZE,
    SEGMENT_SIZE,
    TAG_SIZE,
    encrypted_size,
)

SEG = SEGMENT_SIZE
UNIT = SEG + TAG_SIZE


@pytest.fixture
def store(tmp_path):
    return ObjectStore(tmp_path / "objects", secrets.token_bytes(32))


def _read_all(store: ObjectStore, object_id: str) -> bytes:
    return b"".join(bytes(v) for v in store.iter_plaintext(object_id))


@pytest.mark.parametrize("size", [0, 1, SEG - 1, SEG, SEG + 1, 2 * SEG, 3 * SEG, 3 * SEG + 7])
def test_round_trip_sizes(store, size):
    data = os.urandom(size)
    stored = store.write_stream(io.BytesIO(data), total=size)
    assert stored.size == size
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.head == data[:8192]
    path = store.path(stored.object_id)
    # Exact multiples get no empty trailing segment; an empty file is one empty segment.
    assert path.stat().st_size == encrypted_size(size)
    assert _read_all(store, stored.object_id) == data
    assert store.hash_object(stored.object_id) == (stored.sha256, size)


def test_reading_in_odd_chunks_gives_the_same_object(store):
    """Readers that return short reads (pipes, zip members) must not change the result."""

    class Dribble(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._src = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buf) -> int:
            chunk = self._src.read(min(len(buf), 4093))
            buf[: len(chunk)] = chunk
            return len(chunk)

    data = os.urandom(2 * SEG + 100)
    stored = store.write_stream(Dribble(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert _read_all(store, stored.object_id) == data


def test_object_names_reveal_nothing(store):
    same = b"identical content"
    a = store.write_bytes(same)
    b = store.write_bytes(same)
    assert a.object_id != b.object_id
    assert store.path(a.object_id).read_bytes() != store.path(b.object_id).read_bytes()
    assert hashlib.sha256(same).hexdigest()[:32] not in (a.object_id, b.object_id)


def _damage(path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _failure(store, object_id) -> CorruptObject:
    with pytest.raises(CorruptObject) as info:
        _read_all(store, object_id)
    return info.value


@pytest.mark.parametrize("segment", [0, 1, 2])
def test_flipped_byte_is_located(store, segment):
    stored = store.write_stream(io.BytesIO(os.urandom(3 * SEG - 5)))
    _damage(store.path(stored.object_id), HEADER_SIZE + segment * UNIT + 1234)
    err = _failure(store, stored.object_id)
    assert (err.segment, err.reason) == (segment, "auth")
    assert err.object_id == stored.object_id


def test_flipped_tag_byte_is_located(store):
    stored = store.write_stream(io.BytesIO(os.urandom(2 * SEG)))
    _damage(store.path(stored.object_id), HEADER_SIZE + 2 * UNIT - 1)
    assert _failure(store, stored.object_id).segment == 1


def test_header_damage(store):
    stored = store.write_stream(io.BytesIO(os.urandom(100)))
    path = store.path(stored.object_id)
    _damage(path, 8)  # the salt: every segment's key changes
    assert _failure(store, stored.object_id).segment == 0
    path.write_bytes(b"NOTOBJ" + path.read_bytes()[6:])
    assert _failure(store, stored.object_id).reason == "header"
    path.write_bytes(path.read_bytes()[:10])
    assert _failure(store, stored.object_id).reason == "truncated"


@pytest.mark.parametrize("keep", [1, 2])
def test_truncation_at_a_segment_boundary_is_detected(store, keep):
    data = os.urandom(3 * SEG)
    stored = store.write_stream(io.BytesIO(data))
    path = store.path(stored.object_id)
    path.write_bytes(path.read_bytes()[: HEADER_SIZE + keep * UNIT])
    # The remaining segments are each intact, but the last of them was not written as last.
    err = _failure(store, stored.object_id)
    assert err.segment == keep - 1


def test_truncation_inside_a_segment_and_extra_bytes(store):
    stored = store.write_stream(io.BytesIO(os.urandom(2 * SEG)))
    path = store.path(stored.object_id)
    whole = path.read_bytes()
    last = (len(whole) - HEADER_SIZE - 1) // UNIT  # the padding's final segment
    path.write_bytes(whole[:-100])
    assert _failure(store, stored.object_id).segment == last
    path.write_bytes(whole + os.urandom(50))
    assert _failure(store, stored.object_id).segment == last  # no longer the last segment
    path.write_bytes(whole + whole[HEADER_SIZE:][:UNIT])
    assert _failure(store, stored.object_id).segment >= 1


def test_segments_swapped_or_moved_between_objects(store):
    first = store.write_stream(io.BytesIO(os.urandom(3 * SEG)))
    path = store.path(first.object_id)
    data = path.read_bytes()
    seg0 = data[HEADER_SIZE : HEADER_SIZE + UNIT]
    seg1 = data[HEADER_SIZE + UNIT : HEADER_SIZE + 2 * UNIT]
    path.write_bytes(data[:HEADER_SIZE] + seg1 + seg0 + data[HEADER_SIZE + 2 * UNIT :])
    assert _failure(store, first.object_id).segment == 0
    path.write_bytes(data)
    second = store.write_stream(io.BytesIO(os.urandom(3 * SEG)))
    other = store.path(second.object_id).read_bytes()
    path.write_bytes(data[: HEADER_SIZE + UNIT] + other[HEADER_SIZE + UNIT : HEADER_SIZE + 2 * UNIT]
                     + data[HEADER_SIZE + 2 * UNIT :])
    assert _failure(store, first.object_id).segment == 1


def test_other_key_cannot_read(store, tmp_path):
    stored = store.write_bytes(b"secret")
    stranger = ObjectStore(store.root, secrets.token_bytes(32))
    assert _failure(stranger, stored.object_id).segment == 0


def test_missing_and_malformed_ids(store):
    with pytest.raises(MissingObject):
        _read_all(store, "0" * 32)
    with pytest.raises(MissingObject):
        store.path("../../etc/passwd")


def test_read_error_leaves_nothing(store):
    class Failing(io.RawIOBase):
        name = "/media/usb/broken.mp4"

        def __init__(self) -> None:
            self.calls = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buf) -> int:
            self.calls += 1
            if self.calls > 3:
                raise OSError(5, "Input/output error")
            buf[:] = b"\0" * len(buf)
            return len(buf)

    with pytest.raises(InputUnreadable) as info:
        store.write_stream(Failing())
    assert str(info.value.path) == "/media/usb/broken.mp4"
    assert store.all_ids() == set()
    assert not [p for p in store.root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("every", [0, SEG + 5, 8 << 20])
def test_early_write_back_keeps_objects_whole(store, monkeypatch, every):
    """Starting write-back part-way (or never) changes nothing about what is stored."""
    from evidence_app.core import objectstore

    monkeypatch.setattr(objectstore, "WRITEBACK_EVERY", every)
    data = os.urandom(20 * SEG + 3)
    stored = store.write_stream(io.BytesIO(data))
    assert store.path(stored.object_id).stat().st_size == encrypted_size(len(data))
    assert _read_all(store, stored.object_id) == data


# --- padding (what the folder shows about sizes) and key epochs --------------------------


def test_sizes_on_disk_are_buckets_not_exact_sizes(store):
    """An observer of the folder sees a size bucket: close sizes look identical."""
    sizes = {}
    for n in (1_000_000, 1_003_000, 1_010_000):
        stored = store.write_bytes(os.urandom(n))
        sizes[n] = store.path(stored.object_id).stat().st_size
        assert sizes[n] == encrypted_size(n)
        assert sizes[n] - n < 0.13 * n + 64  # PADME: at most 12 % more
    assert len(set(sizes.values())) == 1, sizes


def test_padding_and_length_are_authenticated(store):
    """The content length lives in the last segment: changing it or cutting padding fails."""
    stored = store.write_bytes(os.urandom(5000))
    path = store.path(stored.object_id)
    whole = path.read_bytes()
    _damage(path, len(whole) - TAG_SIZE - 3)  # inside the length trailer
    assert _failure(store, stored.object_id).segment == 0
    path.write_bytes(whole[:-1])
    assert _failure(store, stored.object_id).segment == 0


def _version_1_object(store, object_id: str) -> bytes:
    """An object as the first version wrote it (ELOBJ1, epoch 0, no padding): two segments
    of random content; returns the content."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from evidence_app.core.keys import subkey
    from evidence_app.core.segments import nonce

    data = os.urandom(SEG + 10)
    salt = os.urandom(16)
    header = b"ELOBJ1" + SEG.to_bytes(4, "big") + salt
    aead = AESGCM(subkey(store._keys[0], "evidence-locker object v1", salt))
    body = aead.encrypt(nonce(0, False), data[:SEG], header) + aead.encrypt(
        nonce(1, True), data[SEG:], header)
    store.path(object_id).parent.mkdir(parents=True, exist_ok=True)
    store.path(object_id).write_bytes(header + body)
    return data


def test_version_1_objects_still_read(store):
    """Objects written before padding existed (ELOBJ1, epoch 0) open unchanged."""
    data = _version_1_object(store, "ab" * 16)
    assert _read_all(store, "ab" * 16) == data


def test_each_object_opens_with_its_own_epoch_key(tmp_path):
    """After a key change, old objects keep their key and new ones use only the new one."""
    old_key, new_key = secrets.token_bytes(32), secrets.token_bytes(32)
    before = ObjectStore(tmp_path / "objects", [old_key])
    first = before.write_bytes(b"written before the change")
    after = ObjectStore(tmp_path / "objects", [old_key, new_key])
    second = after.write_bytes(b"written after the change")
    assert _read_all(after, first.object_id) == b"written before the change"
    assert _read_all(after, second.object_id) == b"written after the change"
    # Someone holding only the old key (an old header and old passphrase) reads nothing new.
    assert _failure(before, second.object_id).reason == "header"
    assert _failure(ObjectStore(tmp_path / "objects", [new_key]),
                    first.object_id).segment == 0


def test_a_range_decrypts_only_its_segments_and_matches_the_whole(store):
    """The reader's pages: any range, across segment boundaries and past the end, is the
    same bytes as the whole read; damage elsewhere in the object does not stop it, damage
    inside the range is located."""
    data = os.urandom(3 * SEG + 77)
    stored = store.write_stream(io.BytesIO(data), total=len(data))
    oid = stored.object_id
    for offset, length in [(0, 10), (SEG - 5, 10), (SEG, SEG), (2 * SEG - 1, SEG + 2),
                           (3 * SEG, 500), (len(data) - 3, 100), (len(data), 5), (0, 0),
                           (123, 4 * SEG)]:
        assert store.read_range(oid, offset, length) == data[offset:offset + length]
    assert store.read_range(oid, -1, 10) == b""
    _damage(store.path(oid), HEADER_SIZE + 2 * UNIT + 9)  # inside segment 2
    assert store.read_range(oid, 10, 20) == data[10:30]
    with pytest.raises(CorruptObject) as caught:
        store.read_range(oid, 2 * SEG + 1, 10)
    assert caught.value.segment == 2


def test_a_range_of_a_version_1_object(store):
    data = _version_1_object(store, "cd" * 16)
    assert store.read_range("cd" * 16, SEG - 4, 100) == data[SEG - 4:]
