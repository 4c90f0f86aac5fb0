"""Change the passphrase or the recovery key: each starts a new key epoch (core/vault.py);
the change is a custody record, stamped like the others. The new secret is in the outcome
whatever the stamp step does: losing it would lock the person out."""

from __future__ import annotations

from evidence_app.core.vault import Vault
from evidence_app.workflows.outcome import CancelCheck, Outcome, Progress
from evidence_app.workflows.stamps import QUICK_TIMEOUT, stamp_step


def change_passphrase(vault: Vault, new: str, *, current: str | None = None,
                      progress: Progress | None = None, cancel: CancelCheck | None = None,
                      stamp: bool = True, stamp_progress: Progress | None = None,
                      stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[str | None]:
    """done[0]: a new recovery key when the vault's old one could not take the new key
    (show it once), else None. `current` is asked again at an unattended computer (the
    window); after a recovery-key reset there is none to ask."""
    if current is not None:
        vault.check_passphrase(current)
    outcome: Outcome[str | None] = Outcome(done=[vault.change_passphrase(new)])
    return stamp_step(vault, outcome, stamp=stamp, progress=stamp_progress, cancel=cancel,
                      timeout=stamp_timeout)


def new_recovery_key(vault: Vault, passphrase: str, *, progress: Progress | None = None,
                     cancel: CancelCheck | None = None, stamp: bool = True,
                     stamp_progress: Progress | None = None,
                     stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[str]:
    """done[0]: the new recovery key (show it once); the old one stops working."""
    outcome: Outcome[str] = Outcome(done=[vault.replace_recovery_key(passphrase)])
    return stamp_step(vault, outcome, stamp=stamp, progress=stamp_progress, cancel=cancel,
                      timeout=stamp_timeout)
