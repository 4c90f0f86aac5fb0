"""Words for the results of `verify`, shared by the CLI and the GUI's Verify view.

Everything that comes from the bundle (file names, bag-info values, authority names) passes
through `untrusted()` before it is shown, so no control character or direction mark can
repaint a terminal or reorder a line; the verdict is always the last line.
"""

from __future__ import annotations

from collections.abc import Callable

from evidence_app.bundle.verify import (
    NOT_VERIFIED,
    TIME_UNCONFIRMED,
    Check,
    VerifyReport,
)
from evidence_app.formatting import untrusted
from evidence_app.i18n import _, ngettext

MAX_FAILED_SHOWN = 40

_CHECK_NAMES: dict[str, Callable[[], str]] = {
    "decrypt": lambda: _("Decryption"),
    "archive": lambda: _("Zip archive"),
    "bag_structure": lambda: _("BagIt bag structure"),
    "manifest": lambda: _("Manifest"),
    "payload": lambda: _("Files match manifest-sha256.txt"),
    "tags": lambda: _("Tag files match tagmanifest-sha256.txt"),
    "unlisted": lambda: _("Every file is listed in a manifest"),
    "oxum": lambda: _("Payload size and file count (bag-info.txt)"),
    "signature": lambda: _("Signature over the tag manifest"),
    "pin_sha256": lambda: _("Bundle SHA-256 compared with the receipt"),
    "pin_key": lambda: _("Signer key compared with the receipt"),
    "custody": lambda: _("Custody log: chain and signatures"),
    "items": lambda: _("Items match their signed custody records"),
    "timestamps": lambda: _("Trusted timestamps"),
    "time": lambda: _("Time confirmed"),
    "ots": lambda: _("OpenTimestamps proofs"),
}

_DETAILS: dict[str, Callable[[], str]] = {
    "changed": lambda: _("content does not match its recorded SHA-256"),
    "missing": lambda: _("listed but missing"),
    "not_listed": lambda: _("present but not listed in any manifest"),
    "outside_data": lambda: _("the payload manifest lists a file outside data/"),
    "invalid": lambda: _("the signature is not valid"),
    "key_mismatch": lambda: _("allowed_signers is not exactly the line for the signer's key"),
    "fingerprint_mismatch": lambda: _("the signer fingerprint in bag-info.txt differs"),
    "malformed": lambda: _("the file is malformed"),
    "damaged": lambda: _("the file is damaged or cut short"),
    "header": lambda: _("the encryption header is damaged"),
    "mismatch": lambda: _("does not match the files present"),
    "not_as_recorded": lambda: _("differs from the SHA-256 signed when it was added"),
    "not_in_bundle": lambda: _("proves a fingerprint of nothing in this bundle"),
    "receipt_mismatch": lambda: _("does NOT match the receipt"),
    "no_key": lambda: _("no valid signer key to check the records with"),
    "unknown_file": lambda: _("a file the timestamps folder never holds"),
    "token_missing": lambda: _("the custody log records this token, but it is not in the "
                               "bundle"),
    "after_sealing": lambda: _("the token is dated after the bundle was sealed"),
    "before_vault": lambda: _("the token is dated before the vault existed"),
    "seal_time": lambda: _("the token over the sealed bag is not dated at the sealing"),
}


def check_name(check: Check) -> str:
    return _CHECK_NAMES.get(check.key, lambda: untrusted(check.key))()


def check_detail(check: Check) -> str:
    detail = check.detail
    if detail.startswith("unknown_root:"):
        return _("time not confirmed: unknown root SHA256:{fingerprint}").format(
            fingerprint=untrusted(detail.split(":", 1)[1], 64))
    if check.key == "timestamps" and detail and not detail.isdigit() and \
            detail not in _DETAILS:
        return _("the timestamp token does not check out ({reason})").format(
            reason=untrusted(detail, 60))
    if detail.startswith("record "):
        number, _sep, reason = detail[len("record "):].partition(": ")
        return _("record {number} fails ({reason})").format(number=untrusted(number, 12),
                                                            reason=untrusted(reason, 40))
    return _DETAILS.get(detail, lambda: untrusted(detail, 80))()


