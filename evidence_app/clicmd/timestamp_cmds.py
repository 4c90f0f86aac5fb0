"""timestamp: consent, the chosen authority, sending what waits, and what is stamped."""

from __future__ import annotations

import argparse
from typing import Any

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
from evidence_app.i18n import _, ngettext
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
from evidence_app.timestamp.settings import TimestampSettings
from evidence_app.timestamp.tsas import DEFAULT_TSAS, builtin_roots
from evidence_app.timestamp.tsp import read_root_file
from evidence_app.workflows.outcome import StampReport
from evidence_app.workflows.stamps import stamp_report


def add_choice_arguments(p: argparse.ArgumentParser) -> None:
    """--tsa, --tsa-ca and --no-ots: shared by `timestamp --enable` and `init`."""
    p.add_argument("--tsa", action="append", default=[], metavar="URL", help=_(
        "an authority to ask (repeatable): an http(s) address or a listed name (see "
        "timestamp --list); default: two authorities under different roots"))
    p.add_argument("--tsa-ca", action="append", default=[], metavar="CA.pem",
                   help=_("a root certificate to trust for an authority (repeatable)"))
    p.add_argument("--no-ots", action="store_true",
                   help=_("do not also ask OpenTimestamps calendars (Bitcoin)"))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("timestamp", help=_(
        "trusted timestamps from time-stamp authorities (on by default for new vaults)"))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--enable", action="store_true",
                      help=_("turn trusted timestamps on (only fingerprints are sent)"))
    mode.add_argument("--disable", action="store_true", help=_("turn them off"))
    mode.add_argument("--status", action="store_true",
                      help=_("show, per item, whether it is stamped or waiting"))
    mode.add_argument("--list", action="store_true",
                      help=_("list the built-in time-stamp authorities"))
    add_choice_arguments(p)
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_timestamp)


def cmd_timestamp(args: argparse.Namespace) -> int:
    if args.list:
        return _list()
    if (args.tsa or args.tsa_ca or args.no_ots) and not args.enable:
        raise CliError(_("--tsa, --tsa-ca and --no-ots are used together with --enable."))
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
        default = "*" if tsa.key in DEFAULT_TSAS else " "
        out(f"{default} {tsa.key:<10} {tsa.url:<48} {roots}")
    out(_("* asked by default"))
    return EXIT_OK


def turn_on(vault: Vault, args: argparse.Namespace) -> TimestampSettings:
    """Record consent with the authorities named (or the default pair, or those chosen
    before) and the roots given; says what leaves the computer."""
    old = current_settings(vault)
    roots = "".join(read_root_file(path) for path in args.tsa_ca)
    if not roots and not args.tsa:
        roots = old.extra_roots_pem
    tsas = args.tsa or list(old.tsa_urls) or None
    settings = enable(vault, tsas, extra_roots_pem=roots, ots=not args.no_ots)
    out(privacy_sentence())
    out(_on_line(settings))
    return settings


def _on_line(settings: TimestampSettings) -> str:
    line = _("Trusted timestamps are on: {names}.").format(
        names=", ".join(f"{name} ({url})" for name, url in settings.tsas))
    if settings.ots:
        line += " " + _("Also OpenTimestamps (Bitcoin).")
    return line


def _enable(vault: Vault, args: argparse.Namespace) -> int:
    settings = turn_on(vault, args)
    return _report(flush_queue(vault, settings, progress_printer(_("timestamping"))))


def _report(result: FlushResult) -> int:
    if result.stamped:
        out(ngettext("{count} timestamp obtained.", "{count} timestamps obtained.",
                     len(result.stamped)).format(count=len(result.stamped)))
    if result.error is not None:
        warn(describe(result.error))
    for entry in result.waiting:
        out(_("waiting: {what}").format(what=_what(entry.subject)))
    if not result.waiting:
        out(_("Nothing is waiting for a timestamp."))
    return EXIT_ERROR if result.error is not None and result.waiting else EXIT_OK


def _what(subject: dict[str, Any]) -> str:
    kind = subject.get("kind")
    if kind == "item":
        return _("item {item}").format(item=subject.get("item_id"))
    if kind == "key":
        return _("the vault's signing key")
    if kind == "bundle":
        return _("sealed bundle {name}").format(name=subject.get("name"))
    return _("custody record {number} ({type})").format(number=subject.get("seq"),
                                                        type=subject.get("type"))


def _status(vault: Vault, as_json: bool) -> int:
    settings = current_settings(vault)
    items = item_status(vault)
    records = [w for w in waiting(vault) if w.subject.get("kind") != "item"]
    if as_json:
        print_json({
            "enabled": settings.enabled,
            "tsas": [{"name": name, "url": url} for name, url in settings.tsas],
            "opentimestamps": settings.ots,
            "items": [{"id": i.item_id, "sha256": i.sha256, "state": i.state, "tsa": i.tsa,
                       "time": i.time} for i in items],
            "records_waiting": [w.subject for w in records],
        })
        return EXIT_OK
    out(_on_line(settings) if settings.enabled else _("Trusted timestamps are off."))
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
        out(ngettext("{count} other record waiting for a timestamp.",
                     "{count} other records waiting for a timestamp.",
                     len(records)).format(count=len(records)))
    return EXIT_OK


def stamp_changes(vault: Vault) -> None:
    """After anything that adds evidence or a record about it: stamp what waits now, or say
    that it waits (quiet while timestamps are off)."""
    report_stamps(stamp_report(vault, progress=progress_printer(_("timestamping")),
                               timeout=None))


def report_stamps(stamps: StampReport) -> None:
    """What the timestamp step of a use case did, in one or two lines."""
    if stamps.stamped:
        out(ngettext("{count} timestamp obtained.", "{count} timestamps obtained.",
                     stamps.stamped).format(count=stamps.stamped))
    if stamps.error is not None and stamps.waiting:
        warn(describe(stamps.error) + " " + ngettext(
            "{count} waiting for a timestamp.", "{count} waiting for a timestamp.",
            stamps.waiting).format(count=stamps.waiting))
