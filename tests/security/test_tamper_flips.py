"""Tamper detection: seeded random bit flips across every file of a vault and of a sealed
bundle. Every flip must be detected — by opening the vault, `log --verify` (verify_log),
`check`, or `verify` — and the report must name what was hit: the file (vault.json, head),
the custody record's number, the item and the segment, or the bundle file.

The checks run in-process through the same core functions the CLI calls, and the words come
from evidence_app.messages.describe / verify_words.check_line, which is what the CLI prints
(a few flips per kind also go through the real CLI, in test_cli_names_the_damage).

What is flipped, and why nothing is skipped:
- vault: vault.json, head, every journal frame (length prefix, nonce, ciphertext) and every
  object file (header, segments, tags), thumbnails and chat media included.
- bundle, inside: every file of the bag, re-zipped as an officer or attacker would
  (tests/bundle/bundle_helpers.rezip). The zip container's own metadata (timestamps,
  attributes, "version made by", extra fields) is not flipped: the bag depends only on the
  names and bytes of the files it holds, and those are exactly what the re-zipped flips
  change; a flip in the container that changes a name or content either fails the zip's
  CRC or is one of these flips, and one that changes neither cannot alter the evidence.
- bundle, outside: the encrypted .age file itself (header and payload).
"""

from __future__ import annotations

import random
import shutil
import struct
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from evidence_app.bundle import agefile
from evidence_app.bundle.bag import TAGMANIFEST
from evidence_app.bundle.seal import Protection, seal
from evidence_app.bundle.verify import verify_bundle
from evidence_app.core.errors import (
    CorruptHeader,
    CorruptObject,
    EvidenceError,
    HashMismatch,
    JournalCorrupt,
)
from evidence_app.core.segments import HEADER_SIZE, SEGMENT_SIZE, TAG_SIZE
from evidence_app.core.vault import Vault
from evidence_app.messages import describe, object_problem
from evidence_app.verify_words import check_line
from tests.helpers import PASSPHRASE, run_cli
from tests.security.kit import build_vault, flip_bit, report

KINDS = ("vault.json", "head", "journal", "object", "bundle-file", "bundle-age")


@dataclass
class Pristine:
    vault: Path
    owners: dict[str, str]  # object id -> item id (originals and thumbnails)
    frames: list[tuple[int, int]]  # journal: (start, end) of each record's frame
    bag: dict[str, bytes]  # rel path in the bag -> content
    bag_name: str
    age_bundle: Path
    identity: str


@dataclass
class Tally:
    trials: int = 0
    detected: int = 0
    named: int = 0
    per_kind: Counter = field(default_factory=Counter)
    detected_by: Counter = field(default_factory=Counter)
    survived: list[str] = field(default_factory=list)  # flips nobody noticed (must be none)
    unnamed: list[str] = field(default_factory=list)  # noticed, but the wrong thing named


def _frames(journal: bytes) -> list[tuple[int, int]]:
    spans, pos = [], 0
    while pos < len(journal):
        (length,) = struct.unpack_from(">I", journal, pos)
        spans.append((pos, pos + 4 + length))
        pos += 4 + length
    return spans


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Pristine:
    tmp = tmp_path_factory.mktemp("pristine")
    rng = random.Random(99)
    vault = build_vault(tmp / "vault", rng)
    owners = {}
    for item in vault.state.items.values():
        owners[item.object_id] = item.id
        if item.thumbnail:
            owners[item.thumbnail["object_id"]] = item.id
    identity = agefile.X25519PrivateKey.generate()
    recipient = agefile.recipient_string(identity.public_key())
    plain = seal(vault, tmp / "plain", Protection.unencrypted())
    encrypted = seal(vault, tmp / "age", Protection.for_recipients([recipient]))
    vault.lock()
    with zipfile.ZipFile(plain.bundle_path) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
        bag = {n.split("/", 1)[1]: zf.read(n) for n in names}
    return Pristine(tmp / "vault", owners, _frames((tmp / "vault/journal").read_bytes()), bag,
                    plain.name, encrypted.bundle_path, agefile.identity_string(identity))


