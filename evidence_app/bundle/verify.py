"""Verify a bundle in one step, in its own temp folder: decrypt, unpack safely, check the
BagIt manifests, the SSHSIG signature, the custody chain and (when present) timestamps.

Every failure names the file and the check. Nothing is written outside `workdir`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_app.bundle import agefile, bag, sshsig
from evidence_app.bundle.custody import check_custody, recorded_hashes
from evidence_app.core.errors import (
    BundleKeyNeeded,
    Cancelled,
    NotABundle,
    NotAnArchive,
    UnsafeArchive,
    WrongBundleKey,
)
from evidence_app.core.keys import ssh_fingerprint
from evidence_app.core.objectstore import CancelCheck, Progress
from evidence_app.core.safefs import private_mkdir
from evidence_app.core.safezip import SafeZip, ZipLimits

MAX_TAG_FILE = 64 << 20


@dataclass
class Check:
    key: str  # what was checked (see messages for the words)
    ok: bool
    file: str | None = None
    detail: str = ""


@dataclass
class VerifyReport:
    bundle: Path
    name: str = ""
    folder: Path | None = None
    checks: list[Check] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    fingerprint: str = ""
    timestamps: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, key: str, ok: bool, file: str | None = None, detail: str = "") -> None:
        self.checks.append(Check(key, ok, file, detail))


def encryption_kind(path: Path) -> str | None:
    """None for a plain zip, else "passphrase" or "identity" (what the person must give)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not agefile.is_age_file(head):
        return None
    return "passphrase" if b"\n-> scrypt " in head else "identity"


def _decrypt(path: Path, out: Path, identities_text: str | None, passphrase: str | None,
             report: VerifyReport, progress: Progress | None,
             cancel: CancelCheck | None) -> bool:
    kind = encryption_kind(path)
    if kind == "passphrase" and passphrase is None:
        raise BundleKeyNeeded("passphrase")
    if kind == "identity" and not identities_text:
        raise BundleKeyNeeded("identity")
    identities = agefile.identities_from_file_text(identities_text) if identities_text else []
    total = path.stat().st_size
    done = 0
    try:
        with open(path, "rb") as src, open(out, "xb") as dst:
            for chunk in agefile.iter_decrypt(src, identities=identities, passphrase=passphrase):
                dst.write(chunk)
                done += len(chunk)
                if cancel is not None and cancel():
                    raise Cancelled()
                if progress is not None:
                    progress(done, total * 2, "decrypt")
    except agefile.AgeDecryptError as exc:
        if exc.reason == "no_key":
            raise WrongBundleKey(kind or "identity") from None
        report.add("decrypt", False, path.name, exc.reason)
        return False
    report.add("decrypt", True, path.name)
    return True


def _read_tag(folder: Path, rel: str) -> bytes | None:
    target = folder / rel
    if not target.is_file() or target.stat().st_size > MAX_TAG_FILE:
        return None
    return target.read_bytes()


