"""Every shipped catalogue is complete and safe to format, and German really comes out.

A missing or broken translation shows up for a frightened person as English in the middle of
German, or as a crash in `.format()`; these tests catch both before a release.
"""

from __future__ import annotations

import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from evidence_app.tools.catalogues import extract, missing, po_files
from tests.helpers import run_cli

PO_FILES = po_files()
PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]")


def _read(po_path: Path) -> Catalog:
    with open(po_path, "rb") as fh:
        return read_po(fh)


def _placeholders(text: str) -> set[str]:
    """`{name}` fields (not `{{` escapes) and printf-style `%s` conversions in one string."""
    fields = {"{" + name + "}" for _lit, name, _spec, _conv in string.Formatter().parse(text)
              if name is not None}
    return fields | set(PRINTF.findall(text.replace("%%", "")))


def _pairs(message: Message, rule) -> list[tuple[str, str]]:
    """(English, translation) for every form of a message. A plural form is held to the
    English it stands for, by the language's own rule: the form used for one alone (Arabic's
    second, German's first) to the singular, forms never used for one to the plural, and a
    form used for one and for others (Thai's only form) to whichever of the two it follows."""
    if isinstance(message.id, str):
        return [(message.id, message.string)]
    singular, plural = message.id
    pairs = []
    for index, form in enumerate(message.string):
        numbers = {n for n in range(1000) if rule(n) == index}
        if numbers == {1}:
            english = singular
        elif 1 not in numbers:
            english = plural
        else:
            english = singular if _placeholders(form) == _placeholders(singular) else plural
        pairs.append((english, form))
    return pairs


def _translated(po_path: Path) -> list[Message]:
    return [m for m in _read(po_path) if m.id and m.string and not m.fuzzy]


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract()