def check_line(check: Check) -> str:
    if check.ok:
        return _("OK      {check}").format(check=check_name(check))
    if check.unconfirmed:
        return _("NOT CONFIRMED  {check}: {file}: {detail}").format(
            check=check_name(check), file=untrusted(check.file or "-"),
            detail=check_detail(check))
    return _("FAILED  {check}: {file}: {detail}").format(
        check=check_name(check), file=untrusted(check.file or "-"), detail=check_detail(check))


def _gap(seconds: int) -> str:
    minutes = round(seconds / 60)
    return ngettext("the computer's clock differed from the authority's by {minutes} min",
                    "the computer's clock differed from the authority's by {minutes} min",
                    abs(minutes)).format(minutes=f"{minutes:+d}")


def timestamp_lines(report: VerifyReport) -> list[str]:
    """What each good token proves, and the state of each OpenTimestamps proof."""
    lines = []
    for entry in report.timestamps:
        if not entry.get("ok"):
            continue
        for rel in entry["covers"]:
            line = _("{file}: time confirmed by {tsa} at {time}").format(
                file=untrusted(rel), tsa=untrusted(entry["tsa"], 80), time=entry["time"])
            if entry.get("gap_seconds"):
                line += " (" + _gap(entry["gap_seconds"]) + ")"
            lines.append(line)
    for proof in report.proofs:
        what = ", ".join(untrusted(c) for c in proof["covers"][:3])
        if proof["state"] == "bitcoin":
            for height, root in proof["blocks"]:
                lines.append(_("{file}: OpenTimestamps proof in Bitcoin block {height} (merkle "
                               "root {root})").format(file=what, height=int(height),
                                                      root=untrusted(root, 64)))
        else:
            lines.append(_("{file}: OpenTimestamps proof pending (not yet in a Bitcoin "
                           "block)").format(file=what))
    return lines


def signer_line(report: VerifyReport) -> str:
    """The key that verified, and what it was compared with (on a line of its own)."""
    if not report.fingerprint:
        return _("No signer key verified the bundle.")
    pin = next((c for c in report.checks if c.key == "pin_key"), None)
    if pin is None:
        return _("Signed by key {fingerprint} — compare it with the receipt.").format(
            fingerprint=report.fingerprint)
    if pin.ok:
        return _("Signed by key {fingerprint} — matches the receipt.").format(
            fingerprint=report.fingerprint)
    return _("Signed by key {fingerprint} — does NOT match the receipt ({expected}).").format(
        fingerprint=report.fingerprint, expected=report.expected.fingerprint
        if report.expected else "-")


def verdict_line(report: VerifyReport) -> str:
    if report.verdict == NOT_VERIFIED:
        return _("Result: NOT VERIFIED - see the FAILED lines above.")
    if report.verdict == TIME_UNCONFIRMED:
        return _("Result: NOT VERIFIED - the content checks out, but a timestamp chains to a "
                 "root that is not trusted here (give it with --tsa-ca if you trust it).")
    return _("Result: VERIFIED - every check passed.")


def report_lines(report: VerifyReport) -> list[str]:
    """The whole text report, FAILED lines capped, the verdict last."""
    lines = [_("Bundle: {name}").format(name=untrusted(report.name or report.bundle.name))]
    if report.info:
        lines.append(_("Sealed: {time} UTC   Items: {count}   Case: {case}").format(
            time=untrusted(report.info.get("Sealed-At-UTC", "?"), 40), count=len(report.items),
            case=untrusted(report.info.get("Case-Reference", "-"), 80)))
    shown = 0
    hidden = 0
    for check in report.checks:
        if not check.ok and shown >= MAX_FAILED_SHOWN:
            hidden += 1
            continue
        shown += not check.ok
        lines.append(check_line(check))
    if hidden:
        lines.append(ngettext("... and {count} more FAILED line (all are in --json)",
                              "... and {count} more FAILED lines (all are in --json)",
                              hidden).format(count=hidden))
    lines += ["        " + line for line in timestamp_lines(report)]
    if report.bundle_sha256:
        lines.append(_("Bundle SHA-256: {sha}").format(sha=report.bundle_sha256))
    lines.append(signer_line(report))
    lines.append(verdict_line(report))
    return lines
