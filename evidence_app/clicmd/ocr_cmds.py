"""ocr: read the words in pictures (and `add` reads the pictures it adds, when that is on)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from evidence_app.clicmd.common import (
    EXIT_ERROR,
    EXIT_OK,
    open_vault,
    out,
    print_json,
    progress_printer,
    warn,
)
from evidence_app.clicmd.timestamp_cmds import report_stamps
from evidence_app.core.errors import OcrUnavailable
from evidence_app.core.state import Item
from evidence_app.core.vault import Vault
from evidence_app.formatting import untrusted, visible_marks
from evidence_app.i18n import _, current_language, ngettext
from evidence_app.languages import NATIVE_NAMES
from evidence_app.messages import describe
from evidence_app.ocr.engine import engine_languages
from evidence_app.ocr.stored import readings_of, stored_text
from evidence_app.settings import Settings
from evidence_app.workflows.ocr import is_picture, plan_reading, read_pictures
from evidence_app.workflows.outcome import Failed, Outcome, SkipReason


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ocr", help=_("read the words in pictures (all pictures not read yet, "
                                     "or those named)"))
    p.add_argument("items", nargs="*", metavar="ID")
    p.add_argument("--read-in", action="append", default=[], metavar="LANG",
                   choices=sorted(NATIVE_NAMES),
                   help=_("also read in this language (e.g. th, ar, zh_CN); the app's "
                          "language and English are always read"))
    p.add_argument("--again", action="store_true",
                   help=_("read pictures again even when they were read in these languages"))
    p.add_argument("--show", action="store_true",
                   help=_("print the words read in the pictures named (nothing is read)"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_ocr)


def languages_for(extra: Sequence[str] = ()) -> list[str]:
    """The engine's languages: the app's, those chosen in Settings and here, and English."""
    chosen = [*Settings.load().picture_languages, *extra]
    return engine_languages(current_language(), chosen)


def _print_reading(done: Item | Failed) -> None:
    if isinstance(done, Failed):
        print(_("error: ") + untrusted(done.name, 80) + ": " + describe(done.error),
              file=sys.stderr, flush=True)
        return
    words = int(done.source.get("words") or 0)
    out(ngettext("{item}  {name}: {count} word read", "{item}  {name}: {count} words read",
                 words).format(item=done.id, name=untrusted(done.name, 80), count=words))


def read_added(vault: Vault, items: Sequence[Item], *, quiet: bool = False
               ) -> Outcome[Item] | None:
    """After `add` or `import-chat`: read the pictures just added, when Settings say so. A
    missing engine is said once and changes nothing else. `quiet` keeps stdout for JSON."""
    pictures = [i for i in items if is_picture(i)]
    if not pictures or not Settings.load().read_pictures:
        return None
    try:
        return read_pictures(vault, pictures, languages_for(),
                             each=None if quiet else _print_reading,
                             progress=progress_printer(_("reading pictures")),
                             stamp_progress=progress_printer(_("timestamping")),
                             stamp_timeout=None)
    except OcrUnavailable as exc:
        warn(describe(exc))
        return None


def _show(vault: Vault, ids: Sequence[str], as_json: bool) -> int:
    shown = []
    for item_id in ids:
        picture = vault.item(item_id)
        readings = readings_of(vault, picture.id)
        if not readings:
            warn(_("The words in item {item} have not been read yet: evidence-app ocr "
                   "{item}").format(item=picture.id))
            continue
        latest = readings[-1]
        text = stored_text(vault, latest)
        shown.append({"item": picture.id, "reading": latest.id, "text": text,
                      "languages": latest.source.get("languages"),
                      "engine": f"{latest.source.get('engine')} "
                                f"{latest.source.get('engine_version')}"})
    if as_json:
        print_json(shown)
        return EXIT_OK
    for entry in shown:
        out(_("Item {item}, read by machine (check it against the picture):").format(
            item=entry["item"]))
        out(visible_marks(str(entry["text"])).rstrip("\n"))
        out()
    return EXIT_OK if len(shown) == len(ids) else EXIT_ERROR


def cmd_ocr(args: argparse.Namespace) -> int:
    with open_vault(args) as vault:
        if args.show:
            return _show(vault, args.items, args.json)
        languages = languages_for(args.read_in)
        todo, skipped = plan_reading(vault, args.items, languages, again=args.again)
        for skip in skipped:
            if skip.reason is SkipReason.NOT_A_PICTURE:
                warn(_("Item {item} is not a picture; nothing to read.").format(
                    item=skip.name))
        already = sum(1 for s in skipped if s.reason is SkipReason.ALREADY_READ)
        if already:
            out(ngettext("{count} picture was already read in these languages (--again "
                         "reads it again).",
                         "{count} pictures were already read in these languages (--again "
                         "reads them again).", already).format(count=already))
        if not todo:
            if not skipped:
                out(_("There are no pictures to read."))
            return EXIT_ERROR if len(skipped) > already else EXIT_OK
        outcome = read_pictures(vault, todo, languages, skipped=skipped,
                                each=None if args.json else _print_reading,
                                progress=progress_printer(_("reading pictures")),
                                stamp_progress=progress_printer(_("timestamping")),
                                stamp_timeout=None)
    if args.json:
        print_json({"read": [{"item": i.derived_from, "reading": i.id,
                              "words": i.source.get("words")} for i in outcome.done],
                    "failed": [{"name": f.name, "error": describe(f.error)}
                               for f in outcome.failed]})
    report_stamps(outcome.stamps)
    if outcome.stop_error is not None:
        raise outcome.stop_error
    return EXIT_OK if outcome.ok else EXIT_ERROR
