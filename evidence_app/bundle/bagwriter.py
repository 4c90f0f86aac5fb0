"""Writes one BagIt bag into a zip stream, hashing every file on its way in (one pass)."""

from __future__ import annotations

import hashlib
import time
import zipfile
from collections.abc import Iterable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_app.bundle import bag, sshsig
from evidence_app.core.errors import HashMismatch

_ZIP64_AT = 1 << 31


class BagWriter:
    def __init__(self, zf: zipfile.ZipFile, root: str, when: time.struct_time) -> None:
        self._zf = zf
        self.root = root
        self._date = tuple(when[:6])
        self.payload: list[tuple[str, str]] = []
        self.tags: list[tuple[str, str]] = []
        self.payload_bytes = 0

    def _info(self, rel: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{self.root}/{rel}", date_time=self._date)  # type: ignore[arg-type]
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_STORED
        return info

    def _write(self, rel: str, chunks: Iterable[bytes | memoryview], size_hint: int) -> str:
        hasher = hashlib.sha256()
        with self._zf.open(self._info(rel), "w", force_zip64=size_hint >= _ZIP64_AT) as out:
            for chunk in chunks:
                hasher.update(chunk)
                out.write(chunk)
        return hasher.hexdigest()

    def add_payload_stream(self, rel: str, chunks: Iterable[bytes | memoryview], size: int,
                           *, expected_sha256: str, item_id: str) -> None:
        """Copy an original out of the vault; refuse if it no longer has its recorded hash."""
        digest = self._write(rel, chunks, size)
        if digest != expected_sha256:
            raise HashMismatch(item_id, expected_sha256, digest)
        self.payload.append((rel, digest))
        self.payload_bytes += size

    def add_payload(self, rel: str, data: bytes) -> None:
        self.payload.append((rel, self._write(rel, [data], len(data))))
        self.payload_bytes += len(data)

    def add_tag(self, rel: str, data: bytes, *, listed: bool = True) -> None:
        digest = self._write(rel, [data], len(data))
        if listed:
            self.tags.append((rel, digest))

    def finish(self, info_fields: list[tuple[str, str]], signer: Ed25519PrivateKey) -> bytes:
        """Manifests, bag-info, and the SSHSIG signature over the tag manifest; returns it."""
        self.add_tag(bag.MANIFEST, bag.manifest_text(self.payload))
        self.add_tag(bag.BAGIT, bag.BAGIT_TXT)
        fields = [*info_fields, ("Payload-Oxum", f"{self.payload_bytes}.{len(self.payload)}")]
        self.add_tag(bag.BAG_INFO, bag.bag_info_text(fields))
        tagmanifest = bag.manifest_text(self.tags)
        self.add_tag(bag.TAGMANIFEST, tagmanifest, listed=False)
        public = signer.public_key()
        self.add_tag(bag.SIGNATURE_FILE, sshsig.sign(signer, tagmanifest).encode(), listed=False)
        self.add_tag(bag.SIGNER_PUB, (sshsig.openssh_public_key(public) + "\n").encode(),
                     listed=False)
        self.add_tag(bag.ALLOWED_SIGNERS, sshsig.allowed_signers_line(public).encode(),
                     listed=False)
        return tagmanifest
