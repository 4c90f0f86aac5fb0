"""VERIFY.txt: how an officer checks the bundle with standard tools alone, step by step.

The steps catch what `evidence-app verify` catches, trusting nothing in the bundle: the file's
SHA-256 and the signer's public key come from the receipt, the timestamp roots from the
officer (TSA-ROOTS.pem beside the bundle file). Prose is translated; commands are not.

Layout rules that people and tests rely on (tests/bundle/test_verify_txt_literal.py):
- a command starts on a line indented by exactly five spaces; no other line is;
- a line ending in " \\" continues on the next line (indented by seven spaces);
- a script starts with "python3 -c 'if True:" and ends at the line that is exactly five
  spaces and "'" (the `if True:` lets it be pasted with or without the indentation);
- RECEIPT-SHA256 and RECEIPT-PUBLIC-KEY stand for values copied from the receipt;
- working files go to ../checks, beside the bundle file, never into the bag.
"""

from __future__ import annotations

import shlex
import textwrap
from typing import TYPE_CHECKING

from evidence_app.bundle import bag, sshsig
from evidence_app.i18n import _
from evidence_app.timestamp.roots import shipped_roots

if TYPE_CHECKING:
    from evidence_app.bundle.timestamps import BundleStamps

INDENT = " " * 5
WIDTH = 92
ROOTS_FILE = "../TSA-ROOTS.pem"  # the officer's roots, beside the bundle file, not in it
CHECKS = "../checks"
RECEIPT_SHA256 = "RECEIPT-SHA256"
RECEIPT_KEY = "RECEIPT-PUBLIC-KEY"
SEAL_FILES = r"^timestamps/(seal-[1-9]\.tsr|seal-[1-9]\.chain\.pem|seal\.ots)$"


def _q(*args: str) -> list[str]:
    return [shlex.quote(a) for a in args]


def _short(rel: str) -> str:
    """A payload path as typed: as it is when short and plain, else by its item number
    (data/evidence/0003-*), which only that item's file can match; a glob that matched
    nothing or more than one file makes openssl fail, never pass."""
    if shlex.quote(rel) == rel and len(rel) <= 60:
        return rel
    folder, _slash, base = rel.rpartition("/")
    number, dash, _name = base.partition("-")
    if folder.startswith("data/") and dash and number.isdigit():
        return f"{folder}/{number}-*"
    return shlex.quote(rel)


def token_commands(stamps: BundleStamps, files_by_sha: dict[str, str]) -> list[str]:
    """`openssl ts -verify` for each token listed in the tag manifest, run from the bag
    folder: against the file it proves (`-data`), or, for a custody record, against that
    record's hash (`-digest`, which the custody step has checked). Each is one command over
    several lines, continuations indented two spaces (VERIFY.txt indents it all by five)."""
    out = []
    for entry in stamps.layout:
        rel = files_by_sha.get(entry.sha256)
        subject = ["-data", _short(rel)] if rel else _q("-digest", entry.sha256)
        lines = [f"openssl ts -verify -CAfile {ROOTS_FILE} \\",
                 f"  {' '.join(subject)} \\",
                 f"  -in {shlex.quote(entry.tsr)} \\",
                 f"  -untrusted {shlex.quote(entry.chain)}"]
        out.append("\n".join(lines))
    return out


# --- commands laid out by hand: long ones break between arguments with " \" -------------

_SSH_VERIFY = f"""\
ssh-keygen -Y verify -f {CHECKS}/allowed_signers -I {sshsig.PRINCIPAL} \\
  -n {sshsig.NAMESPACE} -s {bag.SIGNATURE_FILE} < {bag.TAGMANIFEST}"""

_LISTED = f"""\
{{ cut -c67- {bag.MANIFEST}; cut -c67- {bag.TAGMANIFEST}; \\
  printf '%s\\n' {bag.TAGMANIFEST} {bag.SIGNATURE_FILE} \\
  {bag.SIGNER_PUB} {bag.ALLOWED_SIGNERS}; }} | LC_ALL=C sort > {CHECKS}/listed.txt"""

_UNLISTED = f"""\
LC_ALL=C comm -23 {CHECKS}/files.txt {CHECKS}/listed.txt \\
  | grep -Ev '{SEAL_FILES}' \\
  | cat -v | sed 's/^/FAILED not listed: /'"""

