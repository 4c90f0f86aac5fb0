"""Add files and folders: every file handed in is added, skipped with a reason, or failed
with a reason; the run goes on past one bad file and stops only when nothing more could
work (disk full, vault locked, log damaged) or when asked to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from evidence_app.core.errors import (
    Cancelled,
    DiskFull,
    EvidenceError,
    JournalCorrupt,
    VaultLocked,
    WriteFailed,
)
from evidence_app.core.state import Item
from evidence_app.core.vault import Vault
from evidence_app.core.vault_ingest import files_to_add
from evidence_app.workflows.outcome import (
    CancelCheck,
    Failed,
    Outcome,
    Progress,
    Skipped,
    SkipReason,
    Steps,
    StopReason,
    links_in,
)
from evidence_app.workflows.stamps import QUICK_TIMEOUT, stamp_step

# Errors after which adding more files cannot work either.
STOP_ADDING = (DiskFull, WriteFailed, VaultLocked, JournalCorrupt)


@dataclass
class AddPlan:
    """What a list of names handed in comes to, known before the vault is opened."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def empty_folders(self) -> list[str]:
        return [s.name for s in self.skipped if s.reason is SkipReason.EMPTY_FOLDER]

    @property
    def links(self) -> int:
        return links_in(self.skipped)


def plan_add(paths: list[Path], vault_dir: Path | None) -> AddPlan:
    """Walk the folders (sorted, links not followed, never into the vault itself)."""
    plan = AddPlan()
    for path in paths:
        found, links = files_to_add([Path(path)], vault_dir)
        plan.files += found
        plan.skipped += [Skipped(str(path), SkipReason.LINK)] * links
        if not found:
            plan.skipped.append(Skipped(str(path), SkipReason.EMPTY_FOLDER))
    return plan


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def add_files(vault: Vault, plan: AddPlan, *, note: str = "", sensitive: bool = False,
              progress: Progress | None = None, cancel: CancelCheck | None = None,
              each: Callable[[Item | Failed], None] | None = None, stamp: bool = True,
              stamp_progress: Progress | None = None,
              stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[Item]:
    """Add every file of the plan, then stamp what waits (when timestamps are on).
    each(item or failure) is told as each file is done (the command line prints it)."""
    steps = Steps(progress, cancel)
    outcome: Outcome[Item] = Outcome(skipped=list(plan.skipped))
    total = sum(_size(p) for p in plan.files) or 1
    done = 0
    try:
        for path in plan.files:
            steps.check()
            try:
                item = vault.add_file(path, note=note, sensitive=sensitive,
                                      progress=steps.part(done, total), cancel=cancel)
            except STOP_ADDING:
                raise
            except Cancelled:
                raise
            except EvidenceError as exc:
                outcome.failed.append(Failed(str(path), exc))
                if each is not None:
                    each(outcome.failed[-1])
                done += _size(path)
                continue
            outcome.done.append(item)
            if each is not None:
                each(item)
            done += item.size
    except Cancelled:
        outcome.stop = StopReason.CANCELLED
        return outcome
    except STOP_ADDING as exc:
        outcome.stop, outcome.stop_error = StopReason.FAILED, exc
        return outcome
    return stamp_step(vault, outcome, stamp=stamp, progress=stamp_progress, cancel=cancel,
                      timeout=stamp_timeout)
