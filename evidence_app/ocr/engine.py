"""Finding and running Tesseract.

The engine runs as a separate program that reads the picture from its standard input and
writes its word boxes (TSV) to its standard output: nothing decrypted touches the disk,
which is why this does not use a wrapper such as pytesseract (it writes the picture to a
temp file). A frozen build carries the engine in `tesseract/` beside the program (with its
`tessdata/`); a source install uses the system's (`apt install tesseract-ocr ...`).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from evidence_app.core.errors import Cancelled, OcrFailed, OcrUnavailable
from evidence_app.core.objectstore import CancelCheck

# The app's languages and the engine's names for their trained data.
ENGINE_LANGUAGE = {
    "en": "eng", "ar": "ara", "de": "deu", "es": "spa", "fr": "fra", "id": "ind",
    "km": "khm", "my": "mya", "pt": "por", "ru": "rus", "th": "tha", "tl": "fil",
    "vi": "vie", "zh_CN": "chi_sim",
}
APP_LANGUAGE = {engine: app for app, engine in ENGINE_LANGUAGE.items()}
# The Debian package that holds each language's data, for the sentence that says what to add.
DEBIAN_PACKAGE = {code: "tesseract-ocr-" + code.replace("_", "-") for code in
                  ENGINE_LANGUAGE.values()}
TIMEOUT = 120.0  # seconds for one picture: a hostile picture must not hold the run forever
OUTPUT_LIMIT = 64 << 20  # the engine's answer is a few hundred KB; more means something wrong


@dataclass(frozen=True)
class ReadSettings:
    """How a picture is read; stored with every reading so it can be repeated."""

    oem: int = 1  # the LSTM engine
    psm: int = 3  # find the page's layout: screenshots have columns, bubbles and bars
    scale: float = 1.0  # filled in per picture (picture.py enlarges small text)
    contrast: bool = False  # text made dark on white first (picture.local_contrast)
    languages: tuple[str, ...] = ()  # of this pass, when a reading has several

    def as_record(self) -> dict[str, Any]:
        record = asdict(self)
        record["languages"] = list(self.languages)
        return record


@dataclass(frozen=True)
class Engine:
    command: str
    version: str
    languages: frozenset[str]
    tessdata: str | None = None  # the bundled data folder of a frozen build

    @property
    def name(self) -> str:
        return "Tesseract"

    def missing(self, wanted: Iterable[str]) -> list[str]:
        return [code for code in wanted if code not in self.languages]


def _bundled() -> tuple[str, str] | None:
    """The engine shipped beside a frozen build, with its data folder."""
    if not getattr(sys, "frozen", False):
        return None
    base = Path(getattr(sys, "_MEIPASS", Path(sys.executable).resolve().parent))
    for folder in (base / "tesseract", Path(sys.executable).resolve().parent / "tesseract"):
        exe = folder / ("tesseract.exe" if os.name == "nt" else "tesseract")
        if exe.is_file():
            return str(exe), str(folder / "tessdata")
    return None


# Where the usual installers put the engine when it is not on PATH: an app started from the
# macOS Dock does not get Homebrew's PATH, and the Windows installer does not add itself.
_USUAL_PLACES = ("/opt/homebrew/bin/tesseract", "/usr/local/bin/tesseract",
                 r"C:\Program Files\Tesseract-OCR\tesseract.exe")


def _installed() -> str | None:
    found = shutil.which("tesseract")
    if found:
        return found
    return next((place for place in _USUAL_PLACES if Path(place).is_file()), None)


def _run_quietly(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, capture_output=True, timeout=20, env=env, check=False,
                          creationflags=_NO_WINDOW)
    return (done.stdout + done.stderr).decode("utf-8", "replace")


_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)


def _environment(tessdata: str | None) -> dict[str, str]:
    env = dict(os.environ)
    # One thread: the engine's OpenMP threads spin on a busy machine (measured here: 1.9 s
    # for a screenshot with one, 5.1 s with two); the window keeps the other core.
    env.setdefault("OMP_THREAD_LIMIT", "1")
    if tessdata:
        env["TESSDATA_PREFIX"] = tessdata
    return env


@functools.lru_cache(maxsize=1)
def find_engine() -> Engine | None:
    """The engine and the languages it has, or None when none is installed.

    EVIDENCE_APP_TESSERACT names another program (a portable copy on the stick).
    """
    bundled = _bundled()
    chosen = os.environ.get("EVIDENCE_APP_TESSERACT")
    command, tessdata = bundled if bundled else (chosen or _installed(), None)
    if not command:
        return None
    env = _environment(tessdata)
    try:
        version_text = _run_quietly([command, "--version"], env)
        langs_text = _run_quietly([command, "--list-langs"], env)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"tesseract\s+v?(\d+\.\d+(?:\.\d+)?)", version_text, re.I)
    if not found:
        return None
    languages = frozenset(line.strip() for line in langs_text.splitlines()[1:]
                          if re.fullmatch(r"[A-Za-z_]{3,20}", line.strip()))
    return Engine(command=command, version=found.group(1), languages=languages,
                  tessdata=tessdata)


def engine_languages(app_language: str, chosen: Iterable[str] = ()) -> list[str]:
    """The engine's languages for a reading: the app's language, those the person chose,
    then English (numbers, addresses and app names in screenshots are mostly Latin)."""
    order: list[str] = []
    for code in (app_language, *chosen, "en"):
        name = ENGINE_LANGUAGE.get(code) or ENGINE_LANGUAGE.get(code.split("_")[0])
        if name and name not in order:
            order.append(name)
    return order


def require(languages: Sequence[str]) -> Engine:
    """The engine, when it has every language asked for; else the error that says what to
    install."""
    engine = find_engine()
    if engine is None:
        raise OcrUnavailable("no_engine", list(languages))
    missing = engine.missing(languages)
    if missing:
        raise OcrUnavailable("no_language", missing)
    return engine


def install_hint(missing: Sequence[str]) -> str:
    """The Debian packages that would add these languages (or the engine itself)."""
    return " ".join(["tesseract-ocr", *(DEBIAN_PACKAGE.get(c, c) for c in missing)])


def read_tsv(engine: Engine, image: bytes, languages: Sequence[str], settings: ReadSettings,
             *, cancel: CancelCheck | None = None, timeout: float = TIMEOUT) -> str:
    """The engine's TSV for one picture (a PNM or PNG image in memory)."""
    args = [engine.command, "stdin", "stdout", "-l", "+".join(languages),
            "--oem", str(settings.oem), "--psm", str(settings.psm),
            "-c", "preserve_interword_spaces=1",
            # TSV by setting, not by the "tsv" config file: a build need carry no configs
            "-c", "tessedit_create_tsv=1", "-c", "tessedit_create_txt=0"]
    try:
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=_environment(engine.tessdata),
                                creationflags=_NO_WINDOW)
    except OSError as exc:
        raise OcrFailed("engine_error", str(exc)) from exc
    # communicate() runs in a thread: Python cannot resume feeding a large input after a
    # timed-out communicate(), and the picture is several MB. This thread watches the clock
    # and the cancel flag, and kills the engine when either says stop.
    answer: dict[str, bytes] = {}

    def talk() -> None:
        answer["out"], answer["err"] = proc.communicate(image)

    talker = threading.Thread(target=talk, name="ocr-engine", daemon=True)
    talker.start()
    deadline = time.monotonic() + timeout
    try:
        while talker.is_alive():
            talker.join(0.1)
            if not talker.is_alive():
                break
            if cancel is not None and cancel():
                raise Cancelled()
            if time.monotonic() > deadline:
                raise OcrFailed("timeout", f"{timeout:.0f} s")
    finally:
        if proc.poll() is None:
            proc.kill()
        talker.join()
    out, err = answer.get("out", b""), answer.get("err", b"")
    if proc.returncode != 0:
        raise OcrFailed("engine_error", err.decode("utf-8", "replace")[-500:])
    if len(out) > OUTPUT_LIMIT:
        raise OcrFailed("engine_error", f"answer too long: {len(out)}")
    return out.decode("utf-8", "replace")
