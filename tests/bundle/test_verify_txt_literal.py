"""Every command of the English VERIFY.txt, run literally with real tools, on the genuine
bundle of the forgery suite (every step passes) and on each forged one (a step fails).

How commands are picked out of VERIFY.txt (the rule its own header states):
- a command starts on a line indented by exactly five spaces; those five are removed;
- while a command's last line ends in " \\", the next line belongs to it too;
- a line "python3 -c 'if True:" opens a script that runs to the line "     '" (included);
- a command belongs to the step whose "N. " heading is the last one above it.
Every other line is prose, and no prose line is indented by five or more spaces.

What the officer supplies, as VERIFY.txt says: RECEIPT-SHA256 and RECEIPT-PUBLIC-KEY are
replaced by the values copied from the receipt; TSA-ROOTS.pem (the shipped roots plus the
test authorities' roots, as an officer would add an authority's own) and UNIT-KEY.txt are
files beside the bundle. All commands run in one bash session, in order, starting in the
folder holding the bundle, with no input. A step passes when each of its commands exits 0
and nothing it prints contains FAILED. The genuine bundle is also checked with every line
pasted as it stands in the file, indentation and all.

For a forged bundle RECEIPT-SHA256 is the forged file's own SHA-256 (step 1 would catch any
changed file; this shows the later steps catch it too), and RECEIPT-PUBLIC-KEY is the
genuine receipt's key, which no forger can change.
"""

# The forgery suite's fixtures are imported by name below, so each test parameter that
# names one redefines the import; that is how pytest shares fixtures across folders.
# ruff: noqa: F811

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from evidence_app.bundle.report_pdf import split_command, verify_lines
from evidence_app.bundle.seal import Protection, seal
from evidence_app.bundle.verify_text import verify_text
from evidence_app.i18n import language
from evidence_app.timestamp.client import stamp_digest
from evidence_app.timestamp.ots import stamp as ots_stamp
from evidence_app.timestamp.roots import shipped_roots_path
from evidence_app.timestamp.settings import TimestampSettings
from tests.timestamp.conftest import ots_calendars, tsa, tsa_pki  # noqa: F401 - fixtures
from tests.timestamp.ots_calendar import TestCalendar
from tests.timestamp.pki import Pki
from tests.timestamp.test_forgery import (  # noqa: F401 - fixtures
    Sealed,
    backdate_sealing,
    make_vault,
    offender_bundle,
    pki_b,
    rezip,
    sealed,
    tsa_b,
)
from tests.timestamp.tsa_server import TestTsa

# Steps of an unencrypted bundle's VERIFY.txt.
RECEIPT, UNPACK, SIGNATURE, FILES, CUSTODY, TOKENS, TIMES, OTS = range(1, 9)
_STEP = re.compile(r"(\d+)\. ")
_KEY = re.compile(r"ssh-ed25519 [A-Za-z0-9+/=]+")
_SHA = re.compile(r"\b[0-9a-f]{64}\b")


def commands(text: str) -> list[tuple[int, str]]:
    """(step, command) in order, by the rule in this module's docstring."""
    out: list[tuple[int, str]] = []
    step = 0
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        heading = _STEP.match(line)
        if heading:
            step = int(heading.group(1))
        if not (line.startswith(" " * 5) and line[5:6].strip()):
            assert not line.startswith(" " * 5), f"prose indented like a command: {line!r}"
            i += 1
            continue
        block = [line[5:]]
        if line.endswith("python3 -c 'if True:"):
            while lines[i] != "     '":
                i += 1
                block.append(lines[i][5:])
        else:
            while block[-1].endswith(" \\"):
                i += 1
                block.append(lines[i][5:])
        out.append((step, "\n".join(block)))
        i += 1
    return out


@dataclass
class Outcome:
    step: int
    command: str
    rc: int
    out: str
    err: str

    @property
    def ok(self) -> bool:
        return self.rc == 0 and "FAILED" not in self.out + self.err


