"""Checking a bag's timestamps/ folder on the officer's side, trusting nothing inside it.

Each token must prove a fingerprint the bag shows (a file, a custody record, the signing key,
the tag manifest), chain to a root from the app's reviewed list or one the officer gave, and
be dated where it can be: not before the vault existed, not after the bundle was sealed. The
victim's clock (custody times, Sealed-At) is compared with the authorities' and the gap
shown. OpenTimestamps proofs are reported (pending, or the Bitcoin block) and never fail
a verification for being pending or absent.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from rfc3161_client import decode_timestamp_response

from evidence_app.bundle import bag
from evidence_app.bundle.timestamps import FOLDER, SEAL
from evidence_app.bundle.verify_checks import MALFORMED, read_member
from evidence_app.core.errors import OtsProofInvalid, TimestampError, TsaCertificateRejected
from evidence_app.core.timeutil import parse_utc
from evidence_app.timestamp import ots
from evidence_app.timestamp.der import sort_reply_certificates
from evidence_app.timestamp.roots import trusted_roots
from evidence_app.timestamp.tsas import fingerprint
from evidence_app.timestamp.tsp import (
    DECODING_ERRORS,
    check_response,
    embedded_certificates,
    load_roots,
)

if TYPE_CHECKING:
    from evidence_app.bundle.verify import VerifyReport

_TOKEN = re.compile(rf"{FOLDER}/(?:([0-9a-f]{{64}})|{SEAL})-([1-9][0-9]?)\.tsr")
_CHAIN = re.compile(rf"{FOLDER}/(?:[0-9a-f]{{64}}|{SEAL})-[1-9][0-9]?\.chain\.pem")
_PROOF = re.compile(rf"{FOLDER}/(?:([0-9a-f]{{64}})|{SEAL})\.ots")
SLACK = dt.timedelta(minutes=10)  # clocks and the time a stamp takes; more is a finding
GAP_SHOWN = dt.timedelta(minutes=2)
MAX_TOKEN = 1 << 20
# Custody subjects whose tokens the bag must carry (earlier bundles' seals are not in it).
_REQUIRED_SUBJECTS = frozenset({"item", "record", "key"})
CERT_ERRORS = (*MALFORMED, *DECODING_ERRORS)


def _covers(files: dict[str, str], custody: list[dict[str, Any]]) -> dict[str, list[str]]:
    """fingerprint -> what in the bag it is the fingerprint of."""
    covers: dict[str, list[str]] = {}
    for rel, sha in files.items():
        if rel.startswith("data/"):
            covers.setdefault(sha, []).append(rel)
    if bag.SIGNER_PUB in files:
        covers.setdefault(files[bag.SIGNER_PUB], []).append(bag.SIGNER_PUB)
    for line in custody:
        if isinstance(line.get("hash"), str):
            covers.setdefault(line["hash"], []).append(f"custody record {line['seq']}")
    return covers


def _when(text: object) -> dt.datetime | None:
    try:
        return parse_utc(str(text))
    except (ValueError, TypeError):
        return None


def _unknown_root(tsr: bytes, chain: bytes | None) -> str:
    """SHA256 of the top certificate the token's own chain reaches (for "unknown root")."""
    try:
        certs = embedded_certificates(tsr) + load_roots(chain or b"")
        subjects = {c.subject for c in certs}
        top = [c for c in certs if c.issuer == c.subject] or \
              [c for c in certs if c.issuer not in subjects] or certs
        return fingerprint(top[0]) if top else "?"
    except CERT_ERRORS:  # certificates are parsed lazily: a damaged one fails anywhere here
        return "?"


def _serial(tsr: bytes) -> str:
    """The serial a token claims (read without trusting it: to match the custody log)."""
    try:
        return str(decode_timestamp_response(sort_reply_certificates(tsr)).tst_info
                   .serial_number)
    except CERT_ERRORS:
        return ""


