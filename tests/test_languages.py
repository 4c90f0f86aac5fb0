"""Every shipped language works end to end: the app, the command line and the sealed report.

A catalogue can be complete and still fail the person reading it: a plural rule Babel
replaced, an Arabic window laid out left to right, a Burmese report with empty boxes. These
tests switch to each shipped language and go through what a victim does (choose the language,
create, lock, unlock, add, describe the case, seal) and what an officer reads.
"""

from __future__ import annotations

import gettext
import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from evidence_app.bundle.fonts import choose_fonts
from evidence_app.i18n import _, language, locale_dir, shipped_languages
from evidence_app.languages import NATIVE_NAMES, is_rtl, language_name
from evidence_app.tools.catalogues import po_files
from tests.helpers import PASSPHRASE, run_cli
from tests.test_catalogue_drafts import _read, header_problems

LANGUAGES = shipped_languages()
TRANSLATED = [code for code in LANGUAGES if code != "en"]
NO_VAULT = "There is no vault at {path}. Check the folder, or create a vault there first."
# The font (as pdffonts names it) that must be embedded for a report in these languages.
SCRIPT_FONT = {"ar": "Arabic", "th": "Thai", "km": "Khmer", "my": "Myanmar", "zh_CN": "CJK"}
# Plural form index expected for n = 1, 2, 5, 11, 21, 100 (CLDR / GNU gettext rules).
PLURAL_INDEX = {
    "ru": [0, 1, 2, 2, 0, 2],
    "ar": [1, 2, 3, 4, 4, 5],
    "my": [0] * 6, "km": [0] * 6, "zh_CN": [0] * 6, "th": [0] * 6, "vi": [0] * 6,
    "fr": [0, 1, 1, 1, 1, 1], "pt": [0, 1, 1, 1, 1, 1], "es": [0, 1, 1, 1, 1, 1],
}
COUNTS = (1, 2, 5, 11, 21, 100)


def _po(code: str) -> Path:
    return next(p for p in po_files() if p.parent.parent.name == code)


def test_the_issue_languages_are_shipped_with_native_names() -> None:
    wanted = {"en", "de", "es", "fr", "pt", "ru", "ar", "zh_CN", "th", "vi", "id", "tl", "km",
              "my"}
    assert wanted <= set(LANGUAGES), sorted(wanted - set(LANGUAGES))
    assert set(LANGUAGES) <= set(NATIVE_NAMES), "a shipped language has no native name"
    assert language_name("th") == "ไทย"
    assert [code for code in LANGUAGES if is_rtl(code)] == ["ar"]


@pytest.mark.parametrize("code", TRANSLATED)
def test_header_says_how_it_was_produced_and_its_plural_rule(code: str) -> None:
    po_path = _po(code)
    problems = header_problems(_read(po_path), po_path.read_text(encoding="utf-8"), code)
    assert problems == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_plural_rule_is_the_catalogue_header(code: str) -> None:
    """Babel must not swap in its own Plural-Forms when it compiles the .mo."""
    text = _po(code).read_text(encoding="utf-8")
    block = text[text.index('msgid ""\nmsgstr ""'):].split("\n\n", 1)[0]
    header = "".join(re.findall(r'^"(.*)"$', block, re.M)).split("\\n")
    written = next(h for h in header if h.startswith("Plural-Forms:"))
    written = written.removeprefix("Plural-Forms:").replace(" ", "")
    compiled = gettext.translation("evidence_app", locale_dir(), [code])
    assert compiled.info()["plural-forms"].replace(" ", "") == written


@pytest.mark.parametrize("code", sorted(PLURAL_INDEX))
def test_counts_pick_the_right_plural_form(code: str) -> None:
    compiled = gettext.translation("evidence_app", locale_dir(), [code])
    entry = _read(_po(code)).get(("{count} item", "{count} items"))
    assert entry is not None
    got = [compiled.ngettext("{count} item", "{count} items", n) for n in COUNTS]
    assert got == [entry.string[i] for i in PLURAL_INDEX[code]]
    with language(code):
        from evidence_app.i18n import ngettext

        assert ngettext("{count} item", "{count} items", 21).format(count=21) == \
            entry.string[PLURAL_INDEX[code][4]].format(count=21)


@pytest.mark.parametrize("code", TRANSLATED)
def test_cli_speaks_the_language(code: str, tmp_path: Path) -> None:
    with language(code):
        sentence, prefix = _(NO_VAULT), _("error: ")
    assert sentence != NO_VAULT
    result = run_cli("--lang", code, "--vault", str(tmp_path / "nothing"), "list")
    assert result.returncode != 0
    before, after = sentence.split("{path}")
    assert prefix + before in result.stderr
    assert after in result.stderr
    assert "There is no vault" not in result.stderr


