"""Reading words in pictures never holds the window: the quick exit and a lock stop it at
once and nothing is stored after; Cancel stops it; a missing engine or language is said
once, calmly, never as a storm of messages; the search's words leave memory on lock.

Attack: the offender walks in while the pictures just added are being read (the engine is
a separate program that can take seconds on a big screenshot).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from evidence_app.core.errors import OcrUnavailable
from evidence_app.core.vault import Vault
from evidence_app.gui import workers
from evidence_app.messages import describe
from evidence_app.ocr import engine as ocr_engine
from tests.gui_app.conftest import PASSPHRASE
from tests.gui_app.hide_clock import quick_exit_hide_time
from tests.gui_app.picture_helpers import engine_running, make_picture, readings, wait_for

pytestmark = pytest.mark.gui
HIDE_LIMIT = 0.2  # seconds


@pytest.fixture
def reading(unlocked):
    unlocked.session.settings.read_pictures = True
    return unlocked


def _stored_readings(path: Path) -> list:
    vault = Vault.open(path, PASSPHRASE)
    try:
        return readings(vault)
    finally:
        vault.lock()


def test_quick_exit_while_a_picture_is_read_hides_at_once_and_stores_nothing(
        reading, tmp_path: Path) -> None:
    main = reading.main
    vault = main.session.vault
    main.add_paths([make_picture(tmp_path / f"shot{n}.png") for n in range(3)])
    assert wait_for(engine_running), "the engine should be reading the first picture"

    hidden_after, returned = quick_exit_hide_time(reading)
    assert hidden_after < HIDE_LIMIT
    assert returned < 1.0
    assert wait_for(lambda: not engine_running(), 5), "the engine was left running"
    assert wait_for(lambda: not vault.is_open, 10), "the worker kept the keys"
    workers.wait_all(10_000)
    assert _stored_readings(vault.path) == []  # nothing read was stored after the exit


def test_locking_while_reading_stops_it_and_forgets_the_words(reading, qtbot,
                                                              tmp_path: Path) -> None:
    main = reading.main
    session = main.session
    vault = session.vault
    main.add_paths([make_picture(tmp_path / "first.png")])
    qtbot.waitUntil(lambda: len(readings(vault)) == 1 and not session.picture_reader.running
                    and bool(session.picture_words.text), timeout=20_000)
    main.add_paths([make_picture(tmp_path / f"more{n}.png") for n in range(2)])
    assert wait_for(engine_running)

    reading._lock("user")
    assert session.picture_words.text == {}
    assert session.picture_words.lowered == {}
    assert not session.picture_reader.running
    assert wait_for(lambda: not engine_running(), 5)
    assert wait_for(lambda: not vault.is_open, 10)
    workers.wait_all(10_000)
    assert len(_stored_readings(vault.path)) == 1


def test_cancel_stops_reading_and_says_so_in_one_line(reading, qtbot,
                                                      tmp_path: Path) -> None:
    main = reading.main
    vault = main.session.vault
    main.add_paths([make_picture(tmp_path / f"shot{n}.png") for n in range(3)])
    assert wait_for(engine_running)
    assert main.pictures.cancel_button.isVisible()
    main.pictures.cancel_button.click()
    qtbot.waitUntil(lambda: not main.session.picture_reader.running, timeout=5_000)
    assert wait_for(lambda: not engine_running(), 5)
    qtbot.waitUntil(lambda: not main.session.busy, timeout=5_000)
    assert readings(vault) == []
    assert main.statusBar().currentMessage().startswith("Reading was stopped.")
    assert main.pictures.line.isHidden()
    assert main.pictures.cancel_button.isHidden()
    assert main.pictures.problems is None  # no message box for a stop the person chose


@pytest.fixture
def no_engine(monkeypatch, tmp_path: Path):
    """A computer without the engine (the program named is not there)."""
    monkeypatch.setenv("EVIDENCE_APP_TESSERACT", str(tmp_path / "no-such-tesseract"))
    ocr_engine.find_engine.cache_clear()
    yield
    ocr_engine.find_engine.cache_clear()


def test_a_missing_engine_is_said_once_in_one_calm_sentence(reading, qtbot, no_engine,
                                                            tmp_path: Path) -> None:
    main = reading.main
    expected = describe(OcrUnavailable("no_engine", ["eng"]))
    said: list[str] = []
    main.statusBar().messageChanged.connect(said.append)
    for n in range(3):
        main.add_paths([make_picture(tmp_path / f"shot{n}.png")])
        qtbot.waitUntil(lambda: not main.session.busy
                        and not main.session.picture_reader.running, timeout=10_000)
    assert said.count(expected) == 1
    assert "Tesseract" in expected
    assert "sudo apt install tesseract-ocr" in expected
    assert [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()] == []
    assert len(main.session.vault.state.items) == 3  # adding itself worked


def test_pictures_sent_in_an_imported_chat_are_read(reading, qtbot, tmp_path: Path) -> None:
    from tests.gui_app.test_evidence_list import _import, one_photo_export

    main = reading.main
    _import(reading, qtbot, one_photo_export(tmp_path))
    vault = main.session.vault
    photo = next(i for i in vault.state.items.values() if i.name.endswith(".jpg"))
    qtbot.waitUntil(lambda: any(r.derived_from == photo.id for r in readings(vault))
                    and not main.session.picture_reader.running, timeout=20_000)


def test_reading_problems_are_shown_once_without_blocking(reading, qtbot,
                                                         tmp_path: Path) -> None:
    main = reading.main
    fake = tmp_path / "broken.png"  # a picture's name and first bytes, then nonsense
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    main.add_paths([fake, make_picture(tmp_path / "fine.png")])
    qtbot.waitUntil(lambda: main.pictures.problems is not None, timeout=20_000)
    box = main.pictures.problems
    assert "could not be read" in box.text()
    assert "broken.png" in box.text()
    assert QApplication.activeModalWidget() is None  # the window is not blocked
    assert len(readings(main.session.vault)) == 1  # the good one was read
    box.close()