# --- the vault -------------------------------------------------------------------------------

def _vault_trial(p: Pristine, kind: str, rng: random.Random, work: Path, t: Tally) -> None:
    vault = work / "vault"
    shutil.copytree(p.vault, vault)
    if kind == "object":
        object_id = rng.choice(sorted(p.owners))
        target = vault / "objects" / object_id[:2] / object_id[2:]
    else:
        target = vault / kind
    offset = flip_bit(target, rng)
    where = f"{kind}@{offset}"
    found: EvidenceError | None = None
    by = ""
    try:
        with Vault.open(vault, PASSPHRASE) as v:
            try:
                v.verify_log()
            except JournalCorrupt as exc:
                found, by = exc, "log --verify"
            if found is None:
                bad = [r for r in v.check() if not r.ok]
                if bad:
                    found, by = bad[0].problem, "check"
                    assert len(bad) == 1, where
    except EvidenceError as exc:
        found, by = exc, "open"
    if found is None:
        t.survived.append(where)
        return
    t.detected += 1
    t.detected_by[by] += 1
    if _names_vault_target(p, kind, target, offset, found):
        t.named += 1
    else:
        t.unnamed.append(f"{where}: {type(found).__name__} {found} -> {describe(found)}")


def _names_vault_target(p: Pristine, kind: str, target: Path, offset: int,
                        found: EvidenceError) -> bool:
    if kind in ("vault.json", "head"):
        return isinstance(found, CorruptHeader) and found.path.name == kind \
            and kind in describe(found)
    if kind == "journal":
        record = next(i for i, (a, b) in enumerate(p.frames, 1) if a <= offset < b)
        return isinstance(found, JournalCorrupt) and found.seq == record \
            and f"record {record}:" in describe(found)
    object_id = target.parent.name + target.name
    item = p.owners[object_id]
    if not isinstance(found, CorruptObject | HashMismatch) or found.item_id != item:
        return False
    words = object_problem(found)
    if not isinstance(found, CorruptObject):
        return f"Item {item}:" in words
    segment = max(0, offset - HEADER_SIZE) // (SEGMENT_SIZE + TAG_SIZE)
    return found.segment == segment and f"Item {item}:" in words \
        and f"part {segment + 1}" in words


# --- the bundle ------------------------------------------------------------------------------

def _bundle_file_trial(p: Pristine, rng: random.Random, work: Path, t: Tally) -> None:
    rel = rng.choice(sorted(p.bag))
    data = bytearray(p.bag[rel])
    offset = rng.randrange(len(data))
    data[offset] ^= 1 << rng.randrange(8)
    tampered = work / "tampered.zip"
    with zipfile.ZipFile(tampered, "w", zipfile.ZIP_STORED) as zf:
        for name, content in sorted(p.bag.items()):
            zf.writestr(f"{p.bag_name}/{name}", bytes(data) if name == rel else content)
    result = verify_bundle(tampered, work / "verify")
    where = f"bundle:{rel}@{offset}"
    if result.ok:
        t.survived.append(where)
        return
    t.detected += 1
    t.detected_by["verify"] += 1
    failed = [c for c in result.checks if not c.ok]
    # A flip in the tag manifest that keeps it parseable may change a path in it, so the
    # file named "missing" is the changed name; what names the tag manifest itself then is
    # the failed "Signature over the tag manifest" (it cannot tell the signed text from
    # the signature: either changed, and both are named by that line).
    over_tagmanifest = rel == TAGMANIFEST and any(
        c.key == "signature" and c.detail == "invalid" for c in failed)
    if over_tagmanifest or any(c.file == rel and rel in check_line(c) for c in failed):
        t.named += 1
    else:
        t.unnamed.append(f"{where}: " + " | ".join(check_line(c) for c in failed))


