"""Secrets as people hand them in, normalised in one place for the window and the command line.

A vault passphrase is used exactly as typed (a file's final line break aside): changing it
here would lock people out of existing vaults. A bundle passphrase is words read aloud or
written on paper: spaces at the ends and runs of spaces inside do not count.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from evidence_app.core.errors import SecretFileUnreadable


def vault_passphrase_from_file(data: bytes, path: Path) -> str:
    """The first line of a passphrase file, exactly as typed; UTF-8 (with or without BOM)."""
    return _text(data, path).rstrip("\r\n")


def bundle_passphrase(text: str) -> str:
    """A bundle passphrase as heard: inner whitespace collapsed to one space, ends trimmed."""
    return " ".join(text.split())


def bundle_passphrase_from_file(data: bytes, path: Path) -> str:
    return bundle_passphrase(_text(data, path))


# An age identity file holds a few keys: far less than this. A larger file is not one.
MAX_SECRET_FILE = 64 * 1024


def read_identity_file(path: Path) -> str:
    """An age identity file: UTF-8 text (a BOM allowed) holding at least one key. Anything
    else is said to be the wrong file (SecretFileUnreadable, AgeKeyError), rather than
    decoded into something that fails later."""
    from evidence_app.bundle.agefile import identities_from_file_text

    text = _text(read_secret_file(path), path)
    identities_from_file_text(text)
    return text


def read_secret_file(path: Path) -> bytes:
    """At most MAX_SECRET_FILE bytes (never a named pipe's endless stream or a huge file)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a folder, a pipe, a device
            raise SecretFileUnreadable(Path(path), "not_text")
        with open(path, "rb") as fh:
            data = fh.read(MAX_SECRET_FILE + 1)
    except OSError:
        raise SecretFileUnreadable(Path(path)) from None
    if len(data) > MAX_SECRET_FILE:
        raise SecretFileUnreadable(Path(path), "not_text")
    return data


def _text(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SecretFileUnreadable(Path(path), "not_text") from None
