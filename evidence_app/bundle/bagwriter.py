"""One BagIt bag, planned first and written second.

Every file's SHA-256 is known before anything is written (originals carry the hash recorded
when they arrived; the rest is made in memory), so the manifests can be signed and the
signed tag manifest time-stamped before the output is opened. Writing then streams each
original out of the vault and refuses it if it no longer has its recorded hash.
"""

from __future__ import annotations

import hashlib
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_app.bundle import bag, sshsig
from evidence_app.core.errors import HashMismatch

_ZIP64_AT = 1 << 31

Chunks = Iterable[bytes | memoryview]


@dataclass(frozen=True)
class Entry:
    """One file of the bag: in memory (data) or an original streamed from the vault."""

    rel: str
    sha256: str
    size: int
    data: bytes | None = None
    item_id: str | None = None


class BagPlan:
    def __init__(self, root: str) -> None:
        self.root = root
        self.payload: list[Entry] = []
        self.tags: list[Entry] = []  # listed in the tag manifest
        self.unlisted: list[Entry] = []  # the tag manifest, its signature, seal stamps

    def add_payload(self, rel: str, data: bytes) -> None:
        self.payload.append(Entry(rel, hashlib.sha256(data).hexdigest(), len(data), data))

    def add_item(self, rel: str, *, sha256: str, size: int, item_id: str) -> None:
        self.payload.append(Entry(rel, sha256, size, item_id=item_id))

    def add_tag(self, rel: str, data: bytes, *, listed: bool = True) -> None:
        entry = Entry(rel, hashlib.sha256(data).hexdigest(), len(data), data)
        (self.tags if listed else self.unlisted).append(entry)

    def sign(self, info_fields: list[tuple[str, str]], signer: Ed25519PrivateKey) -> bytes:
        """Manifests, bag-info, and the SSHSIG signature over the tag manifest; returns it."""
        self.add_tag(bag.MANIFEST, bag.manifest_text((e.rel, e.sha256) for e in self.payload))
        self.add_tag(bag.BAGIT, bag.BAGIT_TXT)
        size = sum(e.size for e in self.payload)
        fields = [*info_fields, ("Payload-Oxum", f"{size}.{len(self.payload)}")]
        self.add_tag(bag.BAG_INFO, bag.bag_info_text(fields))
        tagmanifest = bag.manifest_text((e.rel, e.sha256) for e in self.tags)
        self.add_tag(bag.TAGMANIFEST, tagmanifest, listed=False)
        public = signer.public_key()
        self.add_tag(bag.SIGNATURE_FILE, sshsig.sign(signer, tagmanifest).encode(), listed=False)
        self.add_tag(bag.SIGNER_PUB, (sshsig.openssh_public_key(public) + "\n").encode(),
                     listed=False)
        self.add_tag(bag.ALLOWED_SIGNERS, sshsig.allowed_signers_line(public).encode(),
                     listed=False)
        return tagmanifest

    def entries(self) -> list[Entry]:
        return [*self.payload, *self.tags, *self.unlisted]


def write_bag(zf: zipfile.ZipFile, plan: BagPlan, when: time.struct_time,
              item_chunks: Callable[[Entry], Chunks]) -> None:
    """Write every planned file; an original whose bytes no longer give its recorded hash
    stops the bundle (HashMismatch), so what the manifest says is what the bag holds."""
    date = tuple(when[:6])
    for entry in plan.entries():
        info = zipfile.ZipInfo(f"{plan.root}/{entry.rel}", date_time=date)  # type: ignore[arg-type]
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_STORED
        chunks: Chunks = [entry.data] if entry.data is not None else item_chunks(entry)
        hasher = hashlib.sha256()
        with zf.open(info, "w", force_zip64=entry.size >= _ZIP64_AT) as out:
            for chunk in chunks:
                hasher.update(chunk)
                out.write(chunk)
        if hasher.hexdigest() != entry.sha256:
            raise HashMismatch(entry.item_id or entry.rel, entry.sha256, hasher.hexdigest())
