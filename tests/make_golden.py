"""Make the golden fixtures of one format version: a vault and a bundle sealed from it.

Run once per vault format version, never by the test suite; the files it made are checked in
under tests/assets/golden/ and must never be made again (tests/assets/golden/README.md):

    .venv/bin/python tests/make_golden.py --out tests/assets/golden

Everything goes through the real code and the real key derivation (no test-only KDF), as a
person's vault would: the command line for what a person does there (add, import-chat, note,
case, passwd, seal, timestamp), the core for what only the window offers (leaving an item out
of the case) and for turning on two local time-stamp authorities and two OpenTimestamps
calendars (the command line has no switch for calendars). The authorities run on 127.0.0.1
(`openssl ts -reply`, tests/timestamp/) under two roots made here for 100 years, so their
tokens still verify in later years; only the roots are kept, the keys are thrown away.
Nothing reaches the internet: every other address goes to a closed local port.

Inputs are made the same way on every run (fixed pixels, fixed zip dates); what depends on
the moment (keys, salts, times) cannot be, which is why these files are made only once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The shipped key derivation: drop the test-only cheap one if the caller's PYTHONPATH has it.
_PATHS = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
          if p and "fastkdf" not in p]
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *_PATHS])
_HOME = Path(tempfile.mkdtemp(prefix="evidence-golden-"))
os.environ.update({
    "HOME": str(_HOME / "home"), "XDG_DATA_HOME": str(_HOME / "home/.local/share"),
    "XDG_CONFIG_HOME": str(_HOME / "home/.config"), "XDG_STATE_HOME": str(_HOME / "home/.state"),
    "XDG_CACHE_HOME": str(_HOME / "home/.cache"), "EVIDENCE_APP_LOG_DIR": str(_HOME / "logs"),
    "LANGUAGE": "en", "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
    "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost",
})
for _name in ("EVIDENCE_APP_VAULT", "EVIDENCE_APP_PASSPHRASE", "EVIDENCE_APP_LANG"):
    os.environ.pop(_name, None)

from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from evidence_app import __version__  # noqa: E402
from evidence_app.core import keys  # noqa: E402
from evidence_app.core.lastseen import LastSeen  # noqa: E402
from evidence_app.core.vault import Vault  # noqa: E402
from evidence_app.core.vault_header import VERSION as VAULT_VERSION  # noqa: E402
from evidence_app.paths import seen_dir  # noqa: E402
from evidence_app.timestamp import enable, flush_queue  # noqa: E402
from evidence_app.timestamp.vaultstamps import pending  # noqa: E402
from tests.timestamp import pki  # noqa: E402
from tests.timestamp.ots_calendar import TestCalendar  # noqa: E402
from tests.timestamp.tsa_server import TestTsa  # noqa: E402

# Test-only secrets, written in the README and used by tests/test_golden.py.
FIRST_PASSPHRASE = "golden amber lantern over the quiet river"
PASSPHRASE = "golden violet harbour beside the maple fossil"
REFERENCE = "GOLDEN-2026-017"
CHAT_ME = "Pat Sample"
WITHDRAW_REASON = "Added by mistake: a shopping list, not part of this case."
CASE_NOTE = "He first wrote to me on Instagram on 30 December 2023."
CASE_NOTE_EDITED = ("He first wrote to me on Instagram on 30 December 2023, then moved the "
                    "chat to WhatsApp.")
CASE = {
    "reference": REFERENCE,
    "statement": "A man I met online asked me to invest, then threatened me when I stopped "
                 "paying. Every name here is invented (golden test fixture).",
    "incident_dates": "2023-12-30 to 2024-01-05",
    "platforms": ["Instagram", "WhatsApp"],
    "offender_accounts": ["@lee.invented", "+44 7400 123456"],
    "payments": [{"date": "2023-12-31", "amount": "500", "currency": "USDT",
                  "to": "TB1xckqdicjJW3VQqMb6qD3W5LwHniAV9r"}],
}
HUNDRED_YEARS = dt.timedelta(days=36525)
ZIP_TIME = (2024, 1, 5, 12, 0, 0)
CHATS = ROOT / "tests" / "assets" / "chats"


def _png(colour: tuple[int, int, int], stripe: tuple[int, int, int]) -> bytes:
    """A small picture with fixed pixels (Pillow, as the app's own tests make them)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (96, 64), colour)
    draw = ImageDraw.Draw(image)
    for x in range(0, 96, 16):
        draw.rectangle([x, 20, x + 7, 43], fill=stripe)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of text, its cross-reference table computed."""
    text = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("latin-1")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _whatsapp_zip() -> bytes:
    """An iPhone WhatsApp "export with media" (the chat tests' fixture), with fixed dates."""
    members = {
        "_chat.txt": (CHATS / "whatsapp/ios_en/_chat.txt").read_bytes(),
        "00000005-PHOTO-2023-12-30-21-18-00.jpg":
            (CHATS / "telegram/single/photos/photo_1@05-01-2024_10-05-00.jpg").read_bytes(),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out.getvalue()


INPUTS: dict[str, bytes] = {
    "threat-screenshot.png": _png((235, 235, 240), (40, 90, 200)),
    "messages-copied.txt": ("He wrote: pay 500 EUR by Friday or I send the pictures to your "
                            "family.\nEr schrieb: Zahl bis Freitag — ¥€ ✓\n").encode(),
    "private-photo.png": _png((200, 40, 40), (250, 200, 200)),
    "shopping-list.txt": b"milk\nbread\napples\n",
    "WhatsApp Chat - Scam Group.zip": _whatsapp_zip(),
    "payment-receipt.pdf": _pdf(["Payment receipt (invented, golden test fixture)",
                                 "2023-12-31 500 USDT to TB1xckqdicjJW3VQqMb6qD3W5LwHniAV9r",
                                 "Reference: VIP club deposit"]),
}


def long_lived_pki(folder: Path, label: str) -> pki.Pki:
    """Root -> intermediate -> TSA, each valid for 100 years from today."""
    folder.mkdir(parents=True)
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(days=1), now + HUNDRED_YEARS
    made = {n: ec.generate_private_key(ec.SECP256R1()) for n in ("root", "inter", "tsa")}
    root = pki._cert(f"Golden Test Root {label}", made["root"], None, None, ca=True,
                     not_before=start, not_after=end)
    inter = pki._cert(f"Golden Test Timestamping CA {label}", made["inter"], root, made["root"],
                      ca=True, not_before=start, not_after=end)
    tsa = pki._cert(f"Golden Test TSA {label}", made["tsa"], inter, made["inter"], ca=False,
                    not_before=start, not_after=end)
    (folder / "root.pem").write_bytes(pki._pem(root))
    (folder / "chain.pem").write_bytes(pki._pem(inter))
    (folder / "tsa.pem").write_bytes(pki._pem(tsa))
    (folder / "tsa.key").write_bytes(pki._key_pem(made["tsa"]))
    (folder / "serial").write_text("01\n")
    config = pki.write_ts_config(folder, [("ok", "tsa", "chain")])
    return pki.Pki(folder, folder / "root.pem", folder / "chain.pem", folder / "tsa.pem",
                   folder / "root.pem", config)


def cli(vault: Path, *args: str, passphrase: str | None = PASSPHRASE,
        env: dict[str, str] | None = None) -> str:
    """The real command line in a subprocess; stops the script on any failure."""
    full = dict(os.environ)
    if passphrase is not None:
        full["EVIDENCE_APP_PASSPHRASE"] = passphrase
    full.update(env or {})
    run = subprocess.run([sys.executable, "-m", "evidence_app", "--vault", str(vault), *args],
                         capture_output=True, text=True, env=full, cwd=ROOT, timeout=600)
    print(f"$ evidence-app {' '.join(args)}\n{run.stdout}{run.stderr}", flush=True)
    if run.returncode != 0:
        raise SystemExit(f"evidence-app {args[0]} failed ({run.returncode})")
    return run.stdout


def added_id(stdout: str, name: str) -> str:
    for line in stdout.splitlines():
        if line.startswith("added ") and f": {name} (" in line:
            return line.split()[1].rstrip(":")
    raise SystemExit(f"no item id for {name} in: {stdout}")


def need(condition: object, what: object) -> None:
    """Stop the script when something came out other than planned (asserts can be off)."""
    if not condition:
        raise SystemExit(f"not as planned: {what}")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make(out: Path) -> None:
    for kind in ("vault", "bundle", "tsa"):  # said before a minute of work, not after
        if (out / f"{kind}-v{VAULT_VERSION}").exists():
            raise SystemExit(f"{out / f'{kind}-v{VAULT_VERSION}'} exists: golden files are "
                             "never made again")
    work = _HOME / "work"
    inputs = work / "in"
    inputs.mkdir(parents=True)
    for name, data in INPUTS.items():
        (inputs / name).write_bytes(data)
    pkis = [long_lived_pki(work / f"pki-{label.lower()}", label) for label in ("A", "B")]
    servers = []
    for number, one in enumerate(pkis):
        (work / f"tsa-work-{number}").mkdir()
        servers.append(TestTsa(one, work / f"tsa-work-{number}"))
    calendars = [TestCalendar(), TestCalendar()]
    for server in [*servers, *calendars]:
        server.start()
    try:
        facts = _fill(work / "vault", inputs, pkis, servers, calendars, work / "sealed")
    finally:
        for server in [*servers, *calendars]:
            server.stop()
    _check_made(work / "vault", work / "sealed", pkis, facts)
    _publish(work / "vault", work / "sealed", pkis, out, facts)


def _fill(vault: Path, inputs: Path, pkis: list[pki.Pki], servers: list[TestTsa],
          calendars: list[TestCalendar], sealed: Path) -> dict[str, Any]:
    facts: dict[str, Any] = {"items": {}}
    # 1. A new vault with the shipped key derivation, timestamps on from the start.
    need(keys.DEFAULT_ARGON2 == {"iterations": 3, "lanes": 4, "memory_cost": 256 * 1024},
         keys.DEFAULT_ARGON2)
    created, recovery_key = Vault.create(vault, FIRST_PASSPHRASE, seen=LastSeen(seen_dir()))
    with created:
        roots = "".join(p.root_pem.read_text() for p in pkis)
        enable(created, [s.url for s in servers], extra_roots_pem=roots,
               calendars=tuple(c.url for c in calendars))
        result = flush_queue(created)
        need(result.error is None and not result.waiting, result)
    facts["recovery_key"] = recovery_key
    # 2. Files, one with a note, one marked sensitive; a chat export with its media.
    run = cli(vault, "add", str(inputs / "threat-screenshot.png"), "--note",
              "Screenshot of his first threat, sent on Instagram.",
              passphrase=FIRST_PASSPHRASE)
    facts["items"]["threat-screenshot.png"] = added_id(run, "threat-screenshot.png")
    run = cli(vault, "add", str(inputs / "messages-copied.txt"), str(inputs / "shopping-list.txt"),
              passphrase=FIRST_PASSPHRASE)
    for name in ("messages-copied.txt", "shopping-list.txt"):
        facts["items"][name] = added_id(run, name)
    run = cli(vault, "add", "--sensitive", str(inputs / "private-photo.png"),
              passphrase=FIRST_PASSPHRASE)
    facts["items"]["private-photo.png"] = added_id(run, "private-photo.png")
    run = cli(vault, "import-chat", str(inputs / "WhatsApp Chat - Scam Group.zip"), "--me",
              CHAT_ME, "--json", passphrase=FIRST_PASSPHRASE)
    facts["chat"] = json.loads(run[run.index("{"):])  # after the "timestamps obtained" line
    # 3. A case note, the case details.
    run = cli(vault, "note", CASE_NOTE, passphrase=FIRST_PASSPHRASE)
    facts["case_note_id"] = run.split("Case note ")[1].split()[0]
    case_file = inputs.parent / "case.json"
    case_file.write_text(json.dumps(CASE, ensure_ascii=False))
    cli(vault, "case", "--file", str(case_file), passphrase=FIRST_PASSPHRASE)
    # 4. One item left out of the case (the window's "Leave this item out of the case").
    with Vault.open(vault, FIRST_PASSPHRASE, seen=LastSeen(seen_dir())) as opened:
        opened.withdraw_item(facts["items"]["shopping-list.txt"], WITHDRAW_REASON)
        result = flush_queue(opened)
        need(result.error is None and not result.waiting, result)
    # 5. A new passphrase: a second key epoch. What follows is written with its keys.
    cli(vault, "passwd", passphrase=FIRST_PASSPHRASE,
        env={"EVIDENCE_APP_NEW_PASSPHRASE": PASSPHRASE})
    run = cli(vault, "add", str(inputs / "payment-receipt.pdf"), "--note",
              "Receipt of the first payment he asked for.")
    facts["items"]["payment-receipt.pdf"] = added_id(run, "payment-receipt.pdf")
    cli(vault, "note", "--edit", facts["case_note_id"], CASE_NOTE_EDITED)
    # 6. Sealed with a passphrase for the police, then what waits is stamped.
    run = cli(vault, "seal", "--out", str(sealed), "--passphrase", "--report-language", "en")
    facts["bundle_passphrase"] = run.split("Passphrase (shown only now")[1].splitlines()[1] \
        .strip()
    cli(vault, "timestamp")
    with Vault.open(vault, PASSPHRASE, seen=LastSeen(seen_dir())) as opened:
        need(pending(opened) == [], pending(opened))
        facts["records"] = len(opened.records)
        facts["state_items"] = {i.id: {"name": i.name, "sha256": i.sha256, "size": i.size,
                                       "media_type": i.media_type, "withdrawn": i.withdrawn,
                                       "sensitive": i.sensitive,
                                       "derived_from": i.derived_from}
                                for i in opened.state.items.values()}
        facts["notes"] = {n.id: {"item": n.item_id, "text": n.text}
                          for n in opened.state.notes.values()}
        facts["case"] = dict(opened.state.case)
        facts["fingerprint"] = opened.fingerprint()
        facts["header"] = {k: opened.header[k] for k in ("format", "version", "epoch")}
        facts["vault_id"] = opened.vault_id
        facts["kdf"] = opened.header["kdf"]
        facts["record_types"] = sorted({r["type"] for r in opened.records})
    return facts


def _check_made(vault: Path, sealed: Path, pkis: list[pki.Pki], facts: dict[str, Any]) -> None:
    """What the test will check, checked here first (servers down, as later), on a copy:
    `check` adds a record, and the golden vault stays as the person's last step left it."""
    need(facts["kdf"]["memory_cost"] == 256 * 1024, facts["kdf"])
    copy = _HOME / "vault-check"
    shutil.copytree(vault, copy)
    cli(copy, "check")
    cli(copy, "log", "--verify")
    bundle = next(sealed.glob("*.zip.age"))
    receipt = next(sealed.glob("*.receipt.txt"))
    secret = _HOME / "bundle-passphrase.txt"
    secret.write_text(facts["bundle_passphrase"] + "\n")
    roots = [arg for p in pkis for arg in ("--tsa-ca", str(p.root_pem))]
    run = cli(vault, "verify", str(bundle), "--passphrase-file", str(secret), "--receipt",
              str(receipt), *roots, "--json", passphrase=None)
    report = json.loads(run)
    need(report["verdict"] == "verified", report)
    facts["bundle"] = {"name": bundle.name, "sha256": report["bundle_sha256"],
                       "items": report["items"], "sealed_at": report["sealed_at"],
                       "timestamps": len(report["timestamps"]),
                       "opentimestamps": len(report["opentimestamps"])}


def _publish(vault: Path, sealed: Path, pkis: list[pki.Pki], out: Path,
             facts: dict[str, Any]) -> None:
    version = facts["header"]["version"]
    target = out / f"vault-v{version}"
    bundle_dir = out / f"bundle-v{version}"
    tsa_dir = out / f"tsa-v{version}"
    for folder in (target, bundle_dir, tsa_dir):
        if folder.exists():
            raise SystemExit(f"{folder} exists: golden files are never made again")
    shutil.copytree(vault, target)
    bundle_dir.mkdir(parents=True)
    for path in sorted(sealed.iterdir()):
        shutil.copy2(path, bundle_dir / path.name)
    tsa_dir.mkdir()
    for label, one in zip("ab", pkis, strict=True):
        shutil.copy2(one.root_pem, tsa_dir / f"root-{label}.pem")
    facts["app_version"] = __version__
    facts["made_on"] = dt.date.today().isoformat()
    facts["inputs"] = {name: {"sha256": sha(data), "size": len(data)}
                       for name, data in INPUTS.items()}
    facts["first_passphrase"] = FIRST_PASSPHRASE
    facts["passphrase"] = PASSPHRASE
    print(json.dumps(facts, indent=2, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "assets" / "golden")
    try:
        make(parser.parse_args().out.resolve())
    finally:
        shutil.rmtree(_HOME, ignore_errors=True)  # the TSA keys and the work copies go


if __name__ == "__main__":
    main()