def _bundle_age_trial(p: Pristine, rng: random.Random, work: Path, t: Tally) -> None:
    copy = work / p.age_bundle.name
    shutil.copyfile(p.age_bundle, copy)
    head = copy.read_bytes()
    header_end = head.index(b"\n--- ") + 48 + 16  # MAC line and the payload nonce
    # Half of the flips aim at the header (where a parser could be lenient), half anywhere.
    offset = flip_bit(copy, rng, 0, header_end if rng.random() < 0.5 else None)
    where = f"bundle-age@{offset}"
    try:
        result = verify_bundle(copy, work / "verify", identities_text=p.identity)
    except EvidenceError as exc:  # a damaged stanza may no longer fit the key at all
        words = describe(exc)
        t.detected += 1
        t.detected_by["verify"] += 1
        t.named += 1  # the one file given is the one named: the bundle itself
        assert words, where
        return
    if result.ok:
        t.survived.append(where)
        return
    t.detected += 1
    t.detected_by["verify"] += 1
    failed = [c for c in result.checks if not c.ok]
    if any(c.key == "decrypt" and c.file == copy.name for c in failed):
        t.named += 1
    else:
        t.unnamed.append(f"{where}: " + " | ".join(check_line(c) for c in failed))


def run_flips(p: Pristine, tmp: Path, trials: int, seed: int) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    for n in range(trials):
        kind = KINDS[n % len(KINDS)]
        work = tmp / f"t{n}"
        work.mkdir()
        tally.trials += 1
        tally.per_kind[kind] += 1
        if kind == "bundle-file":
            _bundle_file_trial(p, rng, work, tally)
        elif kind == "bundle-age":
            _bundle_age_trial(p, rng, work, tally)
        else:
            _vault_trial(p, kind, rng, work, tally)
        shutil.rmtree(work)
    return tally


def _check(tally: Tally, capsys, name: str) -> None:
    report(name, capsys, trials=tally.trials, detected=tally.detected, named=tally.named,
           survived=len(tally.survived), per_kind=dict(tally.per_kind),
           detected_by=dict(tally.detected_by))
    assert not tally.survived, f"flips nobody noticed: {tally.survived}"
    assert not tally.unnamed, "flips noticed but not named:\n" + "\n".join(tally.unnamed)
    assert tally.detected == tally.named == tally.trials


def test_bit_flips_are_detected_and_named(pristine, tmp_path, capsys):
    _check(run_flips(pristine, tmp_path, trials=150, seed=4242), capsys, "tamper flips")


@pytest.mark.slow
def test_thousand_bit_flips(pristine, tmp_path, capsys):
    _check(run_flips(pristine, tmp_path, trials=1000, seed=1000), capsys, "tamper flips (slow)")


def test_cli_names_the_damage(pristine, tmp_path):
    """The real command line prints the same names: one flip of each vault kind."""
    rng = random.Random(5)
    expect = {"vault.json": "vault.json", "head": "(head)", "journal": "Custody log record 3",
              "object": "Item 2: the encrypted file is damaged in part 2"}
    for kind, words in expect.items():
        vault = tmp_path / kind.replace(".", "_")
        shutil.copytree(pristine.vault, vault)
        if kind == "object":
            owner = {v: k for k, v in pristine.owners.items()}
            target = vault / "objects" / owner["2"][:2] / owner["2"][2:]
            start = HEADER_SIZE + SEGMENT_SIZE + TAG_SIZE
            flip_bit(target, rng, start, start + SEGMENT_SIZE)
        elif kind == "journal":
            flip_bit(vault / "journal", rng, *pristine.frames[2])
        else:
            flip_bit(vault / kind, rng)
        command = "check" if kind == "object" else "list"
        run = run_cli("--vault", str(vault), command)
        assert run.returncode != 0, (kind, run.stdout)
        assert "Traceback" not in run.stderr + run.stdout
        assert words in run.stderr + run.stdout, (kind, run.stderr, run.stdout)
