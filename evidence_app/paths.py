"""Where things live: bundled resources, the default vault, settings and logs.

Portable mode (a marker file beside the program, or --portable) keeps all of it next to the
program, e.g. on a USB stick, and nothing is written to the host's user folders.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from evidence_app import APP_ID

PORTABLE_MARKER = "evidence-locker-portable.txt"
PORTABLE_DATA = "EvidenceLockerData"
_portable_forced = False


def resources_dir() -> Path:
    """Resources inside an installed wheel or frozen build, else the source checkout's."""
    here = Path(__file__).resolve().parent
    bundled = here / "resources"
    if bundled.is_dir():
        return bundled
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base:
        return Path(frozen_base) / "evidence_app" / "resources"
    return here.parent / "resources"


def program_dir() -> Path:
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(sys.argv[0]).resolve().parent if sys.argv and sys.argv[0] else Path.cwd()


def force_portable() -> None:
    global _portable_forced
    _portable_forced = True


def is_portable() -> bool:
    return _portable_forced or (program_dir() / PORTABLE_MARKER).is_file()


def _portable_root() -> Path:
    return program_dir() / PORTABLE_DATA


def data_dir() -> Path:
    if is_portable():
        return _portable_root()
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def default_vault_dir() -> Path:
    return data_dir() / "vault"


def settings_dir() -> Path:
    if is_portable():
        return _portable_root() / "settings"
    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False))


def log_dir() -> Path:
    override = os.environ.get("EVIDENCE_APP_LOG_DIR")
    if override:
        return Path(override)
    if is_portable():
        return _portable_root() / "logs"
    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def vault_dir_from(arg: str | None) -> Path:
    """--vault, then EVIDENCE_APP_VAULT, then the default location."""
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get("EVIDENCE_APP_VAULT")
    if env:
        return Path(env).expanduser()
    return default_vault_dir()
