"""A short list of public time-stamp authorities, and where their trust roots come from.

What is shipped, honestly: no TSA certificate is bundled with the app. For DigiCert and
Sectigo the root certificate is taken from `certifi` (Mozilla's root store, installed with
the app) and picked out by its SHA-256 fingerprint written below, so a changed bundle cannot
swap it. DigiCert's timestamping chain ends at "DigiCert Trusted Root G4". Sectigo's ends at
"Sectigo Public Time Stamping Root R46", which is cross-signed by "USERTrust RSA
Certification Authority"; that works only when the TSA's answer carries the cross
certificate, and otherwise the token is refused as untrusted and the person adds the root
with --tsa-ca. Neither chain was tried against the live services while building this (the
build machine has no internet). FreeTSA's root is its own and is not in Mozilla's store, so
FreeTSA needs --tsa-ca with the cacert.pem published on its web site.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from evidence_app.core.errors import TsaAddressInvalid


@dataclass(frozen=True)
class KnownTsa:
    key: str
    name: str
    url: str
    root_sha256: tuple[str, ...]  # fingerprints of roots looked up in certifi; () = none shipped


KNOWN_TSAS: tuple[KnownTsa, ...] = (
    KnownTsa("digicert", "DigiCert", "http://timestamp.digicert.com",
             ("552f7bdcf1a7af9e6ce672017f4f12abf77240c78e761ac203d1d9d20ac89988",)),
    KnownTsa("sectigo", "Sectigo", "http://timestamp.sectigo.com",
             ("e793c9b02fd8aa13e21c31228accb08119643b749c898964b1746d46c3d4cbd2",)),
    KnownTsa("freetsa", "FreeTSA", "https://freetsa.org/tsr", ()),
)


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


@cache
def _certifi_roots() -> dict[str, x509.Certificate]:
    """Mozilla's roots by fingerprint; empty when certifi is not installed."""
    try:
        import certifi
    except ImportError:
        return {}
    with open(certifi.where(), "rb") as fh:
        data = fh.read()
    found: dict[str, x509.Certificate] = {}
    begin = b"-----BEGIN CERTIFICATE-----"
    for block in data.split(begin)[1:]:
        with warnings.catch_warnings():  # a few old roots have non-positive serial numbers
            warnings.simplefilter("ignore")
            try:
                cert = x509.load_pem_x509_certificate(begin + block)
            except ValueError:
                continue
        found[fingerprint(cert)] = cert
    return found


def builtin_roots(url: str) -> list[x509.Certificate]:
    """The trust roots shipped (via certifi) for a built-in TSA's URL; [] for any other."""
    tsa = known_for_url(url)
    if tsa is None:
        return []
    roots = _certifi_roots()
    return [roots[fp] for fp in tsa.root_sha256 if fp in roots]
