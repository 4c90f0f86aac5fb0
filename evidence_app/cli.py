"""The command line: the same core functions the GUI uses, one readable line per error."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys

from evidence_app import __version__
from evidence_app.clicmd import bundle_cmds, chat_cmds, ocr_cmds, timestamp_cmds, vault_cmds
from evidence_app.clicmd.common import EXIT_ERROR, EXIT_USAGE, CliError
from evidence_app.core import scratch
from evidence_app.core.errors import EvidenceError
from evidence_app.i18n import _, set_language
from evidence_app.logsetup import log_file, setup_logging
from evidence_app.messages import describe
from evidence_app.paths import contain_portable, force_portable

log = logging.getLogger("evidence_app.cli")

COMMAND_MODULES = [vault_cmds, bundle_cmds, chat_cmds, ocr_cmds, timestamp_cmds]


def _early_option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evidence-app",
        description=_("Evidence Locker: keep evidence of online crime safe, and seal it for "
                      "the police."),
    )
    parser.add_argument("--version", action="version", version=f"evidence-app {__version__}")
    parser.add_argument("--vault", metavar="PATH",
                        help=_("the vault folder (default: EVIDENCE_APP_VAULT, then your "
                               "user data folder)"))
    parser.add_argument("--passphrase-file", metavar="F",
                        help=_("read the passphrase from this file instead of asking"))
    parser.add_argument("--lang", metavar="CODE", help=_("language, e.g. en or de"))
    parser.add_argument("--portable", action="store_true",
                        help=_("keep vault, settings and logs next to the program"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", help=_("start the desktop app (also: no command at all)"))
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--portable" in argv:
        force_portable()
    contain_portable()
    scratch.clean_stale()  # what a killed run (SIGKILL, power cut) left in the temp folder
    setup_logging()
    set_language(_early_option(argv, "--lang") or os.environ.get("EVIDENCE_APP_LANG"))
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "gui"):
        from evidence_app.gui.app import run_gui

        return run_gui(vault=args.vault)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    # SIGTERM and SIGHUP unwind like Ctrl-C, so every `finally` removes what it unpacked.
    with scratch.stop_on_signals():
        try:
            return _run(args)
        except KeyboardInterrupt as exc:
            return _stopped(exc)


def _stopped(exc: KeyboardInterrupt) -> int:
    """Ctrl-C, SIGTERM or SIGHUP: the clean-up has run; one line, the conventional status."""
    left = scratch.remove_all()  # a last sweep, for anything a job had not removed yet
    if left:
        line = _("Stopped, but a temporary folder could not be removed: {path}. Delete it "
                 "yourself: it may hold unpacked evidence.").format(path=left[0])
    else:
        line = _("Stopped. Nothing half-saved or unpacked was left behind.")
    with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
        print(line, file=sys.stderr, flush=True)
    return exc.exit_status if isinstance(exc, scratch.Interrupted) else 128 + signal.SIGINT


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.handler(args) or 0)
    except CliError as exc:
        print(_("error: ") + exc.message, file=sys.stderr)
        return EXIT_USAGE
    except EvidenceError as exc:
        log.info("%s failed: %s", args.command, type(exc).__name__)
        print(_("error: ") + describe(exc), file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # the last line of defence: a sentence, never a traceback
        log.exception("unexpected error in %s", args.command)
        where = log_file()
        message = describe(exc)
        if where:
            message += " " + _("Log file: {path}").format(path=where)
        print(_("error: ") + message, file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
