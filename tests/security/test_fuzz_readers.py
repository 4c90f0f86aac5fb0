"""Bad input, fuzzed (hypothesis): the readers of vault.json, the custody journal, bundles and
age files either succeed or raise a documented typed error (an EvidenceError, or the age
module's AgeDecryptError, itself one) — never a raw exception, and never hours of work.

Everything here is in-process; test_cli_never_shows_a_traceback runs the real CLI on a few of
the same inputs. The chat parsers are fuzzed in tests/chats/test_properties.py.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from evidence_app.bundle import agefile
from evidence_app.bundle.agefile import AgeDecryptError, iter_decrypt
from evidence_app.bundle.seal import Protection, seal
from evidence_app.bundle.verify import verify_bundle
from evidence_app.core.errors import CorruptHeader, EvidenceError
from evidence_app.core.journal import Journal
from evidence_app.core.vault import Vault
from tests.helpers import PASSPHRASE, run_cli
from tests.security.kit import build_vault

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


class Sample:
    """One real vault, its pieces, a real plain bundle and real age files (built once)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        vault = build_vault(tmp / "vault", random.Random(3))
        self.header = (tmp / "vault/vault.json").read_bytes()
        self.journal = (tmp / "vault/journal").read_bytes()
        self.journal_obj = vault.journal
        self.bundle = seal(vault, tmp / "out", Protection.unencrypted()).bundle_path
        vault.lock()
        self.vault = tmp / "vault"
        key = agefile.X25519PrivateKey.generate()
        self.identity = key
        self.x25519 = self.age(b"x" * 70_000, recipients=[key.public_key()])
        self.scrypt = self.age(b"y" * 1000, passphrase="pw", scrypt_log_n=10)

    @staticmethod
    def age(data: bytes, **how) -> bytes:
        out = io.BytesIO()
        writer = agefile.AgeWriter(out, **how)
        writer.write(data)
        writer.close()
        return out.getvalue()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    return Sample(tmp_path_factory.mktemp("fuzz"))


def _fresh(base: Path, name: str) -> Path:
    path = base / name
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def mutate(data: bytes, edits: list[tuple[int, int, int]], cut: int | None) -> bytes:
    """Apply (position, kind, value) edits — overwrite, insert or delete a byte — then an
    optional truncation; positions wrap around, so any list fits any input."""
    buf = bytearray(data)
    for pos, kind, value in edits:
        if not buf:
            break
        i = pos % len(buf)
        if kind == 0:
            buf[i] = value
        elif kind == 1:
            buf.insert(i, value)
        else:
            del buf[i]
    if cut is not None and buf:
        del buf[cut % len(buf):]
    return bytes(buf)


EDITS = st.lists(st.tuples(st.integers(0, 1 << 30), st.integers(0, 2), st.integers(0, 255)),
                 min_size=1, max_size=6)
CUTS = st.none() | st.integers(0, 1 << 30)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=6),
    max_leaves=20)


# --- vault.json ----------------------------------------------------------------------------

def _open_with_header(sample: Sample, work: Path, header: bytes) -> None:
    vault = work / "v"
    shutil.copytree(sample.vault, vault)
    (vault / "vault.json").write_bytes(header)
    try:
        Vault.open(vault, PASSPHRASE).lock()
    except EvidenceError:
        pass  # the point: typed, or nothing


@FUZZ
@given(edits=EDITS, cut=CUTS)
def test_vault_header_bytes(sample, tmp_path, edits, cut):
    _open_with_header(sample, _fresh(tmp_path, "h"), mutate(sample.header, edits, cut))


@FUZZ
@given(path=st.lists(st.sampled_from(["kdf", "wrapped_key", "passphrase", "recovery",
                                      "signing_key", "salt", "nonce", "ct", "iterations",
                                      "memory_cost", "lanes", "vault_id", "version"]),
                     min_size=1, max_size=3),
       value=JSON, keep_checksum=st.booleans())
def test_vault_header_fields(sample, tmp_path, path, value, keep_checksum):
    """A field (at any depth) replaced by any JSON value, with the checksum recomputed (a
    deliberate edit) or left as it was (damage)."""
    from evidence_app.core.vault import header_checksum

    header = json.loads(sample.header)
    node = header
    for key in path[:-1]:
        child = node.get(key) if isinstance(node, dict) else None
        if not isinstance(child, dict):
            break
        node = child
    node[path[-1]] = value
    if not keep_checksum:
        try:
            header["checksum"] = header_checksum(header)
        except ValueError:
            header.pop("checksum")
    text = json.dumps(header, allow_nan=True).encode("utf-8", "surrogatepass")
    _open_with_header(sample, _fresh(tmp_path, "f"), text)


@FUZZ
@given(value=JSON)
def test_vault_header_any_json(sample, tmp_path, value):
    text = json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")
    _open_with_header(sample, _fresh(tmp_path, "j"), text)


