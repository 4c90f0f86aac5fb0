"""What a bundle carries beyond the originals: report, receipts, transcripts, indicators and
trusted timestamps. Seal asks this module; each part comes from the package that owns it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from evidence_app.bundle import bag, report_html, report_pdf, timestamps
from evidence_app.bundle.custody import custody_lines
from evidence_app.bundle.report_model import build_report_data
from evidence_app.bundle.verify_text import token_commands
from evidence_app.chats.importer import load_transcript
from evidence_app.chats.indicators import indicators_for_vault
from evidence_app.core.safefs import safe_file_name
from evidence_app.core.state import Item
from evidence_app.core.vault import Vault
from evidence_app.i18n import current_language
from evidence_app.ocr.found import PICTURE_KIND
from evidence_app.timestamp.vaultstamps import key_digest


@dataclass
class BundleExtras:
    vault: Vault
    items: list[Item]
    name: str
    sealed_at: str
    offset: str
    protection: str
    fingerprint: str
    payload: list[tuple[str, bytes]] = field(default_factory=list)
    timestamp_commands: list[str] = field(default_factory=list)
    report_extra: dict[str, Any] = field(default_factory=dict)
    stamps: timestamps.BundleStamps | None = None

    def report_files(self, verify_txt: str) -> list[tuple[str, bytes]]:
        """report.html and report.pdf. The report says each item was re-hashed against its
        recorded SHA-256: the bag writer refuses any item that is not, so no bundle with a
        different file is ever published under this report."""
        extra = dict(self.report_extra, protection=self.protection, verify_text=verify_txt,
                     hashes_checked=True)
        data = build_report_data(self.vault, self.items, bundle_name=self.name,
                                 sealed_at=self.sealed_at, sealed_offset=self.offset,
                                 language=current_language(), extra=extra)
        return [
            ("data/report/report.html", report_html.render_html(data).encode("utf-8")),
            ("data/report/report.pdf", report_pdf.render_pdf_bytes(data)),
        ]

    def stamp_files(self) -> list[tuple[str, bytes]]:
        """Tokens and proofs of what the bundle shows, listed in the tag manifest."""
        return self.stamps.files() if self.stamps is not None else []


def bundle_extras(vault: Vault, items: list[Item], *, name: str, sealed_at: str, offset: str,
                  protection: str, fingerprint: str, recipients: list[str],
                  include_sensitive_text: bool = False) -> BundleExtras:
    """`include_sensitive_text`: the report prints the words read from sensitive pictures
    (the person chose it); the bundle carries them either way, like the pictures."""
    extras = BundleExtras(vault, items, name, sealed_at, offset, protection, fingerprint)
    ids = {i.id for i in items}
    found = [ind for ind in indicators_for_vault(vault) if _seen_in(ind, ids)]
    _name_pictures(found, {i.id: i for i in items})
    extras.payload.append(("data/metadata/indicators.json",
                           json.dumps(found, indent=2, ensure_ascii=False).encode("utf-8")))
    chats = []
    for item in items:
        if item.kind == "transcript" and item.source.get("role") == "json":
            chats.append(load_transcript(vault, item.id).to_dict() | {"item_id": item.id})
    extras.report_extra = {"indicators": found, "chats": chats,
                           "recipient": ", ".join(recipients),
                           "include_sensitive_text": include_sensitive_text}
    extras.stamps = timestamps.bundle_stamps(vault, stamped_digests(vault, items))
    files_by_sha = {i.sha256: payload_path(i) for i in items}
    files_by_sha[key_digest(vault)] = bag.SIGNER_PUB
    extras.timestamp_commands = token_commands(extras.stamps, files_by_sha)
    return extras


def payload_path(item: Item) -> str:
    folder = {"transcript": "chats", "ocr_text": "ocr", "ocr_boxes": "ocr"}.get(item.kind,
                                                                              "evidence")
    return f"data/{folder}/{int(item.id):04d}-{safe_file_name(item.name, item.id)}" \
        .replace("%", "_")


def stamped_digests(vault: Vault, items: list[Item]) -> set[str]:
    """Fingerprints whose tokens a bundle of `items` carries: the items, the vault's key, and
    the custody records it shows in full."""
    ids = {i.id for i in items}
    shown = {line["hash"] for line in custody_lines(vault.records, ids)
             if not line.get("redacted")}
    return {i.sha256 for i in items} | {key_digest(vault)} | shown


def _name_pictures(found: list[dict[str, Any]], sealed: dict[str, Item]) -> None:
    """Each place read in a picture names the picture and its file in the bundle, so the
    officer can open it and find the box (left, top, width, height in its pixels)."""
    for entry in found:
        for where in entry.get("sources", []):
            picture = sealed.get(str(where.get("item_id")))
            if where.get("kind") == PICTURE_KIND and picture is not None:
                where["item_name"] = picture.name
                where["item_path"] = payload_path(picture)


def _seen_in(indicator: dict[str, Any], item_ids: set[str]) -> bool:
    """Keep indicators seen in a sealed item, or in case details and case notes."""
    sources = indicator.get("sources") or []
    return not sources or any(s.get("item_id") in item_ids or not s.get("item_id")
                              for s in sources)