_CUSTODY_SIGS = f"""\
for b in {CHECKS}/custody/*.body; do \\
  openssl pkeyutl -verify -pubin -inkey {CHECKS}/receipt-key.pem -rawin \\
  -in "$b" -sigfile "${{b%.body}}.sig" || echo "FAILED signature of $b"; done"""

_SEAL_TOKENS = f"""\
for t in timestamps/seal-*.tsr; do [ -e "$t" ] || continue; echo "$t"; \\
  openssl ts -verify -CAfile {ROOTS_FILE} -data {bag.TAGMANIFEST} \\
  -in "$t" -untrusted "${{t%.tsr}}.chain.pem" || echo "FAILED $t"; done"""

_SHOW_TIMES = """\
for t in timestamps/*.tsr; do [ -e "$t" ] || continue; echo "$t"; \\
  openssl ts -reply -in "$t" -text | grep -E '^(Time stamp|TSA):'; done"""

_OTS_INFO = f"""\
for p in timestamps/*.ots; do [ -e "$p" ] || continue; echo "$p"; \\
  h=$(basename "$p" .ots); \\
  [ "$h" = seal ] && h=$(sha256sum < {bag.TAGMANIFEST} | cut -c1-64); \\
  ots info "$p" | grep -E 'Bitcoin|Pending'; \\
  ots info "$p" | grep -qx "File sha256 hash: $h" || echo "FAILED $p does not prove $h"; done"""


# --- the scripts (standard library only; no single quote inside, they sit in '...') ------

_LIST_ROOTS = """\
python3 -c 'if True:
    import base64, hashlib, re, subprocess
    pem = open("../TSA-ROOTS.pem", encoding="ascii", errors="replace").read()
    blocks = re.findall(r"-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----", pem)
    for block in blocks:
        der = base64.b64decode("".join(block.split()[2:-2]))
        name = subprocess.run(["openssl", "x509", "-noout", "-subject"], input=block,
                              capture_output=True, text=True).stdout.strip()
        print(hashlib.sha256(der).hexdigest(), name)
    print(len(blocks), "root" if len(blocks) == 1 else "roots")
'"""

_CUSTODY = """\
python3 -c 'if True:
    import base64, glob, hashlib, json, os
    problems = []
    def failed(*words):
        print("FAILED", *words)
        problems.append(words)
    os.makedirs("../checks/custody", exist_ok=True)
    blob = base64.b64decode("RECEIPT-PUBLIC-KEY".split()[1])
    if len(blob) != 51 or blob[4:15] != b"ssh-ed25519":
        failed("the receipt key is not an ssh-ed25519 key")
    der = bytes.fromhex("302a300506032b6570032100") + blob[-32:]
    with open("../checks/receipt-key.pem", "w") as out:
        out.write("-----BEGIN PUBLIC KEY-----\\n" + base64.b64encode(der).decode()
                  + "\\n-----END PUBLIC KEY-----\\n")
    manifest = {}
    for line in open("manifest-sha256.txt", encoding="utf-8"):
        sha, _, path = line.rstrip("\\n").partition("  ")
        manifest[path] = sha
    added, stamped, prev, n = {}, [], "0" * 64, 0
    for n, text in enumerate(open("data/metadata/custody.jsonl", encoding="utf-8"), 1):
        try:
            record = json.loads(text)
            if record["seq"] != n or record["prev"] != prev:
                failed("record", n, "is out of sequence or does not follow the one before")
            prev = record["hash"]
            if record.get("redacted"):
                continue
            body = {k: v for k, v in record.items() if k not in ("hash", "sig")}
            signed = json.dumps(body, sort_keys=True, separators=(",", ":"),
                                ensure_ascii=False).encode("utf-8")
            if hashlib.sha256(signed).hexdigest() != record["hash"]:
                failed("record", n, "does not have the hash it states")
            with open("../checks/custody/%06d.body" % n, "wb") as out:
                out.write(signed)
            with open("../checks/custody/%06d.sig" % n, "wb") as out:
                out.write(base64.b64decode(record["sig"], validate=True))
            data = record["data"]
            if record["type"] == "item_added":
                added[data["item_id"]] = data["sha256"]
            if record["type"] == "timestamp_obtained" and data["subject"]["kind"] in (
                    "item", "record", "key"):
                stamped.append(data["sha256"])
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
            failed("record", n, "is malformed:", ascii(error)[:80])
            prev = None
    try:
        items = json.load(open("data/metadata/items.json", encoding="utf-8"))
        for item in items:
            if not added.get(item["id"]) == item["sha256"] == manifest.get(item["path"]):
                failed("item", ascii(item["id"]), ascii(item["path"]),
                       "is not as its item_added record and the manifest say")
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        failed("data/metadata/items.json is malformed:", ascii(error)[:80])
        items = []
    for sha in set(stamped):
        if len(glob.glob("timestamps/" + sha + "-*.tsr")) < stamped.count(sha):
            failed("the log names", stamped.count(sha), "tokens for", sha,
                   "but timestamps/ does not hold them all")
    def count(number, word):
        return str(number) + " " + word + ("" if number == 1 else "s")
    print("custody log:", count(n, "record") + ",", count(len(items), "item") + ",",
          count(len(problems), "problem"))
    raise SystemExit(1 if problems else 0)
'"""

