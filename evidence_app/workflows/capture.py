"""Store a screenshot taken in the app: the PNG and where it came from, then stamp it."""

from __future__ import annotations

from typing import Any

from evidence_app.core.errors import Cancelled
from evidence_app.core.state import Item
from evidence_app.core.vault import Vault
from evidence_app.workflows.outcome import CancelCheck, Outcome, Progress, Steps, StopReason
from evidence_app.workflows.stamps import QUICK_TIMEOUT, stamp_report


def store_capture(vault: Vault, png: bytes, *, name: str, source: dict[str, Any],
                  progress: Progress | None = None, cancel: CancelCheck | None = None,
                  stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[Item]:
    """The picture is stored even when asked to stop right after it was taken (a capture
    is one small write); only the timestamp step is left to a later run then."""
    steps = Steps(progress, cancel)
    outcome: Outcome[Item] = Outcome()
    outcome.done.append(vault.add_bytes(png, name=name, source=source))
    try:
        steps.check()
        outcome.stamps = stamp_report(vault, cancel=cancel, timeout=stamp_timeout)
    except Cancelled:
        outcome.stop = StopReason.CANCELLED
    return outcome
