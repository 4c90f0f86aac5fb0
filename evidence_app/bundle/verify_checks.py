"""The checks of a bundle's members: what is listed, the signature, the custody log, the items.

Every member is hostile: each reader checks the shape it expects and turns anything else into
a FAILED line naming the file, never an exception. Trust comes from outside the bag: the
signing key is compared with the receipt, and nothing found inside decides what is trusted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import UnsupportedAlgorithm

from evidence_app.bundle import bag, sshsig
from evidence_app.bundle.custody import check_custody, recorded_hashes
from evidence_app.core.keys import ssh_fingerprint

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from evidence_app.bundle.verify import VerifyReport

MAX_TAG_FILE = 64 << 20
CUSTODY = "data/metadata/custody.jsonl"
ITEMS = "data/metadata/items.json"

# Files the bag may hold without being listed in a manifest: the tag manifest itself, the
# exact signature files, and the tokens over the tag manifest (they cannot be listed in what
# they stamp). Each is checked for what it must be; anything else unlisted is a finding.
UNLISTED_EXACT = frozenset({bag.TAGMANIFEST, bag.SIGNATURE_FILE, bag.SIGNER_PUB,
                            bag.ALLOWED_SIGNERS})
SEAL_STAMP = re.compile(r"timestamps/seal-[1-9]\.(?:tsr|chain\.pem)|timestamps/seal\.ots")
_HEX64 = re.compile(r"[0-9a-f]{64}")

# What a hostile JSON, key or record can raise while being read (200k-deep nesting included).
MALFORMED = (ValueError, TypeError, KeyError, AttributeError, RecursionError,
             UnicodeDecodeError, UnsupportedAlgorithm)


def read_member(folder: Path, rel: str) -> bytes | None:
    target = folder / rel
    if not target.is_file() or target.stat().st_size > MAX_TAG_FILE:
        return None
    return target.read_bytes()


def check_listing(folder: Path, files: dict[str, str], report: VerifyReport) -> None:
    """BagIt structure, both manifests, and that every file is listed or is an exact extra."""
    needed = [bag.BAGIT, bag.BAG_INFO, bag.MANIFEST, bag.TAGMANIFEST]
    missing = [rel for rel in needed if rel not in files]
    if missing:
        for rel in missing:
            report.add("bag_structure", False, rel, "missing")
        return
    bagit = read_member(folder, bag.BAGIT) or b""
    report.add("bag_structure", b"BagIt-Version:" in bagit, bag.BAGIT,
               "" if b"BagIt-Version:" in bagit else "invalid")
    parsed = []
    for rel in (bag.MANIFEST, bag.TAGMANIFEST):
        try:
            parsed.append(bag.parse_manifest(read_member(folder, rel) or b""))
        except (ValueError, UnicodeDecodeError):  # named: either one may be the bad one
            report.add("manifest", False, rel, "malformed")
            return
    manifest, tagmanifest = parsed
    report.tag_listed = set(tagmanifest)
    bad = 0
    for rel, sha in manifest.items():
        if not rel.startswith("data/"):
            report.add("payload", False, rel, "outside_data")
            bad += 1
        elif rel not in files:
            report.add("payload", False, rel, "missing")
            bad += 1
        elif files[rel] != sha:
            report.add("payload", False, rel, "changed")
            bad += 1
    if not bad:
        report.add("payload", True, bag.MANIFEST, str(len(manifest)))
    tag_bad = 0
    for rel, sha in tagmanifest.items():
        if rel.startswith("data/") or rel in UNLISTED_EXACT:
            report.add("tags", False, rel, "malformed")
            tag_bad += 1
        elif files.get(rel) != sha:
            report.add("tags", False, rel, "changed" if rel in files else "missing")
            tag_bad += 1
    for rel in (bag.BAGIT, bag.BAG_INFO, bag.MANIFEST):
        if rel not in tagmanifest:
            report.add("tags", False, rel, "not_listed")
            tag_bad += 1
    if not tag_bad:
        report.add("tags", True, bag.TAGMANIFEST)
    unlisted = sorted(rel for rel in files if rel not in manifest and rel not in tagmanifest
                      and rel not in UNLISTED_EXACT and not SEAL_STAMP.fullmatch(rel))
    for rel in unlisted:
        report.add("unlisted", False, rel, "not_listed")
    if not unlisted:
        report.add("unlisted", True, report.name or "-", str(len(files)))
    try:
        report.info = bag.parse_bag_info(read_member(folder, bag.BAG_INFO) or b"")
    except UnicodeDecodeError:
        report.add("tags", False, bag.BAG_INFO, "malformed")
        return
    payload = [rel for rel in files if rel.startswith("data/")]
    oxum = f"{sum((folder / rel).stat().st_size for rel in payload)}.{len(payload)}"
    report.add("oxum", report.info.get("Payload-Oxum") == oxum, bag.BAG_INFO,
               "" if report.info.get("Payload-Oxum") == oxum else "mismatch")


def _signer_key(pub: bytes) -> Ed25519PublicKey | None:
    """The key in signature/signer.pub, or None when it is not an Ed25519 key."""
    try:
        return sshsig.load_openssh_public_key(pub.decode("ascii"))
    except MALFORMED:
        return None


def check_signature(folder: Path, report: VerifyReport) -> Ed25519PublicKey | None:
    """The SSHSIG signature over the tag manifest; returns the key that verified it."""
    sig = read_member(folder, bag.SIGNATURE_FILE)
    pub = read_member(folder, bag.SIGNER_PUB)
    allowed = read_member(folder, bag.ALLOWED_SIGNERS)
    tagmanifest = read_member(folder, bag.TAGMANIFEST)
    if sig is None or pub is None or tagmanifest is None:
        report.add("signature", False, bag.SIGNATURE_FILE if sig is None else bag.SIGNER_PUB,
                   "missing")
        return None
    key = _signer_key(pub)
    if key is None:
        report.add("signature", False, bag.SIGNER_PUB, "malformed")
        return None
    # Neither file is in the tag manifest (the signature covers it), so each must be exactly
    # what sealing writes: a changed principal or namespace would make `ssh-keygen -Y
    # verify` fail for the officer while this check passed.
    if pub != (sshsig.openssh_public_key(key) + "\n").encode("ascii"):
        report.add("signature", False, bag.SIGNER_PUB, "malformed")
    if allowed != sshsig.allowed_signers_line(key).encode("ascii"):
        report.add("signature", False, bag.ALLOWED_SIGNERS, "key_mismatch")
    good = sshsig.verify(sig.decode("ascii", "replace"), tagmanifest, key)
    report.add("signature", good, bag.SIGNATURE_FILE, "" if good else "invalid")
    declared = report.info.get("Signer-Fingerprint")
    if declared and declared != ssh_fingerprint(key):
        # bag-info.txt is covered by the tag manifest (a change there is named as such);
        # signer.pub is not, so it is the file to name here (also when a changed key makes
        # the signature fail: the key is what changed).
        report.add("signature", False, bag.SIGNER_PUB, "fingerprint_mismatch")
    if not good:
        return None
    report.fingerprint = ssh_fingerprint(key)
    return key


def _custody_lines(raw: bytes) -> list[dict[str, Any]]:
    """Each line a JSON object with the fields a record or a redacted record must have."""
    lines = []
    for text in raw.decode("utf-8").splitlines():
        if not text.strip():
            continue
        line = json.loads(text)
        if not isinstance(line, dict) or not isinstance(line.get("seq"), int) or \
                not isinstance(line.get("hash"), str) or not isinstance(line.get("prev"), str):
            raise ValueError("not a custody record")
        if not line.get("redacted"):
            data = line.get("data")
            if not isinstance(line.get("type"), str) or not isinstance(line.get("time"), str) \
                    or not isinstance(data, dict):
                raise ValueError("not a custody record")
            if line["type"] == "item_added" and not (
                    isinstance(data.get("item_id"), str)
                    and isinstance(data.get("sha256"), str)):
                raise ValueError("item record without its fingerprint")
        lines.append(line)
    return lines


def _items(raw: bytes) -> list[dict[str, Any]]:
    items = json.loads(raw)
    if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("id"), str)
            and isinstance(i.get("path"), str) and isinstance(i.get("sha256"), str)
            for i in items):
        raise ValueError("not a list of items")
    return items


def check_custody_log(folder: Path, files: dict[str, str], key: Ed25519PublicKey | None,
                  report: VerifyReport) -> None:
    """The hash chain and signatures of the custody log, and each item tied to its record."""
    raw = read_member(folder, CUSTODY)
    raw_items = read_member(folder, ITEMS)
    if raw is None or raw_items is None:
        report.add("custody", False, CUSTODY if raw is None else ITEMS, "missing")
        return
    try:
        lines = _custody_lines(raw)
    except MALFORMED:
        report.add("custody", False, CUSTODY, "malformed")
        return
    try:
        report.items = _items(raw_items)
    except MALFORMED:
        report.add("items", False, ITEMS, "malformed")
        return
    report.custody = lines
    if key is None:
        report.add("custody", False, CUSTODY, "no_key")
    else:
        try:
            problem = check_custody(lines, key)
        except MALFORMED:
            problem = "malformed"
        report.add("custody", problem is None, CUSTODY, problem or str(len(lines)))
    signed = recorded_hashes(lines)
    mismatched = 0
    for item in report.items:
        rel = item["path"]
        if signed.get(item["id"]) != item["sha256"] or files.get(rel) != item["sha256"]:
            report.add("items", False, rel or ITEMS, "not_as_recorded")
            mismatched += 1
    if not mismatched:
        report.add("items", True, ITEMS, str(len(report.items)))
