"""A throw-away PKI for the test TSA: root -> intermediate -> TSA, plus bad signers.

Keys are EC P-256 (fast to make); certificates follow what public TSAs use: the TSA
certificate has the extended key usage timeStamping, marked critical.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.UTC)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Evidence Locker tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(cn: str, key, issuer_cert, issuer_key, *, ca: bool, eku_critical: bool = True,
          not_before=None, not_after=None) -> x509.Certificate:
    subject = _name(cn)
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer_cert.subject if issuer_cert else subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before or NOW - dt.timedelta(days=1))
               .not_valid_after(not_after or NOW + dt.timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                              critical=False))
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False)
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = (builder
                   .add_extension(x509.KeyUsage(
                       digital_signature=True, content_commitment=False,
                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                       key_cert_sign=False, crl_sign=False, encipher_only=False,
                       decipher_only=False), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                                  critical=eku_critical))
    return builder.sign(issuer_key or key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@dataclass
class Pki:
    folder: Path
    root_pem: Path  # the trust root the app is given (--tsa-ca)
    chain_pem: Path  # intermediate CA, as sent by the TSA
    tsa_pem: Path
    rogue_root_pem: Path
    config: Path  # openssl ts config with sections ok / expired / rogue


def make_pki(folder: Path) -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    keys = {n: ec.generate_private_key(ec.SECP256R1())
            for n in ("root", "inter", "tsa", "expired", "rogue_root", "rogue")}
    root = _cert("Test Root CA", keys["root"], None, None, ca=True)
    inter = _cert("Test Timestamping CA", keys["inter"], root, keys["root"], ca=True)
    tsa = _cert("Test TSA", keys["tsa"], inter, keys["inter"], ca=False)
    expired = _cert("Expired Test TSA", keys["expired"], inter, keys["inter"], ca=False,
                    not_before=NOW - dt.timedelta(days=30),
                    not_after=NOW - dt.timedelta(days=1))
    rogue_root = _cert("Rogue Root CA", keys["rogue_root"], None, None, ca=True)
    rogue = _cert("Test TSA", keys["rogue"], rogue_root, keys["rogue_root"], ca=False)
    files = {
        "root.pem": _pem(root), "chain.pem": _pem(inter), "tsa.pem": _pem(tsa),
        "expired.pem": _pem(expired), "rogue_root.pem": _pem(rogue_root),
        "rogue.pem": _pem(rogue), "rogue_chain.pem": _pem(rogue_root),
    }
    for name in ("tsa", "expired", "rogue"):
        files[f"{name}.key"] = _key_pem(keys[name])
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "serial").write_text("01\n")
    config = write_ts_config(folder, [("ok", "tsa", "chain"), ("expired", "expired", "chain"),
                                      ("rogue", "rogue", "rogue_chain")])
    return Pki(folder, folder / "root.pem", folder / "chain.pem", folder / "tsa.pem",
               folder / "rogue_root.pem", config)


def write_ts_config(folder: Path, sections: list[tuple[str, str, str]]) -> Path:
    """The `openssl ts -reply` configuration: one section per (name, signer, chain) whose
    .pem/.key files lie in `folder`; the first is the default."""
    parts = [f"[ tsa ]\ndefault_tsa = {sections[0][0]}\n"]
    for section, signer, chain in sections:
        parts.append(f"""
[ {section} ]
serial = {folder}/serial
crypto_device = builtin
signer_cert = {folder}/{signer}.pem
certs = {folder}/{chain}.pem
signer_key = {folder}/{signer}.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
""")
    config = folder / "openssl-ts.cnf"
    config.write_text("".join(parts))
    return config