@dataclass
class Run:
    outcomes: list[Outcome]

    @property
    def failed_steps(self) -> set[int]:
        return {o.step for o in self.outcomes if not o.ok}

    def output(self, step: int) -> str:
        return "".join(o.out + o.err for o in self.outcomes if o.step == step)

    def report(self) -> str:
        return "\n".join(f"[{o.step}] rc={o.rc} {o.command[:70]!r}\n{o.out}{o.err}"
                         for o in self.outcomes if not o.ok)


def receipt_values(receipt: Path) -> tuple[str, str]:
    text = receipt.read_text(encoding="utf-8")
    (key,) = set(_KEY.findall(text))
    (sha,) = set(_SHA.findall(text))
    return sha, key


def officer_roots(sealed: Sealed) -> str:
    return shipped_roots_path().read_text(encoding="utf-8") + "".join(
        root.read_text() for root in sealed.roots)


def verify_by_hand(bundle: Path, work: Path, *, sha256: str, key: str, roots: str,
                   unit_key: str | None = None, verify_txt: str | None = None,
                   as_name: str | None = None, pasted: bool = False) -> Run:
    """Copy the bundle into an empty folder (as `as_name`, the name its VERIFY.txt gives
    it) and run its VERIFY.txt, command by command; `pasted`: with each line's
    indentation kept, as a person copying from the file would paste it."""
    work.mkdir()
    shutil.copy(bundle, work / (as_name or bundle.name))
    (work / "TSA-ROOTS.pem").write_text(roots)
    if unit_key is not None:
        (work / "UNIT-KEY.txt").write_text(unit_key)
    if verify_txt is None:
        verify_txt = _own_verify_txt(bundle, unit_key)
    steps = commands(verify_txt)
    logs = work.parent / f"{work.name}-logs"
    logs.mkdir()
    script = ["exec </dev/null"]
    for number, (_step, cmd) in enumerate(steps):
        cmd = cmd.replace("RECEIPT-SHA256", sha256).replace("RECEIPT-PUBLIC-KEY", key)
        if pasted:
            cmd = "\n".join("     " + line for line in cmd.split("\n"))
        script.append(f"{{ {cmd}\n}} >'{logs}/{number}.out' 2>'{logs}/{number}.err'; "
                      f"echo $? >'{logs}/{number}.rc'")
    env = dict(os.environ, LC_ALL="C.UTF-8")
    # ots (opentimestamps-client) lives beside this Python; everything else is the system's.
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    subprocess.run(["bash", "-c", "\n".join(script)], cwd=work, env=env, check=True,
                   timeout=120)
    outcomes = []
    for number, (step, cmd) in enumerate(steps):
        read = (logs / f"{number}.out").read_text(errors="replace")
        err = (logs / f"{number}.err").read_text(errors="replace")
        outcomes.append(Outcome(step, cmd, int((logs / f"{number}.rc").read_text()), read,
                                err))
    return Run(outcomes)


def _own_verify_txt(bundle: Path, unit_key: str | None) -> str:
    """The VERIFY.txt the bundle carries (an officer reads the one they unpacked)."""
    if unit_key is not None:  # encrypted: read it after decrypting, as the officer does
        return ""
    with zipfile.ZipFile(bundle) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith("/data/VERIFY.txt")
                   and n.count("/") == 2]
        return zf.read(name).decode("utf-8")


def check_forgery(sealed: Sealed, forged: Path, name: str) -> Run:
    _sha, key = receipt_values(sealed.receipt)
    sha = hashlib.sha256(forged.read_bytes()).hexdigest()
    with zipfile.ZipFile(forged) as zf:
        folder = zf.namelist()[0].split("/", 1)[0]
    return verify_by_hand(forged, sealed.tmp / f"hand-{name}", sha256=sha, key=key,
                          roots=officer_roots(sealed), as_name=f"{folder}.zip")


