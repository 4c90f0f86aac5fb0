"""Words in pictures as a person meets them in the window: a picture added is read in the
background, its reading sits under it, the list's search finds it by its words (and says
why), the details show the words as read by machine and frame where a searched word is,
and text planted in a picture cannot reorder what is shown or hide behind markup.

Uses the real engine (Tesseract) on small pictures rendered with the shipped font.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox

from evidence_app.gui.item_model import ItemRole
from evidence_app.gui.reader_rules import TEXT
from evidence_app.ocr.engine import ReadSettings, find_engine
from evidence_app.ocr.words import Word, lines_of, text_of
from evidence_app.workflows.ocr import Reading, store_reading
from tests.gui_app.picture_helpers import make_picture, readings

pytestmark = pytest.mark.gui


@pytest.fixture
def reading(unlocked):
    """The unlocked window with "read the words in pictures after adding them" on."""
    unlocked.session.settings.read_pictures = True
    return unlocked


def _wait_read(main, qtbot, count: int = 1) -> None:
    vault = main.session.vault
    qtbot.waitUntil(lambda: len(readings(vault)) >= count
                    and not main.session.picture_reader.running, timeout=20_000)
    qtbot.waitUntil(lambda: not main.session.busy, timeout=10_000)


def _shown_ids(main, parent=None) -> list[str]:
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    return [main.proxy.index(r, 0, parent).data(ItemRole).id
            for r in range(main.proxy.rowCount(parent))]


def test_an_added_picture_is_read_in_the_background_and_found_by_its_words(
        reading, qtbot, tmp_path: Path) -> None:
    main = reading.main
    said: list[str] = []
    main.session.picture_reader.progress.connect(
        lambda n, t: said.append(main.pictures.line.text()) if t else None)
    scam = make_picture(tmp_path / "scam.png")
    other = make_picture(tmp_path / "other.png", ("Lunch at noon",))
    main.add_paths([scam, other])
    _wait_read(main, qtbot, 2)
    assert said[:2] == ["Reading the words in 2 pictures… 1 of 2",
                        "Reading the words in 2 pictures… 2 of 2"]
    assert main.pictures.line.isHidden()  # the line goes when reading ends
    vault = main.session.vault
    scam_item = next(i for i in vault.state.items.values() if i.name == "scam.png")
    text_item = next(r for r in readings(vault) if r.derived_from == scam_item.id)

    # The reading sits under its picture (both of its items), not beside it.
    assert text_item.id not in _shown_ids(main)
    picture_index = main.proxy.mapFromSource(main.model.index_of(scam_item.id))
    children = _shown_ids(main, picture_index)
    assert text_item.id in children
    assert len(children) == 2

    # Search: the picture is found by a word only the engine saw, the other one is not.
    main.search.setText("PINEAPPLE")
    assert _shown_ids(main) == [scam_item.id]
    tip = main.proxy.mapFromSource(main.model.index_of(scam_item.id)).data(
        Qt.ItemDataRole.ToolTipRole)
    assert "Found in the words read from this picture" in tip
    assert "Pineapple" in tip
    main.search.setText("money today")  # across words of one line
    assert _shown_ids(main) == [scam_item.id]


def test_details_show_the_words_as_read_by_machine_and_frame_a_searched_word(
        reading, qtbot, tmp_path: Path) -> None:
    main = reading.main
    main.add_paths([make_picture(tmp_path / "scam.png")])
    _wait_read(main, qtbot)
    vault = main.session.vault
    picture = next(i for i in vault.state.items.values() if i.name == "scam.png")
    main._select_id(picture.id)
    words = main.detail.words
    qtbot.waitUntil(lambda: "Pineapple" in words.text.toPlainText(), timeout=10_000)
    assert not words.machine.isHidden()
    assert "check against the picture" in words.machine.text()
    about = words.about.text()
    assert f"Tesseract {find_engine().version}" in about
    assert "English" in about
    before = main.detail.preview.pixmap().toImage()

    main.search.setText("pineapple")
    assert words.finder.text() == "pineapple"
    assert len(main.detail.found_boxes) == 1
    left, top, width, height = main.detail.found_boxes[0]
    assert 100 < left < 160
    assert 100 < top < 140
    framed = main.detail.preview.pixmap().toImage()
    scale = framed.width() / 600
    centre = (round((left + width / 2) * scale), round((top + height / 2) * scale))
    assert framed.pixelColor(*centre) != before.pixelColor(*centre)  # framed there...
    assert framed.pixelColor(2, 2) == before.pixelColor(2, 2)  # ...and nowhere else
    assert words.text.extraSelections()  # the word is marked in the text, too

    main.search.clear()
    assert main.detail.found_boxes == []
    assert main.detail.preview.pixmap().toImage().pixelColor(*centre) == \
        before.pixelColor(*centre)


def test_reading_an_ocr_text_item_opens_it_in_the_text_reader(reading, qtbot,
                                                             tmp_path: Path) -> None:
    main = reading.main
    main.add_paths([make_picture(tmp_path / "scam.png")])
    _wait_read(main, qtbot)
    text_item = readings(main.session.vault)[0]
    main._select_id(text_item.id)
    assert not main.detail.read_button.isHidden()
    main.detail.open_reader()
    reader = main.detail.reader
    assert reader is not None
    assert reader.kind == TEXT
    qtbot.waitUntil(lambda: reader.pane is not None and reader.pane.page >= 0,
                    timeout=10_000)
    assert "Pineapple" in reader.pane.view.toPlainText()
    reader.close()


def _plant(vault, picture, text: str) -> None:
    """A stored reading whose words are `text` (what a hostile picture makes the engine
    say), through the same store the engine's readings go."""
    words = [Word(text=part, box=(20 + 90 * n, 40, 80, 30), conf=90.0, line_key=(1, 1, 1, 1))
             for n, part in enumerate(text.split(" "))]
    lines = lines_of(words)
    store_reading(vault, picture, Reading(words=words, lines=lines, text=text_of(lines),
                                          engine=find_engine(), languages=["eng"],
                                          settings=ReadSettings()))


