"""The details of the selected item, read as the person who owns it reads them: kind words
not media types, no "-" rows, one formatted camera date, the place a photo gives away (with a
warning), a history without record or note numbers, and a "leave out" button that says what
it does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational
from PySide6.QtWidgets import QInputDialog

from evidence_app.gui.item_model import ItemRole

pytestmark = pytest.mark.gui
WAIT = 10_000


def gps_photo(path: Path) -> Path:
    """A phone photo that records where it was taken (Berlin), as phones write it."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Pixel", "Pixel 7"  # Make, Model
    exif[0x0132] = "2024:03:05 14:22:01"  # DateTime
    taken = exif.get_ifd(0x8769)
    taken[0x9003], taken[0x9011] = "2024:03:05 14:22:01", "+01:00"  # original time, offset
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (IFDRational(52), IFDRational(31), IFDRational(1234, 100))
    gps[3], gps[4] = "E", (IFDRational(13), IFDRational(24), IFDRational(1800, 100))
    Image.new("RGB", (64, 48), (30, 90, 160)).save(path, "JPEG", exif=exif)
    return path


def _add_and_select(unlocked, qtbot, *paths: Path):
    main = unlocked.main
    main.add_paths(list(paths))
    qtbot.waitUntil(lambda: main.model.rowCount() == len(paths)
                    and not unlocked.session.busy, timeout=WAIT)
    main.list.setCurrentIndex(main.proxy.index(0, 0))
    return main.detail


def _shown_rows(detail) -> dict[str, str]:
    return {key: label.text() for key, label in detail.fields.items()
            if label.isVisibleTo(detail)}


def test_camera_details_show_the_place_with_a_warning_and_the_date_once(unlocked, qtbot,
                                                                       tmp_path) -> None:
    detail = _add_and_select(unlocked, qtbot, gps_photo(tmp_path / "IMG_2041.jpg"))
    text = detail.fields["exif"].text()
    assert "Pixel Pixel 7" in text
    assert "Place: 52.520094, 13.405000" in text
    assert text.count("2024") == 1  # once, not DateTimeOriginal and DateTime side by side
    assert "2024-03-05 14:22:01 (UTC+01:00)" in text
    assert "2024:03:05" not in text  # not EXIF's raw form
    warning = detail.facts.place_warning
    assert warning.isVisibleTo(detail)
    assert "place where it was taken" in warning.text()


def test_a_picture_without_gps_has_no_place_and_no_warning(unlocked, qtbot, tmp_path) -> None:
    plain = tmp_path / "plain.png"
    Image.new("RGB", (64, 48), (200, 10, 10)).save(plain)
    detail = _add_and_select(unlocked, qtbot, plain)
    assert not detail.facts.place_warning.isVisibleTo(detail)
    assert "exif" not in _shown_rows(detail)  # no camera details: no row, no "-"


def test_fields_use_kind_words_and_hide_what_is_empty(unlocked, qtbot, tmp_path) -> None:
    (tmp_path / "bank-transfer.txt").write_text("Paid 500 EUR")
    detail = _add_and_select(unlocked, qtbot, tmp_path / "bank-transfer.txt")
    rows = _shown_rows(detail)
    assert rows["type"] == "Text"  # not "text/plain"
    assert "/" not in rows["type"]
    assert rows["size"] == "12 bytes"
    assert "flags" not in rows  # nothing marked: no "Marked: -"
    assert "-" not in rows.values()
    detail.sensitive_button.click()
    qtbot.waitUntil(lambda: "flags" in _shown_rows(detail), timeout=WAIT)
    assert _shown_rows(detail)["flags"] == "sensitive"


def test_history_reads_without_internal_numbers(unlocked, qtbot, tmp_path,
                                                monkeypatch) -> None:
    (tmp_path / "threat.txt").write_text("Pay or else")
    detail = _add_and_select(unlocked, qtbot, tmp_path / "threat.txt")
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("He sent this at night", True))
    detail._add_note()
    qtbot.waitUntil(lambda: detail.history.count() == 2, timeout=WAIT)
    lines = [detail.history.item(i).text() for i in range(detail.history.count())]
    assert any("Note added: “He sent this at night”" in line for line in lines), lines
    assert any("Added to the vault" in line for line in lines), lines
    for line in lines:
        words = line.split("  ", 1)[1]  # after the time
        assert not re.search(r"\bn\d+\b|\b[Ii]tem \d+\b|SHA-256", words), line


def test_leaving_out_says_what_it_does_and_keeps_the_reason(unlocked, qtbot, tmp_path,
                                                            monkeypatch) -> None:
    (tmp_path / "wrong.txt").write_text("not about this case")
    detail = _add_and_select(unlocked, qtbot, tmp_path / "wrong.txt")
    button = detail.withdraw_button
    assert "withdraw" not in button.text().lower()
    assert "left out" not in button.text().lower()
    assert "police" in button.toolTip()
    assert "Nothing is deleted" in button.toolTip()
    asked: list[str] = []

    def answer(parent, title, label, *args, **kwargs):
        asked.append(label)
        return "added by mistake", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    button.click()
    qtbot.waitUntil(lambda: not button.isEnabled(), timeout=WAIT)
    assert "not deleted" in asked[0]
    assert "police" in asked[0]
    assert _shown_rows(detail)["flags"] == "left out of the case: added by mistake"
    assert button.text() == "Left out of the case"
    lines = [detail.history.item(i).text() for i in range(detail.history.count())]
    assert any(line.endswith("Left out of the case: added by mistake") for line in lines)


def test_derived_items_name_their_original_and_the_original_lists_them(unlocked, qtbot,
                                                                       tmp_path) -> None:
    from tests.gui_app.test_evidence_list import _import, one_photo_export

    export = one_photo_export(tmp_path)
    _import(unlocked, qtbot, export)
    main = unlocked.main
    top = main.proxy.index(0, 0)
    main.list.setCurrentIndex(top)
    belongs = _shown_rows(main.detail)["belongs"]
    assert "Chat transcript: Scam Group transcript.txt" in belongs
    assert "Picture: 00000005-PHOTO-2023-12-30-21-18-00.jpg" in belongs
    child = main.proxy.index(0, 0, top)
    main.list.setCurrentIndex(child)
    assert child.data(ItemRole).derived_from == top.data(ItemRole).id
    assert _shown_rows(main.detail)["made_from"] == f"item 1: {export.name}"
    assert "belongs" not in _shown_rows(main.detail)


def test_export_says_where_the_copy_went_and_that_it_is_not_encrypted(unlocked, qtbot,
                                                                      tmp_path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

    original = tmp_path / "threat.txt"
    original.write_bytes(b"Pay or I publish the pictures.\n")
    detail = _add_and_select(unlocked, qtbot, original)
    target = tmp_path / "out" / "copy.txt"
    target.parent.mkdir()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.findChild(QLineEdit, "fileNameEdit").setText(str(target))
        dialog.accept()

    QTimer.singleShot(0, answer)
    detail.export_button.click()
    qtbot.waitUntil(lambda: target.is_file() and not unlocked.session.busy, timeout=WAIT)
    assert target.read_bytes() == original.read_bytes()
    said = unlocked.main.statusBar().currentMessage()
    assert str(target) in said
    assert "not encrypted" in said