# --- the genuine bundle ------------------------------------------------------------------


def test_commands_are_found_and_prose_is_not_indented_like_them(sealed: Sealed) -> None:
    text = _own_verify_txt(sealed.bundle, None)
    found = commands(text)
    assert [step for step, _cmd in found][0] == RECEIPT
    assert {step for step, _cmd in found} == set(range(RECEIPT, OTS + 1))
    scripts = [cmd for _step, cmd in found if cmd.startswith("python3 -c")]
    assert len(scripts) == 3
    assert all(cmd.endswith("\n'") for cmd in scripts)
    for _step, cmd in found:
        assert "RECEIPT-FINGERPRINT" not in cmd
        assert "timestamps/root" not in cmd  # roots never come from the bundle
    assert "signature/allowed_signers -I" not in text  # never the bundle's own signers


def test_genuine_bundle_passes_every_step(sealed: Sealed) -> None:
    sha, key = receipt_values(sealed.receipt)
    run = verify_by_hand(sealed.bundle, sealed.tmp / "hand", sha256=sha, key=key,
                         roots=officer_roots(sealed))
    assert run.failed_steps == set(), run.report()
    assert 'Good "evidence-locker-bundle" signature for evidence-locker-vault' in \
        run.output(SIGNATURE)
    names = zipfile.ZipFile(sealed.bundle).namelist()
    tokens = [n for n in names if n.endswith(".tsr")]
    assert run.output(TOKENS).count("Verification: OK") == len(tokens) == 12
    assert run.output(TIMES).count("Time stamp:") == len(tokens)
    custody = [line for line in _member(sealed.bundle, "data/metadata/custody.jsonl")
               .splitlines() if '"redacted"' not in line]
    assert run.output(CUSTODY).count("Signature Verified Successfully") == len(custody)
    assert "custody log:" in run.output(CUSTODY)
    pasted = verify_by_hand(sealed.bundle, sealed.tmp / "pasted", sha256=sha, key=key,
                            roots=officer_roots(sealed), pasted=True)
    assert pasted.failed_steps == set(), pasted.report()
    assert run.output(FILES).count(": OK") == len([n for n in names if "/data/" in n]) + \
        len([n for n in names if "/timestamps/" in n and "/seal" not in n]) + 3


def test_encrypted_bundle_passes_with_the_unit_key(sealed: Sealed) -> None:
    keygen = subprocess.run(["age-keygen"], capture_output=True, text=True, check=True)
    identity = keygen.stdout
    (recipient,) = re.findall(r"age1[0-9a-z]+", keygen.stderr + keygen.stdout)[:1]
    result = seal(sealed.vault, sealed.tmp / "out-age", Protection.for_recipients([recipient]))
    sha, key = receipt_values(result.receipt_paths[0])
    assert "age -d -i UNIT-KEY.txt" in result.receipt_paths[0].read_text()
    # The officer reads VERIFY.txt once decrypted; its commands are the ones this makes.
    decrypted = sealed.tmp / "peek"
    decrypted.mkdir()
    subprocess.run(["age", "-d", "-i", "-", "-o", str(decrypted / "b.zip"),
                    str(result.bundle_path)], input=identity, text=True, check=True)
    text = _own_verify_txt(decrypted / "b.zip", None)
    run = verify_by_hand(result.bundle_path, sealed.tmp / "hand-age", sha256=sha, key=key,
                         roots=officer_roots(sealed), unit_key=identity, verify_txt=text)
    assert run.failed_steps == set(), run.report()
    assert any(o.command.startswith("age -d -i UNIT-KEY.txt") for o in run.outcomes)
    wrong = verify_by_hand(result.bundle_path, sealed.tmp / "hand-age-2", sha256="0" * 64,
                           key=key, roots=officer_roots(sealed), unit_key=identity,
                           verify_txt=text)
    assert RECEIPT in wrong.failed_steps


