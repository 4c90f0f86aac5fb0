"""Store a screenshot taken in the app: the PNG and where it came from, then stamp it."""

from __future__ import annotations

from typing import Any

from evidence_app.core.state import Item
from evidence_app.core.vault import Vault
from evidence_app.workflows.outcome import CancelCheck, Outcome, Progress
from evidence_app.workflows.stamps import QUICK_TIMEOUT, stamp_step


def store_capture(vault: Vault, png: bytes, *, name: str, source: dict[str, Any],
                  progress: Progress | None = None, cancel: CancelCheck | None = None,
                  stamp: bool = True, stamp_progress: Progress | None = None,
                  stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[Item]:
    """The picture is stored even when asked to stop right after it was taken (a capture
    is one small write); only the timestamp step is left to a later run then."""
    outcome: Outcome[Item] = Outcome(done=[vault.add_bytes(png, name=name, source=source)])
    return stamp_step(vault, outcome, stamp=stamp, progress=stamp_progress, cancel=cancel,
                      timeout=stamp_timeout)