def test_german_is_shipped() -> None:
    assert any(p.parent.parent.name == "de" for p in PO_FILES), PO_FILES


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_catalogue_translates_every_source_message(po_path: Path, template: Catalog) -> None:
    assert len(template) > 100
    gaps = missing(po_path, template)
    assert gaps == [], (
        f"{len(gaps)} messages untranslated or fuzzy in {po_path.name} "
        f"(run `make extract-messages`, then translate): {gaps[:10]}"
    )


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_placeholders_mnemonics_and_edges_match_english(po_path: Path) -> None:
    problems = []
    rule = gettext.c2py(_read(po_path).plural_expr)
    for message in _translated(po_path):
        for english, translated in _pairs(message, rule):
            try:
                same = _placeholders(english) == _placeholders(translated)
            except ValueError as exc:  # an unbalanced brace would crash .format() at run time
                problems.append(f"{english!r}: {exc}")
                continue
            if not same:
                problems.append(f"{english!r}: placeholders {sorted(_placeholders(english))} "
                                f"became {sorted(_placeholders(translated))}")
            if english.count("&") != translated.count("&"):
                problems.append(f"{english!r}: keyboard mnemonic '&' count differs")
            if english[:len(english) - len(english.lstrip())] != translated[
                    :len(translated) - len(translated.lstrip())] or \
                    english[len(english.rstrip()):] != translated[len(translated.rstrip()):]:
                problems.append(f"{english!r}: leading or trailing spaces differ")
    assert problems == []


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_compiled_catalogue_matches_the_po(po_path: Path) -> None:
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path} is missing: run `make translations`"
    with open(mo_path, "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for message in _translated(po_path):
        if isinstance(message.id, str):
            if compiled.gettext(message.id) != message.string:
                stale.append(message.id)
        elif [compiled.ngettext(message.id[0], message.id[1], n) for n in range(112)] != [
                message.string[compiled.plural(n)] for n in range(112)]:  # by the .mo's rule
            stale.append(message.id[0])
    assert stale == [], f"{mo_path.name} is older than the .po: run `make translations`"


def _german(english: str) -> str:
    po_path = next(p for p in PO_FILES if p.parent.parent.name == "de")
    found = _read(po_path).get(english)
    assert found is not None, english
    assert found.string, english
    return found.string


def test_set_language_german_translates_error_sentences() -> None:
    from evidence_app.core.errors import WrongPassphrase
    from evidence_app.i18n import current_language, set_language
    from evidence_app.messages import describe

    english = describe(WrongPassphrase())
    try:
        assert set_language("de") == "de"
        assert current_language() == "de"
        german = describe(WrongPassphrase())
    finally:
        set_language("en")
    assert german == _german(english)
    assert german != english
    assert "Passphrase" in german
    assert describe(WrongPassphrase()) == english


def test_qt_ships_its_own_german_translation() -> None:
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    assert (Path(folder) / "qtbase_de.qm").is_file(), folder
    translator = QTranslator()
    assert translator.load(QLocale("de"), "qtbase", "_", folder)
    assert translator.translate("QPlatformTheme", "Cancel") == "Abbrechen"


def test_cli_speaks_german(tmp_path: Path) -> None:
    result = run_cli("--lang", "de", "--vault", str(tmp_path / "nothing"), "list")
    assert result.returncode != 0
    sentence = _german("There is no vault at {path}. Check the folder, or create a vault there "
                       "first.")
    before, after = sentence.split("{path}")
    assert _german("error: ") + before in result.stderr
    assert after in result.stderr
    assert "There is no vault" not in result.stderr


def _ngettext_calls() -> list[tuple[str, str]]:
    """(singular, plural) of every ngettext() call in the source."""
    import ast

    found = []
    for path in sorted((Path(__file__).resolve().parents[1] / "evidence_app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "ngettext" and len(node.args) >= 2
                    and all(isinstance(a, ast.Constant) for a in node.args[:2])):
                found.append((node.args[0].value, node.args[1].value))
    return found


def test_extraction_keeps_every_plural(template: Catalog) -> None:
    """Each ngettext() reaches the template as one plural message (msgid_plural), and
    survives being written as the .pot and read back."""
    import io

    from babel.messages.pofile import write_po

    calls = _ngettext_calls()
    assert len(calls) > 20
    buffer = io.BytesIO()
    write_po(buffer, template, omit_header=False, sort_output=True)
    buffer.seek(0)
    pot = read_po(buffer)
    for singular, plural in calls:
        for catalog in (template, pot):
            message = catalog.get(singular)
            assert message is not None, singular
            assert message.id == (singular, plural), singular


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_plural_forms_header_reaches_every_form(po_path: Path) -> None:
    """Plural-Forms picks a form in range for every number, and each form is used."""
    catalog = _read(po_path)
    rule = gettext.c2py(catalog.plural_expr)
    chosen = {rule(n) for n in range(1001)} | {rule(10**6), rule(10**9)}
    assert chosen == set(range(catalog.num_plurals)), catalog.plural_forms


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_every_plural_has_one_form_per_plural_form(po_path: Path) -> None:
    catalog = _read(po_path)
    wrong = [m.id[0] for m in _translated(po_path)
             if isinstance(m.id, tuple) and len(m.string) != catalog.num_plurals]
    assert wrong == []


def test_missing_finds_plurals_that_are_not_complete(tmp_path: Path) -> None:
    """A Russian catalogue with two of its three forms, or a plural source message still
    translated as one sentence: each is reported, not shipped. (A fourth form is dropped by
    Babel when it reads the catalogue, so it never reaches the .mo.)"""
    template = Catalog()
    template.add(("{count} file", "{count} files"))
    template.add(("{count} item", "{count} items"))
    template.add(("{count} page", "{count} pages"))
    po = tmp_path / "ru.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && '
        'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "{count} file"\nmsgid_plural "{count} files"\n'
        'msgstr[0] "{count} файл"\nmsgstr[1] "{count} файла"\n\n'
        'msgid "{count} item"\nmsgstr "{count} элементов"\n\n'
        'msgid "{count} page"\nmsgid_plural "{count} pages"\n'
        'msgstr[0] "{count} страница"\nmsgstr[1] "{count} страницы"\n'
        'msgstr[2] "{count} страниц"\n', encoding="utf-8")
    assert sorted(missing(po, template)) == ["{count} file", "{count} item"]
