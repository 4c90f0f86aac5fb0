"""A short list of public time-stamp authorities (TSAs), and which shipped root each needs.

Trust roots come only from resources/tsa-roots.pem, a file reviewed by hand and shipped with
the app (see roots.py), plus any root a person names with --tsa-ca; never from a bundle.
Each listed authority names its roots here by SHA-256 fingerprint, and a test checks that
every fingerprint is in that file and that every root in it names its authority.

What is shipped, honestly: the four roots were copied from Mozilla's root store as certifi
ships it, and the fingerprints computed from them. None of the chains was tried against the
live services (the build machine has no internet); each root's `# Checked:` line in the file
says what its chain rests on. DigiCert's chain ends at "DigiCert Trusted Root G4". Sectigo's
ends at "Sectigo Public Time Stamping Root R46", which is not in Mozilla's store; what is
shipped is "USERTrust RSA Certification Authority", which cross-signs R46, so a Sectigo token
is trusted only when it carries that cross certificate (otherwise add R46 with --tsa-ca).
GlobalSign's ends at "GlobalSign Root CA - R6" and SSL.com's at "SSL.com Root Certification
Authority RSA"; for these two the timestamping intermediate was checked to be signed by the
root. FreeTSA's root is its own and not in Mozilla's store, so FreeTSA needs --tsa-ca with
the cacert.pem published on its web site.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from evidence_app.core.errors import TsaAddressInvalid


@dataclass(frozen=True)
class KnownTsa:
    key: str
    name: str
    url: str
    root_sha256: tuple[str, ...]  # fingerprints of roots in resources/tsa-roots.pem; () = none


KNOWN_TSAS: tuple[KnownTsa, ...] = (
    KnownTsa("digicert", "DigiCert", "http://timestamp.digicert.com",
             ("552f7bdcf1a7af9e6ce672017f4f12abf77240c78e761ac203d1d9d20ac89988",)),
    KnownTsa("sectigo", "Sectigo", "http://timestamp.sectigo.com",
             ("e793c9b02fd8aa13e21c31228accb08119643b749c898964b1746d46c3d4cbd2",)),
    KnownTsa("globalsign", "GlobalSign", "http://timestamp.globalsign.com/tsa/r6advanced1",
             ("2cabeafe37d06ca22aba7391c0033d25982952c453647349763a3ab5ad6ccf69",)),
    KnownTsa("sslcom", "SSL.com", "http://ts.ssl.com",
             ("85666a562ee0be5ce925c1d8890a6f76a87ec16d4d7d5f29ea7419cf20123b69",)),
    KnownTsa("freetsa", "FreeTSA", "https://freetsa.org/tsr", ()),
)

# The pair each custody record is stamped by when the person has not chosen otherwise. Two,
# so a record keeps an independent time witness when one authority is down, refuses, or is
# later distrusted; under different roots (DigiCert Trusted Root G4, USERTrust RSA) and
# different companies, so that no single root's or company's failure takes out both.
DEFAULT_TSAS: tuple[str, ...] = ("digicert", "sectigo")


def resolve_tsa(name_or_url: str) -> tuple[str, str]:
    """(display name, URL) for a built-in TSA's key or any http(s) address."""
    text = name_or_url.strip()
    for tsa in KNOWN_TSAS:
        if text.lower() in (tsa.key, tsa.name.lower()) or text.rstrip("/") == tsa.url:
            return tsa.name, tsa.url
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TsaAddressInvalid(text)
    return parts.hostname, text


def known_for_url(url: str) -> KnownTsa | None:
    for tsa in KNOWN_TSAS:
        if url.rstrip("/") == tsa.url:
            return tsa
    return None


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def builtin_roots(url: str) -> list[x509.Certificate]:
    """The shipped trust roots (resources/tsa-roots.pem) of a built-in TSA's URL; [] else."""
    from evidence_app.timestamp.roots import root_for_fingerprint  # roots -> tsp -> here

    tsa = known_for_url(url)
    if tsa is None:
        return []
    found = (root_for_fingerprint(fp) for fp in tsa.root_sha256)
    return [root.cert for root in found if root is not None]