def test_direction_and_control_characters_read_in_a_picture_show_as_marks(
        unlocked, qtbot, tmp_path: Path) -> None:
    main = unlocked.main
    vault = main.session.vault
    picture = vault.add_file(make_picture(tmp_path / "shot.png", ("x",)))
    _plant(vault, picture, "pay invoice\u202egpj.exe <b>now</b> \x1b[2J")
    main.session.picture_words.rebuild()
    main.refresh()
    main._select_id(picture.id)
    words = main.detail.words
    qtbot.waitUntil(lambda: "invoice" in words.text.toPlainText(), timeout=10_000)
    shown = words.text.toPlainText()
    assert "[U+202E]gpj.exe" in shown
    assert "[U+001B]" in shown
    assert "\u202e" not in shown
    assert "\x1b" not in shown
    assert "<b>now</b>" in shown  # markup stays letters: the text view never reads it
    qtbot.waitUntil(lambda: main.session.picture_words.text != {}, timeout=10_000)
    main.search.setText("invoice")
    tip = main.proxy.mapFromSource(main.model.index_of(picture.id)).data(
        Qt.ItemDataRole.ToolTipRole)
    assert "[U+202E]" in tip
    assert "\u202e" not in tip


def _answer(yes: bool) -> QTimer:
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Yes if yes else
                       QMessageBox.StandardButton.No).click()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(30)
    return timer