def test_opentimestamps_step_checks_each_proof(sealed: Sealed,
                                               ots_calendars: Callable[[], TestCalendar]
                                               ) -> None:
    folder = sealed.unpack("ots")
    tag = (folder / "tagmanifest-sha256.txt").read_bytes()
    proof = ots_stamp(hashlib.sha256(tag).digest(), [ots_calendars().url], 5)
    assert proof is not None
    good = check_forgery(sealed, rezip(folder, sealed.tmp / "ots.zip",
                                       {"timestamps/seal.ots": proof}), "ots-good")
    assert good.failed_steps == set(), good.report()
    assert "PendingAttestation" in good.output(OTS)
    other = ots_stamp(hashlib.sha256(b"something else").digest(), [ots_calendars().url], 5)
    assert other is not None
    for label, data in (("ots-other", other), ("ots-garbage", b"not a proof")):
        run = check_forgery(sealed, rezip(folder, sealed.tmp / f"{label}.zip",
                                          {"timestamps/seal.ots": data}), label)
        assert run.failed_steps == {OTS}, run.report()


# --- forgeries ---------------------------------------------------------------------------


def test_rogue_root_token_fails(sealed: Sealed, tsa: TestTsa, tsa_pki: Pki) -> None:
    rogue = TimestampSettings(True, (("Rogue", tsa.url),), tsa_pki.rogue_root_pem.read_text(),
                              ots=False)
    folder = sealed.unpack()
    tag = (folder / "tagmanifest-sha256.txt").read_bytes()
    tsa.mode = "untrusted"
    token = stamp_digest(hashlib.sha256(tag).digest(), rogue)
    tsa.mode = "ok"
    forged = rezip(folder, sealed.tmp / "rogue.zip", {
        "timestamps/seal-9.tsr": token.tsr, "timestamps/seal-9.chain.pem": token.root_pem})
    run = check_forgery(sealed, forged, "rogue")
    assert run.failed_steps == {TOKENS}, run.report()  # nothing else can see it
    assert "FAILED timestamps/seal-9.tsr" in run.output(TOKENS)
    as_file = rezip(folder, sealed.tmp / "rogue2.zip", {
        "timestamps/root-digicert.pem": token.root_pem, "timestamps/seal-9.tsr": token.tsr})
    run = check_forgery(sealed, as_file, "rogue2")
    assert {FILES, TOKENS} <= run.failed_steps, run.report()
    assert "FAILED not listed: timestamps/root-digicert.pem" in run.output(FILES)


def test_rekeyed_copy_fails_against_the_receipt(sealed: Sealed, tsa: TestTsa,
                                                tsa_b: TestTsa, tsa_pki: Pki,
                                                pki_b: Pki) -> None:
    forged = offender_bundle(sealed, tsa, tsa_b, tsa_pki, pki_b)
    run = check_forgery(sealed, forged, "rekeyed")
    assert {SIGNATURE, CUSTODY} <= run.failed_steps, run.report()
    assert RECEIPT not in run.failed_steps
    # With the receipt's own SHA-256, the very first step already refuses it.
    sha, key = receipt_values(sealed.receipt)
    run = verify_by_hand(forged, sealed.tmp / "rekeyed-2", sha256=sha, key=key,
                         roots=officer_roots(sealed))
    assert {RECEIPT, SIGNATURE, CUSTODY} <= run.failed_steps


def _added(where: str, data: bytes = b"added later") -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        target = folder / where
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return change


def _replaced(rel: str, data: bytes) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        (folder / rel).write_bytes(data)
    return change


def _delete_timestamps(folder: Path) -> None:
    shutil.rmtree(folder / "timestamps")


def _swap_tokens(folder: Path) -> None:
    a, b = sorted((folder / "timestamps").glob("*-1.tsr"))[:2]
    data_a, data_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(data_b)
    b.write_bytes(data_a)


