"""Logging to a file only, with no secrets: no passphrases, file names or chat text.

Tracebacks are logged as frames (file, line, function) without the exception's message,
because messages often carry file names. Libraries' own log lines keep their level and
logger name but not their text: fontTools and fpdf2 log the glyphs and characters of the
report they set, which is the evidence. Set EVIDENCE_APP_DEBUG=1 to log messages too.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import traceback
from pathlib import Path
from types import TracebackType

from evidence_app.core.safefs import private_mkdir
from evidence_app.paths import log_dir

# What sys.exc_info() gives, as logging hands it over.
ExcInfo = (tuple[type[BaseException], BaseException, TracebackType | None]
           | tuple[None, None, None])

LOG_NAME = "evidence-app.log"
_configured: Path | None = None


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if record.name.split(".")[0] != "evidence_app" and \
                os.environ.get("EVIDENCE_APP_DEBUG") != "1":
            record = logging.makeLogRecord(record.__dict__)
            record.msg, record.args = "(a library's message, withheld)", None
        return super().format(record)

    def formatException(self, ei: ExcInfo) -> str:  # noqa: N802 - logging's API
        if os.environ.get("EVIDENCE_APP_DEBUG") == "1":
            return super().formatException(ei)
        exc_type, _exc, tb = ei
        frames = traceback.extract_tb(tb)
        lines = [f"{type_name(exc_type)} (message withheld; EVIDENCE_APP_DEBUG=1 shows it)"]
        lines += [f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames]
        return "\n".join(lines)


def type_name(exc_type: type | None) -> str:
    return exc_type.__qualname__ if exc_type else "?"


def setup_logging() -> Path | None:
    """Send log records to the log file; returns its path (None if it cannot be written)."""
    global _configured
    folder = log_dir()
    try:
        private_mkdir(folder)
        handler = logging.handlers.RotatingFileHandler(
            folder / LOG_NAME, maxBytes=1 << 20, backupCount=2, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    # A log that cannot be written (e.g. a full disk) must never print a traceback on screen.
    logging.raiseExceptions = False
    root.setLevel(logging.DEBUG if os.environ.get("EVIDENCE_APP_DEBUG") == "1" else logging.INFO)
    _configured = folder / LOG_NAME
    return _configured


def log_file() -> Path | None:
    return _configured
