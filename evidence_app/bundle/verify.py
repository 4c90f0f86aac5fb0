"""Verify a bundle in one step, in its own temp folder: decrypt, unpack safely, check that
every file is listed, the BagIt manifests, the SSHSIG signature, the receipt's values, the
custody chain and the trusted timestamps.

Every failure names the file and the check. The unpacked bag goes to `workdir`; the
decrypted zip only ever lives in a private scratch folder (core/scratch.py) while it is
unpacked, so it is never left beside the unpacked bag. A verification that stops half way
(an error, a cancel, SIGTERM) takes away what it had unpacked. What a verdict proves: see
SECURITY.md ("What VERIFIED means").
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_app.bundle import agefile, bag, passwords, verify_checks as checks
from evidence_app.bundle.pin import Expected
from evidence_app.bundle.verify_time import check_bag_timestamps
from evidence_app.core import scratch
from evidence_app.core.errors import (
    BundleKeyKind,
    BundleKeyNeeded,
    Cancelled,
    NotABundle,
    NotAnArchive,
    UnsafeArchive,
    WrongBundleKey,
)
from evidence_app.core.objectstore import CancelCheck, Progress
from evidence_app.core.safefs import private_mkdir
from evidence_app.core.safezip import BUNDLE_LIMITS, SafeZip, ZipLimits

CHUNK = 1 << 20
VERIFIED = "verified"
NOT_VERIFIED = "not_verified"
TIME_UNCONFIRMED = "time_unconfirmed"


@dataclass
class Check:
    key: str  # what was checked (see verify_words for the words)
    ok: bool
    file: str | None = None
    detail: str = ""
    # Not a sign of tampering, but a claim that could not be confirmed (a token whose root
    # is not trusted here): the verdict is not VERIFIED, with its own exit code.
    unconfirmed: bool = False


@dataclass
class VerifyReport:
    bundle: Path
    expected: Expected | None = None
    name: str = ""
    folder: Path | None = None
    bundle_sha256: str = ""
    checks: list[Check] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    custody: list[dict[str, Any]] = field(default_factory=list)
    tag_listed: set[str] = field(default_factory=set)
    fingerprint: str = ""  # of the key that verified the signature; "" when none did
    timestamps: list[dict[str, Any]] = field(default_factory=list)
    proofs: list[dict[str, Any]] = field(default_factory=list)  # OpenTimestamps

    @property
    def verdict(self) -> str:
        failed = [c for c in self.checks if not c.ok]
        if not self.checks or any(not c.unconfirmed for c in failed):
            return NOT_VERIFIED
        return TIME_UNCONFIRMED if failed else VERIFIED

    @property
    def ok(self) -> bool:
        return self.verdict == VERIFIED

    @property
    def pinned(self) -> bool:
        """True when the signer key was compared with a value from outside the bundle."""
        return self.expected is not None and self.expected.fingerprint is not None

    def add(self, key: str, ok: bool, file: str | None = None, detail: str = "", *,
            unconfirmed: bool = False) -> None:
        self.checks.append(Check(key, ok, file, detail, unconfirmed))


def encryption_kind(path: Path) -> BundleKeyKind | None:
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
    # As typed first; then as the app made it, if the words were typed as heard ("Tomatoe,
    # lanterns"): each word of the list is known by its first four letters.
    also_try = passwords.alternatives(passphrase) if passphrase else []
    total = path.stat().st_size
    done = 0
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        with open(path, "rb") as src, os.fdopen(os.open(out, flags, 0o600), "wb") as dst:
            for chunk in agefile.iter_decrypt(src, identities=identities, passphrase=passphrase,
                                              also_try=also_try):
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


def verify_bundle(
    path: Path,
    workdir: Path,
    *,
    identities_text: str | None = None,
    passphrase: str | None = None,
    expected: Expected | None = None,
    extra_roots: list[bytes] | None = None,
    limits: ZipLimits | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
    zip_folder: Path | None = None,
) -> VerifyReport:
    """Every check, each a line in the report; trust comes from the shipped roots, the
    officer's own (`extra_roots`) and the receipt (`expected`), never from the bag.

    The bag is unpacked into `workdir`/extracted, files 0600 in 0700 folders; when this
    raises (an error, a cancel, an interrupt) that unpacked copy is removed again. The
    decrypted zip lives only while it is unpacked: in `zip_folder` (a scratch folder the
    caller already holds, so removing it takes the zip too) or else in a scratch folder of
    its own."""
    path = Path(path)
    report = VerifyReport(bundle=path, expected=expected)
    private_mkdir(workdir)
    unpacked = workdir / "extracted"
    ours = not os.path.lexists(unpacked)
    try:
        digests = _unpack(path, unpacked, report, identities_text, passphrase, limits,
                          _stoppable(progress, cancel), cancel, zip_folder)
        if digests is None:  # not decrypted or unpacked: the file can still be held
            _check_pin(report, file_only=True)  # to the receipt, which says the most
            return report
        folder = unpacked / report.name
        report.folder = folder
        prefix = report.name + "/"
        files = {name[len(prefix):]: sha for name, sha in digests.items()}
        checks.check_listing(folder, files, report)
        key = checks.check_signature(folder, report)
        _check_pin(report)
        checks.check_custody_log(folder, files, key, report)
        check_bag_timestamps(folder, files, report, extra_roots or [])
    except BaseException:
        if ours:
            shutil.rmtree(unpacked, ignore_errors=True)
        raise
    return report


def _unpack(path: Path, dest: Path, report: VerifyReport, identities_text: str | None,
            passphrase: str | None, limits: ZipLimits | None, progress: Progress | None,
            cancel: CancelCheck | None, zip_folder: Path | None) -> dict[str, str] | None:
    """Hash, decrypt (into a scratch folder of its own) and unpack into `dest`; the file
    digests by zip name, or None when a failed check ends the verification early."""
    with open(path, "rb") as fh:
        head = fh.read(64)
    report.bundle_sha256 = _sha256(path, cancel)
    with _zip_place(zip_folder) as decrypted:
        if agefile.is_age_file(head):
            zip_path = decrypted
            if not _decrypt(path, zip_path, identities_text, passphrase, report, progress,
                            cancel):
                return None
        elif head.startswith(b"PK\x03\x04"):
            zip_path = path
        else:
            raise NotABundle(path, "unknown_format")
        try:
            archive = SafeZip(zip_path, limits or BUNDLE_LIMITS)
        except NotAnArchive:
            raise NotABundle(path, "unknown_format") from None
        with archive:
            roots = {e.name.split("/", 1)[0] for e in archive.entries}
            if len(roots) != 1 or any("/" not in e.name for e in archive.files()):
                raise NotABundle(path, "layout")
            report.name = roots.pop()
            digests: dict[str, str] = {}
            try:
                archive.extract_all(dest, progress, cancel, digests)
            except UnsafeArchive as exc:
                if exc.reason != "damaged":
                    raise
                report.add("archive", False, exc.entry, "damaged")
                return None
    return digests


@contextlib.contextmanager
def _zip_place(folder: Path | None) -> Iterator[Path]:
    """Where the decrypted zip is written; it is removed as soon as the bag is unpacked."""
    if folder is None:
        with scratch.scratch_dir("verify") as work:
            yield work / "bundle.zip"
        return
    path = folder / f"bundle-{secrets.token_hex(4)}.zip"
    try:
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _sha256(path: Path, cancel: CancelCheck | None) -> str:
    """The bundle file's SHA-256 (for the receipt); a cancel stops it, even on a huge file."""
    hasher = hashlib.sha256()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as fh:
        while size := fh.readinto(buffer):
            hasher.update(view[:size])
            if cancel is not None and cancel():
                raise Cancelled()
    return hasher.hexdigest()


def _stoppable(progress: Progress | None, cancel: CancelCheck | None) -> Progress | None:
    """Progress that also ends the work when cancelled, so a cancel (or the quick exit) is
    honoured between two chunks of a large file, not only between two files."""
    if cancel is None:
        return progress

    def report(done: int, total: int, message: str) -> None:
        if cancel():
            raise Cancelled()
        if progress is not None:
            progress(done, total, message)

    return report


def _check_pin(report: VerifyReport, *, file_only: bool = False) -> None:
    """The bundle file and the key that verified, against the receipt (when given)."""
    expected = report.expected
    if expected is None:
        return
    if expected.sha256 is not None:
        same = expected.sha256 == report.bundle_sha256
        report.add("pin_sha256", same, report.bundle.name, "" if same else "receipt_mismatch")
    if expected.fingerprint is not None and not file_only:
        same = bool(report.fingerprint) and expected.fingerprint == report.fingerprint
        report.add("pin_key", same, bag.SIGNER_PUB, "" if same else "receipt_mismatch")
