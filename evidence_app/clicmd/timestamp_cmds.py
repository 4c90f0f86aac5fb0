"""timestamp: consent, the chosen authority, sending what waits, and what is stamped."""

from __future__ import annotations

import argparse

from evidence_app.clicmd.common import (
    EXIT_ERROR,
    EXIT_OK,
    CliError,
    open_vault,
    out,
    print_json,
    progress_printer,
    warn,
)
from evidence_app.core.errors import TimestampsOff
from evidence_app.core.vault import Vault
from evidence_app.formatting import when
from evidence_app.i18n import _
from evidence_app.messages import describe
from evidence_app.timestamp import (
    KNOWN_TSAS,
    FlushResult,
    current_settings,
    disable,
    enable,
    flush_queue,
    item_status,
    privacy_sentence,
    waiting,
)
from evidence_app.timestamp.tsas import builtin_roots
from evidence_app.timestamp.tsp import read_root_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("timestamp", help=_(
        "trusted timestamps from a time-stamp authority (off until you turn them on)"))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--enable", action="store_true",
                      help=_("turn trusted timestamps on (only fingerprints are sent)"))
    mode.add_argument("--disable", action="store_true", help=_("turn them off"))
    mode.add_argument("--status", action="store_true",
                      help=_("show, per item, whether it is stamped or waiting"))
    mode.add_argument("--list", action="store_true",
                      help=_("list the built-in time-stamp authorities"))
    p.add_argument("--tsa", metavar="URL", help=_(
        "the authority: an http(s) address or a listed name (digicert, sectigo, freetsa)"))
    p.add_argument("--tsa-ca", metavar="CA.pem",
                   help=_("a root certificate to trust for this authority"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_timestamp)


def cmd_timestamp(args: argparse.Namespace) -> int:
    if args.list:
        return _list()
    if (args.tsa or args.tsa_ca) and not args.enable:
        raise CliError(_("--tsa and --tsa-ca are used together with --enable."))
    with open_vault(args) as vault:
        if args.enable:
            return _enable(vault, args)
        if args.disable:
            disable(vault)
            out(_("Trusted timestamps are off. Nothing will be sent; tokens already obtained "
                  "stay in the vault."))
            return EXIT_OK
        if args.status:
            return _status(vault, args.json)
        if not current_settings(vault).enabled:
            raise TimestampsOff()
        result = flush_queue(vault, progress=progress_printer(_("timestamping")))
        return _report(result)


def _list() -> int:
    for tsa in KNOWN_TSAS:
        roots = _("trust root shipped") if builtin_roots(tsa.url) else _(
            "needs --tsa-ca (its root certificate is not shipped)")
        out(f"{tsa.key:<10} {tsa.url:<34} {roots}")
    return EXIT_OK


def _enable(vault: Vault, args: argparse.Namespace) -> int:
    old = current_settings(vault)
    tsa = args.tsa or old.tsa_url
    if not tsa:
        raise CliError(_("Choose an authority with --tsa (see: timestamp --list)."))
    roots = read_root_file(args.tsa_ca) if args.tsa_ca else ""
    if not roots and not args.tsa and old.extra_roots_pem:
        roots = old.extra_roots_pem
    settings = enable(vault, tsa, extra_roots_pem=roots)
    out(privacy_sentence())
    out(_("Trusted timestamps are on: {name} ({url}).").format(name=settings.tsa_name,
                                                              url=settings.tsa_url))
    return _report(flush_queue(vault, settings, progress_printer(_("timestamping"))))


def _report(result: FlushResult) -> int:
    if result.stamped:
        out(_("{count} fingerprint(s) timestamped.").format(count=len(result.stamped)))
    if result.error is not None:
        warn(describe(result.error))
    for entry in result.waiting:
        out(_("waiting: {what}").format(what=_what(entry.subject)))
    if not result.waiting:
        out(_("Nothing is waiting for a timestamp."))
    return EXIT_ERROR if result.error is not None else EXIT_OK


def _what(subject: dict) -> str:
    if subject.get("kind") == "item":
        return _("item {item}").format(item=subject.get("item_id"))
    return _("custody record {number} ({type})").format(number=subject.get("seq"),
                                                        type=subject.get("type"))


def _status(vault: Vault, as_json: bool) -> int:
    settings = current_settings(vault)
    items = item_status(vault)
    records = [w for w in waiting(vault) if w.subject.get("kind") != "item"]
    if as_json:
        print_json({
            "enabled": settings.enabled, "tsa": settings.tsa_name, "tsa_url": settings.tsa_url,
            "items": [{"id": i.item_id, "sha256": i.sha256, "state": i.state, "tsa": i.tsa,
                       "time": i.time} for i in items],
            "records_waiting": [w.subject for w in records],
        })
        return EXIT_OK
    if settings.enabled:
        out(_("Trusted timestamps are on: {name} ({url}).").format(name=settings.tsa_name,
                                                                  url=settings.tsa_url))
    else:
        out(_("Trusted timestamps are off."))
    for item in items:
        if item.state == "stamped":
            state = _("stamped by {tsa} at {time}").format(tsa=item.tsa,
                                                          time=when(item.time, "+00:00"))
        elif item.state == "waiting":
            state = _("waiting for timestamp")
        else:
            state = _("not stamped")
        out(f"{item.item_id:>4}  {state}  {item.name}")
    if records:
        out(_("{count} note or case-detail change(s) waiting for timestamp.").format(
            count=len(records)))
    return EXIT_OK


def stamp_after_add(vault: Vault) -> None:
    """After `add`: stamp the new items now, or say that they wait (quiet while off)."""
    if not current_settings(vault).enabled:
        return
    result = flush_queue(vault, progress=progress_printer(_("timestamping")))
    if result.stamped:
        out(_("{count} fingerprint(s) timestamped.").format(count=len(result.stamped)))
    if result.error is not None:
        warn(describe(result.error) + " " + _(
            "{count} waiting for timestamp.").format(count=len(result.waiting)))