@pytest.mark.parametrize("kdf", [
    {"iterations": 10**9}, {"memory_cost": 2**40}, {"lanes": 2**24}, {"iterations": 0},
    {"iterations": "3"}, {"iterations": 2.5}, {"salt": "c2FsdA=="}, {"salt": 7},
    {"algorithm": "scrypt"}, {"memory_cost": True},
])
def test_hostile_kdf_settings_are_refused_at_once(sample, tmp_path, kdf):
    """A header asking Argon2 for hours or terabytes is damage, refused before deriving."""
    header = json.loads(sample.header)
    header["kdf"].update(kdf)
    header.pop("checksum")  # as a hand-made header would come
    (vault := tmp_path / "v").mkdir()
    shutil.copytree(sample.vault, vault, dirs_exist_ok=True)
    (vault / "vault.json").write_text(json.dumps(header))
    with pytest.raises(CorruptHeader) as info:
        Vault.open(vault, PASSPHRASE)
    assert info.value.path.name == "vault.json"


# --- the custody journal -------------------------------------------------------------------

@FUZZ
@given(edits=EDITS, cut=CUTS, head_known=st.booleans())
def test_journal_frames(sample, tmp_path, edits, cut, head_known):
    """scan() never raises: it returns the good records and says what is wrong after them."""
    work = _fresh(tmp_path, "j")
    journal = Journal(work / "journal", work / "head", sample.journal_obj._key,
                      sample.journal_obj._aad, sample.journal_obj._signer)
    (work / "journal").write_bytes(mutate(sample.journal, edits, cut))
    last = sample.journal_obj.records[-1]
    result = journal.scan((last["seq"], last["hash"]) if head_known else None)
    assert result.problem is None or isinstance(result.problem, EvidenceError)
    for expected, record in enumerate(result.records, 1):
        assert record["seq"] == expected


@FUZZ
@given(edits=EDITS, cut=CUTS)
def test_journal_through_open(sample, tmp_path, edits, cut):
    vault = _fresh(tmp_path, "o") / "v"
    shutil.copytree(sample.vault, vault)
    (vault / "journal").write_bytes(mutate(sample.journal, edits, cut))
    try:
        with Vault.open(vault, PASSPHRASE) as v:
            v.verify_log()
    except EvidenceError:
        pass


# --- bundles -------------------------------------------------------------------------------

def _verify_quietly(path: Path, work: Path, **keys) -> None:
    try:
        verify_bundle(path, work / "w", **keys)
    except EvidenceError:
        pass
    outside = [p for p in work.iterdir() if p.name not in ("w", path.name)]
    assert not outside, outside


@FUZZ
@given(data=st.binary(max_size=4096),
       magic=st.sampled_from([b"", b"PK\x03\x04", b"age-encryption.org/v1\n"]))
def test_bundle_from_arbitrary_bytes(sample, tmp_path, data, magic):
    work = _fresh(tmp_path, "b")
    path = work / "b.zip"
    path.write_bytes(magic + data)
    _verify_quietly(path, work, identities_text=agefile.identity_string(sample.identity))


@FUZZ
@given(edits=EDITS, cut=CUTS)
def test_bundle_mutated(sample, tmp_path, edits, cut):
    work = _fresh(tmp_path, "m")
    path = work / sample.bundle.name
    path.write_bytes(mutate(sample.bundle.read_bytes(), edits, cut))
    _verify_quietly(path, work)


@FUZZ
@given(member=st.integers(0, 1000), edits=EDITS, cut=CUTS)
def test_bundle_member_mutated(sample, tmp_path, member, edits, cut):
    """One file inside the bag mutated, re-zipped: verify names a failure or raises typed."""
    work = _fresh(tmp_path, "z")
    path = work / sample.bundle.name
    with zipfile.ZipFile(sample.bundle) as src, zipfile.ZipFile(path, "w") as dst:
        names = src.namelist()
        chosen = names[member % len(names)]
        for name in names:
            data = src.read(name)
            dst.writestr(name, mutate(data, edits, cut) if name == chosen else data)
    _verify_quietly(path, work)


# --- age files -----------------------------------------------------------------------------

def _decrypt(data: bytes, sample: Sample, passphrase: str | None = None) -> bytes:
    return b"".join(iter_decrypt(io.BytesIO(data), identities=[sample.identity],
                                 passphrase=passphrase))


@FUZZ
@given(edits=EDITS, cut=CUTS, which=st.sampled_from(["x25519", "scrypt"]))
def test_age_mutated(sample, edits, cut, which):
    original = getattr(sample, which)
    data = mutate(original, edits, cut)
    if b"\n-> scrypt " in data:  # keep the work factor cheap, or refused: 2**0 .. 2**12
        line = data.split(b"\n-> scrypt ", 1)[1].split(b"\n", 1)[0].split(b" ")
        if len(line) == 2 and line[1].strip().isdigit() and 12 < int(line[1]) <= 20:
            return
    try:
        plain = _decrypt(data, sample, "pw")
    except AgeDecryptError as exc:
        reason = exc.reason
    else:
        assert data == original or plain == _decrypt(original, sample, "pw")
        return
    assert reason in ("not_age", "no_key", "header", "damaged")


