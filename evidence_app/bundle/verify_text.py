"""VERIFY.txt: how an officer checks the bundle with standard tools alone, step by step."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from evidence_app.bundle import bag, sshsig
from evidence_app.i18n import _

if TYPE_CHECKING:
    from evidence_app.bundle.timestamps import BundleStamps

ROOTS_FILE = "TSA-ROOTS.pem"  # the officer's copy of the roots, from outside the bundle


def token_commands(stamps: BundleStamps, files_by_sha: dict[str, str],
                   seal_stamped: bool) -> list[str]:
    """`openssl ts -verify` for each token, run from inside the bag folder, against the
    file it proves where there is one (a custody record's hash otherwise)."""
    lines = []
    for entry in stamps.layout:
        rel = files_by_sha.get(entry.sha256)
        subject = ["-data", rel] if rel else ["-digest", entry.sha256]
        lines.append(" ".join(shlex.quote(a) for a in [
            "openssl", "ts", "-verify", "-in", entry.tsr, *subject, "-CAfile", ROOTS_FILE,
            "-untrusted", entry.chain]))
    if seal_stamped:
        lines.append('for t in timestamps/seal-*.tsr; do openssl ts -verify -in "$t" -data '
                     f'{bag.TAGMANIFEST} -CAfile {ROOTS_FILE} -untrusted '
                     '"${t%.tsr}.chain.pem"; done')
    return lines


def verify_text(*, name: str, encrypted: bool, passphrase_mode: bool, fingerprint: str,
                sealed_at: str, timestamp_lines: list[str] | None = None) -> str:
    bundle_file = f"{name}.zip.age" if encrypted else f"{name}.zip"
    lines = [
        _("How to check this evidence bundle with standard tools"),
        "=" * 60,
        "",
        _("Bundle: {file}").format(file=bundle_file),
        _("Sealed: {time} (UTC)").format(time=sealed_at),
        _("Signer key fingerprint: {fingerprint}").format(fingerprint=fingerprint),
        "",
        _("Tools: age, unzip, sha256sum (GNU coreutils), ssh-keygen (OpenSSH 8.1 or newer), "
          "openssl (for trusted timestamps). Evidence Locker does all of this in one step "
          "with: evidence-app verify {file}").format(file=bundle_file),
        "",
        _("1. Compare the bundle's SHA-256 with the one printed on the receipt:"),
        f"     sha256sum {bundle_file}",
        "",
    ]
    step = 2
    if encrypted:
        lines.append(_("{n}. Decrypt it:").format(n=step))
        if passphrase_mode:
            lines.append(f"     age -d -o {name}.zip {bundle_file}")
            lines.append("     " + _("(type the passphrase from the receipt when asked)"))
        else:
            lines.append(f"     age -d -i UNIT-KEY.txt -o {name}.zip {bundle_file}")
            lines.append("     " + _("(UNIT-KEY.txt is the age identity file of the receiving "
                                     "unit)"))
        lines.append("")
        step += 1
    lines += [
        _("{n}. Unpack it (this makes the folder {folder}):").format(n=step, folder=name),
        f"     unzip {name}.zip",
        f"     cd {name}",
        "",
        _("{n}. Check every file against the manifests (each line must say OK):").format(
            n=step + 1),
        f"     sha256sum -c {bag.MANIFEST}",
        f"     sha256sum -c {bag.TAGMANIFEST}",
        "     " + _("(or, with the Library of Congress BagIt tool: bagit.py --validate .)"),
        "",
        _("{n}. Check the signature over the tag manifest (it must say \"Good\"):").format(
            n=step + 2),
        f"     ssh-keygen -Y verify -f {bag.ALLOWED_SIGNERS} -I {sshsig.PRINCIPAL} "
        f"-n {sshsig.NAMESPACE} -s {bag.SIGNATURE_FILE} < {bag.TAGMANIFEST}",
        "     " + _("Then check that the key is the one on the receipt:"),
        f"     ssh-keygen -l -f {bag.SIGNER_PUB}",
        "",
    ]
    step += 3
    if timestamp_lines:
        lines.append(_("{n}. Check the trusted timestamps (each must say \"Verification: "
                       "OK\"):").format(n=step))
        lines += [f"     {line}" for line in timestamp_lines]
        lines.append("")
        step += 1
    lines += [
        _("{n}. The custody log (data/metadata/custody.jsonl) has one record per line. Each "
          "record's \"hash\" is the SHA-256 of the record without \"hash\" and \"sig\", "
          "written as compact JSON with sorted keys in UTF-8; \"prev\" is the hash of the "
          "record before it; \"sig\" is an Ed25519 signature over the same bytes by the key "
          "in {pub}. Records about items that are not in this bundle show only their hashes, "
          "so the chain stays complete.").format(n=step, pub=bag.SIGNER_PUB),
        "",
        _("Items marked sensitive are in data/evidence/ like every other item, but the "
          "report shows them only by fingerprint and description."),
    ]
    return "\n".join(lines) + "\n"
