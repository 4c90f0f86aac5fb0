"""seal, verify and case: the hand-over to the police, and the officer's one-step check."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_app.clicmd.common import (
    EXIT_INTEGRITY,
    EXIT_OK,
    EXIT_TIME_UNCONFIRMED,
    CliError,
    open_vault,
    out,
    print_json,
    progress_printer,
    warn,
)
from evidence_app.clicmd.timestamp_cmds import report_stamps, stamp_changes
from evidence_app.core.errors import BundleKeyNeeded
from evidence_app.formatting import human_size
from evidence_app.i18n import _
from evidence_app.workflows.secrets import (
    bundle_passphrase_from_file,
    read_identity_file,
    read_secret_file,
)

if TYPE_CHECKING:
    from evidence_app.bundle.pin import Expected
    from evidence_app.bundle.seal import SealResult
    from evidence_app.bundle.verify import VerifyReport


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("seal", help=_("seal items into one bundle for the police"))
    p.add_argument("--out", required=True, metavar="DIR", help=_("folder to write the bundle to"))
    p.add_argument("--items", metavar="ID,ID", help=_("only these items (default: all)"))
    p.add_argument("--case-file", metavar="FILE",
                   help=_("case details as JSON (statement, dates, platforms, payments...)"))
    p.add_argument("--report-language", metavar="CODE",
                   help=_("language of the report and VERIFY.txt (default: the app's)"))
    p.add_argument("--include-sensitive-text", action="store_true",
                   help=_("also print in the report the words read from pictures marked "
                          "sensitive (by default it only says where they are in the bundle)"))
    how = p.add_mutually_exclusive_group()
    how.add_argument("--recipient", action="append", metavar="AGE_PUBLIC_KEY",
                     help=_("encrypt to a police unit's age key (age1...)"))
    how.add_argument("--recipient-file", metavar="F", help=_("read age keys from a file"))
    how.add_argument("--passphrase", action="store_true",
                     help=_("encrypt with a new passphrase to read aloud (the default)"))
    how.add_argument("--no-encryption", action="store_true",
                     help=_("write a plain zip: anyone who gets the file can read it"))
    p.set_defaults(handler=cmd_seal)

    p = sub.add_parser("verify", help=_("check a sealed bundle (no vault needed)"))
    p.add_argument("bundle", metavar="BUNDLE")
    p.add_argument("--identity", metavar="AGE_IDENTITY_FILE",
                   help=_("the unit's age identity file, for bundles sealed to its key"))
    p.add_argument("--passphrase-file", dest="bundle_passphrase_file", metavar="F",
                   help=_("file holding the bundle's passphrase"))
    p.add_argument("--receipt", metavar="RECEIPT.txt",
                   help=_("the receipt that came with the bundle: its SHA-256 and signer key "
                          "must match"))
    p.add_argument("--expect-fingerprint", metavar="SHA256:...",
                   help=_("the signer key fingerprint from the receipt"))
    p.add_argument("--expect-sha256", metavar="HEX",
                   help=_("the bundle's SHA-256 from the receipt"))
    p.add_argument("--tsa-ca", action="append", default=[], metavar="CA.pem",
                   help=_("also trust this root for timestamps (repeatable); the app's "
                          "reviewed list is always used"))
    p.add_argument("--extract-to", metavar="DIR",
                   help=_("keep the unpacked bundle in this new folder"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_verify)

    p = sub.add_parser("case", help=_("show or change the case details"))
    p.add_argument("--file", metavar="case.json", help=_("merge case details from a JSON file"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_case)


def _case_fields(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise CliError(_("The case file {path} cannot be read as JSON.").format(
            path=path)) from None
    if not isinstance(data, dict):
        raise CliError(_("The case file must hold one JSON object, e.g. {{\"statement\": "
                         "\"...\"}}."))
    return data


def cmd_seal(args: argparse.Namespace) -> int:
    from evidence_app.bundle.seal import Protection
    from evidence_app.workflows.seal import seal_case

    if args.no_encryption:
        warn(_("This bundle will NOT be encrypted: anyone who gets the file can see all the "
               "evidence in it. Hand it over only in person."))
        protection = Protection.unencrypted()
    elif args.recipient:
        protection = Protection.for_recipients(args.recipient)
    elif args.recipient_file:
        try:
            lines = Path(args.recipient_file).read_text("utf-8").splitlines()
        except OSError:
            raise CliError(_("The key file {path} cannot be read.").format(
                path=args.recipient_file)) from None
        keys = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
        protection = Protection.for_recipients(keys)
    else:
        protection = Protection.with_new_passphrase()
    fields = _case_fields(args.case_file) if args.case_file else None
    item_ids = [i.strip() for i in args.items.split(",") if i.strip()] if args.items else None
    with open_vault(args) as vault:
        outcome = seal_case(vault, Path(args.out), protection, item_ids=item_ids,
                            case_fields=fields, report_language=args.report_language,
                            include_sensitive_text=args.include_sensitive_text,
                            progress=progress_printer(_("sealing")), stamp_timeout=None)
        report_stamps(outcome.stamps)
        _print_sealed(outcome.done[0])  # the passphrase is shown before anything else runs
        stamp_changes(vault)  # then the record of the seal, stamped
    out()
    out(_("Next: bring the bundle and the printed receipt to the police. They can check it "
          "with the steps in VERIFY.txt inside the bundle."))
    return EXIT_OK


def _print_sealed(result: SealResult) -> None:
    out(_("Bundle sealed: {path}").format(path=result.bundle_path))
    out(_("SHA-256: {sha}").format(sha=result.sha256))
    out(_("Items: {count}   Size: {size}   Signer key: {fingerprint}").format(
        count=result.item_count, size=human_size(result.size), fingerprint=result.fingerprint))
    for receipt in result.receipt_paths:
        out(_("Receipt: {path}").format(path=receipt))
    if result.passphrase:
        out()
        out(_("Passphrase (shown only now and saved nowhere: write it down, and give it to "
              "the police separately from the bundle):"))
        out("    " + result.passphrase)


def _bundle_passphrase(args: argparse.Namespace) -> str | None:
    if args.bundle_passphrase_file:
        path = Path(args.bundle_passphrase_file)
        return bundle_passphrase_from_file(read_secret_file(path), path)
    return os.environ.get("EVIDENCE_APP_BUNDLE_PASSPHRASE")


def _expected(args: argparse.Namespace) -> Expected | None:
    """What the officer holds from outside the bundle: the receipt, or values typed from it."""
    from evidence_app.bundle import pin

    given = pin.from_receipt(Path(args.receipt)) if args.receipt else None
    fingerprint = pin.fingerprint_value(args.expect_fingerprint) \
        if args.expect_fingerprint else None
    sha = pin.sha256_value(args.expect_sha256) if args.expect_sha256 else None
    if given is None and fingerprint is None and sha is None:
        return None
    if given is not None and (fingerprint or sha):
        raise CliError(_("Give either --receipt or the values typed from it, not both."))
    return given or pin.Expected(fingerprint, sha, "given")


def cmd_verify(args: argparse.Namespace) -> int:
    from evidence_app.bundle.verify import encryption_kind
    from evidence_app.timestamp.tsp import read_root_file
    from evidence_app.workflows.verify import verify

    bundle = Path(args.bundle)
    if not bundle.is_file():
        raise CliError(_("The bundle {path} does not exist.").format(path=bundle))
    expected = _expected(args)
    extra_roots = [read_root_file(path).encode("ascii") for path in args.tsa_ca]
    identity = read_identity_file(Path(args.identity)) if args.identity else None
    secret = _bundle_passphrase(args)
    if encryption_kind(bundle) == "passphrase" and secret is None:
        if not sys.stdin.isatty():
            raise BundleKeyNeeded("passphrase")
        import getpass

        secret = getpass.getpass(_("Bundle passphrase: "))
    target = Path(args.extract_to) if args.extract_to else None
    if target is not None and target.exists() and any(target.iterdir()):
        raise CliError(_("{path} is not empty; choose a new folder.").format(path=target))
    return _print_report(verify(bundle, passphrase=secret, identity_text=identity,
                                expected=expected, extra_roots=extra_roots, extract_to=target,
                                progress=progress_printer(_("verifying"))), args)


def _print_report(report: VerifyReport, args: argparse.Namespace) -> int:
    from evidence_app.bundle.verify import NOT_VERIFIED, VERIFIED
    from evidence_app.verify_words import report_lines

    if args.json:
        print_json({
            "ok": report.ok, "verdict": report.verdict, "name": report.name,
            "bundle_sha256": report.bundle_sha256, "fingerprint": report.fingerprint,
            "pinned": report.pinned,
            "items": len(report.items), "sealed_at": report.info.get("Sealed-At-UTC"),
            "checks": [{"check": c.key, "ok": c.ok, "file": c.file, "detail": c.detail,
                        "unconfirmed": c.unconfirmed} for c in report.checks],
            "timestamps": [{k: v for k, v in t.items() if k != "when"}
                           for t in report.timestamps],
            "opentimestamps": report.proofs,
        })
    else:
        for line in report_lines(report):
            out(line)
    if report.verdict == VERIFIED:
        return EXIT_OK
    return EXIT_INTEGRITY if report.verdict == NOT_VERIFIED else EXIT_TIME_UNCONFIRMED


def cmd_case(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        if args.file:
            vault.update_case(_case_fields(args.file))
            stamp_changes(vault)
        if args.json or not args.file:
            print_json(vault.state.case)
        else:
            out(_("Case details saved."))
    return EXIT_OK
