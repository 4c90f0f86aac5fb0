"""Seal the case: case details given now, what waits stamped, then the bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evidence_app.bundle.seal import Protection, SealResult, seal
from evidence_app.core.errors import Cancelled
from evidence_app.core.vault import Vault
from evidence_app.workflows.outcome import (
    CancelCheck,
    Outcome,
    Progress,
    StampReport,
    Steps,
    StopReason,
)
from evidence_app.workflows.stamps import QUICK_TIMEOUT, stamp_report


def seal_case(vault: Vault, out_dir: Path, protection: Protection, *,
              item_ids: list[str] | None = None, case_fields: dict[str, Any] | None = None,
              report_language: str | None = None, progress: Progress | None = None,
              cancel: CancelCheck | None = None,
              stamp_timeout: float | None = QUICK_TIMEOUT,
              stamp_after: bool = True) -> Outcome[SealResult]:
    """The bundle in outcome.done[0]; a stop before it was published leaves nothing behind
    (outcome.stop). Other errors (nothing to seal, the folder full) are raised.
    stamp_after=False leaves the custody record of the seal to a later run (the window
    shows the result at once and stamps in the background)."""
    steps = Steps(progress, cancel)
    outcome: Outcome[SealResult] = Outcome()
    try:
        if case_fields:
            vault.update_case(case_fields)
        # What waits (the case details just given, too) goes into the bundle stamped.
        outcome.stamps = stamp_report(vault, cancel=cancel, timeout=stamp_timeout)
        steps.check()
        outcome.done.append(seal(vault, Path(out_dir), protection, item_ids=item_ids,
                                 report_language=report_language, progress=progress,
                                 cancel=cancel))
        if stamp_after:  # the record that the bundle was sealed
            after = stamp_report(vault, cancel=cancel, timeout=stamp_timeout)
            outcome.stamps = StampReport(outcome.stamps.stamped + after.stamped,
                                         after.waiting, after.error)
    except Cancelled:
        outcome.stop = StopReason.CANCELLED
    return outcome
