"""Seal the case: case details given now, what waits stamped, then the bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evidence_app.bundle.seal import Protection, SealResult, seal
from evidence_app.core.errors import Cancelled
from evidence_app.core.vault import Vault
from evidence_app.workflows.outcome import CancelCheck, Outcome, Progress, Steps, StopReason
from evidence_app.workflows.stamps import QUICK_TIMEOUT, stamp_report


def seal_case(vault: Vault, out_dir: Path, protection: Protection, *,
              item_ids: list[str] | None = None, case_fields: dict[str, Any] | None = None,
              report_language: str | None = None, include_sensitive_text: bool = False,
              progress: Progress | None = None, cancel: CancelCheck | None = None,
              stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[SealResult]:
    """The bundle in outcome.done[0]; a stop before it was published leaves nothing behind
    (outcome.stop). Other errors (nothing to seal, the folder full) are raised.

    The words read by machine in pictures marked sensitive are printed in the report only
    with `include_sensitive_text` (the person's choice; off by default): the report is what
    gets printed and passed on. The bundle carries them either way, beside the picture.

    What waits for a timestamp (the case details just given, too) is stamped first, so the
    bundle carries it. The record of the seal itself is stamped afterwards by the caller's
    next run, once the person has the passphrase: nothing may come between the two."""
    steps = Steps(progress, cancel)
    outcome: Outcome[SealResult] = Outcome()
    try:
        if case_fields:
            vault.update_case(case_fields)
        outcome.stamps = stamp_report(vault, progress=progress, cancel=cancel,
                                      timeout=stamp_timeout)
        steps.check()
        outcome.done.append(seal(vault, Path(out_dir), protection, item_ids=item_ids,
                                 report_language=report_language,
                                 include_sensitive_text=include_sensitive_text,
                                 progress=progress, cancel=cancel))
    except Cancelled:
        outcome.stop = StopReason.CANCELLED
    return outcome
