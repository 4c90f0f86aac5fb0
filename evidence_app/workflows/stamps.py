"""Trusted timestamps at the end of a use case: what waits is sent, with a time limit and
cancel between fingerprints. Quiet while timestamps are off (nothing is ever sent then)."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from evidence_app.core.errors import Cancelled, EvidenceError
from evidence_app.core.vault import Vault
from evidence_app.timestamp import current_settings, flush_queue
from evidence_app.timestamp.vaultstamps import FlushResult
from evidence_app.workflows.outcome import CancelCheck, Outcome, Progress, StampReport, StopReason

T = TypeVar("T")

# Seconds per authority when someone may be waiting on the vault (the window's background
# runs); timeout=None uses the configured limit (the command line, where a person waits).
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


def stamp_step(vault: Vault, outcome: Outcome[T], *, stamp: bool = True,
               progress: Progress | None = None, cancel: CancelCheck | None = None,
               timeout: float | None = QUICK_TIMEOUT) -> Outcome[T]:
    """The last step of a use case, after its work is safely recorded: stamp what waits.
    Nothing here may lose that work: a stop leaves the stamps to a later run, and any
    error (a full disk while recording a token) is reported in outcome.stamps."""
    if not stamp:
        return outcome
    try:
        outcome.stamps = stamp_report(vault, progress=progress, cancel=cancel,
                                      timeout=timeout)
    except Cancelled:
        outcome.stop = StopReason.CANCELLED
    except EvidenceError as exc:
        outcome.stamps = StampReport(error=exc)
    return outcome
