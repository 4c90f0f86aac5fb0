"""Check a sealed bundle: the secret as given, trust from outside the bundle, decrypted
temporaries only in a scratch folder (or the bag unpacked where the officer asked)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from evidence_app.bundle.pin import Expected
from evidence_app.bundle.verify import VerifyReport, verify_bundle
from evidence_app.core import scratch
from evidence_app.workflows.outcome import CancelCheck, Progress
from evidence_app.workflows.secrets import bundle_passphrase


def verify(bundle: Path, *, passphrase: str | None = None, identity_text: str | None = None,
           expected: Expected | None = None, extra_roots: list[bytes] | None = None,
           extract_to: Path | None = None, workdir: Path | None = None,
           progress: Progress | None = None,
           cancel: CancelCheck | None = None) -> VerifyReport:
    """extract_to: keep the unpacked bag there (a new or empty folder; files 0600, folders
    0700; the decrypted zip stays in scratch). workdir: a scratch folder the caller owns
    (the window keeps it to open files from the report). Else a scratch folder of its own,
    removed at the end. A stop leaves no half-unpacked folder."""
    secret = bundle_passphrase(passphrase) if passphrase is not None else None

    def check(folder: Path, zip_folder: Path | None) -> VerifyReport:
        return verify_bundle(bundle, folder, identities_text=identity_text, passphrase=secret,
                             expected=expected, extra_roots=extra_roots, progress=progress,
                             cancel=cancel, zip_folder=zip_folder)

    if extract_to is not None:
        made = not extract_to.exists()
        try:
            return check(extract_to, None)
        except BaseException:
            if made:
                with contextlib.suppress(OSError):
                    extract_to.rmdir()  # only if empty: verify_bundle took back what it made
            raise
    if workdir is not None:
        return check(workdir, workdir)
    with scratch.scratch_dir("verify") as work:
        return check(work, work)
