"""Words for the results of `verify`, shared by the CLI and the GUI's Verify view."""

from __future__ import annotations

from collections.abc import Callable

from evidence_app.bundle.verify import Check, VerifyReport
from evidence_app.i18n import _

_CHECK_NAMES: dict[str, Callable[[], str]] = {
    "decrypt": lambda: _("Decryption"),
    "archive": lambda: _("Zip archive"),
    "bag_structure": lambda: _("BagIt bag structure"),
    "manifest": lambda: _("Manifest"),
    "payload": lambda: _("Files match manifest-sha256.txt"),
    "tags": lambda: _("Tag files match tagmanifest-sha256.txt"),
    "oxum": lambda: _("Payload size and file count (bag-info.txt)"),
    "signature": lambda: _("Signature over the tag manifest"),
    "custody": lambda: _("Custody log: chain and signatures"),
    "items": lambda: _("Items match their signed custody records"),
    "timestamps": lambda: _("Trusted timestamps"),
}

_DETAILS: dict[str, Callable[[], str]] = {
    "changed": lambda: _("content does not match its recorded SHA-256"),
    "missing": lambda: _("listed but missing"),
    "not_listed": lambda: _("present but not listed in the manifest"),
    "invalid": lambda: _("the signature is not valid"),
    "key_mismatch": lambda: _("allowed_signers does not name the signer's key"),
    "fingerprint_mismatch": lambda: _("the signer fingerprint in bag-info.txt differs"),
    "malformed": lambda: _("the file is malformed"),
    "damaged": lambda: _("the file is damaged or cut short"),
    "header": lambda: _("the encryption header is damaged"),
    "mismatch": lambda: _("does not match the files present"),
    "not_as_recorded": lambda: _("differs from the SHA-256 signed when it was added"),
    "not_in_bundle": lambda: _("the timestamp is for a file that is not in this bundle"),
}


def check_name(check: Check) -> str:
    return _CHECK_NAMES.get(check.key, lambda: check.key)()


def timestamp_lines(report: VerifyReport) -> list[str]:
    """"time confirmed by <TSA> at <time>" for each file a good token covers."""
    lines = []
    for entry in report.timestamps:
        if entry.get("ok"):
            for rel in entry["covers"]:
                lines.append(_("{file}: time confirmed by {tsa} at {time}").format(
                    file=rel, tsa=entry["tsa"], time=entry["time"]))
    return lines


def check_detail(check: Check) -> str:
    if check.key == "timestamps" and check.detail and not check.detail.isdigit() and \
            check.detail not in _DETAILS:
        return _("the timestamp token does not check out ({reason})").format(
            reason=check.detail)
    if check.detail.startswith("record "):
        number, _sep, reason = check.detail[len("record "):].partition(": ")
        return _("record {number} fails ({reason})").format(number=number, reason=reason)
    return _DETAILS.get(check.detail, lambda: check.detail)()


def check_line(check: Check) -> str:
    if check.ok:
        return _("OK      {check}").format(check=check_name(check))
    return _("FAILED  {check}: {file}: {detail}").format(
        check=check_name(check), file=check.file or "-", detail=check_detail(check))
