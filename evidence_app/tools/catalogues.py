"""Gettext catalogues: extract messages (Babel), merge into each .po, compile to .mo, check.

`python -m evidence_app.tools.catalogues extract|compile|check`
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "resources" / "locale"
DOMAIN = "evidence_app"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    catalog = Catalog(project="Evidence Locker", charset="utf-8")
    source = ROOT / "evidence_app"
    method_map = [("tools/**.py", "ignore"), ("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        source, method_map=method_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(f"evidence_app/{filename}", lineno)],
                    auto_comments=comments, context=context)
    return catalog


def po_files() -> list[Path]:
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def cmd_extract() -> None:
    template = extract()
    LOCALE.mkdir(parents=True, exist_ok=True)
    with open(LOCALE / f"{DOMAIN}.pot", "wb") as fh:
        write_po(fh, template, omit_header=False, sort_output=True)
    for po_path in po_files():
        with open(po_path, "rb") as fh:
            catalog = read_po(fh)
        catalog.update(template, no_fuzzy_matching=True)
        with open(po_path, "wb") as fh:
            write_po(fh, catalog, sort_output=True, ignore_obsolete=True)
        print(f"{po_path.relative_to(ROOT)}: {len(catalog)} messages")


def cmd_compile() -> None:
    for po_path in po_files():
        with open(po_path, "rb") as fh:
            catalog = read_po(fh)
        with open(po_path.with_suffix(".mo"), "wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)


def missing(po_path: Path, template: Catalog) -> list[str]:
    """Source strings that this catalogue lacks, leaves empty, or marks fuzzy; and plural
    messages without exactly one form for each of the language's plural forms (its
    Plural-Forms header), or kept singular where the source now counts."""
    with open(po_path, "rb") as fh:
        catalog = read_po(fh)
    problems: list[str] = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        plural = isinstance(message.id, (list, tuple))
        if found is None or not found.string or found.fuzzy or (
            plural != isinstance(found.id, (list, tuple))
        ) or (plural and (not isinstance(found.string, (list, tuple))
                          or len(found.string) != catalog.num_plurals
                          or not all(found.string))):
            problems.append(str(message.id[0] if plural else message.id))
    return problems


def cmd_check() -> int:
    template = extract()
    bad = 0
    for po_path in po_files():
        gaps = missing(po_path, template)
        total = sum(1 for message in template if message.id)
        print(f"{po_path.parent.parent.name}: {total - len(gaps)} of {total} translated")
        for text in gaps[:20]:
            print(f"  missing: {text[:90]!r}")
        bad += len(gaps)
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        cmd_extract()
    elif command == "compile":
        cmd_compile()
    elif command == "check":
        return cmd_check()
    else:
        print("usage: python -m evidence_app.tools.catalogues extract|compile|check")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