def verify_bundle(
    path: Path,
    workdir: Path,
    *,
    identities_text: str | None = None,
    passphrase: str | None = None,
    limits: ZipLimits | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> VerifyReport:
    path = Path(path)
    report = VerifyReport(bundle=path)
    private_mkdir(workdir)
    with open(path, "rb") as fh:
        head = fh.read(64)
    if agefile.is_age_file(head):
        zip_path = workdir / "bundle.zip"
        if not _decrypt(path, zip_path, identities_text, passphrase, report, progress, cancel):
            return report
    elif head.startswith(b"PK\x03\x04"):
        zip_path = path
    else:
        raise NotABundle(path, "unknown_format")
    try:
        archive = SafeZip(zip_path, limits)
    except NotAnArchive:
        raise NotABundle(path, "unknown_format") from None
    with archive:
        roots = {e.name.split("/", 1)[0] for e in archive.entries}
        if len(roots) != 1 or any("/" not in e.name for e in archive.files()):
            raise NotABundle(path, "layout")
        report.name = roots.pop()
        digests: dict[str, str] = {}
        try:
            archive.extract_all(workdir / "extracted", progress, cancel, digests)
        except UnsafeArchive as exc:
            if exc.reason != "damaged":
                raise
            report.add("archive", False, exc.entry, "damaged")
            return report
    folder = workdir / "extracted" / report.name
    report.folder = folder
    prefix = report.name + "/"
    files = {name[len(prefix):]: sha for name, sha in digests.items()}
    _check_bag(folder, files, report)
    _check_signature(folder, report)
    _check_custody(folder, files, report)
    if (folder / bag.TIMESTAMP_DIR).is_dir():
        _check_timestamps(folder, files, report)
    return report


def _check_timestamps(folder: Path, files: dict[str, str], report: VerifyReport) -> None:
    from evidence_app.bundle.timestamps import check_bag_timestamps

    report.timestamps = check_bag_timestamps(folder, files)
    bad = [t for t in report.timestamps if not t["ok"]]
    for entry in bad:
        report.add("timestamps", False, entry["file"], entry["detail"])
    if report.timestamps and not bad:
        report.add("timestamps", True, bag.TIMESTAMP_DIR, str(len(report.timestamps)))


def _check_bag(folder: Path, files: dict[str, str], report: VerifyReport) -> None:
    needed = [bag.BAGIT, bag.BAG_INFO, bag.MANIFEST, bag.TAGMANIFEST]
    missing = [rel for rel in needed if rel not in files]
    if missing:
        for rel in missing:
            report.add("bag_structure", False, rel, "missing")
        return
    bagit = _read_tag(folder, bag.BAGIT) or b""
    report.add("bag_structure", b"BagIt-Version:" in bagit, bag.BAGIT,
               "" if b"BagIt-Version:" in bagit else "invalid")
    parsed = []
    for rel in (bag.MANIFEST, bag.TAGMANIFEST):
        try:
            parsed.append(bag.parse_manifest(_read_tag(folder, rel) or b""))
        except (ValueError, UnicodeDecodeError):  # named: either one may be the bad one
            report.add("manifest", False, rel, "malformed")
            return
    manifest, tagmanifest = parsed
    bad = 0
    for rel, sha in manifest.items():
        if rel not in files:
            report.add("payload", False, rel, "missing")
            bad += 1
        elif files[rel] != sha:
            report.add("payload", False, rel, "changed")
            bad += 1
    for rel in files:
        if rel.startswith("data/") and rel not in manifest:
            report.add("payload", False, rel, "not_listed")
            bad += 1
    if not bad:
        report.add("payload", True, bag.MANIFEST, str(len(manifest)))
    tag_bad = 0
    for rel, sha in tagmanifest.items():
        if files.get(rel) != sha:
            report.add("tags", False, rel, "changed" if rel in files else "missing")
            tag_bad += 1
    for rel in (bag.BAGIT, bag.BAG_INFO, bag.MANIFEST):
        if rel not in tagmanifest:
            report.add("tags", False, rel, "not_listed")
            tag_bad += 1
    if not tag_bad:
        report.add("tags", True, bag.TAGMANIFEST)
    try:
        report.info = bag.parse_bag_info(_read_tag(folder, bag.BAG_INFO) or b"")
    except UnicodeDecodeError:
        report.add("tags", False, bag.BAG_INFO, "malformed")
        return
    payload = [rel for rel in files if rel.startswith("data/")]
    oxum = f"{sum((folder / rel).stat().st_size for rel in payload)}.{len(payload)}"
    report.add("oxum", report.info.get("Payload-Oxum") == oxum, bag.BAG_INFO,
               "" if report.info.get("Payload-Oxum") == oxum else "mismatch")


def _check_signature(folder: Path, report: VerifyReport) -> None:
    sig = _read_tag(folder, bag.SIGNATURE_FILE)
    pub = _read_tag(folder, bag.SIGNER_PUB)
    allowed = _read_tag(folder, bag.ALLOWED_SIGNERS)
    tagmanifest = _read_tag(folder, bag.TAGMANIFEST)
    if sig is None or pub is None or tagmanifest is None:
        report.add("signature", False, bag.SIGNATURE_FILE if sig is None else bag.SIGNER_PUB,
                   "missing")
        return
    try:
        key = sshsig.load_openssh_public_key(pub.decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        report.add("signature", False, bag.SIGNER_PUB, "malformed")
        return
    report.fingerprint = ssh_fingerprint(key)
    # Neither file is in the tag manifest (the signature covers it), so each must be exactly
    # what sealing writes: a changed principal or namespace would make `ssh-keygen -Y
    # verify` fail for the officer while this check passed.
    if pub != (sshsig.openssh_public_key(key) + "\n").encode("ascii"):
        report.add("signature", False, bag.SIGNER_PUB, "malformed")
    if allowed is None or pub.decode("ascii").split()[1] not in allowed.decode("ascii", "replace"):
        report.add("signature", False, bag.ALLOWED_SIGNERS, "key_mismatch")
    elif allowed != sshsig.allowed_signers_line(key).encode("ascii"):
        report.add("signature", False, bag.ALLOWED_SIGNERS, "malformed")
    good = sshsig.verify(sig.decode("ascii", "replace"), tagmanifest, key)
    report.add("signature", good, bag.SIGNATURE_FILE, "" if good else "invalid")
    declared = report.info.get("Signer-Fingerprint")
    if declared and declared != report.fingerprint:
        # bag-info.txt is covered by the tag manifest (a change there is named as such);
        # signer.pub is not, so it is the file to name here.
        report.add("signature", False, bag.SIGNER_PUB, "fingerprint_mismatch")


def _check_custody(folder: Path, files: dict[str, str], report: VerifyReport) -> None:
    rel_custody = "data/metadata/custody.jsonl"
    rel_items = "data/metadata/items.json"
    pub = _read_tag(folder, bag.SIGNER_PUB)
    raw = _read_tag(folder, rel_custody)
    raw_items = _read_tag(folder, rel_items)
    if raw is None or raw_items is None or pub is None:
        report.add("custody", False, rel_custody if raw is None else rel_items, "missing")
        return
    try:
        key = sshsig.load_openssh_public_key(pub.decode("ascii"))
        lines = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
        report.items = json.loads(raw_items)
    except (ValueError, UnicodeDecodeError):
        report.add("custody", False, rel_custody, "malformed")
        return
    problem = check_custody(lines, key)
    report.add("custody", problem is None, rel_custody, problem or str(len(lines)))
    signed = recorded_hashes(lines)
    mismatched = 0
    for item in report.items:
        rel = item.get("path", "")
        if signed.get(str(item.get("id"))) != item.get("sha256") or files.get(rel) != item.get(
                "sha256"):
            report.add("items", False, rel or rel_items, "not_as_recorded")
            mismatched += 1
    if not mismatched:
        report.add("items", True, rel_items, str(len(report.items)))
