"""Seal: selected items -> one BagIt bag -> zip -> age, written without a plaintext copy.

In this order, each step checking cancel: (1) plan: every file of the bag except the
originals is made in memory, the manifests signed; (2) the signed tag manifest is
time-stamped (the network, and the journal records of its tokens, before any output is
open); (3) the zip is streamed into the age writer under a temp name, each original re-hashed
on its way out of the vault; (4) the receipts are made under temp names; (5) the custody log
records the bundle; (6) the receipts, then the bundle, take their names. A stop or a
failure before (6) leaves no bundle and no receipt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from evidence_app import __version__
from evidence_app.bundle import agefile, passwords, receipt, timestamps
from evidence_app.bundle.bagwriter import BagPlan, Entry, write_bag
from evidence_app.bundle.custody import custody_lines
from evidence_app.bundle.extras import BundleExtras, bundle_extras, payload_path
from evidence_app.bundle.verify_text import verify_text
from evidence_app.core.errors import Cancelled, NothingToSeal, OutputExists
from evidence_app.core.keys import ssh_fingerprint
from evidence_app.core.objectstore import CancelCheck, Progress
from evidence_app.core.safefs import StagedFile, as_write_error, private_mkdir
from evidence_app.core.state import Item
from evidence_app.core.timeutil import now_utc_and_offset, parse_utc
from evidence_app.core.vault import Vault
from evidence_app.i18n import current_language, language
from evidence_app.item_kinds import made_by_app

log = logging.getLogger(__name__)


class SealStep(StrEnum):
    """The progress message of each step that is not an item (those carry the file name)."""

    REPORT = "report"
    TIMESTAMPS = "timestamps"
    BUNDLE = "bundle"
    RECEIPTS = "receipts"
    CUSTODY_LOG = "custody log"


@dataclass
class Protection:
    """How the bundle is protected: "recipient" (age public keys), "passphrase" or "none"."""

    mode: str
    recipients: list[str] = field(default_factory=list)
    passphrase: str | None = None

    @classmethod
    def for_recipients(cls, recipients: list[str]) -> Protection:
        for text in recipients:
            agefile.parse_recipient(text)  # a clear AgeKeyError now, not halfway through
        return cls("recipient", recipients=list(recipients))

    @classmethod
    def with_new_passphrase(cls) -> Protection:
        return cls("passphrase", passphrase=passwords.new_passphrase())

    @classmethod
    def unencrypted(cls) -> Protection:
        return cls("none")


@dataclass
class SealResult:
    name: str
    bundle_path: Path
    sha256: str
    size: int
    item_count: int
    fingerprint: str
    protection: str
    passphrase: str | None
    sealed_at: str
    receipt_paths: list[Path]
    case_reference: str
    recipients: list[str] = field(default_factory=list)


class _HashingSink:
    """Counts and hashes what goes to the output file (the bundle's SHA-256, one pass)."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self.hasher = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self.hasher.update(data)
        self._out.write(data)
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def seek(self, *_args: object) -> int:
        raise OSError("not seekable")

    def flush(self) -> None:
        self._out.flush()


def bundle_name(reference: str | None, sealed_at: str) -> str:
    ref = re.sub(r"[^A-Za-z0-9_-]+", "-", reference or "").strip("-")[:40] or "evidence"
    stamp = parse_utc(sealed_at).strftime("%Y%m%dT%H%M%SZ")
    return f"{ref}-{stamp}"


def select_items(vault: Vault, item_ids: list[str] | None) -> list[Item]:
    if item_ids:
        items = [vault.item(i) for i in item_ids]
    else:
        items = [i for i in vault.state.items.values() if not i.withdrawn]
    if not items:
        raise NothingToSeal()
    return items


@dataclass
class _Plan:
    name: str
    sealed_at: str
    offset: str
    reference: str
    fingerprint: str
    items: list[Item]
    extras: BundleExtras
    bag: BagPlan
    tagmanifest: bytes


def _plan(vault: Vault, items: list[Item], protection: Protection, *,
          include_sensitive_text: bool = False) -> _Plan:
    """Step 1: everything but the originals, in memory; the manifests signed."""
    sealed_at, offset = now_utc_and_offset()
    reference = str(vault.state.case.get("reference") or "")
    name = bundle_name(reference, sealed_at)
    fingerprint = ssh_fingerprint(vault.public_key)
    ids = {i.id for i in items}
    plan = BagPlan(name)
    for item in items:
        plan.add_item(payload_path(item), sha256=item.sha256, size=item.size, item_id=item.id)
    extras = bundle_extras(vault, items, name=name, sealed_at=sealed_at, offset=offset,
                           protection=protection.mode, fingerprint=fingerprint,
                           recipients=protection.recipients,
                           include_sensitive_text=include_sensitive_text)
    plan.add_payload("data/metadata/items.json", _json(
        [dict(vault.item_details(i.id), path=payload_path(i)) for i in items]))
    plan.add_payload("data/metadata/case.json", _json(
        dict(vault.state.case, case_notes=[
            {"text": n.text, "time": n.created_at} for n in vault.state.notes_for(None)])))
    plan.add_payload("data/metadata/custody.jsonl", "".join(
        json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"
        for line in custody_lines(vault.records, ids)).encode("utf-8"))
    for rel, data in extras.payload:
        plan.add_payload(rel, data)
    verify_txt = verify_text(
        name=name, encrypted=protection.mode != "none",
        passphrase_mode=protection.mode == "passphrase", fingerprint=fingerprint,
        sealed_at=sealed_at, timestamp_lines=extras.timestamp_commands)
    plan.add_payload("data/VERIFY.txt", verify_txt.encode("utf-8"))
    for rel, data in extras.report_files(verify_txt):
        plan.add_payload(rel, data)
    for rel, data in extras.stamp_files():
        plan.add_tag(rel, data)
    tagmanifest = plan.sign([
        ("Bagging-Date", sealed_at[:10]),
        ("External-Identifier", name),
        ("External-Description", "Evidence sealed with Evidence Locker"),
        ("Bag-Software-Agent", f"evidence-app {__version__}"),
        ("Case-Reference", reference or "-"),
        ("Sealed-At-UTC", sealed_at),
        ("Signer-Fingerprint", fingerprint),
        ("Report-Language", current_language()),
    ], vault.signer())
    return _Plan(name, sealed_at, offset, reference, fingerprint, items, extras, plan,
                 tagmanifest)


def seal(
    vault: Vault,
    out_dir: Path,
    protection: Protection,
    *,
    item_ids: list[str] | None = None,
    report_language: str | None = None,
    include_sensitive_text: bool = False,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> SealResult:
    """Seal the items (all not left out of the case, by default) into out_dir; raises
    Cancelled when asked to stop (nothing is left behind then). `include_sensitive_text`:
    the report prints the words read by machine in pictures marked sensitive."""
    items = select_items(vault, item_ids)
    out_dir = Path(out_dir)
    private_mkdir(out_dir)
    total = sum(i.size for i in items) or 1
    done = 0

    def step(label: str, extra: int = 0) -> None:
        nonlocal done
        done += extra
        if progress is not None:
            progress(min(done, total), total, label)
        if cancel is not None and cancel():
            raise Cancelled()

    step(SealStep.REPORT)
    with language(report_language):
        plan = _plan(vault, items, protection, include_sensitive_text=include_sensitive_text)
        step(SealStep.TIMESTAMPS)
        for rel, data in timestamps.stamp_seal(vault, plan.tagmanifest, plan.name):
            plan.bag.add_tag(rel, data, listed=False)
        step(SealStep.BUNDLE)
        final = out_dir / (plan.name + (".zip" if protection.mode == "none" else ".zip.age"))
        if final.exists():
            raise OutputExists(final)
        staged: list[StagedFile] = []
        recorded: dict[str, Any] | None = None
        try:
            bundle = StagedFile(final, overwrite=False)
            staged.append(bundle)
            sink = _write(bundle, plan, protection, vault, step)
            result = SealResult(plan.name, final, sink.hasher.hexdigest(), sink.size,
                                len(items), plan.fingerprint, protection.mode,
                                protection.passphrase, plan.sealed_at, [], plan.reference,
                                protection.recipients)
            # Recorded as soon as it is whole: no complete copy exists that the log does not
            # name (a process killed from here on leaves a recorded temp file at most).
            step(SealStep.CUSTODY_LOG)
            if not bundle.still_there():  # swept by a quick exit
                raise Cancelled()
            recorded = {
                "name": final.name, "sha256": result.sha256, "size": result.size,
                "item_count": len(items), "item_ids": sorted((i.id for i in items), key=int),
                "protection": protection.mode, "recipients": protection.recipients,
                "fingerprint": plan.fingerprint,
            }
            vault.record("bundle_sealed", recorded)
            step(SealStep.RECEIPTS)
            for path, data in _receipts(vault, plan, result, out_dir):
                part = StagedFile(path)
                staged.append(part)
                part.file.write(data)
                part.finish()
                result.receipt_paths.append(path)
            if cancel is not None and cancel() or not all(p.still_there() for p in staged):
                raise Cancelled()
            for part in staged[1:]:  # the receipts first: a bundle never appears without them
                part.publish()
            bundle.publish()
        except BaseException as exc:
            for part in staged:  # what took its name goes too: no receipt without its bundle
                if part.published:
                    part.final.unlink(missing_ok=True)
                part.discard()
            if recorded is not None:
                _record_discarded(vault, recorded, exc)
            if isinstance(exc, OSError):  # a full disk or a removed USB stick, said as such
                raise as_write_error(exc, final) from exc
            raise
    return result


def _record_discarded(vault: Vault, sealed: dict[str, Any], exc: BaseException) -> None:
    """The bundle the log just named was not kept (stopped, or its receipts could not be
    written): said in the log too, so it never names a bundle that does not exist."""
    reason = "cancelled" if isinstance(exc, Cancelled) else "failed"
    try:
        vault.record("bundle_discarded", {"name": sealed["name"], "sha256": sealed["sha256"],
                                          "reason": reason})
    except Exception:  # noqa: BLE001 - the first error is the one to report
        log.warning("could not record a discarded bundle", exc_info=True)


def _write(bundle: StagedFile, plan: _Plan, protection: Protection, vault: Vault,
           step: Any) -> _HashingSink:
    """Step 3: the zip streamed into age (or the file), each original re-hashed."""
    sink = _HashingSink(bundle.file)
    stream: Any = sink
    if protection.mode == "passphrase":
        stream = agefile.AgeWriter(sink, passphrase=protection.passphrase)
    elif protection.mode == "recipient":
        stream = agefile.AgeWriter(
            sink, recipients=[agefile.parse_recipient(r) for r in protection.recipients])

    names = {item.id: item.name for item in plan.items}

    def chunks(entry: Entry) -> Iterator[memoryview]:
        for view in vault.iter_item(entry.item_id or ""):
            step(names.get(entry.item_id or "", entry.rel), len(view))
            yield view

    with zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        write_bag(zf, plan.bag, time.gmtime(), chunks)
    if stream is not sink:
        stream.close()
    bundle.finish()
    return sink


def _receipts(vault: Vault, plan: _Plan, result: SealResult,
              out_dir: Path) -> list[tuple[Path, bytes]]:
    """Step 4: the small unencrypted receipt beside the bundle: text and PDF with a QR code.
    The passphrase is never written to disk: it is shown once (and printed from the app), so
    a receipt that travels with the bundle cannot unlock it."""
    info = receipt.ReceiptInfo(
        bundle_file=result.bundle_path.name,
        sha256=result.sha256,
        signer_fingerprint=result.fingerprint,
        item_count=result.item_count,
        made_by_app=sum(1 for item in plan.items if made_by_app(item.kind)),
        case_reference=result.case_reference,
        sealed_at=result.sealed_at,
        sealed_offset=plan.offset,
        protection=result.protection,
        recipient=", ".join(result.recipients),
        passphrase=None,
        size=result.size,
        signer_public_key=vault.public_key_openssh(),
    )
    return [
        (out_dir / f"{result.name}.receipt.txt",
         receipt.render_receipt_text(info).encode("utf-8")),
        (out_dir / f"{result.name}.receipt.pdf", receipt.receipt_pdf_bytes(info)),
    ]


def _json(data: Any) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")
