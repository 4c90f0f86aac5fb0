"""Draft catalogues (resources/locale-drafts/<code>/evidence_app.po) are safe to finish and ship.

Drafts are not compiled or offered by the app, and they may lag behind the newest English strings,
so completeness is NOT checked here (tools/catalogues.py does that for shipped catalogues). What is
checked is what would hurt later: a translated string that lost or renamed a `{name}` or `%s`
placeholder (a crash in `.format()` in front of a frightened person), stray braces, a doubled or
lost `&` mnemonic, lost edge spaces of CLI prompts, and a header that does not say which language
and plural rule it is.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

DRAFTS = Path(__file__).resolve().parents[1] / "resources" / "locale-drafts"
# Folders left empty by promoting a draft to resources/locale are not drafts.
DRAFT_FOLDERS = sorted(p for p in DRAFTS.iterdir() if p.is_dir() and any(p.iterdir())) \
    if DRAFTS.is_dir() else []
NO_DRAFTS = [pytest.param(None, marks=pytest.mark.skip(reason="no drafts: all shipped"))]
PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]")
MNEMONIC = re.compile(r"&(?!&)")
NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=")


def placeholders(text: str) -> list[str]:
    """Sorted `{name}` fields and printf conversions; raises ValueError on unbalanced braces."""
    fields = [name for _lit, name, _spec, _conv in string.Formatter().parse(text)
              if name is not None]
    return sorted(fields + PRINTF.findall(text.replace("%%", "")))


def _edges(text: str) -> tuple[str, str]:
    """Leading and trailing whitespace: CLI prompts like "Passphrase: " depend on it."""
    return text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]


def _forms(message: Message) -> list[tuple[tuple[str, ...], str]]:
    """(English texts a form may follow, translated form) for every non-empty form."""
    if isinstance(message.id, str):
        return [((message.id,), message.string)] if message.string else []
    return [(tuple(message.id), form) for form in message.string if form]


def draft_problems(catalog: Catalog) -> list[str]:
    """One line per translated string that would break or mislead once the draft ships."""
    problems = []
    for message in catalog:
        if not message.id:
            continue
        for english, text in _forms(message):
            try:
                got = placeholders(text)
            except ValueError as exc:
                problems.append(f"{english[0]!r}: braces do not format ({exc}): {text!r}")
                continue
            if all(got != placeholders(source) for source in english):
                problems.append(f"{english[0]!r}: placeholders {got} differ from the English "
                                f"{placeholders(english[-1])}: {text!r}")
            if len(MNEMONIC.findall(text)) != len(MNEMONIC.findall(english[0])):
                problems.append(f"{english[0]!r}: & mnemonics differ: {text!r}")
            if _edges(text) != _edges(english[0]):
                problems.append(f"{english[0]!r}: leading or trailing spaces differ: {text!r}")
    return problems


def _raw_header(po_text: str) -> dict[str, str]:
    """Header fields as written in the file (Babel rewrites Plural-Forms from its own tables)."""
    start = po_text.find('msgid ""\nmsgstr ""')
    block = po_text[start:].split("\n\n", 1)[0] if start >= 0 else ""
    return dict(re.findall(r'^"([A-Za-z-]+):\s*(.*?)(?:\\n)?"$', block, re.M))


def header_problems(catalog: Catalog, po_text: str, code: str) -> list[str]:
    """The header must name the language and a plural rule that every plural entry follows."""
    headers = _raw_header(po_text)
    problems = []
    if headers.get("Language") != code:
        problems.append(f"Language header is {headers.get('Language')!r}, expected {code!r}")
    match = NPLURALS.search(headers.get("Plural-Forms", ""))
    if match is None:
        problems.append(f"no valid Plural-Forms header: {headers.get('Plural-Forms')!r}")
        return problems
    nplurals = int(match.group(1))
    for message in catalog:
        if message.id and not isinstance(message.id, str) and any(message.string):
            if len(message.string) != nplurals or not all(message.string):
                problems.append(f"{message.id[0]!r}: {len(message.string)} forms, "
                                f"header says {nplurals}, or a form is empty")
    if "produced" not in (catalog.header_comment or "").lower():
        problems.append("the header comment does not say how the draft was produced")
    return problems


def _read(po_path: Path) -> Catalog:
    with open(po_path, "rb") as fh:
        return read_po(fh)


@pytest.mark.parametrize("folder", DRAFT_FOLDERS or NO_DRAFTS,
                         ids=lambda p: p.name if p else "none")
def test_draft_keeps_placeholders_and_names_its_language(folder: Path) -> None:
    po_path = folder / "evidence_app.po"
    assert po_path.is_file(), f"{folder} has no evidence_app.po"
    catalog = _read(po_path)
    text = po_path.read_text(encoding="utf-8")
    problems = header_problems(catalog, text, folder.name) + draft_problems(catalog)
    assert not problems, "\n".join(problems[:30])


def test_drafts_are_not_compiled() -> None:
    """A .mo under locale-drafts could be picked up by a packager; drafts ship only as .po."""
    assert not list(DRAFTS.rglob("*.mo")) if DRAFTS.is_dir() else True


def test_checker_catches_lost_placeholder_brace_and_mnemonic(tmp_path: Path) -> None:
    po_path = tmp_path / "evidence_app.po"
    po_path.write_text(
        'msgid ""\nmsgstr ""\n"Language: xx\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Item {item} added: {name}"\nmsgstr "Eintrag {itme} hinzu: {name}"\n\n'
        'msgid "Vault: {path}"\nmsgstr "Tresor: {path"\n\n'
        'msgid "&Lock"\nmsgstr "Sperren"\n\n'
        'msgid "Passphrase: "\nmsgstr "Passphrase:"\n\n'
        'msgid "{count} item"\nmsgid_plural "{count} items"\nmsgstr[0] "{count} Ding"\n'
        'msgstr[1] "{count} Dinge"\n\n'
        'msgid "Not yet"\nmsgstr ""\n',
        encoding="utf-8",
    )
    catalog = _read(po_path)
    problems = draft_problems(catalog)
    assert len(problems) == 4, problems
    assert "['itme', 'name']" in problems[0]
    assert "braces" in problems[1]
    assert "mnemonic" in problems[2]
    assert "spaces" in problems[3]
    header = header_problems(catalog, po_path.read_text(encoding="utf-8"), "yy")
    assert any("Language header is 'xx'" in p for p in header)
    assert any("how the draft was produced" in p for p in header)
    assert not any("Plural-Forms" in p for p in header), header
    missing_rule = header_problems(catalog, 'msgid ""\nmsgstr ""\n"Language: yy\\n"\n', "yy")
    assert any("no valid Plural-Forms" in p for p in missing_rule)