EVIL = ("data/evidence/x\x1b[2K\r\x1b[1AOK      Signature\n"
        "Result: VERIFIED - every check passed.\u202e.txt")

# label -> (the change, steps that must fail, text the first of them must print)
FORGERIES: dict[str, tuple[Callable[[Path], None], set[int], str]] = {
    "unlisted at the root": (_added("extra.txt"), {FILES},
                             "FAILED not listed: extra.txt"),
    "unlisted in signature/": (_added("signature/extra.sig"), {FILES},
                               "FAILED not listed: signature/extra.sig"),
    "unlisted in timestamps/": (_added("timestamps/extra.tsr"), {FILES, TIMES},
                                "FAILED not listed: timestamps/extra.tsr"),
    "unlisted in a new folder": (_added("newfolder/notes.txt"), {FILES},
                                 "FAILED not listed: newfolder/notes.txt"),
    "control characters in a name": (_added(EVIL, b"x"), {FILES},
                                     "FAILED not listed: data/evidence/x"),
    "timestamps/ deleted": (_delete_timestamps, {FILES, CUSTODY, TOKENS},
                            "FAILED open or read"),
    "tokens swapped": (_swap_tokens, {FILES, TOKENS}, "-1.tsr: FAILED"),
    "items.json [1]": (_replaced("data/metadata/items.json", b"[1]"), {FILES, CUSTODY},
                       "items.json: FAILED"),
    "custody line 1": (_replaced("data/metadata/custody.jsonl", b"1\n"), {FILES, CUSTODY},
                       "custody.jsonl: FAILED"),
    "custody record without data": (
        _replaced("data/metadata/custody.jsonl",
                  b'{"seq": 1, "prev": "0", "hash": "x", "type": "item_added", "time": "t"}\n'),
        {FILES, CUSTODY}, "custody.jsonl: FAILED"),
    "items.json nested 200k deep": (
        _replaced("data/metadata/items.json", b"[" * 200_000 + b"]" * 200_000),
        {FILES, CUSTODY}, "items.json: FAILED"),
    "signer.pub of another type": (
        _replaced("signature/signer.pub", b"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 x\n"),
        {SIGNATURE}, "signature/signer.pub differ"),
    "garbage seal token": (_replaced("timestamps/seal-1.tsr", b"garbage, not a token"),
                           {TOKENS, TIMES}, "FAILED timestamps/seal-1.tsr"),
}


def test_each_forgery_fails_a_step(sealed: Sealed) -> None:
    """Each forgery of the forgery suite made from the genuine bundle, checked by hand
    (in parallel: each run is its own bash session in its own folder)."""
    def run_one(number: int, label: str) -> tuple[str, Run]:
        change = FORGERIES[label][0]
        folder = sealed.unpack(f"forged-{number}")
        change(folder)
        return label, check_forgery(sealed, rezip(folder, sealed.tmp / f"forged-{number}.zip"),
                                    f"forged-{number}")

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        runs = dict(pool.map(lambda pair: run_one(*pair), enumerate(FORGERIES)))
    for label, (_change, steps, text) in FORGERIES.items():
        run = runs[label]
        assert steps <= run.failed_steps, (label, run.report())
        assert RECEIPT not in run.failed_steps, label  # caught by the bundle, not its hash
        assert text in run.output(min(steps)), (label, run.report())
        for step in (CUSTODY, TIMES):
            assert "Traceback" not in run.output(step), (label, run.output(step))
    shown = "".join(o.out + o.err for o in runs["control characters in a name"].outcomes)
    assert "\x1b" not in shown
    assert "\r" not in shown
    assert "\u202e" not in shown
    assert "does not hold them all" in runs["timestamps/ deleted"].output(CUSTODY)
    assert runs["tokens swapped"].output(TOKENS).count("Verification: FAILED") == 2