_TIMES = """\
python3 -c 'if True:
    import datetime as dt, glob, json, re, subprocess
    problems = []
    def failed(*words):
        print("FAILED", *words)
        problems.append(words)
    def utc(text):
        return dt.datetime.strptime(str(text)[:19], "%Y-%m-%dT%H:%M:%S")
    info = {}
    for line in open("bag-info.txt", encoding="utf-8"):
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    sealed = utc(info["Sealed-At-UTC"])
    try:
        log = [json.loads(line)
               for line in open("data/metadata/custody.jsonl", encoding="utf-8")]
        created = utc(log[0]["time"]) if log[0].get("type") == "vault_created" else None
        asked = {(r["data"]["sha256"], r["data"]["serial"]): utc(r["time"])
                 for r in log if r.get("type") == "timestamp_obtained"}
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError):
        failed("data/metadata/custody.jsonl is malformed (see the custody log step)")
        created, asked = None, {}
    tokens = []
    for tsr in sorted(glob.glob("timestamps/*.tsr")):
        text = subprocess.run(["openssl", "ts", "-reply", "-in", tsr, "-text"],
                              capture_output=True, text=True).stdout
        when = re.search(r"^Time stamp: (\\w+ +\\d+ [\\d:]+)(\\.\\d+)? (\\d+) GMT$", text, re.M)
        serial = re.search(r"^Serial number: (0x)?([0-9A-Fa-f]+)$", text, re.M)
        if not when or not serial:
            failed(tsr, "is not a readable token")
            continue
        time = dt.datetime.strptime(when.group(1) + " " + when.group(3), "%b %d %H:%M:%S %Y")
        number = str(int(serial.group(2), 16 if serial.group(1) else 10))
        seal = tsr.startswith("timestamps/seal-")
        mine = sealed if seal else asked.get((tsr[11:75], number))
        tokens.append((tsr, time, seal, mine))
    # The computer clock may be off: allow 10 minutes plus the largest gap between a token
    # and the custody record that says when it was asked for (as the app does).
    gaps = [abs(time - mine) for tsr, time, seal, mine in tokens if mine and not seal]
    slack = dt.timedelta(minutes=10) + max(gaps, default=dt.timedelta(0))
    seals = [time for tsr, time, seal, mine in tokens if seal]
    end = min(seals) if seals else sealed
    for tsr, time, seal, mine in tokens:
        gap = " (the computer said %s)" % mine if mine and abs(time - mine) > dt.timedelta(
            minutes=2) else ""
        print(tsr, time, "UTC" + gap)
        if seal and abs(time - sealed) > slack:
            failed(tsr, "is not dated at the sealing,", sealed, "UTC")
        elif not seal and time > end + slack:
            failed(tsr, "is dated after the bundle was sealed,", end, "UTC")
        elif created and time < created - slack:
            failed(tsr, "is dated before the vault existed,", created, "UTC")
    def count(number, word):
        return str(number) + " " + word + ("" if number == 1 else "s")
    print(count(len(tokens), "token") + ", sealed", sealed, "UTC,",
          count(len(problems), "problem"))
    raise SystemExit(1 if problems else 0)
'"""


# --- the document ------------------------------------------------------------------------


