"""User settings (language, auto-lock, quick exit, discreet mode, vault location), as JSON.

Settings hold no secrets and no evidence. In portable mode they live beside the program.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from evidence_app.core.safefs import atomic_write, private_mkdir
from evidence_app.paths import settings_dir

log = logging.getLogger(__name__)
FILE_NAME = "settings.json"


@dataclass
class Settings:
    language: str = ""  # "" = ask on first start, then the system language
    auto_lock_minutes: int = 5
    quick_exit_shortcut: str = "Esc Esc"  # "Esc Esc" = Escape pressed twice quickly
    discreet: bool = False
    vault_path: str = ""  # "" = the default location
    grid_view: bool = False
    network_allowed: bool = False
    read_pictures: bool = True  # read the words in pictures after adding them (OCR)
    # more languages to read pictures in, beyond the app's language and English (app codes)
    picture_languages: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, folder: Path | None = None) -> Settings:
        path = (folder or settings_dir()) / FILE_NAME
        try:
            raw = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            log.warning("settings file unreadable; using defaults")
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known} if isinstance(raw, dict) else {}
        settings = cls(**values)
        settings.auto_lock_minutes = max(0, min(int(settings.auto_lock_minutes), 240))
        if not isinstance(settings.picture_languages, list):
            settings.picture_languages = []
        settings.picture_languages = [c for c in settings.picture_languages
                                      if isinstance(c, str)][:14]
        settings.read_pictures = bool(settings.read_pictures)
        return settings

    def save(self, folder: Path | None = None) -> None:
        target = folder or settings_dir()
        private_mkdir(target)
        atomic_write(target / FILE_NAME, json.dumps(asdict(self), indent=2).encode("utf-8"))
