"""Secrets as people hand them in, normalised in one place for the window and the command line.

A vault passphrase is used exactly as typed (a file's final line break aside): changing it
here would lock people out of existing vaults. A bundle passphrase is words read aloud or
written on paper: spaces at the ends and runs of spaces inside do not count.
"""

from __future__ import annotations

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


def identity_text(data: bytes, path: Path) -> str:
    """An age identity file: UTF-8 text (a BOM allowed). Anything else is not an identity
    file, said as such, rather than decoded into something that fails later."""
    return _text(data, path)


def read_secret_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        raise SecretFileUnreadable(Path(path)) from None


def _text(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SecretFileUnreadable(Path(path)) from None