class _Doc:
    """VERIFY.txt as it is written: prose wrapped at WIDTH and indented at most three
    spaces, commands at exactly five, each step numbered as it is added."""

    def __init__(self, encrypted: bool) -> None:
        self.lines: list[str] = []
        self.step = 0
        # Step numbers the prose refers to (decrypting is a step only when encrypted).
        e = 1 if encrypted else 0
        self.signature, self.files, self.custody = 3 + e, 4 + e, 5 + e
        self.tokens, self.ots = 6 + e, 8 + e

    def para(self, text: str, first: str = "", rest: str = "") -> None:
        self.lines += textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                                    break_on_hyphens=False) or [""]

    def heading(self, text: str) -> None:
        self.step += 1
        self.lines.append("")
        self.para(f"{self.step}. {text}", rest="   ")

    def note(self, text: str) -> None:
        self.para(text, "   ", "   ")

    def run(self, *commands: str) -> None:
        for cmd in commands:
            self.lines += [INDENT + line for line in cmd.split("\n")]


def _roots_list() -> list[str]:
    try:
        roots = shipped_roots()
    except (OSError, ValueError):
        return []
    lines = []
    for root in roots:
        keys = ", ".join(key for key, _url in root.authorities)
        lines += [f"   {root.name} ({keys})", f"   SHA-256 {root.sha256}"]
    return lines


def _introduction(doc: _Doc, bundle_file: str, fingerprint: str, sealed_at: str) -> None:
    title = _("How to check this evidence bundle with standard tools")
    doc.lines += [title, "=" * len(title), ""]
    doc.para(_("Bundle: {file}").format(file=bundle_file))
    doc.para(_("Sealed: {time} (UTC)").format(time=sealed_at))
    doc.para(_("Signer key fingerprint: {fingerprint}").format(fingerprint=fingerprint))
    doc.lines.append("")
    doc.para(_("This file is inside the bundle, so it proves nothing by itself: every check "
               "below uses only values from outside the bundle - the SHA-256 and the signer "
               "public key printed on the receipt, and trust roots you obtained yourself. "
               "Once step {n} has passed, you know this file is exactly what the sender's app "
               "wrote.").format(n=doc.files))
    doc.lines.append("")
    doc.para(_("Tools: bash on Linux (on Windows, in WSL) with age, unzip, coreutils, "
               "findutils, grep, sed, cmp, ssh-keygen (OpenSSH 8.2 or newer), openssl (3.0 or "
               "newer), python3 (standard library only), and ots (opentimestamps-client) for "
               "step {n}. Evidence Locker does all of this in one step with: evidence-app "
               "verify {file} --receipt RECEIPT.txt").format(n=doc.ots, file=bundle_file))
    doc.lines.append("")
    doc.para(_("How to read the commands: every line indented by five spaces is a command to "
               "run in bash, in order, in the same terminal. A line ending in \" \\\" "
               "continues on the next line; a python3 script runs from \"python3 -c 'if "
               "True:\" to the line holding only \"'\". Replace RECEIPT-SHA256 with the "
               "SHA-256 printed on the receipt, and RECEIPT-PUBLIC-KEY with the receipt's "
               "whole \"Signer public key\" value (it starts with ssh-ed25519). Put the "
               "trust roots you accept in TSA-ROOTS.pem beside the bundle file (step {n}). "
               "A step passes when each of its commands ends without an error and nothing it "
               "prints contains FAILED; if one does not pass, the bundle is not as it was "
               "sealed. Working files go to the folder checks beside the bundle file, never "
               "into the bundle's folder.").format(n=doc.tokens))


def _outside(doc: _Doc, name: str, bundle_file: str, passphrase_mode: bool) -> None:
    """The receipt's SHA-256, decrypting, unpacking: run beside the bundle file."""
    zip_file = f"{name}.zip"
    doc.heading(_("Check that the file is the bundle on the receipt (it must say \"OK\"):"))
    doc.run(f"echo '{RECEIPT_SHA256}  {bundle_file}' | sha256sum -c")
    doc.note(_("The receipt gives the same check for macOS and Windows."))
    if bundle_file != zip_file:
        doc.heading(_("Decrypt it:"))
        if passphrase_mode:
            doc.run(f"age -d -o {zip_file} {bundle_file}")
            doc.note(_("age asks for the passphrase, which was handed over separately from "
                       "the bundle."))
        else:
            doc.run(f"age -d -i UNIT-KEY.txt -o {zip_file} {bundle_file}")
            doc.note(_("UNIT-KEY.txt is the age identity file of the receiving unit."))
    doc.heading(_("Unpack it and go into its folder. The first command must print nothing: "
                  "the zip may hold only the folder {folder}.").format(folder=name))
    doc.run(f"unzip -Z1 {zip_file} | grep -v '^{name}/' \\\n"
            "  | cat -v | sed 's/^/FAILED outside the folder: /'",
            f"unzip -q {zip_file}",
            "mkdir -p checks",
            f"cd {name}")
    doc.note(_("All further commands run in this folder."))


