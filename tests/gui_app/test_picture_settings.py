"""Settings for words in pictures: on by default, the languages by their own names (the
app's and English always read, and said so), the engine's state in words (found, a chosen
language without its data and the command that adds it, or not installed), saved as the
other settings are."""

from __future__ import annotations

import glob
import json
import os
from pathlib import Path

import pytest

from evidence_app.gui.settings_dialog import SettingsDialog
from evidence_app.ocr import engine as ocr_engine
from evidence_app.paths import settings_dir
from evidence_app.settings import Settings

pytestmark = pytest.mark.gui


def _dialog(qtbot, settings: Settings) -> SettingsDialog:
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.pictures.status.text().startswith("Looking"),
                    timeout=10_000)
    return dialog


def test_on_by_default_and_saved_with_the_chosen_languages(qtbot) -> None:
    assert Settings().read_pictures is True
    settings = Settings(language="en")
    dialog = _dialog(qtbot, settings)
    pictures = dialog.pictures
    assert pictures.read_after.isChecked()
    engine = ocr_engine.find_engine()
    assert pictures.status.text() == (f"Text-reading engine found: Tesseract {engine.version}, "
                                      "14 languages.")
    boxes = pictures.languages.boxes
    assert [boxes[c].text() for c in ("th", "km", "my")] == ["ไทย", "ខ្មែរ", "မြန်မာ"]
    assert not boxes["en"].isEnabled()
    assert boxes["en"].isChecked()
    assert "always read in English" in pictures.languages.note.text()
    boxes["th"].setChecked(True)
    boxes["ar"].setChecked(True)
    pictures.read_after.setChecked(False)
    dialog._save()
    saved = json.loads((settings_dir() / "settings.json").read_text("utf-8"))
    assert saved["read_pictures"] is False
    assert saved["picture_languages"] == ["ar", "th"]  # in the list's order
    assert Settings.load().picture_languages == ["ar", "th"]


def test_the_app_language_is_always_read_too(qtbot) -> None:
    from evidence_app.i18n import set_language

    set_language("de")
    try:
        dialog = _dialog(qtbot, Settings(language="de"))
        boxes = dialog.pictures.languages.boxes
        assert not boxes["de"].isEnabled()
        assert boxes["de"].isChecked()
        assert dialog.pictures.languages.chosen() == []
    finally:
        set_language("en")


@pytest.fixture
def english_only(monkeypatch, tmp_path: Path):
    """An engine with English data only (another language's package not installed)."""
    data = tmp_path / "tessdata"
    data.mkdir()
    found = glob.glob("/usr/share/tesseract-ocr/*/tessdata/eng.traineddata")
    if not found:
        pytest.skip("the engine's English data is not where Debian puts it")
    os.symlink(found[0], data / "eng.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(data))
    ocr_engine.find_engine.cache_clear()
    yield
    ocr_engine.find_engine.cache_clear()


def test_a_chosen_language_without_its_data_is_named_with_the_command(qtbot,
                                                                     english_only) -> None:
    dialog = _dialog(qtbot, Settings(language="en", picture_languages=["th"]))
    text = dialog.pictures.status.text()
    assert "ไทย" in text
    assert "sudo apt install tesseract-ocr tesseract-ocr-tha" in text
    dialog.pictures.languages.boxes["th"].setChecked(False)  # said again as it changes
    assert dialog.pictures.status.text().startswith("Text-reading engine found")


def test_no_engine_says_so_and_how_to_add_it(qtbot, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVIDENCE_APP_TESSERACT", str(tmp_path / "none"))
    ocr_engine.find_engine.cache_clear()
    try:
        dialog = _dialog(qtbot, Settings(language="en"))
        text = dialog.pictures.status.text()
        assert "not installed" in text
        assert "sudo apt install tesseract-ocr" in text
    finally:
        ocr_engine.find_engine.cache_clear()
