"""import-chat: a chat export into the vault, with its media and a readable transcript."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evidence_app.chats.detect import FORMATS, open_export
from evidence_app.chats.importer import NOT_A_PARTICIPANT, resolve_me, unclear_candidates
from evidence_app.clicmd.common import (
    EXIT_OK,
    open_vault,
    out,
    print_json,
    progress_printer,
    warn,
)
from evidence_app.clicmd.ocr_cmds import read_added
from evidence_app.clicmd.timestamp_cmds import report_stamps
from evidence_app.core.errors import ChatOwnerUnclear
from evidence_app.i18n import _, ngettext
from evidence_app.messages import refused_attachments_note
from evidence_app.workflows.chat import store_chat


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import-chat", help=_(
        "import a chat export (WhatsApp, Telegram, Instagram, Messenger, Discord)"))
    p.add_argument("path", metavar="PATH", help=_("the export: a .txt, .json, .zip or folder"))
    p.add_argument("--format", choices=FORMATS, default=None,
                   help=_("the app that made the export (default: recognised from content)"))
    p.add_argument("--me", metavar="NAME", default=None,
                   help=_("your name as it appears in the chat ('-' if you are not in it)"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_import_chat)


def _ask_me(candidates: list[str]) -> str:
    """Ask at the terminal which participant the person is; scripts get the choices."""
    if not sys.stdin.isatty():
        raise ChatOwnerUnclear(candidates)
    out(_("Which of these people are you?"))
    for number, name in enumerate(candidates, 1):
        out(f"  {number}. {name}")
    out("  0. " + _("none of them (I am not in this chat)"))
    while True:
        answer = input(_("Number: ")).strip()
        if answer.isdigit() and 0 <= int(answer) <= len(candidates):
            return NOT_A_PARTICIPANT if answer == "0" else candidates[int(answer) - 1]
        warn(_("Please type one of the numbers shown."))


def cmd_import_chat(args: argparse.Namespace) -> int:
    path = Path(args.path)
    with open_export(path, args.format) as parsed:
        me = args.me
        if me is None:
            candidates = unclear_candidates(parsed)
            if candidates:
                me = _ask_me(candidates)
        resolve_me(parsed, me)
        with open_vault(args) as vault:
            outcome = store_chat(vault, parsed, stamp_timeout=None,
                                 stamp_progress=progress_printer(_("timestamping")))
            attached = [vault.state.items[i] for i in outcome.done[0].media_ids
                        if i in vault.state.items] if outcome.done else []
            reading = read_added(vault, attached, quiet=args.json)
    if not args.json:  # the JSON alone on stdout, for scripts
        report_stamps(outcome.stamps)
        if reading is not None:
            report_stamps(reading.stamps)
    result = outcome.done[0]
    summary = result.summary()
    if args.json:
        print_json(summary)
        return EXIT_OK
    messages, system = summary["messages"], summary["system_messages"]
    unparsed, media = summary["unparsed_lines"], len(summary["media_ids"])
    out(_("Imported {format}: {message_text} ({system_text}, {unparsed_text}), "
          "{media_text}.").format(
        format=summary["format"],
        message_text=ngettext("{count} message", "{count} messages", messages).format(
            count=messages),
        system_text=ngettext("{count} system message", "{count} system messages",
                             system).format(count=system),
        unparsed_text=ngettext("{count} line kept as found", "{count} lines kept as found",
                               unparsed).format(count=unparsed),
        media_text=ngettext("{count} media file", "{count} media files", media).format(
            count=media)))
    out(_("Original: item {ids}. Transcript: item {transcript}.").format(
        ids=", ".join("#" + i for i in summary["original_ids"]),
        transcript="#" + str(summary["transcript_id"])))
    if summary["unparsed_lines"]:
        warn(_("Some lines could not be understood. They are kept exactly as found and "
               "marked in the transcript."))
    if summary["attachments_refused"]:
        warn(refused_attachments_note(summary["attachments_refused"]))
    return EXIT_OK