def _signature_and_files(doc: _Doc) -> None:
    doc.heading(_("Check the signature over the tag manifest with the key from the receipt, "
                  "never with the one in the bundle. ssh-keygen must print a line that "
                  "begins Good \"{namespace}\" signature for {principal}; the two cmp "
                  "commands must print nothing (the bundle's copies of the key are the "
                  "receipt's key):").format(namespace=sshsig.NAMESPACE,
                                             principal=sshsig.PRINCIPAL))
    signers = f'{sshsig.PRINCIPAL} namespaces="{sshsig.NAMESPACE}" {RECEIPT_KEY}'
    doc.run(f"echo '{signers}' \\\n  > {CHECKS}/allowed_signers",
            _SSH_VERIFY,
            f"echo '{RECEIPT_KEY}' | cmp - {bag.SIGNER_PUB}",
            f"cmp {CHECKS}/allowed_signers {bag.ALLOWED_SIGNERS}")

    doc.heading(_("Check every file against the manifests; the tag manifest, just checked, "
                  "lists the payload manifest, bag-info.txt and the timestamps (each line must "
                  "end in \"OK\"):"))
    doc.run(f"sha256sum -c {bag.TAGMANIFEST}", f"sha256sum -c {bag.MANIFEST}")
    doc.note(_("Then list every file in the folder and print those that neither manifest "
               "lists, apart from the few that cannot be listed: the tag manifest, the three "
               "files in signature/ (step {sig}) and the timestamps over the tag manifest, "
               "timestamps/seal-N.tsr, seal-N.chain.pem and seal.ots (steps {tsa} and {ots}). "
               "The last command must print nothing:").format(
                   sig=doc.signature, tsa=doc.tokens, ots=doc.ots))
    doc.run(f"find . ! -type d -printf '%P\\n' | LC_ALL=C sort > {CHECKS}/files.txt",
            _LISTED, _UNLISTED)
    doc.note(_("(bagit.py --validate . checks the manifests too, but does not notice extra "
               "files outside data/.)"))


def _custody(doc: _Doc) -> None:
    doc.heading(_("Check the custody log, data/metadata/custody.jsonl (one record per line). "
                  "The script checks that \"seq\" counts 1, 2, 3...; that \"prev\" is the "
                  "\"hash\" of the line before (64 zeros for the first); that each full "
                  "record's \"hash\" is the SHA-256 of the record without \"hash\" and "
                  "\"sig\", written as compact JSON with sorted keys in UTF-8; that each item "
                  "in data/metadata/items.json has the SHA-256 its item_added record states, "
                  "and so does its file in the manifest; and that every token the log "
                  "records for an item, a record or the key is in timestamps/. Records about "
                  "items not in this bundle show only seq, prev and hash, so the chain stays "
                  "complete. It writes the signed bytes and the signature of each full record "
                  "to ../checks/custody, and the receipt's key to ../checks/receipt-key.pem. "
                  "It must print no FAILED line:"))
    doc.run(_CUSTODY)
    doc.note(_("Then check each record's Ed25519 signature with the key from the receipt "
               "(each must print \"Signature Verified Successfully\"):"))
    doc.run(_CUSTODY_SIGS)