def test_a_sensitive_pictures_words_are_shown_only_when_the_person_chooses(
        unlocked, qtbot, tmp_path: Path) -> None:
    main = unlocked.main
    vault = main.session.vault
    picture = vault.add_file(make_picture(tmp_path / "private.png"), sensitive=True)
    _plant(vault, picture, "very private words")
    main.session.picture_words.rebuild()
    main.refresh()
    main._select_id(picture.id)
    words = main.detail.words
    assert "hidden" in words.state.text()
    assert words.text.isHidden()
    assert words.text.toPlainText() == ""
    assert not words.show_words.isHidden()
    assert main.detail.preview.pixmap().isNull()  # the picture is not shown either

    # The search finds it, but says nothing of the words.
    qtbot.waitUntil(lambda: picture.id in main.session.picture_words.text, timeout=10_000)
    main.search.setText("private words")
    assert _shown_ids(main) == [picture.id]
    tip = main.proxy.mapFromSource(main.model.index_of(picture.id)).data(
        Qt.ItemDataRole.ToolTipRole)
    assert "very private" not in tip
    assert "sensitive" in tip
    assert main.detail.found_boxes == []  # no frames over a hidden picture

    timer = _answer(False)
    words.show_words.click()
    timer.stop()
    assert words.text.toPlainText() == ""
    timer = _answer(True)
    words.show_words.click()
    timer.stop()
    qtbot.waitUntil(lambda: "very private" in words.text.toPlainText(), timeout=10_000)
    assert main.detail.preview.pixmap().isNull()  # the words, not the picture


def test_read_on_demand_and_again_in_another_language(unlocked, qtbot,
                                                      tmp_path: Path) -> None:
    main = unlocked.main
    vault = main.session.vault
    picture = vault.add_file(make_picture(tmp_path / "scam.png"))
    main.refresh()
    main._select_id(picture.id)
    main.pictures._name_actions()
    assert main.pictures.read_selected.text() == "Read the words in this picture"
    assert main.pictures.read_selected.isEnabled()
    main.pictures.read_selected.trigger()
    _wait_read(main, qtbot)
    assert [r.source["languages"] for r in readings(vault)] == [["eng"]]

    def tick_german() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.objectName() == "readAgainDialog":
            boxes = {b.text(): b for b in dialog.findChildren(QCheckBox)}
            assert not boxes["English"].isEnabled()
            assert boxes["English"].isChecked()
            boxes["Deutsch"].setChecked(True)
            dialog.read_button.click()

    timer = QTimer()
    timer.timeout.connect(tick_german)
    timer.start(30)
    main.pictures.read_again.trigger()
    timer.stop()
    _wait_read(main, qtbot, 2)
    assert [r.source["languages"] for r in readings(vault)] == [["eng"], ["eng", "deu"]]

    # "Read all pictures not read yet": only the new one.
    fresh = vault.add_file(make_picture(tmp_path / "fresh.png", ("Fresh words",)))
    main.refresh()
    main.pictures.read_all.trigger()
    _wait_read(main, qtbot, 3)
    assert sorted(r.derived_from for r in readings(vault)) == sorted(
        [picture.id, picture.id, fresh.id])


def test_the_details_read_a_picture_not_read_yet(unlocked, qtbot, tmp_path: Path) -> None:
    main = unlocked.main
    vault = main.session.vault
    picture = vault.add_file(make_picture(tmp_path / "scam.png"))
    main.refresh()
    main._select_id(picture.id)
    words = main.detail.words
    assert words.state.text() == "The words in this picture have not been read yet."
    assert not words.read_button.isHidden()
    assert words.again_button.isHidden()
    words.read_button.click()
    assert words.state.text() == "Reading the words in this picture…"
    assert words.read_button.isHidden()
    assert main.progress.isHidden()  # its own line says how far it is; no second, empty bar
    assert not main.pictures.line.isHidden()
    qtbot.waitUntil(lambda: "Pineapple" in words.text.toPlainText(), timeout=20_000)
    assert not words.again_button.isHidden()


def test_a_screenshot_taken_in_the_app_is_read(reading, qtbot, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from evidence_app.capture.grab import Capture
    from evidence_app.gui.capture_dialog import CaptureDialog

    main = reading.main
    image = QImage(str(make_picture(tmp_path / "screen.png")))
    dialog = CaptureDialog(main.session, main)
    qtbot.addWidget(dialog)
    dialog._taken(Capture(image, {"type": "screenshot", "mode": "screen"},
                          "screenshot-test.png"))
    _wait_read(main, qtbot)
    text_item = readings(main.session.vault)[0]
    assert main.session.vault.item(text_item.derived_from).name == "screenshot-test.png"
    assert "Pineapple" in main.session.picture_words.text[text_item.derived_from]
