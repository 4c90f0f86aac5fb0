"""What every subcommand needs: passphrases from prompt/file/env, opening the vault, output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evidence_app.core.errors import EvidenceError, PassphraseMismatch
from evidence_app.core.lastseen import LastSeen
from evidence_app.core.vault import Vault
from evidence_app.i18n import _
from evidence_app.messages import notice_text
from evidence_app.paths import seen_dir, vault_dir_from
from evidence_app.workflows.secrets import read_secret_file, vault_passphrase_from_file

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
    return vault_passphrase_from_file(read_secret_file(Path(path)), Path(path))


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
    """A new passphrase: from a file or the environment, or typed twice at a prompt. A
    guessable one is refused, a weak one asked about (vet_new_passphrase)."""
    path = getattr(args, file_attr, None)
    value = os.environ.get(env)
    if path:
        secret, typed = _read_secret_file(path), False
    elif value is not None:
        secret, typed = value, False
    else:
        secret, typed = _prompt(_("New passphrase: ")), True
        if secret != _prompt(_("The same passphrase again: ")):
            raise PassphraseMismatch()
    vet_new_passphrase(secret, args, typed=typed)
    return secret


def vet_new_passphrase(secret: str, args: argparse.Namespace, *, typed: bool) -> None:
    """Refuse a guessable new passphrase; ask about a weak one when it was typed here, and
    want --accept-weak-passphrase when it came from a file or the environment (a script
    must not hang on a question nobody sees)."""
    from evidence_app.core.errors import PassphraseReason, WeakPassphrase
    from evidence_app.core.keys import MIN_PASSPHRASE_LENGTH
    from evidence_app.core.passphrase_strength import assess
    from evidence_app.passphrase_words import weak_declined, weak_needs_flag, weak_warning

    found = assess(secret)
    if found.refused:
        raise WeakPassphrase(MIN_PASSPHRASE_LENGTH, found.reason or PassphraseReason.COMMON)
    if not found.needs_confirmation or getattr(args, "accept_weak_passphrase", False):
        return
    if not typed or not sys.stdin.isatty():
        raise CliError(weak_needs_flag())
    print(weak_warning(found), file=sys.stderr, flush=True)
    print(_("Use it anyway? [y/N] "), end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip().casefold()
    if answer not in {"y", "yes", _("y").casefold(), _("yes").casefold()}:
        raise CliError(weak_declined())


def vault_path(args: argparse.Namespace) -> Path:
    return vault_dir_from(args.vault)


def last_seen() -> LastSeen:
    """This computer's note of each vault's last record and key file (outside the vault)."""
    return LastSeen(seen_dir())


def open_vault(args: argparse.Namespace, *, allow_damaged: bool = False) -> Vault:
    vault = Vault.open(vault_path(args), passphrase(args), allow_damaged=allow_damaged,
                       seen=last_seen())
    report_notices(vault)
    return vault


def report_notices(vault: Vault) -> None:
    for notice in vault.notices:
        warn(notice_text(notice))


def out(text: str = "") -> None:
    print(text, flush=True)


def warn(text: str) -> None:
    print(_("note: ") + text, file=sys.stderr, flush=True)


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False), flush=True)


def progress_printer(label: str) -> Callable[[int, int, str], None] | None:
    """A progress(done, total, message) callback that draws one line on a terminal."""
    if not sys.stderr.isatty():
        return None

    shown = [-1]  # the last percentage drawn: each is drawn once, the line ended once

    def progress(done: int, total: int, _message: str) -> None:
        pct = min(100, done * 100 // total) if total else 0
        if not total or pct == shown[0]:
            return
        shown[0] = pct
        print(f"\r{label} {pct:3d}%", end="", file=sys.stderr, flush=True)
        if pct == 100:
            print(file=sys.stderr, flush=True)

    return progress


def add_weak_passphrase_flag(parser: argparse.ArgumentParser) -> None:
    """--accept-weak-passphrase for the commands that set a new passphrase."""
    parser.add_argument(
        "--accept-weak-passphrase", action="store_true",
        help=_("use a new passphrase that is easy to guess without asking (for scripts; the "
               "most common passwords are refused all the same)"))