def _timestamps(doc: _Doc, token_lines: list[str]) -> None:
    doc.heading(_("Check the trusted timestamps. Obtain the roots of the time-stamp "
                  "authorities you trust from outside this bundle - Evidence Locker's "
                  "published list (resources/tsa-roots.pem in its source, which says where "
                  "each root was checked) or each authority's own web site - and save them as "
                  "TSA-ROOTS.pem beside the bundle file. The bundle carries no roots. The "
                  "roots Evidence Locker trusts are:"))
    doc.lines += _roots_list()
    doc.note(_("This shows the SHA-256 and name of each root in your file; compare them with "
               "the authority's own:"))
    doc.run(_LIST_ROOTS)
    if token_lines:
        doc.note(_("Each token proves the SHA-256 of one file (-data) or of one custody "
                   "record (-digest, the hash checked in step {n}). Each command must print "
                   "\"Verification: OK\":").format(n=doc.custody))
        doc.run(*token_lines)
    else:
        doc.note(_("This bundle has no timestamps of its items."))
    doc.note(_("The tokens taken just after sealing, over the tag manifest (this prints "
               "nothing if there are none; each token must print \"Verification: OK\"):"))
    doc.run(_SEAL_TOKENS)
    doc.note(_("\"unable to get local issuer certificate\" means the token's root is not in "
               "your TSA-ROOTS.pem: its time is not confirmed until you have that root from "
               "the authority itself. \"certificate has expired\" means the authority's "
               "certificate expired after the token was made: run the command again with "
               "-attime and the token's time in seconds ({command}, with TIME from the next "
               "step).").format(command="date -u -d 'TIME' +%s"))

    doc.heading(_("See when each token was made (\"Time stamp:\", in UTC) and by whom "
                  "(\"TSA:\"):"))
    doc.run(_SHOW_TIMES)
    doc.note(_("Then compare those times with the sealing and the custody log as Evidence "
               "Locker does: no token may be dated after the tokens over the tag manifest, "
               "these must be dated at the sealing (Sealed-At-UTC in bag-info.txt), and none "
               "before the vault was created, allowing 10 minutes plus the largest gap "
               "between the computer's clock and an authority's. It must print no FAILED "
               "line:"))
    doc.run(_TIMES)

    doc.heading(_("OpenTimestamps proofs (timestamps/*.ots) are a witness of time that needs "
                  "no authority: each is a chain of hash operations from a SHA-256 to a "
                  "Bitcoin block. This shows each proof and checks that it starts from the "
                  "SHA-256 it is named after (for seal.ots, that of the tag manifest). It "
                  "prints nothing if there are none, and must print no FAILED line; "
                  "\"PendingAttestation\" means the proof is not in a block yet:"))
    doc.run(_OTS_INFO)
    doc.note(_("To check the Bitcoin block, run ots verify -d HASH FILE.ots on a computer "
               "with a Bitcoin Core node, or take the block height and merkle root that ots "
               "info shows (\"BitcoinBlockHeaderAttestation(HEIGHT)\", \"# Bitcoin block "
               "merkle root\") and compare them with any block explorer's page for that "
               "block; ots --no-bitcoin verify -d HASH FILE.ots prints the same pair."))


def verify_text(*, name: str, encrypted: bool, passphrase_mode: bool, fingerprint: str,
                sealed_at: str, timestamp_lines: list[str] | None = None) -> str:
    """The whole VERIFY.txt. `timestamp_lines`: token_commands() for this bundle's tokens."""
    bundle_file = f"{name}.zip.age" if encrypted else f"{name}.zip"
    doc = _Doc(encrypted)
    _introduction(doc, bundle_file, fingerprint, sealed_at)
    _outside(doc, name, bundle_file, passphrase_mode)
    _signature_and_files(doc)
    _custody(doc)
    _timestamps(doc, timestamp_lines or [])
    doc.lines.append("")
    doc.para(_("What these steps do not show: that the evidence is true, or who held the "
               "signing key - only that the bundle is exactly what a vault with the "
               "receipt's key sealed, and when the authorities saw each fingerprint. openssl "
               "checks an authority's certificate as of today unless given -attime, and "
               "neither it nor Evidence Locker checks revocation. A proof still pending, or "
               "missing because no calendar could be reached, says nothing either way."))
    doc.lines.append("")
    _folders(doc)
    doc.lines.append("")
    doc.para(_("Items marked sensitive are in data/evidence/ like every other item (the words "
               "read in them in data/ocr/), but the report shows them only by fingerprint and "
               "description, and prints the words read in them only if the sender chose so."))
    return "\n".join(doc.lines) + "\n"


def _folders(doc: _Doc) -> None:
    """What each folder of data/ holds, one line each (a folder may be absent)."""
    doc.para(_("What the folder data/ holds:"))
    for folder, text in (
            ("data/evidence/", _("the originals, byte for byte, named by item number")),
            ("data/chats/", _("chat transcripts made by this app from the chat exports")),
            ("data/ocr/", _("words read by machine in pictures (NAME.ocr.txt) and where each "
                            "word is in the picture (NAME.ocr.tsv)")),
            ("data/report/", _("the report, as HTML and PDF")),
            ("data/metadata/", _("items.json, case.json, custody.jsonl and "
                                 "indicators.json"))):
        doc.note(f"{folder}: {text}")
