"""Import a chat export: recognise it, settle who "me" is, store it, stamp what it added."""

from __future__ import annotations

from pathlib import Path

from evidence_app.chats.detect import ParsedExport, open_export
from evidence_app.chats.importer import ImportResult, resolve_me, store_export
from evidence_app.core.errors import Cancelled
from evidence_app.core.vault import Vault
from evidence_app.workflows.outcome import CancelCheck, Outcome, Progress, Steps, StopReason
from evidence_app.workflows.stamps import QUICK_TIMEOUT, stamp_report


def import_chat(vault: Vault, path: Path, *, fmt: str | None = None, me: str | None = None,
                progress: Progress | None = None, cancel: CancelCheck | None = None,
                stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[ImportResult]:
    """Raises ChatOwnerUnclear when the person must be asked which name is theirs (ask,
    then call again with `me`); parse errors are raised as their typed errors."""
    with open_export(Path(path), fmt) as parsed:
        resolve_me(parsed, me)
        return store_chat(vault, parsed, progress=progress, cancel=cancel,
                          stamp_timeout=stamp_timeout)


def store_chat(vault: Vault, parsed: ParsedExport, *, progress: Progress | None = None,
               cancel: CancelCheck | None = None,
               stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[ImportResult]:
    """Store an export already opened (and "me" settled: the command line asks before it
    opens the vault)."""
    steps = Steps(progress, cancel)
    outcome: Outcome[ImportResult] = Outcome()
    try:
        steps.check()
        outcome.done.append(store_export(vault, parsed, cancel))
        outcome.stamps = stamp_report(vault, cancel=cancel, timeout=stamp_timeout)
    except Cancelled:
        outcome.stop = StopReason.CANCELLED
    return outcome
