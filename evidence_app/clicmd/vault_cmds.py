"""init, add, list, show, export, note, log, check, passwd, recovery-key, recover."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from evidence_app.clicmd.common import (
    EXIT_ERROR,
    EXIT_INTEGRITY,
    EXIT_OK,
    CliError,
    add_weak_passphrase_flag,
    last_seen,
    new_passphrase,
    open_vault,
    out,
    passphrase,
    print_json,
    progress_printer,
    report_notices,
    vault_path,
    warn,
)
from evidence_app.clicmd.ocr_cmds import read_added
from evidence_app.clicmd.timestamp_cmds import (
    add_choice_arguments,
    report_stamps,
    stamp_changes,
    turn_on,
)
from evidence_app.core.errors import JournalCorrupt
from evidence_app.core.state import Item
from evidence_app.core.vault import Vault
from evidence_app.events import describe_record
from evidence_app.formatting import human_size, when
from evidence_app.i18n import _, ngettext
from evidence_app.messages import describe, object_problem, record_problem
from evidence_app.outcome_words import links_text, nothing_added_text
from evidence_app.timestamp.tsp import read_root_file
from evidence_app.workflows.add import add_files, plan_add
from evidence_app.workflows.outcome import Failed
from evidence_app.workflows.passwd import change_passphrase, new_recovery_key


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help=_("create a new vault (shows the recovery key once)"))
    p.add_argument("--no-timestamps", action="store_true",
                   help=_("do not turn trusted timestamps on (nothing is sent over the "
                          "network)"))
    add_choice_arguments(p)
    add_weak_passphrase_flag(p)
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("add", help=_("add files (folders: every file inside them)"))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--note", default="", help=_("a note to keep with each added file"))
    p.add_argument("--sensitive", action="store_true",
                   help=_("mark as sensitive (e.g. intimate images): never shown as a picture"))
    p.add_argument("--no-ocr", action="store_true",
                   help=_("do not read the words in the pictures added (Settings decide "
                          "otherwise; on unless turned off there)"))
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser("list", help=_("list the items in the vault"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help=_("every recorded detail of one item"))
    p.add_argument("item", metavar="ID")
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("export", help=_("write an original back out, byte for byte"))
    p.add_argument("item", metavar="ID")
    p.add_argument("--out", required=True, metavar="PATH", help=_("file or folder to write to"))
    p.add_argument("--force", action="store_true", help=_("overwrite an existing file"))
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("note", help=_("add a note to an item, or to the case"))
    p.add_argument("words", nargs="+", metavar="[ID] TEXT")
    p.add_argument("--edit", metavar="NOTE_ID", help=_("replace the text of an existing note"))
    p.set_defaults(handler=cmd_note)

    p = sub.add_parser("log", help=_("show the custody log"))
    p.add_argument("--verify", action="store_true",
                   help=_("check the chain and every signature"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_log)

    p = sub.add_parser("check", help=_("decrypt and re-check every item"))
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("passwd", help=_("change the passphrase"))
    p.add_argument("--recovery", action="store_true",
                   help=_("use the recovery key instead of the current passphrase"))
    p.add_argument("--new-passphrase-file", metavar="F")
    add_weak_passphrase_flag(p)
    p.set_defaults(handler=cmd_passwd)

    p = sub.add_parser("recovery-key", help=_("replace the recovery key (the old one stops "
                                              "working)"))
    p.add_argument("--new", action="store_true", required=True,
                   help=_("make a new recovery key and show it once"))
    p.set_defaults(handler=cmd_recovery_key)

    p = sub.add_parser("recover", help=_("list or bring back files kept aside in the "
                                         "vault's quarantine"))
    p.add_argument("objects", nargs="*", metavar="ID",
                   help=_("which kept-aside files to bring back (default: list them)"))
    p.add_argument("--all", action="store_true",
                   help=_("bring back every kept-aside file that holds evidence"))
    p.set_defaults(handler=cmd_recover)


def cmd_init(args: argparse.Namespace) -> int:
    path = vault_path(args)
    # --passphrase-file, then EVIDENCE_APP_PASSPHRASE, then typed twice; weak ones vetted
    secret = new_passphrase(args, env="EVIDENCE_APP_PASSPHRASE", file_attr="passphrase_file")
    if args.no_timestamps and (args.tsa or args.tsa_ca or args.no_ots):
        raise CliError(_("--no-timestamps cannot be used with --tsa, --tsa-ca or --no-ots."))
    if args.tsa_ca:
        for root in args.tsa_ca:
            read_root_file(root)  # a bad file is said before the vault exists
    vault, recovery_key = Vault.create(path, secret, seen=last_seen())
    with vault:
        out(_("Vault created at {path}.").format(path=path))
        if args.no_timestamps:
            out(_("Trusted timestamps are off: nothing is sent over the network. Turn them on "
                  "with: evidence-app timestamp --enable"))
        else:
            turn_on(vault, args)
            out(_("Someone watching this network could see that a time-stamp service was "
                  "contacted. To turn this off: evidence-app timestamp --disable (or create "
                  "the vault with --no-timestamps)."))
            stamp_changes(vault)
    _show_recovery_key(recovery_key)
    return EXIT_OK


def _show_recovery_key(recovery_key: str) -> None:
    out()
    out(_("Your recovery key (shown only this once):"))
    out()
    out("    " + recovery_key)
    out()
    out(_("Write it on paper and keep it somewhere safe, away from this computer. If you "
          "forget your passphrase, this key is the only way to open the vault. Anyone who "
          "has it can open the vault too."))


def _added_line(item: Item) -> str:
    line = _("added {id}: {name} ({size})").format(
        id=item.id, name=item.name, size=human_size(item.size))
    if item.duplicate_of:
        line += " - " + _("same content as item {other}").format(other=item.duplicate_of)
    return line


def cmd_add(args: argparse.Namespace) -> int:
    plan = plan_add([Path(name) for name in args.files], vault_path(args))
    if plan.links:
        warn(links_text(plan.links))
    if not plan.files:  # only empty folders: asking for the passphrase would be for nothing
        print(_("error: ") + nothing_added_text(plan.empty_folders), file=sys.stderr,
              flush=True)
        return EXIT_ERROR
    for folder in plan.empty_folders:
        warn(_("No files found in {folder}.").format(folder=folder))
    def each(done: Item | Failed) -> None:  # said as it happens: a Ctrl-C keeps the lines
        if isinstance(done, Failed):
            print(_("error: ") + describe(done.error), file=sys.stderr, flush=True)
        else:
            out(_added_line(done))

    with open_vault(args) as vault:
        outcome = add_files(vault, plan, note=args.note, sensitive=args.sensitive,
                            progress=progress_printer(_("adding")), each=each,
                            stamp_progress=progress_printer(_("timestamping")),
                            stamp_timeout=None)
        reading = None
        if not args.no_ocr and outcome.stop is None:
            reading = read_added(vault, outcome.done)
    report_stamps(outcome.stamps)
    if outcome.stop_error is not None:
        raise outcome.stop_error
    if reading is not None:
        report_stamps(reading.stamps)
        if reading.stop_error is not None:
            raise reading.stop_error
    return EXIT_OK if outcome.ok else EXIT_ERROR


def cmd_list(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        items = list(vault.state.items.values())
        if args.json:
            print_json([i.summary() for i in items])
            return EXIT_OK
        if not items:
            out(_("The vault is empty. Add files with: evidence-app add FILE"))
            return EXIT_OK
        for item in items:
            flags = []
            if item.sensitive:
                flags.append(_("sensitive"))
            if item.duplicate_of:
                flags.append(_("same as {other}").format(other=item.duplicate_of))
            if item.withdrawn:
                flags.append(_("withdrawn"))
            extra = f"  [{', '.join(flags)}]" if flags else ""
            out(f"{item.id:>4}  {when(item.added_at, item.added_offset)}  "
                f"{human_size(item.size):>9}  {item.media_type:<24} {item.name}{extra}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        item = vault.item(args.item)
        details = vault.item_details(item.id)
        if args.json:
            print_json(details)
            return EXIT_OK
        rows = [
            (_("Item"), item.id),
            (_("Name"), item.name),
            (_("Size"), human_size(item.size, exact=True)),
            (_("SHA-256"), item.sha256),
            (_("Type"), item.media_type),
            (_("Added"), when(item.added_at, item.added_offset)),
            (_("File last changed"), when(item.file_mtime, item.file_mtime_offset)),
            (_("Source"), ", ".join(f"{k}={v}" for k, v in item.source.items())),
            (_("Sensitive"), _("yes") if item.sensitive else _("no")),
        ]
        if item.duplicate_of:
            rows.append((_("Same content as"), item.duplicate_of))
        if item.derived_from:
            rows.append((_("Made from item"), item.derived_from))
        if item.description:
            rows.append((_("Description"), item.description))
        if item.withdrawn:
            rows.append((_("Withdrawn"), item.withdrawn_reason or _("yes")))
        if item.image:
            rows.append((_("Image"), f"{item.image.get('width')} x {item.image.get('height')} "
                                     f"{item.image.get('format') or ''}".strip()))
        width = max(len(label) for label, _v in rows)
        for label, value in rows:
            out(f"{label:<{width}}  {value}")
        if item.exif:
            out(_("EXIF:"))
            for key, value in item.exif.items():
                if isinstance(value, dict):
                    for sub_key, sub_value in value.items():
                        out(f"  {key}.{sub_key}: {sub_value}")
                else:
                    out(f"  {key}: {value}")
        for note in details["notes"]:
            out(_("Note {id}: {text}").format(id=note["id"], text=note["text"]))
        out(_("Custody history:"))
        for entry in details["history"]:
            record = vault.records[entry["seq"] - 1]
            out(f"  #{entry['seq']}  {when(record['time'], record['offset'])}  "
                f"{describe_record(record)}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        dest = vault.export_item(args.item, Path(args.out), overwrite=args.force)
    out(_("Exported item {id} to {path} (content checked against its fingerprint).").format(
        id=args.item.lstrip("#"), path=dest))
    return EXIT_OK


def cmd_note(args: argparse.Namespace) -> int:
    words = args.words
    with open_vault(args) as vault:
        if args.edit:
            if len(words) != 1:
                raise CliError(_("Give the new note text in quotes."))
            note = vault.edit_note(args.edit, words[0])
            out(_("Note {id} changed (the earlier text stays in the custody log).").format(
                id=note.id))
            stamp_changes(vault)
            return EXIT_OK
        if len(words) == 1:
            note = vault.add_note(words[0])
            out(_("Case note {id} added.").format(id=note.id))
        elif len(words) == 2:
            note = vault.add_note(words[1], item_id=words[0])
            out(_("Note {id} added to item {item}.").format(id=note.id, item=note.item_id))
        else:
            raise CliError(_("Put the note text in quotes, e.g. note 3 \"what this shows\"."))
        stamp_changes(vault)
    return EXIT_OK


def cmd_log(args: argparse.Namespace) -> int:
    with open_vault(args, allow_damaged=args.verify) as vault:
        records = vault.records
        if args.json and not args.verify:
            print_json(records)
            return EXIT_OK
        if not args.verify:
            for record in records:
                out(f"#{record['seq']:<5} {when(record['time'], record['offset'])}  "
                    f"{describe_record(record)}")
            return EXIT_OK
        try:
            count = vault.verify_log()
        except JournalCorrupt as exc:
            print(_("FAILED: ") + record_problem(exc), file=sys.stderr, flush=True)
            out(_("Records 1 to {last} are intact and correctly signed.").format(
                last=exc.seq - 1) if exc.seq > 1 else "")
            return EXIT_INTEGRITY
        out(ngettext("Custody log OK: {count} record, chain unbroken, every signature valid "
                     "(key {fingerprint}).",
                     "Custody log OK: {count} records, chain unbroken, every signature valid "
                     "(key {fingerprint}).", count).format(
            count=count, fingerprint=vault.fingerprint()))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        results = vault.check(progress=progress_printer(_("checking")))
        kept = [q for q in vault.quarantined() if q.recoverable]
    if kept:
        warn(ngettext("{count} file kept aside in the vault's quarantine holds evidence that no "
                      "item names; bring it back with: evidence-app recover --all",
                      "{count} files kept aside in the vault's quarantine hold evidence that "
                      "no item names; bring them back with: evidence-app recover --all",
                      len(kept)).format(count=len(kept)))
    bad = 0
    for result in results:
        if result.ok:
            out(_("OK      item {id}: {name}").format(id=result.item_id, name=result.name))
        else:
            bad += 1
            assert result.problem is not None
            out(_("FAILED  ") + object_problem(result.problem))  # type: ignore[arg-type]
    if bad:
        out(ngettext("{bad} of {total} item failed the check; the others are intact.",
                     "{bad} of {total} items failed the check; the others are intact.",
                     len(results)).format(bad=bad, total=len(results)))
        return EXIT_INTEGRITY
    out(ngettext("The {total} item is intact.", "All {total} items are intact.",
                 len(results)).format(total=len(results)))
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace) -> int:
    path = vault_path(args)
    if args.recovery:
        key = os.environ.get("EVIDENCE_APP_RECOVERY_KEY")
        if key is None:
            if not sys.stdin.isatty():
                raise CliError(_("Type the recovery key when asked, or set "
                                 "EVIDENCE_APP_RECOVERY_KEY."))
            key = input(_("Recovery key: "))
        vault = Vault.open_with_recovery_key(path, key, seen=last_seen())
        report_notices(vault)
    else:
        vault = open_vault(args)
    with vault:
        secret = new_passphrase(args, env="EVIDENCE_APP_NEW_PASSPHRASE",
                                file_attr="new_passphrase_file")
        outcome = change_passphrase(vault, secret, stamp_timeout=None,
                                    stamp_progress=progress_printer(_("timestamping")))
    report_stamps(outcome.stamps)
    new_key = outcome.done[0]
    if new_key is None:
        out(_("Passphrase changed. Your recovery key stays the same. An old copy of the "
              "vault's key file and the old passphrase cannot read anything added from now "
              "on."))
    else:
        out(_("Passphrase changed. This vault was made by an earlier version, so it also "
              "has a new recovery key: the old one no longer works."))
        _show_recovery_key(new_key)
    return EXIT_OK


def cmd_recovery_key(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        outcome = new_recovery_key(vault, passphrase(args), stamp_timeout=None,
                                   stamp_progress=progress_printer(_("timestamping")))
    report_stamps(outcome.stamps)
    new_key = outcome.done[0]
    out(_("New recovery key made. The old recovery key no longer opens this vault, and an "
          "old copy of the vault's key file cannot read anything added from now on."))
    _show_recovery_key(new_key)
    return EXIT_OK


def cmd_recover(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        kept = vault.quarantined()
        if not args.objects and not args.all:
            if not kept:
                out(_("Nothing is kept aside: every encrypted file in the vault is named by "
                      "the custody log."))
                return EXIT_OK
            for entry in kept:
                if entry.size is None:
                    what = _("cannot be opened with this vault's keys")
                elif entry.derived:
                    what = _("a thumbnail or timestamp, not evidence itself")
                else:
                    what = _("evidence, {size}").format(size=human_size(entry.size, exact=True))
                out(f"{entry.object_id}  {what}")
            out(_("Bring them back as items with: evidence-app recover --all"))
            return EXIT_OK
        items = vault.recover(None if args.all else list(args.objects))
        stamp_changes(vault)
    for item in items:
        out(_("recovered as item {id}: {name} (SHA-256 {sha})").format(
            id=item.id, name=item.name, sha=item.sha256))
    if not items:
        out(_("Nothing to bring back: the kept-aside files hold no evidence this vault can "
              "open."))
    return EXIT_OK
