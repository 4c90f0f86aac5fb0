"""Change the passphrase or the recovery key: each starts a new key epoch (core/vault.py);
the change is a custody record, stamped like the others."""

from __future__ import annotations

from typing import TypeVar

from evidence_app.core.errors import Cancelled
from evidence_app.core.vault import Vault
from evidence_app.workflows.outcome import CancelCheck, Outcome, Progress, StopReason
from evidence_app.workflows.stamps import QUICK_TIMEOUT, stamp_report

T = TypeVar("T")


def change_passphrase(vault: Vault, new: str, *, current: str | None = None,
                      progress: Progress | None = None, cancel: CancelCheck | None = None,
                      stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[str | None]:
    """done[0]: a new recovery key when the vault's old one could not take the new key
    (show it once), else None. `current` is asked again at an unattended computer (the
    window); after a recovery-key reset there is none to ask."""
    if current is not None:
        vault.check_passphrase(current)
    outcome: Outcome[str | None] = Outcome(done=[vault.change_passphrase(new)])
    return _stamped(vault, outcome, cancel, stamp_timeout)


def new_recovery_key(vault: Vault, passphrase: str, *, progress: Progress | None = None,
                     cancel: CancelCheck | None = None,
                     stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[str]:
    """done[0]: the new recovery key (show it once); the old one stops working."""
    outcome: Outcome[str] = Outcome(done=[vault.replace_recovery_key(passphrase)])
    return _stamped(vault, outcome, cancel, stamp_timeout)


def _stamped(vault: Vault, outcome: Outcome[T], cancel: CancelCheck | None,
             timeout: float | None) -> Outcome[T]:
    try:
        outcome.stamps = stamp_report(vault, cancel=cancel, timeout=timeout)
    except Cancelled:  # the change is made; its timestamp waits for the next run
        outcome.stop = StopReason.CANCELLED
    return outcome
