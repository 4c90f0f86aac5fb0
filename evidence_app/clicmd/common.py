"""What every subcommand needs: passphrases from prompt/file/env, opening the vault, output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from evidence_app.core.errors import EvidenceError, PassphraseMismatch
from evidence_app.core.vault import Vault
from evidence_app.i18n import _
from evidence_app.paths import vault_dir_from

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTEGRITY = 3
EXIT_TIME_UNCONFIRMED = 4  # content checks out, but a token chains to an untrusted root


class CliError(EvidenceError):
    """A problem with how the command was called; the message is already in words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _read_secret_file(path: str) -> str:
    try:
        text = Path(path).read_text("utf-8")
    except OSError:
        raise CliError(_("The passphrase file {path} cannot be read.").format(path=path)) from None
    return text.rstrip("\r\n")


def _prompt(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise CliError(_("No passphrase was given. Type it when asked (in a terminal), or use "
                         "--passphrase-file or EVIDENCE_APP_PASSPHRASE."))
    return getpass.getpass(prompt)


def passphrase(args: argparse.Namespace) -> str:
    """--passphrase-file, then EVIDENCE_APP_PASSPHRASE, then a prompt without echo."""
    if getattr(args, "passphrase_file", None):
        return _read_secret_file(args.passphrase_file)
    env = os.environ.get("EVIDENCE_APP_PASSPHRASE")
    if env is not None:
        return env
    return _prompt(_("Passphrase: "))


def new_passphrase(args: argparse.Namespace, *, env: str, file_attr: str) -> str:
    """A new passphrase: from a file or the environment, or typed twice at a prompt."""
    path = getattr(args, file_attr, None)
    if path:
        return _read_secret_file(path)
    value = os.environ.get(env)
    if value is not None:
        return value
    first = _prompt(_("New passphrase: "))
    second = _prompt(_("The same passphrase again: "))
    if first != second:
        raise PassphraseMismatch()
    return first


def vault_path(args: argparse.Namespace) -> Path:
    return vault_dir_from(args.vault)


def open_vault(args: argparse.Namespace, *, allow_damaged: bool = False) -> Vault:
    vault = Vault.open(vault_path(args), passphrase(args), allow_damaged=allow_damaged)
    report_notices(vault)
    return vault


def report_notices(vault: Vault) -> None:
    for notice in vault.notices:
        if notice.kind == "torn_tail":
            warn(_("The last custody record was unfinished (the app was interrupted while "
                   "saving). It was moved aside to {path}; everything saved before it is "
                   "intact.").format(path=notice.detail["moved_to"]))
        elif notice.kind == "orphans_removed":
            warn(_("An interrupted add left {count} unfinished file(s), which were removed. "
                   "No saved evidence was affected.").format(count=notice.detail["count"]))


def out(text: str = "") -> None:
    print(text, flush=True)


def warn(text: str) -> None:
    print(_("note: ") + text, file=sys.stderr, flush=True)


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False), flush=True)


def progress_printer(label: str):
    """A progress(done, total, message) callback that draws one line on a terminal."""
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int, _message: str) -> None:
        if total:
            pct = min(100, done * 100 // total)
            print(f"\r{label} {pct:3d}%", end="", file=sys.stderr, flush=True)
            if done >= total:
                print(file=sys.stderr, flush=True)

    return progress