# --- the desktop app and the sealed report, in every language ------------------------------


@pytest.fixture
def first_start(qapp, tmp_path: Path):
    """The app as on first start (no language chosen yet), undone again after the test."""
    from evidence_app.gui.app import AppController
    from evidence_app.settings import Settings

    controller = AppController(qapp, Settings(language="", vault_path=""))
    controller.show()
    yield controller
    if controller.session.is_unlocked:
        controller.session.lock("user")
    for widget in QApplication.topLevelWidgets():
        widget.close()
    qapp.removeEventFilter(controller.safety)
    controller.apply_language("en")


def _choose(controller, qtbot, code: str) -> None:
    from evidence_app.gui.start_window import PAGE_LANGUAGE, PAGE_WELCOME

    start = controller.start
    assert start.stack.currentIndex() == PAGE_LANGUAGE
    names = [start.language_list.item(r).text() for r in range(start.language_list.count())]
    assert language_name(code) in names
    start.select_language(code)
    start.language_list.setFocus()
    qtbot.keyClick(start.language_list, Qt.Key.Key_Return)
    assert controller.session.settings.language == code
    assert controller.start is not start
    assert controller.start.stack.currentIndex() == PAGE_WELCOME


def _create_vault(controller, qtbot, code: str) -> None:
    from evidence_app.gui.start_window import PAGE_CREATE, PAGE_RECOVERY

    start = controller.start
    start.show_page(PAGE_CREATE)
    start.new_pass.setText(PASSPHRASE)
    start.new_pass2.setText(PASSPHRASE + "x")
    start.create_button.click()
    english = "The two passphrases are not the same. Please type them again."
    assert start.create_error.text() == _(english)
    assert (start.create_error.text() != english) == (code != "en")
    start.new_pass2.setText(PASSPHRASE)
    start.where_default.setChecked(True)
    qtbot.mouseClick(start.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: start.stack.currentIndex() == PAGE_RECOVERY, timeout=10_000)
    start.written_down.setChecked(True)
    start.recovery_done.click()
    qtbot.waitUntil(lambda: controller.main is not None and controller.main.isVisible(),
                    timeout=10_000)


def _lock_and_unlock(controller, qtbot) -> None:
    from evidence_app.gui.start_window import PAGE_UNLOCK

    controller.main.lock_action.trigger()
    assert controller.main is None
    assert not controller.session.is_unlocked
    start = controller.start
    assert start.stack.currentIndex() == PAGE_UNLOCK
    start.unlock_field.setText(PASSPHRASE)
    start.unlock_button.click()
    qtbot.waitUntil(lambda: controller.main is not None and controller.main.isVisible(),
                    timeout=10_000)


def _bundle_reports(bundle: Path) -> tuple[str, bytes]:
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        page = next(n for n in names if n.endswith("/data/report/report.html"))
        pdf = next(n for n in names if n.endswith("/data/report/report.pdf"))
        return zf.read(page).decode("utf-8"), zf.read(pdf)


