"""Seal: selected items -> one BagIt bag -> zip -> age, written without a plaintext copy.

The zip is streamed straight into the age writer (or the file, with no encryption), each
original re-hashed on its way out of the vault; the bundle appears under its final name only
when complete, and sealing is then recorded in the custody log.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from evidence_app import __version__
from evidence_app.bundle import agefile, passwords
from evidence_app.bundle.bagwriter import BagWriter
from evidence_app.bundle.custody import custody_lines
from evidence_app.bundle.extras import bundle_extras, payload_path
from evidence_app.bundle.verify_text import verify_text
from evidence_app.core.errors import Cancelled, NothingToSeal, OutputExists
from evidence_app.core.keys import ssh_fingerprint
from evidence_app.core.objectstore import CancelCheck, Progress
from evidence_app.core.safefs import atomic_output, private_mkdir
from evidence_app.core.state import Item
from evidence_app.core.timeutil import now_utc_and_offset, parse_utc
from evidence_app.core.vault import Vault
from evidence_app.i18n import current_language, language


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


def seal(
    vault: Vault,
    out_dir: Path,
    protection: Protection,
    *,
    item_ids: list[str] | None = None,
    report_language: str | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> SealResult:
    items = select_items(vault, item_ids)
    sealed_at, offset = now_utc_and_offset()
    reference = str(vault.state.case.get("reference") or "")
    name = bundle_name(reference, sealed_at)
    encrypted = protection.mode != "none"
    out_dir = Path(out_dir)
    private_mkdir(out_dir)
    final = out_dir / (name + (".zip.age" if encrypted else ".zip"))
    if final.exists():
        raise OutputExists(final)
    fingerprint = ssh_fingerprint(vault.public_key)
    total = sum(i.size for i in items) or 1
    done = 0

    def tick(extra: int, label: str) -> None:
        nonlocal done
        done += extra
        if progress is not None:
            progress(min(done, total), total, label)
        if cancel is not None and cancel():
            raise Cancelled()

    ids = {i.id for i in items}

    def log_the_bundle() -> None:
        """Into the custody log once the bundle is durable, before it takes its name."""
        vault.record("bundle_sealed", {
            "name": final.name, "sha256": sink.hasher.hexdigest(), "size": sink.size,
            "item_count": len(items), "item_ids": sorted(ids, key=int),
            "protection": protection.mode, "recipients": protection.recipients,
            "fingerprint": fingerprint,
        })

    with language(report_language), atomic_output(final, overwrite=False,
                                                   before_publish=log_the_bundle) as fh:
        sink = _HashingSink(fh)
        stream: Any = sink
        if protection.mode == "passphrase":
            stream = agefile.AgeWriter(sink, passphrase=protection.passphrase)
        elif protection.mode == "recipient":
            stream = agefile.AgeWriter(
                sink, recipients=[agefile.parse_recipient(r) for r in protection.recipients])
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
            writer = BagWriter(zf, name, time.gmtime())
            for item in items:
                def chunks(item: Item = item) -> Iterator[memoryview]:
                    for view in vault.iter_item(item.id):
                        tick(len(view), item.name)
                        yield view

                writer.add_payload_stream(payload_path(item), chunks(), item.size,
                                          expected_sha256=item.sha256, item_id=item.id)
            extras = bundle_extras(vault, items, name=name, sealed_at=sealed_at,
                                   offset=offset, protection=protection.mode,
                                   fingerprint=fingerprint, recipients=protection.recipients)
            writer.add_payload("data/metadata/items.json", _json(
                [dict(vault.item_details(i.id), path=payload_path(i)) for i in items]))
            writer.add_payload("data/metadata/case.json", _json(
                dict(vault.state.case, case_notes=[
                    {"text": n.text, "time": n.created_at} for n in vault.state.notes_for(None)
                ])))
            writer.add_payload("data/metadata/custody.jsonl", "".join(
                json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"
                for line in custody_lines(vault.records, ids)).encode("utf-8"))
            for rel, data in extras.payload:
                writer.add_payload(rel, data)
            verify_txt = verify_text(
                name=name, encrypted=encrypted, passphrase_mode=protection.mode == "passphrase",
                fingerprint=fingerprint, sealed_at=sealed_at,
                timestamp_lines=extras.timestamp_commands)
            writer.add_payload("data/VERIFY.txt", verify_txt.encode("utf-8"))
            for rel, data in extras.report_files(verify_txt):
                writer.add_payload(rel, data)
            for rel, data in extras.stamp_files():
                writer.add_tag(rel, data)
            tagmanifest = writer.finish([
                ("Bagging-Date", sealed_at[:10]),
                ("External-Identifier", name),
                ("External-Description", "Evidence sealed with Evidence Locker"),
                ("Bag-Software-Agent", f"evidence-app {__version__}"),
                ("Case-Reference", reference or "-"),
                ("Sealed-At-UTC", sealed_at),
                ("Signer-Fingerprint", fingerprint),
                ("Report-Language", current_language()),
            ], vault.signer())
            for rel, data in extras.seal_stamp_files(tagmanifest):
                writer.add_tag(rel, data, listed=False)
        if stream is not sink:
            stream.close()
    digest = sink.hasher.hexdigest()
    result = SealResult(name, final, digest, sink.size, len(items), fingerprint,
                        protection.mode, protection.passphrase, sealed_at, [], reference,
                        protection.recipients)
    result.receipt_paths = extras.write_receipts(result, out_dir)
    return result


def _json(data: Any) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")