def _header_and_payload(data: bytes) -> tuple[bytes, bytes]:
    end = data.index(b"\n--- ") + 1
    mac_end = data.index(b"\n", end) + 1
    return data[:mac_end], data[mac_end:]


def _malformed_age(sample: Sample) -> dict[str, bytes]:
    """The classic malformations, each built from a real file."""
    x = sample.x25519
    header, payload = _header_and_payload(x)
    mac_line = header[header.index(b"\n--- "):]
    mac_b64 = mac_line[5:-1]
    # 32 bytes -> 43 characters: the last one carries 2 unused bits; set one of them.
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(mac_b64[-1:])
    stray = mac_b64[:-1] + alphabet[last ^ 1: (last ^ 1) + 1]
    full = Sample.age(b"z" * agefile.CHUNK, recipients=[sample.identity.public_key()])
    fh, fp = _header_and_payload(full)
    chunk = agefile.CHUNK + agefile.TAG
    nonce = fp[:16]
    key = agefile._unwrap(agefile._parse_header(io.BytesIO(full))[0], [sample.identity], None)
    aead = agefile.ChaCha20Poly1305(agefile._hkdf(key, nonce, b"payload"))
    first_not_last = aead.encrypt(agefile._stream_nonce(0, False), b"z" * agefile.CHUNK, None)
    empty_last = aead.encrypt(agefile._stream_nonce(1, True), b"", None)
    scrypt_header = _header_and_payload(sample.scrypt)[0]
    huge = scrypt_header.replace(b" 10\n", b" 22\n")
    return {
        "empty": b"",
        "not age": b"hello\n",
        "truncated header": header[: len(header) // 2],
        "no mac line": header.split(b"\n--- ")[0] + b"\n",
        "bad base64 in stanza": header.replace(b"-> X25519 ", b"-> X25519 !!!!"),
        "bad base64 in mac": header[: -len(mac_line)] + b"\n--- %%%%\n" + payload,
        "stray bits in mac": header[: -len(mac_line)] + b"\n--- " + stray + b"\n" + payload,
        "wrong mac": header[: -len(mac_line)] + b"\n--- " + b"A" * 43 + b"\n" + payload,
        "no payload nonce": header,
        "short nonce": header + payload[:7],
        "nonce only": header + payload[:16],
        "short final chunk": header + payload[:-1],
        "final chunk cut to its tag": header + payload[:16] + payload[16:32],
        "empty final chunk after full": fh + nonce + first_not_last + empty_last,
        "full chunk not marked last": fh + nonce + first_not_last,
        "appended garbage": x + b"\x00" * 40,
        "huge scrypt work factor": huge + _header_and_payload(sample.scrypt)[1],
        "scrypt work factor 99": scrypt_header.replace(b" 10\n", b" 99\n"),
        "two scrypt stanzas": scrypt_header.replace(
            b"-> scrypt", b"-> scrypt AAAAAAAAAAAAAAAAAAAAAA 10\nAAAA\n-> scrypt", 1),
        "endless stanza body": scrypt_header.split(b"\n--- ")[0].rsplit(b"\n", 1)[0]
        + b"\n" + (b"A" * 64 + b"\n") * 2000,
        "too many stanzas": b"age-encryption.org/v1\n" + b"-> x\nAAAA\n" * 100,
        "mac not fitting (chunk size)": x[: chunk // 2],
    }


def test_malformed_age_files_are_refused(sample, capsys):
    from tests.security.kit import report

    refused = {}
    for name, data in _malformed_age(sample).items():
        with pytest.raises(AgeDecryptError) as info:
            _decrypt(data, sample, "pw")
        refused[name] = info.value.reason
    assert refused["huge scrypt work factor"] == "header", "2**22 must be refused, not tried"
    assert refused["stray bits in mac"] == "header"
    assert refused["empty final chunk after full"] == "damaged"
    report("age malformations", capsys, cases=len(refused), refused=len(refused))


def test_cli_never_shows_a_traceback(sample, tmp_path):
    """The same kinds of input through the real command line: one line, no traceback."""
    vault = tmp_path / "v"
    shutil.copytree(sample.vault, vault)
    header = json.loads(sample.header)
    header["kdf"] = []
    (vault / "vault.json").write_text(json.dumps(header))
    bad_bundle = tmp_path / "b.zip.age"
    bad_bundle.write_bytes(_malformed_age(sample)["stray bits in mac"])
    identity = tmp_path / "id.txt"
    identity.write_text(agefile.identity_string(sample.identity) + "\n")
    garbage = tmp_path / "g.zip"
    garbage.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    for args in (["--vault", str(vault), "list"],
                 ["verify", str(bad_bundle), "--identity", str(identity)],
                 ["verify", str(garbage)]):
        run = run_cli(*args)
        assert run.returncode != 0, args
        assert "Traceback" not in run.stdout + run.stderr
        assert "did not expect" not in run.stdout + run.stderr, (args, run.stderr)