def _pdf_tool(tool: str, pdf: Path) -> str:
    found = shutil.which(tool)
    assert found, f"{tool} is missing: install poppler-utils"
    return subprocess.run([found, str(pdf)] + (["-"] if tool == "pdftotext" else []),
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.gui
@pytest.mark.parametrize("code", LANGUAGES)
def test_main_flows_in_every_language(code: str, first_start, qtbot, tmp_path: Path,
                                      monkeypatch) -> None:
    from evidence_app.bundle import report_words
    from evidence_app.bundle.fonts import SYSTEM_FONTS_ENV

    # The report must not depend on the fonts this machine happens to have: ours only.
    monkeypatch.setenv(SYSTEM_FONTS_ENV, "0")
    from evidence_app.bundle.seal import Protection, seal
    from evidence_app.gui.case_dialog import CaseDialog

    controller = first_start
    _choose(controller, qtbot, code)
    direction = Qt.LayoutDirection.RightToLeft if code == "ar" else \
        Qt.LayoutDirection.LeftToRight
    assert QApplication.layoutDirection() == direction
    assert controller.start.layoutDirection() == direction
    qt_words = [QCoreApplication.translate(context, word) for context, word in
                (("QWizard", "&Finish"), ("QWizard", "&Next >"), ("QPlatformTheme", "Cancel"))]
    english = ["&Finish", "&Next >", "Cancel"]  # Qt's own words: qtbase_<lang>.qm or ours
    assert [w != e for w, e in zip(qt_words, english, strict=True)] == [code != "en"] * 3
    _create_vault(controller, qtbot, code)
    main = controller.main
    assert main.layoutDirection() == direction
    # Long labels must not push Lock and the red Quick exit behind the overflow arrow.
    assert main.quick_exit.isVisible()
    assert main.toolbar.widgetForAction(main.lock_action).isVisible()

    evidence = tmp_path / "threat.txt"
    evidence.write_text("Pay 500 EUR or I send the photos.", encoding="utf-8")
    controller.main.add_paths([evidence])
    qtbot.waitUntil(lambda: controller.main.model.rowCount() == 1, timeout=10_000)

    dialog = CaseDialog(controller.session, controller.main)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.layoutDirection() == direction
    dialog.statement.setPlainText("He wrote to me on Instagram in March.")
    dialog._save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)  # accepted once saved
    assert dialog.result() == dialog.DialogCode.Accepted

    _lock_and_unlock(controller, qtbot)
    vault = controller.session.vault
    assert [i.name for i in vault.state.items.values()] == ["threat.txt"]
    assert vault.state.case["statement"] == "He wrote to me on Instagram in March."

    result = seal(vault, tmp_path / "out", Protection.unencrypted(), report_language=code)
    page, pdf_bytes = _bundle_reports(result.bundle_path)
    lang = code.replace("_", "-")
    assert f'<html lang="{lang}" dir="{"rtl" if code == "ar" else "ltr"}">' in page
    with language(code):
        title = report_words.title()
    assert html.escape(title) in page
    fonts = choose_fonts([html.unescape(page)])
    assert fonts.missing == set(), f"no font we ship has {sorted(fonts.missing)}"

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(pdf_bytes)
    embedded = _pdf_tool("pdffonts", pdf)
    if code in SCRIPT_FONT:
        assert SCRIPT_FONT[code] in embedded, embedded
    text = _pdf_tool("pdftotext", pdf)
    if code != "ar":  # pdftotext writes Arabic in visual order; fonts and HTML prove it above
        assert "".join(title.split()) in "".join(text.split()), text[:300]
    assert "threat.txt" in text


@pytest.mark.gui
def test_own_qt_words_leave_every_other_qt_text_alone(qapp) -> None:
    """Thai has no qtbase_th.qm; our stand-in must answer only its words (an empty answer
    for the rest once blanked every Qt string and made every picture fail to load)."""
    import io

    from PIL import Image
    from PySide6.QtGui import QImage

    from evidence_app.gui.qt_words import GettextQtTranslator

    png = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(png, "PNG")
    translator = GettextQtTranslator(qapp)
    qapp.installTranslator(translator)
    try:
        with language("th"):
            assert QCoreApplication.translate("QWizard", "&Finish") == _("Finish")
            assert _("Finish") != "Finish"
            assert QCoreApplication.translate("QPlatformTheme", "Save All") == "Save All"
            assert not QImage.fromData(png.getvalue()).isNull()
    finally:
        qapp.removeTranslator(translator)


@pytest.mark.gui
@pytest.mark.parametrize("code", ["th", "de"])
def test_standard_buttons_speak_the_language(qapp, code: str) -> None:
    """Save and Yes on a case dialog or a question: Qt's words (German) or ours (Thai)."""
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from evidence_app.gui.qt_words import qt_translator

    english = {"save": "Save", "yes": "&Yes", "no": "&No"}  # "OK" is "OK" in German too
    with language(code):
        translator = qt_translator(code, qapp)
        assert translator is not None
        qapp.installTranslator(translator)
        try:
            box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Ok)
            question = QMessageBox()
            question.setStandardButtons(QMessageBox.StandardButton.Yes |
                                        QMessageBox.StandardButton.No)
            shown = {
                "save": box.button(QDialogButtonBox.StandardButton.Save).text(),
                "ok": box.button(QDialogButtonBox.StandardButton.Ok).text(),
                "yes": question.button(QMessageBox.StandardButton.Yes).text(),
                "no": question.button(QMessageBox.StandardButton.No).text(),
            }
            if code == "th":  # no qtbase_th.qm: the words come from our catalogue
                assert shown == {"save": _("Save"), "yes": _("&Yes"), "no": _("&No"),
                                 "ok": _("OK")}
        finally:
            qapp.removeTranslator(translator)
    assert all(shown[key] != word for key, word in english.items()), shown
    assert all(shown[key].replace("&", "").strip() for key in english), shown
