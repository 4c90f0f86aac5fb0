"""Where things live: bundled resources, the default vault, settings and logs.

Portable mode (a marker file beside the program, or --portable) keeps all of it next to the
program, e.g. on a USB stick, and nothing is written to the host's user folders.
"""

from __future__ import annotations

import os
import sys
import tempfile
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
    """--portable: behave as if the marker file were beside the program."""
    global _portable_forced
    _portable_forced = True


def is_portable() -> bool:
    """True when vault, settings and logs live beside the program (marker or --portable)."""
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


def seen_dir() -> Path:
    """Where the app notes the last custody record and vault.json it saw of each vault."""
    return settings_dir() / "seen"


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


# Variables through which libraries we load pick their own per-user folders: Qt's
# QStandardPaths and fontconfig's font cache (XDG_*) on Linux, and every temp file (Python's
# tempfile, Qt, the C library) on all systems.
_XDG_VARIABLES = {"XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache",
                  "XDG_DATA_HOME": "data", "XDG_STATE_HOME": "state"}
_TEMP_VARIABLES = ("TMPDIR", "TEMP", "TMP")


def contain_portable() -> Path | None:
    """In portable mode, point the host's per-user folders of this process at the stick.

    Our own files already follow data_dir/settings_dir/log_dir; this catches what Qt,
    fontconfig and temp files would otherwise write under the host's HOME (or %TEMP%, which
    on Windows is inside the user's profile). Call it once, early, before Qt starts.
    Returns the folder that now holds them, or None when not portable.

    On a write-protected stick (police often run tools from read-only media) the temp folder
    cannot be made: temp files then go to the host's temp folder, as they must go somewhere,
    and the app still starts.
    """
    if not is_portable():
        return None
    host = _portable_root() / "runtime"
    if not sys.platform.startswith(("win", "darwin")):
        for variable, name in _XDG_VARIABLES.items():
            os.environ[variable] = str(host / name)
    temp = host / "tmp"
    try:
        temp.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return host
    for variable in _TEMP_VARIABLES:
        os.environ[variable] = str(temp)
    tempfile.tempdir = str(temp)
    return host
