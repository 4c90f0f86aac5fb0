"""The seal wizard's one choice about the words read in sensitive pictures: asked only when
such words exist, off unless the person ticks it, and then in the sealed report."""

from __future__ import annotations

import html
import os
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from tests.bundle.test_report_ocr import PRIVATE, SECRET_WORD, THREAT, add_picture  # noqa: E402
from tests.gui.test_seal_wizard import (  # noqa: E402
    click_option,
    open_wizard,
    seal_into,
    to_protection,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def session(vault, qtbot):
    from evidence_app.gui import workers
    from evidence_app.gui.session import Session
    from evidence_app.settings import Settings

    add_picture(vault, "threat.png", THREAT)
    s = Session(Settings())
    s.vault = vault
    yield s
    workers.wait_all()


def _report(qtbot, wizard, out: Path) -> str:
    to_protection(qtbot, wizard)
    click_option(qtbot, wizard.protect_page.none)
    wizard.protect_page.confirm.setChecked(True)
    seal_into(qtbot, wizard, out)
    subprocess.run(["unzip", "-q", str(wizard.sealed), "-d", str(out / "open")], check=True)
    (page,) = (out / "open").glob("*/data/report/report.html")
    return html.unescape(page.read_text("utf-8"))


def test_not_asked_when_no_sensitive_picture_was_read(qtbot, session, vault):
    vault.add_bytes(b"\x89PNG not read", "private.png", source={"type": "test"},
                    sensitive=True)
    wizard = open_wizard(qtbot, session)
    assert wizard.items_page.sensitive_text.isHidden()
    assert not wizard.items_page.include_sensitive_text()


def test_off_by_default_and_the_words_stay_out(qtbot, session, vault, tmp_path):
    add_picture(vault, "me.png", PRIVATE, sensitive=True)
    wizard = open_wizard(qtbot, session)
    page = wizard.items_page
    assert not page.sensitive_text.isHidden()
    assert not page.sensitive_text_note.isHidden()
    assert not page.sensitive_text.isChecked()
    report = _report(qtbot, wizard, tmp_path / "out")
    assert SECRET_WORD not in report
    assert "Words were read by machine from this picture. They are not printed" in report


def test_ticked_the_words_are_printed(qtbot, session, vault, tmp_path):
    add_picture(vault, "me.png", PRIVATE, sensitive=True)
    wizard = open_wizard(qtbot, session)
    wizard.items_page.sensitive_text.setChecked(True)
    report = _report(qtbot, wizard, tmp_path / "out")
    assert SECRET_WORD in report
    assert "Pay 500 USDT or I send the video" in report


SHOTS = os.environ.get("EVIDENCE_APP_SCREENSHOTS")


@pytest.mark.skipif(not SHOTS, reason="set EVIDENCE_APP_SCREENSHOTS=<folder> to save them")
@pytest.mark.parametrize("lang", ["en", "de"])
def test_screenshot(qtbot, session, vault, lang):
    from evidence_app.i18n import set_language

    add_picture(vault, "me.png", PRIVATE, sensitive=True)
    set_language(lang)
    try:
        wizard = open_wizard(qtbot, session)
        wizard.resize(820, 640)
        qtbot.wait(50)
        assert wizard.grab().save(str(Path(SHOTS) / f"seal-items-sensitive-text-{lang}.png"))
    finally:
        set_language("en")
