"""One translation system for every layer (GNU gettext), so the core stays free of Qt.

Strings are looked up at call time, so switching language later changes every new message.
"""

from __future__ import annotations

import contextlib
import gettext
import locale
import os
import threading
from collections.abc import Iterator

from evidence_app.paths import resources_dir

DOMAIN = "evidence_app"
DEFAULT_LANGUAGE = "en"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE
_local = threading.local()  # a per-thread language, e.g. a report sealed in another language


def locale_dir() -> str:
    return str(resources_dir() / "locale")


def shipped_languages() -> list[str]:
    """Languages with a compiled catalogue, plus English (the source language)."""
    found = {DEFAULT_LANGUAGE}
    base = resources_dir() / "locale"
    if base.is_dir():
        for child in base.iterdir():
            if (child / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file():
                found.add(child.name)
    return sorted(found)


def system_language() -> str:
    """The user's language from the environment, reduced to a shipped catalogue, or English."""
    candidates: list[str] = []
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            candidates.extend(value.split(":"))
    try:
        loc = locale.getlocale()[0]
    except ValueError:
        loc = None
    if loc:
        candidates.append(loc)
    shipped = shipped_languages()
    for cand in candidates:
        code = cand.split(".")[0].split("@")[0]
        if code in shipped:
            return code
        short = code.split("_")[0]
        if short in shipped:
            return short
    return DEFAULT_LANGUAGE


def _load(language: str) -> tuple[gettext.NullTranslations, str]:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations(), language
    found = gettext.translation(DOMAIN, localedir=locale_dir(), languages=[language],
                                fallback=True)
    if not isinstance(found, gettext.GNUTranslations):
        return gettext.NullTranslations(), DEFAULT_LANGUAGE
    return found, language


def set_language(language: str | None) -> str:
    """Switch every later message to `language` (None: the system's); returns what is in use."""
    global _translation, _language
    _translation, _language = _load(language or system_language())
    return _language


@contextlib.contextmanager
def language(code: str | None) -> Iterator[str]:
    """Messages in `code` for this thread only (the app's language stays as it is)."""
    if not code:
        yield current_language()
        return
    before = getattr(_local, "active", None)
    _local.active = _load(code)
    try:
        yield _local.active[1]
    finally:
        _local.active = before


def _active() -> gettext.NullTranslations:
    local = getattr(_local, "active", None)
    return local[0] if local is not None else _translation


def current_language() -> str:
    local = getattr(_local, "active", None)
    return local[1] if local is not None else _language


def _(message: str) -> str:
    return _active().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (tables of labels)."""
    return message
