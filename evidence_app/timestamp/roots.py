"""The TSA trust roots the app ships (resources/tsa-roots.pem), and the officer's own.

The file is reviewed by hand: each certificate is preceded by `# Root:`, `# Authorities:`,
`# SHA-256:` and `# Checked:` lines (see the file's header). A fingerprint that does not
match its certificate, a certificate without those lines, or a root listed twice is a
build error, so the parser raises ValueError naming the root rather than skipping it.
Nothing here ever takes a root from a bundle: trust comes from this file and from the
certificates a person names with --tsa-ca.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from evidence_app.paths import resources_dir
from evidence_app.timestamp.tsp import load_roots

ROOTS_FILE = "tsa-roots.pem"
FIELDS = ("Root", "Authorities", "SHA-256", "Checked")
_BEGIN = "-----BEGIN CERTIFICATE-----"
_END = "-----END CERTIFICATE-----"
_FIELD = re.compile(r"# ([A-Za-z0-9-]+): (\S.*)")
_CONTINUED = re.compile(r"#  +(\S.*)")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEY = re.compile(r"[a-z0-9-]+")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class ShippedRoot:
    name: str
    authorities: tuple[tuple[str, str], ...]  # (key, url) of the TSAs that chain to it
    sha256: str
    checked: str
    cert: x509.Certificate


def shipped_roots_path() -> Path:
    """resources/tsa-roots.pem in a source checkout, a wheel or a PyInstaller build."""
    return resources_dir() / ROOTS_FILE


@cache
def shipped_roots() -> tuple[ShippedRoot, ...]:
    return parse_roots_file(shipped_roots_path())


def root_for_fingerprint(sha256_hex: str) -> ShippedRoot | None:
    """The shipped root with this SHA-256 (hex, any case, colons allowed), or None."""
    wanted = sha256_hex.strip().lower().replace(":", "")
    return next((root for root in shipped_roots() if root.sha256 == wanted), None)


def trusted_roots(
        extra: bytes | str | Iterable[bytes | str | x509.Certificate] = (),
) -> list[x509.Certificate]:
    """The shipped roots, then the extra ones (PEM text, one or many blocks, or
    certificates), each certificate once. A non-empty PEM item holding no certificate
    raises ValueError, so a wrong --tsa-ca file is not silently ignored."""
    items: Iterable[bytes | str | x509.Certificate] = (
        [extra] if isinstance(extra, bytes | str) else extra)
    certs = [root.cert for root in shipped_roots()]
    for item in items:
        found = load_roots([item])
        if not found and not isinstance(item, x509.Certificate) and item.strip():
            raise ValueError("no certificate found in an extra trust root")
        certs.extend(found)
    unique: dict[bytes, x509.Certificate] = {}
    for cert in certs:
        unique.setdefault(cert.public_bytes(Encoding.DER), cert)
    return list(unique.values())


def parse_roots_file(path: Path) -> tuple[ShippedRoot, ...]:
    """Every root in a file shaped like resources/tsa-roots.pem; ValueError on any flaw."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    roots: list[ShippedRoot] = []
    comments: list[tuple[int, str]] = []  # the comment lines directly above, with numbers
    block: list[str] = []
    start = 0
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip()
        if block:
            block.append(line)
            if line == _END:
                roots.append(_root(path, start, comments, block))
                comments, block = [], []
        elif line == _BEGIN:
            start, block = number, [line]
        elif not line:
            comments = []
        elif line.startswith("#"):
            comments.append((number, line))
        else:
            raise ValueError(f"{path}:{number}: text outside a certificate that is not a "
                             "comment")
    if block:
        raise ValueError(f"{path}:{start}: certificate without an END line")
    if not roots:
        raise ValueError(f"{path}: no certificates")
    _refuse_duplicates(path, roots)
    return tuple(roots)


def _root(path: Path, start: int, comments: list[tuple[int, str]],
          block: list[str]) -> ShippedRoot:
    fields = _fields(path, start, comments)
    name = fields["Root"]
    where = f"{path}:{start}, root {name!r}"
    try:
        cert = x509.load_pem_x509_certificate("\n".join(block).encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise ValueError(f"{where}: unreadable certificate ({error})") from None
    names = [a.value for a in cert.subject
             if a.oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATIONAL_UNIT_NAME)]
    if name not in names:
        raise ValueError(f"{where}: the certificate's subject is {cert.subject.rfc4514_string()}")
    declared = fields["SHA-256"]
    if not _SHA256.fullmatch(declared):
        raise ValueError(f"{where}: SHA-256 must be 64 lower-case hex digits")
    actual = cert.fingerprint(hashes.SHA256()).hex()
    if actual != declared:
        raise ValueError(f"{where}: SHA-256 line says {declared}, the certificate's is {actual}")
    return ShippedRoot(name, _authorities(where, fields["Authorities"]), declared,
                       fields["Checked"], cert)


def _fields(path: Path, start: int, comments: list[tuple[int, str]]) -> dict[str, str]:
    if not comments:
        raise ValueError(f"{path}:{start}: certificate without its "
                         f"{', '.join(FIELDS)} lines")
    fields: dict[str, str] = {}
    for number, line in comments:
        field, continued = _FIELD.fullmatch(line), _CONTINUED.fullmatch(line)
        if field and field.group(1) in FIELDS and field.group(1) not in fields:
            fields[field.group(1)] = field.group(2).strip()
        elif continued and fields:
            last = list(fields)[-1]
            fields[last] = f"{fields[last]} {continued.group(1).strip()}"
        else:
            raise ValueError(f"{path}:{number}: not one of the lines {', '.join(FIELDS)} "
                             "(each once) or an indented continuation")
    if tuple(fields) != FIELDS:
        raise ValueError(f"{path}:{start}: certificate needs the lines {', '.join(FIELDS)} "
                         f"in this order, has {', '.join(fields)}")
    return fields


def _authorities(where: str, text: str) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for part in text.split(","):
        key, _, url = part.strip().partition("=")
        if not (_KEY.fullmatch(key) and _URL.fullmatch(url)):
            raise ValueError(f"{where}: authority {part.strip()!r} is not key=http(s) address")
        pairs.append((key, url))
    return tuple(pairs)


def _refuse_duplicates(path: Path, roots: list[ShippedRoot]) -> None:
    names: set[str] = set()
    fingerprints: set[str] = set()
    for root in roots:
        if root.name in names or root.sha256 in fingerprints:
            raise ValueError(f"{path}: root {root.name!r} is listed twice")
        names.add(root.name)
        fingerprints.add(root.sha256)
