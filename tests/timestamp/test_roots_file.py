"""resources/tsa-roots.pem: the only TSA roots the app trusts, checked with openssl as well.

The fingerprints are recomputed here by `openssl x509`, from blocks cut out of the file with a
regular expression of this test's own, so a mistake in roots.py cannot hide a wrong line.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from evidence_app.paths import resources_dir
from evidence_app.timestamp.openssl import openssl_verify_command
from evidence_app.timestamp.roots import (
    parse_roots_file,
    root_for_fingerprint,
    shipped_roots,
    shipped_roots_path,
    trusted_roots,
)
from evidence_app.timestamp.tsas import DEFAULT_TSAS, KNOWN_TSAS, builtin_roots, fingerprint
from evidence_app.timestamp.tsp import build_request

REPO = Path(__file__).resolve().parents[2]
ROOTS_FILE = REPO / "resources" / "tsa-roots.pem"
SHA_AND_BLOCK = re.compile(r"^# SHA-256: ([^\n]*)\n(?:#[^\n]*\n)*"
                           r"(-----BEGIN CERTIFICATE-----\n[^-]*-----END CERTIFICATE-----)",
                           re.MULTILINE)
# 2026-06-01 00:00 UTC: chains below are checked at a fixed time, so the test does not start
# failing when an intermediate expires (2034).
AT_TIME = "1780272000"

# Timestamping intermediates as published (copies from a public C2PA trust list). The
# "Checked:" lines of GlobalSign's and SSL.com's roots rest on these being signed by them.
GLOBALSIGN_TIMESTAMPING_CA_G4 = """\
-----BEGIN CERTIFICATE-----
MIIGWTCCBEGgAwIBAgINAewckkDe/S5AXXxHdDANBgkqhkiG9w0BAQwFADBMMSAw
HgYDVQQLExdHbG9iYWxTaWduIFJvb3QgQ0EgLSBSNjETMBEGA1UEChMKR2xvYmFs
U2lnbjETMBEGA1UEAxMKR2xvYmFsU2lnbjAeFw0xODA2MjAwMDAwMDBaFw0zNDEy
MTAwMDAwMDBaMFsxCzAJBgNVBAYTAkJFMRkwFwYDVQQKExBHbG9iYWxTaWduIG52
LXNhMTEwLwYDVQQDEyhHbG9iYWxTaWduIFRpbWVzdGFtcGluZyBDQSAtIFNIQTM4
NCAtIEc0MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEA8ALiMCP64Bvh
mnSzr3WDX6lHUsdhOmN8OSN5bXT8MeR0EhmW+s4nYluuB4on7lejxDXtszTHrMMM
64BmbdEoSsEsu7lw8nKujPeZWl12rr9EqHxBJI6PusVP/zZBq6ct/XhOQ4j+kxkX
2e4xz7yKO25qxIjw7pf23PMYoEuZHA6HpybhiMmg5ZninvScTD9dW+y279Jlz0UL
VD2xVFMHi5luuFSZiqgxkjvyen38DljfgWrhsGweZYIq1CHHlP5CljvxC7F/f0aY
Doc9emXr0VapLr37WD21hfpTmU1bdO1yS6INgjcZDNCr6lrB7w/Vmbk/9E818ZwP
0zcTUtklNO2W7/hn6gi+j0l6/5Cx1PcpFdf5DV3Wh0MedMRwKLSAe70qm7uE4Q6s
bw25tfZtVv6KHQk+JA5nJsf8sg2glLCylMx75mf+pliy1NhBEsFV/W6RxbuxTAhL
ntRCBm8bGNU26mSuzv31BebiZtAOBSGssREGIxnk+wU0ROoIrp1JZxGLguWtWoan
Zv0zAwHemSX5cW7pnF0CTGA8zwKPAf1y7pLxpxLeQhJN7Kkm5XcCrA5XDAnRYZ4m
iPzIsk3bZPBFn7rBP1Sj2HYClWxqjcoiXPYMBOMp+kuwHNM3dITZHWarNHOPHn18
XpbWPRmwl+qMUJFtr1eGfhA3HWsaFN8CAwEAAaOCASkwggElMA4GA1UdDwEB/wQE
AwIBhjASBgNVHRMBAf8ECDAGAQH/AgEAMB0GA1UdDgQWBBTqFsZp5+PLV0U5M6Tw
QL7Qw71lljAfBgNVHSMEGDAWgBSubAWjkxPioufi1xzWx/B/yGdToDA+BggrBgEF
BQcBAQQyMDAwLgYIKwYBBQUHMAGGImh0dHA6Ly9vY3NwMi5nbG9iYWxzaWduLmNv
bS9yb290cjYwNgYDVR0fBC8wLTAroCmgJ4YlaHR0cDovL2NybC5nbG9iYWxzaWdu
LmNvbS9yb290LXI2LmNybDBHBgNVHSAEQDA+MDwGBFUdIAAwNDAyBggrBgEFBQcC
ARYmaHR0cHM6Ly93d3cuZ2xvYmFsc2lnbi5jb20vcmVwb3NpdG9yeS8wDQYJKoZI
hvcNAQEMBQADggIBAH/iiNlXZytCX4GnCQu6xLsoGFbWTL/bGwdwxvsLCa0AOmAz
HznGFmsZQEklCB7km/fWpA2PHpbyhqIX3kG/T+G8q83uwCOMxoX+SxUk+RhE7B/C
pKzQss/swlZlHb1/9t6CyLefYdO1RkiYlwJnehaVSttixtCzAsw0SEVV3ezpSp9e
FO1yEHF2cNIPlvPqN1eUkRiv3I2ZOBlYwqmhfqJuFSbqtPl/KufnSGRpL9KaoXL2
9yRLdFp9coY1swJXH4uc/LusTN763lNMg/0SsbZJVU91naxvSsguarnKiMMSME6y
CHOfXqHWmc7pfUuWLMwWaxjN5Fk3hgks4kXWss1ugnWl2o0et1sviC49ffHykTAF
nM57fKDFrK9RBvARxx0wxVFWYOh8lT0i49UKJFMnl4D6SIknLHniPOWbHuOqhIKJ
PsBK9SH+YhDtHTD89szqSCd8i3VCf2vL86VrlR8EWDQKie2CUOTRe6jJ5r5IqitV
2Y23JSAOG1Gg1GOqg+pscmFKyfpDxMZXxZ22PLCLsLkcMe+97xTYFEBsIB3CLegL
xo1tjLZx7VIh/j72n585Gq6s0i96ILH0rKod4i0UnfqWah3GPMrz2Ry/U02kR1l8
lcRDQfkl4iwQfoH5DZSnffK1CfXYYHJAUJUg1ENEvvqglecgWbZ4xqRqqiKb
-----END CERTIFICATE-----
"""
SSLCOM_TIMESTAMPING_ISSUING_RSA_CA_R1 = """\
-----BEGIN CERTIFICATE-----
MIIG/DCCBOSgAwIBAgIQbVIYcIfoI02FYADQgI+TVjANBgkqhkiG9w0BAQsFADB8
MQswCQYDVQQGEwJVUzEOMAwGA1UECAwFVGV4YXMxEDAOBgNVBAcMB0hvdXN0b24x
GDAWBgNVBAoMD1NTTCBDb3Jwb3JhdGlvbjExMC8GA1UEAwwoU1NMLmNvbSBSb290
IENlcnRpZmljYXRpb24gQXV0aG9yaXR5IFJTQTAeFw0xOTExMTMxODUwMDVaFw0z
NDExMTIxODUwMDVaMHMxCzAJBgNVBAYTAlVTMQ4wDAYDVQQIDAVUZXhhczEQMA4G
A1UEBwwHSG91c3RvbjERMA8GA1UECgwIU1NMIENvcnAxLzAtBgNVBAMMJlNTTC5j
b20gVGltZXN0YW1waW5nIElzc3VpbmcgUlNBIENBIFIxMIICIjANBgkqhkiG9w0B
AQEFAAOCAg8AMIICCgKCAgEArlEQE9L5PCCgIIXeyVAcZMnh/cXpNP8KfzFI6HJa
xV6oYf3xh/dRXPu35tDBwhOwPsJjoqgY/Tg6yQGBqt65t94wpx0rAgTVgEGMqGri
6vCI6rEtSZVy9vagzTDHcGfFDc0Eu71mTAyeNCUhjaYTBkyANqp9m6IRrYEXOKdd
/eREsqVDmhryd7dBTS9wbipm+mHLTHEFBdrKqKDM3fPYdBOro3bwQ6OmcDZ1qMY+
2Jn1o0l4N9wORrmPcpuEGTOThFYKPHm8/wfoMocgizTYYeDG/+MbwkwjFZjWKwb4
hoHT2WK8pvGW/OE0Apkrl9CZSy2ulitWjuqpcCEm2/W1RofOunpCm5Qv10T9tIAL
tQo73GHIlIDU6xhYPH/ACYEDzgnNfwgnWiUmMISaUnYXijp0IBEoDZmGT4RTguiC
mjAFF5OVNbY03BQoBb7wK17SuGswFlDjtWN33ZXSAS+i45My1AmCTZBV6obAVXDz
LgdJ1A1ryyXz4prLYyfJReEuhAsVp5VouzhJVcE57dRrUanmPcnb7xi57VPhXnCu
w26hw1Hd+ulK3jJEgbc3rwHPWqqGT541TI7xaldaWDo85k4lR2bQHPNGwHxXuSy3
yczyOg57TcqqG6cE3r0KR6jwzfaqjTvN695GsPAPY/h2YksNgF+XBnUD9JBtL4c3
4AcCAwEAAaOCAYEwggF9MBIGA1UdEwEB/wQIMAYBAf8CAQAwHwYDVR0jBBgwFoAU
3QQJB6L1en1SUxKSle44gCUNplkwgYMGCCsGAQUFBwEBBHcwdTBRBggrBgEFBQcw
AoZFaHR0cDovL3d3dy5zc2wuY29tL3JlcG9zaXRvcnkvU1NMY29tUm9vdENlcnRp
ZmljYXRpb25BdXRob3JpdHlSU0EuY3J0MCAGCCsGAQUFBzABhhRodHRwOi8vb2Nz
cHMuc3NsLmNvbTA/BgNVHSAEODA2MDQGBFUdIAAwLDAqBggrBgEFBQcCARYeaHR0
cHM6Ly93d3cuc3NsLmNvbS9yZXBvc2l0b3J5MBMGA1UdJQQMMAoGCCsGAQUFBwMI
MDsGA1UdHwQ0MDIwMKAuoCyGKmh0dHA6Ly9jcmxzLnNzbC5jb20vc3NsLmNvbS1y
c2EtUm9vdENBLmNybDAdBgNVHQ4EFgQUDJ0QJY6apxuZh0PPCH7hvYGQ9M8wDgYD
VR0PAQH/BAQDAgGGMA0GCSqGSIb3DQEBCwUAA4ICAQCSGXUNplpCzxkH2fL8lPrA
m/AV6USWWi9xM91Q5RN7mZN3D8T7cm1Xy7qmnItFukgdtiUzLbQokDJyFTrF1pyL
gGw/2hU3FJEywSN8crPsBGo812lyWFgAg0uOwUYw7WJQ1teICycX/Fug0KB94xwx
hsvJBiRTpQyhu/2Kyu1Bnx7QQBA1XupcmfhbQrK5O3Q/yIi//kN0OkhQEiS0NlyP
PYoRboHWC++wogzV6yNjBbKUBrMFxABqR7mkA0x1Kfy3Ud08qyLC5Z86C7JFBrMB
fyhfPpKVlIiiTQuKz1rTa8ZW12ERoHRHcfEjI1EwwpZXXK5J5RcW6h7FZq/cZE9k
LRZhvnRKtb+X7CCtLx2h61ozDJmifYvuKhiUg9LLWH0Or9D3XU+xKRsRnfOuwHWu
hWch8G7kEmnTG9CtD9Dgtq+68KgVHtAWjKk2ui1s1iLYAYxnDm13jMZm0KpRM9mL
QHBK5Gb4dFgAQwxOFPBslf99hXWgLyYE33vTIi9p0gYqGHv4OZh1ElgGsvyKdUUJ
kAr5hfbDX6pYScJI8v9VNYm1JEyFAV9x4MpskL6kE2Sy8rOqS9rQnVnIyPWLi8N9
K4GZvPit/Oy+8nFL6q5kN2SZbox5d69YYFe+rN1sDD4CpNWwBBTI/q0V4pkgvhL9
9IV2XasjHZf4peSrHdL4Rg==
-----END CERTIFICATE-----
"""


def _openssl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openssl", *args], capture_output=True, text=True, check=False)


def _blocks() -> list[tuple[str, str]]:
    """(SHA-256 line, PEM block) for each certificate, read without roots.py."""
    text = ROOTS_FILE.read_text(encoding="utf-8")
    found = SHA_AND_BLOCK.findall(text)
    assert len(found) == text.count("\n-----BEGIN CERTIFICATE-----")  # none without a line
    return found


def test_the_shipped_file_is_found_and_parses():
    assert shipped_roots_path() == resources_dir() / "tsa-roots.pem"
    assert shipped_roots_path().resolve() == ROOTS_FILE.resolve()  # source checkout
    roots = shipped_roots()
    assert roots == parse_roots_file(ROOTS_FILE)
    assert {r.name for r in roots} >= {"DigiCert Trusted Root G4",
                                       "USERTrust RSA Certification Authority"}
    for root in roots:
        assert root.checked.startswith("Matches the certificate of this name in Mozilla's")
        assert root.sha256 == fingerprint(root.cert)


def test_every_fingerprint_line_is_what_openssl_computes(tmp_path):
    blocks = _blocks()
    assert [line for line, _pem in blocks] == [r.sha256 for r in shipped_roots()]
    for line, pem in blocks:
        cert_file = tmp_path / "root.pem"
        cert_file.write_text(pem + "\n")
        result = _openssl("x509", "-noout", "-fingerprint", "-sha256", "-in", str(cert_file))
        assert result.returncode == 0, result.stderr
        by_openssl = result.stdout.strip().split("=", 1)[1].replace(":", "").lower()
        assert line == by_openssl
        der = x509.load_pem_x509_certificate(pem.encode()).public_bytes(Encoding.DER)
        assert line == hashlib.sha256(der).hexdigest()


def test_known_authorities_and_shipped_roots_name_each_other():
    known = {tsa.key: tsa for tsa in KNOWN_TSAS}
    for tsa in KNOWN_TSAS:
        for sha in tsa.root_sha256:
            root = root_for_fingerprint(sha)
            assert root is not None, f"{tsa.key}: {sha} is not in tsa-roots.pem"
            assert (tsa.key, tsa.url) in root.authorities
        assert [fingerprint(c) for c in builtin_roots(tsa.url)] == list(tsa.root_sha256)
    for root in shipped_roots():
        assert root.authorities, root.name
        for key, url in root.authorities:
            assert key in known, f"{root.name} names {key}, which is not a known authority"
            assert known[key].url == url
            assert root.sha256 in known[key].root_sha256
    assert builtin_roots("https://freetsa.org/tsr") == []  # its root is not in Mozilla's store
    assert builtin_roots("https://tsa.example.org/") == []


def test_default_pair_is_two_authorities_under_different_roots():
    assert len(DEFAULT_TSAS) == 2
    first, second = ({t.key: t for t in KNOWN_TSAS}[key] for key in DEFAULT_TSAS)
    assert first.root_sha256
    assert second.root_sha256
    assert not set(first.root_sha256) & set(second.root_sha256)
    assert first.url != second.url


def test_each_root_is_a_self_signed_ca_certificate():
    # All four are self-signed. Sectigo's own timestamping root (R46) is not in Mozilla's
    # store, so what is shipped for Sectigo is USERTrust RSA, which cross-signs R46 - itself a
    # self-signed root; the cross certificate travels in the TSA's answer, not in this file.
    for root in shipped_roots():
        constraints = root.cert.extensions.get_extension_for_class(x509.BasicConstraints)
        assert constraints.value.ca, root.name
        usage = root.cert.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.key_cert_sign, root.name
        assert root.cert.issuer == root.cert.subject, root.name
        root.cert.verify_directly_issued_by(root.cert)  # raises if the self-signature is bad


def _edit(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text
    return text.replace(old, new, count)


def _tampered(text: str, how: str) -> str:
    roots = shipped_roots()
    first, second = roots[0], roots[1]
    block = text[text.index(f"# Root: {second.name}\n"):]
    block = block[:block.index("-----END CERTIFICATE-----\n") + 26]
    if how == "fingerprint":
        wrong = second.sha256[:-1] + ("0" if second.sha256[-1] != "0" else "1")
        return _edit(text, f"# SHA-256: {second.sha256}", f"# SHA-256: {wrong}")
    if how == "upper-case":
        return _edit(text, second.sha256, second.sha256.upper())
    if how == "no comments":
        comments = block[:block.index("-----BEGIN")]
        return _edit(text, comments, "")
    if how == "no checked line":
        checked = block[block.index("# Checked:"):block.index("-----BEGIN")]
        return _edit(text, checked, "")
    if how == "duplicate":
        return text + "\n" + block
    if how == "wrong name":
        return _edit(text, f"# Root: {second.name}\n", f"# Root: {first.name}\n")
    if how == "stray text":
        return _edit(text, f"# Root: {second.name}\n", f"hello\n\n# Root: {second.name}\n")
    if how == "no authority":
        return _edit(text, "# Authorities: " + ", ".join(f"{k}={u}" for k, u in
                                                         second.authorities),
                     "# Authorities: sectigo")
    raise AssertionError(how)


@pytest.mark.parametrize(("how", "message"), [
    ("fingerprint", "SHA-256 line says"),
    ("upper-case", "lower-case"),
    ("no comments", "certificate without its Root"),
    ("no checked line", "in this order"),
    ("duplicate", "listed twice"),
    ("wrong name", "subject is"),
    ("stray text", "text outside a certificate"),
    ("no authority", "not key=http"),
])
def test_a_tampered_copy_is_refused(tmp_path, how, message):
    copy = tmp_path / "tsa-roots.pem"
    shutil.copyfile(ROOTS_FILE, copy)
    parse_roots_file(copy)  # the untouched copy is fine
    copy.write_text(_tampered(ROOTS_FILE.read_text(encoding="utf-8"), how), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_roots_file(copy)


def test_trusted_roots_are_the_shipped_ones_then_the_officers_once_each(tsa_pki):
    shipped = [r.cert for r in shipped_roots()]
    assert trusted_roots() == shipped
    own = tsa_pki.root_pem.read_text()
    own_cert = x509.load_pem_x509_certificate(own.encode())
    assert trusted_roots(own) == [*shipped, own_cert]
    assert trusted_roots([own, own_cert, shipped[0]]) == [*shipped, own_cert]
    two_blocks = own + tsa_pki.rogue_root_pem.read_text()
    assert len(trusted_roots([two_blocks])) == len(shipped) + 2
    assert trusted_roots(["", "  \n"]) == shipped
    with pytest.raises(ValueError, match="no certificate"):
        trusted_roots(["not a certificate"])


def test_openssl_takes_the_file_as_cafile(tmp_path):
    for _line, pem in _blocks():
        (tmp_path / "root.pem").write_text(pem + "\n")
        result = _openssl("verify", "-CAfile", str(ROOTS_FILE), str(tmp_path / "root.pem"))
        assert result.stdout.strip() == f"{tmp_path / 'root.pem'}: OK", result.stderr
    for intermediate in (GLOBALSIGN_TIMESTAMPING_CA_G4, SSLCOM_TIMESTAMPING_ISSUING_RSA_CA_R1):
        (tmp_path / "ca.pem").write_text(intermediate)
        result = _openssl("verify", "-attime", AT_TIME, "-CAfile", str(ROOTS_FILE),
                          str(tmp_path / "ca.pem"))
        assert result.stdout.strip() == f"{tmp_path / 'ca.pem'}: OK", result.stderr


def test_openssl_ts_verify_reads_a_file_in_this_shape(tsa, tsa_pki, tmp_path):
    """A token from the local test TSA verifies with `openssl ts -verify -CAfile` given the
    shipped file plus the test root in the same commented shape, and not without it."""
    digest = hashlib.sha256(b"screenshot of the threat\n").hexdigest()
    (tmp_path / "item.tsr").write_bytes(tsa.reply(build_request(bytes.fromhex(digest)).der,
                                                  "ok"))
    shutil.copyfile(tsa_pki.chain_pem, tmp_path / "chain.pem")
    test_root = x509.load_pem_x509_certificate(tsa_pki.root_pem.read_bytes())
    extended = (ROOTS_FILE.read_text(encoding="utf-8") + "\n# Root: Test Root CA\n"
                f"# Authorities: test={tsa.url}\n# SHA-256: {fingerprint(test_root)}\n"
                "# Checked: made by the test\n" + tsa_pki.root_pem.read_text())
    (tmp_path / "extended.pem").write_text(extended, encoding="utf-8")
    assert len(parse_roots_file(tmp_path / "extended.pem")) == len(shipped_roots()) + 1
    for ca_file, verdict in ((tmp_path / "extended.pem", True), (ROOTS_FILE, False)):
        command = openssl_verify_command("item.tsr", digest, str(ca_file), "chain.pem")
        result = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True,
                                text=True, check=False)
        assert ("Verification: OK" in result.stdout) is verdict, result.stderr
