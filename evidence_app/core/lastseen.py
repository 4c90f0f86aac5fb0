"""What this computer last saw of each vault, kept outside the vault.

Someone with access to the folder but not the passphrase can put back an older copy of the
custody log (so newer evidence looks like litter) or of vault.json (so an old passphrase
works again, or the owner's does not). Inside the vault nothing can tell an old copy from
the real one; a note kept elsewhere can: the number and hash of the last record seen, and
the whole header (it holds nothing the vault folder does not already show). The note lives
with the settings (beside the program in portable mode), one small file per vault.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from evidence_app.core.errors import EvidenceError
from evidence_app.core.safefs import atomic_write, private_mkdir

log = logging.getLogger(__name__)
_VAULT_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Seen:
    records: int
    last_hash: str
    header: bytes
    epoch: int


class LastSeen:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _file(self, vault_id: str) -> Path | None:
        # The id comes from the vault's header, which is hostile until opened.
        return self.folder / f"{vault_id}.json" if _VAULT_ID.fullmatch(vault_id) else None

    def load(self, vault_id: str) -> Seen | None:
        path = self._file(vault_id)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text("utf-8"))
            return Seen(int(data["records"]), str(data["last_hash"]),
                        str(data["header"]).encode("utf-8"), int(data["epoch"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("the note of what was last seen of a vault is unreadable; ignored")
            return None

    def save(self, vault_id: str, seen: Seen) -> None:
        path = self._file(vault_id)
        if path is None:
            return
        try:
            private_mkdir(self.folder)
            atomic_write(path, json.dumps({
                "records": seen.records, "last_hash": seen.last_hash,
                "header": seen.header.decode("utf-8"), "epoch": seen.epoch}).encode("utf-8"))
        except (OSError, EvidenceError):  # a read-only settings folder must not stop work
            log.warning("could not note what was last seen of this vault")
