"""What the vault's mixins may use of Vault (core/vault.py), declared once for type checks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_app.core.errors import JournalCorrupt
from evidence_app.core.journal import Record
from evidence_app.core.record_types import RecordType
from evidence_app.core.state import CaseState

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from evidence_app.core.journal import Journal
    from evidence_app.core.objectstore import ObjectStore


class VaultParts:
    path: Path
    state: CaseState
    problem: JournalCorrupt | None
    public_key: Ed25519PublicKey

    if TYPE_CHECKING:

        @property
        def records(self) -> list[Record]: ...  # read from the journal, never assigned

        def _store(self) -> ObjectStore: ...

        def _journal(self) -> Journal: ...

        def _append(self, rtype: RecordType, data: dict[str, Any]) -> Record: ...