def _obtained(custody: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(fingerprint, serial) -> the custody record saying that token was obtained."""
    out = {}
    for line in custody:
        data = line.get("data")
        if line.get("type") == "timestamp_obtained" and isinstance(data, dict):
            out[(str(data.get("sha256")), str(data.get("serial")))] = line
    return out


def check_bag_timestamps(folder: Path, files: dict[str, str], report: VerifyReport,
                         extra_roots: list[bytes]) -> None:
    """Every token and proof in timestamps/, and every token the custody log says exists."""
    roots = trusted_roots(load_roots(b"".join(extra_roots)))
    covers = _covers(files, report.custody)
    tag_sha = files.get(bag.TAGMANIFEST, "")
    obtained = _obtained(report.custody)
    sealed_at = _when(report.info.get("Sealed-At-UTC"))
    created = _when(report.custody[0].get("time")) if report.custody and \
        report.custody[0].get("type") == "vault_created" else None
    found: set[tuple[str, str]] = set()
    entries = []
    for rel in sorted(files):
        if not rel.startswith(FOLDER + "/"):
            continue
        if _CHAIN.fullmatch(rel):
            continue
        if _PROOF.fullmatch(rel):
            _check_proof(folder, rel, tag_sha, covers, report)
            continue
        match = _TOKEN.fullmatch(rel)
        if match is None:
            report.add("timestamps", False, rel, "unknown_file")
            continue
        seal = match.group(1) is None
        sha = tag_sha if seal else match.group(1)
        entry = _check_token(folder, rel, sha, [bag.TAGMANIFEST] if seal else covers.get(sha, []),
                             roots, report)
        entry["seal"] = seal
        if entry.get("serial"):
            found.add((sha, entry["serial"]))
            record = obtained.get((sha, entry["serial"]))
            if record is not None:
                entry["victim_time"] = record.get("time")
        entries.append(entry)
    _check_times(entries, sealed_at, created, report)
    for (sha, serial), record in obtained.items():
        subject = (record.get("data") or {}).get("subject") or {}
        if (sha, serial) not in found and isinstance(subject, dict) and \
                subject.get("kind") in _REQUIRED_SUBJECTS:
            report.add("timestamps", False, f"{FOLDER}/{sha}-?.tsr", "token_missing")
    report.timestamps = entries
    bad = [e for e in entries if not e["ok"]]
    if entries and not bad:
        report.add("timestamps", True, FOLDER, str(len(entries)))


def _check_token(folder: Path, rel: str, sha: str, covers: list[str],
                 roots: list[x509.Certificate], report: VerifyReport) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": rel, "sha256": sha, "covers": covers, "ok": False}
    tsr = read_member(folder, rel)
    if tsr is None or len(tsr) > MAX_TOKEN:
        report.add("timestamps", False, rel, "malformed")
        return entry
    if not entry["covers"]:
        report.add("timestamps", False, rel, "not_in_bundle")
        return entry
    try:
        info = check_response(tsr, bytes.fromhex(sha), roots)
    except TsaCertificateRejected as exc:
        if exc.reason == "untrusted":
            root = _unknown_root(tsr, read_member(folder, rel[:-4] + ".chain.pem"))
            entry.update(root=root, serial=_serial(tsr))
            report.add("time", False, rel, f"unknown_root:{root}", unconfirmed=True)
        else:
            report.add("timestamps", False, rel, type(exc).__name__)
        return entry
    except TimestampError as exc:
        report.add("timestamps", False, rel, type(exc).__name__)
        return entry
    except MALFORMED:
        report.add("timestamps", False, rel, "malformed")
        return entry
    entry.update(ok=True, tsa=info.tsa_name, serial=str(info.serial), root=info.root_sha256,
                 time=info.gen_time.strftime("%Y-%m-%d %H:%M:%S UTC"), when=info.gen_time)
    return entry


def _check_times(entries: list[dict[str, Any]], sealed_at: dt.datetime | None,
                 created: dt.datetime | None, report: VerifyReport) -> None:
    """Dates against the seal and the vault's creation, allowing for the victim's clock."""
    gaps = []
    for entry in entries:
        victim = _when(entry.get("victim_time")) if entry.get("victim_time") else None
        if entry.get("seal") and sealed_at is not None:
            victim = sealed_at
        if victim is not None and "when" in entry:
            gap = entry["when"] - victim
            if not entry.get("seal"):  # Sealed-At is what the seal check is about
                gaps.append(gap)
            if abs(gap) > GAP_SHOWN:
                entry["gap_seconds"] = int(gap.total_seconds())
    skew = max((abs(g) for g in gaps), default=dt.timedelta(0))
    slack = SLACK + skew
    seal_times = [e["when"] for e in entries if e.get("seal") and "when" in e]
    sealed = min(seal_times) if seal_times else sealed_at
    for entry in entries:
        when = entry.get("when")
        if when is None:
            continue
        problem = None
        if entry.get("seal") and sealed_at is not None and abs(when - sealed_at) > slack:
            problem = "seal_time"
        elif not entry.get("seal") and sealed is not None and when > sealed + slack:
            problem = "after_sealing"
        elif created is not None and when < created - slack:
            problem = "before_vault"
        if problem:
            entry["ok"] = False
            report.add("timestamps", False, entry["file"], problem)


def _check_proof(folder: Path, rel: str, tag_sha: str, covers: dict[str, list[str]],
                 report: VerifyReport) -> None:
    match = _PROOF.fullmatch(rel)
    assert match is not None
    sha = match.group(1) or tag_sha
    data = read_member(folder, rel)
    entry: dict[str, Any] = {"file": rel, "sha256": sha,
                             "covers": [bag.TAGMANIFEST] if match.group(1) is None
                             else covers.get(sha, [])}
    try:
        if data is None or not entry["covers"]:
            raise OtsProofInvalid(rel, "not_in_bundle" if data is not None else "unreadable")
        status = ots.describe(data, bytes.fromhex(sha))
    except OtsProofInvalid as exc:
        report.add("ots", False, rel, exc.reason if exc.reason == "not_in_bundle"
                   else "malformed")
        return
    entry.update(state=status.state, calendars=list(status.calendars),
                 blocks=[list(b) for b in status.blocks])
    report.proofs.append(entry)