def test_token_after_sealing_fails(tmp_path: Path, tsa: TestTsa, tsa_b: TestTsa,
                                   tsa_pki: Pki, pki_b: Pki,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Sealed-At put an hour back by someone holding the vault (as in the forgery suite):
    the seal's tokens are not at the sealing; without them, the items' are after it."""
    roots = tsa_pki.root_pem.read_text() + pki_b.root_pem.read_text()
    vault = make_vault(tmp_path, tsa, tsa_b, roots)
    backdate_sealing(monkeypatch)
    officer = shipped_roots_path().read_text() + roots
    stamped = seal(vault, tmp_path / "out1", Protection.unencrypted())
    sha, key = receipt_values(stamped.receipt_paths[0])
    run = verify_by_hand(stamped.bundle_path, tmp_path / "hand1", sha256=sha, key=key,
                         roots=officer)
    assert run.failed_steps == {TIMES}, run.report()
    assert "is not dated at the sealing" in run.output(TIMES)
    tsa.stop()
    tsa_b.stop()
    unstamped = seal(vault, tmp_path / "out2", Protection.unencrypted())
    sha, key = receipt_values(unstamped.receipt_paths[0])
    run = verify_by_hand(unstamped.bundle_path, tmp_path / "hand2", sha256=sha, key=key,
                         roots=officer)
    assert run.failed_steps == {TIMES}, run.report()
    assert "is dated after the bundle was sealed" in run.output(TIMES)


def test_commands_are_the_same_in_every_language() -> None:
    def cmds(lang: str) -> list[str]:
        with language(lang):
            text = verify_text(name="B", encrypted=True, passphrase_mode=False,
                               fingerprint="SHA256:x", sealed_at="2026-01-01T00:00:00Z",
                               timestamp_lines=["openssl ts -verify -CAfile x \\\n  -in y"])
        return [cmd for _step, cmd in commands(text)]

    assert cmds("de") == cmds("en")


def _member(bundle: Path, rel: str) -> str:
    with zipfile.ZipFile(bundle) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith("/" + rel)]
        return zf.read(name).decode("utf-8")


# --- the PDF report shows the same commands ----------------------------------------------


def _joined(text: str) -> list[list[str]]:
    """Each command of a VERIFY text as the shell reads it (continuations joined)."""
    return [shlex.split(cmd.replace(" \\\n", " ")) if not cmd.startswith("python3 -c")
            else [cmd] for _step, cmd in commands(text)]


def test_pdf_breaks_commands_only_between_arguments(sealed: Sealed) -> None:
    text = _own_verify_txt(sealed.bundle, None)
    text = text.replace("cd evidence-", "cd 'a folder with spaces'; cd evidence-")
    for width in (40, 60, 80):
        lines = verify_lines(text, lambda line, width=width: len(line) <= width)
        drawn = "\n".join(line for line, _command in lines) + "\n"
        assert _joined(drawn) == _joined(text), width
    assert split_command("     echo 'a b c d' x", lambda line: len(line) <= 14) == [
        "     echo \\", "       'a b c d' \\", "       x"]
    drawn = "\n".join(line for line, _c in verify_lines(text, lambda line: len(line) <= 30))
    scripts = [cmd for _step, cmd in commands(text) if cmd.startswith("python3 -c")]
    assert len(scripts) == 3
    for script in scripts:  # never broken, whatever the width
        assert "\n".join("     " + line for line in script.splitlines()) in drawn


def test_report_pdf_shows_each_command_whole(sealed: Sealed) -> None:
    with zipfile.ZipFile(sealed.bundle) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith("/data/report/report.pdf")]
        pdf = sealed.tmp / "report.pdf"
        pdf.write_bytes(zf.read(name))
    shown = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    shown = re.sub(" +", " ", shown)  # pdftotext spaces words as it measures them
    text = _own_verify_txt(sealed.bundle, None)
    for _step, cmd in commands(text):
        for line in cmd.splitlines():
            assert re.sub(" +", " ", line.strip()) in shown, line
