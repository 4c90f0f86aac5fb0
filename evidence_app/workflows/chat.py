"""Import a chat export: recognise it, settle who "me" is, store it, stamp what it added."""

from __future__ import annotations

from pathlib import Path

from evidence_app.chats import importer
from evidence_app.chats.detect import ParsedExport
from evidence_app.chats.importer import ImportResult, store_export
from evidence_app.core.errors import Cancelled
from evidence_app.core.vault import Vault
from evidence_app.workflows.outcome import CancelCheck, Outcome, Progress, StopReason
from evidence_app.workflows.stamps import QUICK_TIMEOUT, stamp_step


def import_chat(vault: Vault, path: Path, *, fmt: str | None = None, me: str | None = None,
                progress: Progress | None = None, cancel: CancelCheck | None = None,
                stamp: bool = True, stamp_progress: Progress | None = None,
                stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[ImportResult]:
    """Raises ChatOwnerUnclear when the person must be asked which name is theirs (ask,
    then call again with `me`); parse errors are raised as their typed errors."""
    outcome: Outcome[ImportResult] = Outcome()
    try:
        outcome.done.append(importer.import_chat(vault, Path(path), fmt, me, cancel))
    except Cancelled:
        outcome.stop = StopReason.CANCELLED
        return outcome
    return stamp_step(vault, outcome, stamp=stamp, progress=stamp_progress, cancel=cancel,
                      timeout=stamp_timeout)


def store_chat(vault: Vault, parsed: ParsedExport, *, progress: Progress | None = None,
               cancel: CancelCheck | None = None, stamp: bool = True,
               stamp_progress: Progress | None = None,
               stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[ImportResult]:
    """Store an export already opened (and "me" settled: the command line asks before it
    opens the vault)."""
    outcome: Outcome[ImportResult] = Outcome()
    try:
        outcome.done.append(store_export(vault, parsed, cancel))
    except Cancelled:
        outcome.stop = StopReason.CANCELLED
        return outcome
    return stamp_step(vault, outcome, stamp=stamp, progress=stamp_progress, cancel=cancel,
                      timeout=stamp_timeout)
