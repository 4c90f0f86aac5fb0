"""Trusted timestamps at the end of a use case: what waits is sent, with a time limit and
cancel between fingerprints. Quiet while timestamps are off (nothing is ever sent then)."""

from __future__ import annotations

from dataclasses import replace

from evidence_app.core.errors import Cancelled
from evidence_app.core.vault import Vault
from evidence_app.timestamp import current_settings, flush_queue
from evidence_app.timestamp.vaultstamps import FlushResult
from evidence_app.workflows.outcome import CancelCheck, Progress, StampReport

# Seconds per authority when someone may be waiting on the vault (the window's background
# runs, and the step after each use case); `stamp` with no limit uses the configured one.
QUICK_TIMEOUT = 5.0


def stamp_waiting(vault: Vault, *, progress: Progress | None = None,
                  cancel: CancelCheck | None = None,
                  timeout: float | None = QUICK_TIMEOUT) -> FlushResult:
    """flush_queue, stopping between fingerprints when cancelled (what is recorded stays;
    the rest waits for the next run)."""
    settings = current_settings(vault)
    if not settings.enabled:
        return FlushResult()
    if timeout is not None:
        settings = replace(settings, timeout=min(settings.timeout, timeout))

    def step(done: int, total: int, _sha: str) -> None:
        if cancel is not None and cancel():
            raise Cancelled()
        if progress is not None:
            progress(done, total, "timestamps")

    return flush_queue(vault, settings, progress=step)


def stamp_report(vault: Vault, *, progress: Progress | None = None,
                 cancel: CancelCheck | None = None,
                 timeout: float | None = QUICK_TIMEOUT) -> StampReport:
    """The same, as the part of an Outcome that says what was stamped and what waits."""
    result = stamp_waiting(vault, progress=progress, cancel=cancel, timeout=timeout)
    return StampReport(len(result.stamped), len(result.waiting) if result.error else 0,
                       result.error)
