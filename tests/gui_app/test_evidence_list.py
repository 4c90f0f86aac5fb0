"""The evidence list as a frightened person meets it: one chat import is one entry with what
belongs to it underneath, rows keep their height whatever picture arrives, and selection,
search, the kind filter, the keyboard and screen readers work through the grouping."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from evidence_app.gui.chat_import import start_import
from evidence_app.gui.item_model import ItemRole
from tests.chats.conftest import ASSETS, make_zip

pytestmark = pytest.mark.gui


def one_photo_export(tmp_path: Path) -> Path:
    """An iPhone "export with media" with one photo: _chat.txt and the photo it names."""
    chat = (ASSETS / "whatsapp/ios_en/_chat.txt").read_bytes()
    chat = b"\n".join(line for line in chat.split(b"\n") if b"image omitted" not in line)
    photo = (ASSETS / "telegram/single/photos/photo_1@05-01-2024_10-05-00.jpg").read_bytes()
    return make_zip(tmp_path / "WhatsApp Chat - Scam Group.zip",
                    {"_chat.txt": chat, "00000005-PHOTO-2023-12-30-21-18-00.jpg": photo})


@pytest.fixture
def whatsapp_zip(tmp_path: Path) -> Path:
    return one_photo_export(tmp_path)


def _answer_message_boxes(seen: list[str]) -> QTimer:
    """Read and close each message box the app opens (they run their own event loop)."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(50)
    return timer


def _import(unlocked, qtbot, export: Path) -> list[str]:
    main = unlocked.main
    seen: list[str] = []
    timer = _answer_message_boxes(seen)
    start_import(unlocked.session, main, export, "Pat Sample")
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    timer.stop()
    qtbot.waitUntil(lambda: not unlocked.session.busy, timeout=10_000)
    return seen


def _names(main, parent) -> list[str]:
    proxy = main.proxy
    return [proxy.index(r, 0, parent).data(ItemRole).name for r in range(proxy.rowCount(parent))]


def test_one_chat_import_is_one_entry_with_what_belongs_to_it(unlocked, qtbot,
                                                             whatsapp_zip) -> None:
    main = unlocked.main
    seen = _import(unlocked, qtbot, whatsapp_zip)
    assert "6 messages, 1 attachment." in seen[0]  # not "1 attachments"
    assert len(unlocked.session.vault.state.items) == 5  # the zip, a photo, three transcripts
    proxy = main.proxy
    assert proxy.rowCount() == 1
    top = proxy.index(0, 0)
    assert top.data(ItemRole).name == whatsapp_zip.name
    assert "4 items belong to it" in top.data(Qt.ItemDataRole.DisplayRole)
    assert "4 items belong to it" in top.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Chat export" in top.data(Qt.ItemDataRole.DisplayRole)
    assert "application/zip" not in top.data(Qt.ItemDataRole.DisplayRole)
    children = _names(main, top)
    assert len(children) == 4
    assert main.count_label.text() == "1 item, plus 4 the app made from it"
    assert {n.rsplit(" ", 1)[-1] for n in children if "transcript" in n} == {
        "transcript.json", "transcript.html", "transcript.txt"}
    child = proxy.index(0, 0, top)
    assert "belong" not in child.data(Qt.ItemDataRole.DisplayRole)

    # The keyboard: Right opens the entry, Down reaches what belongs to it, Left goes back.
    main.show()
    qtbot.waitExposed(main)
    main.list.setFocus()
    main.list.setCurrentIndex(top)
    assert not main.list.isExpanded(top)
    qtbot.keyClick(main.list, Qt.Key.Key_Right)
    assert main.list.isExpanded(top)
    qtbot.keyClick(main.list, Qt.Key.Key_Down)
    assert main.list.currentIndex().parent() == top
    assert main.detail.item is not None
    assert main.detail.item.derived_from == top.data(ItemRole).id
    qtbot.keyClick(main.list, Qt.Key.Key_Left)
    assert main.list.currentIndex() == top
    assert main.detail.item.id == top.data(ItemRole).id


def test_search_and_kind_filter_show_a_match_under_its_original(unlocked, qtbot,
                                                                whatsapp_zip) -> None:
    main = unlocked.main
    _import(unlocked, qtbot, whatsapp_zip)
    main.search.setText("transcript.html")
    assert main.proxy.rowCount() == 1
    top = main.proxy.index(0, 0)
    assert top.data(ItemRole).name == whatsapp_zip.name  # kept so the match has a place
    assert [n.endswith("transcript.html") for n in _names(main, top)] == [True]
    main.search.clear()
    main.kind.setCurrentIndex(main.kind.findData("image"))  # Pictures: the chat's photo
    top = main.proxy.index(0, 0)
    assert [n.endswith(".jpg") for n in _names(main, top)] == [True]
    main.kind.setCurrentIndex(main.kind.findData(""))
    assert main.proxy.rowCount(main.proxy.index(0, 0)) == 4


def test_selection_and_open_entries_survive_a_refresh(unlocked, qtbot, whatsapp_zip,
                                                      monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    main = unlocked.main
    _import(unlocked, qtbot, whatsapp_zip)
    vault = unlocked.session.vault
    photo = next(i for i in vault.state.items.values() if i.kind == "chat_media")
    main._select_id(photo.id)  # as after adding: the new item is chosen, its entry opened
    top = main.proxy.index(0, 0)
    assert main.list.isExpanded(top)
    assert main.list.currentIndex().data(ItemRole).id == photo.id
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("The photo he sent first", True))
    main.detail._add_note()
    qtbot.waitUntil(lambda: main.detail.notes.count() == 1, timeout=10_000)
    top = main.proxy.index(0, 0)
    assert main.list.isExpanded(top)
    assert main.list.currentIndex().data(ItemRole).id == photo.id


def test_grid_shows_the_originals_and_shares_the_selection(unlocked, qtbot,
                                                          whatsapp_zip) -> None:
    main = unlocked.main
    _import(unlocked, qtbot, whatsapp_zip)
    main.set_grid(True)
    try:
        assert main.evidence_view() is main.grid
        assert main.grid.model().rowCount(main.grid.rootIndex()) == 1
        top = main.proxy.index(0, 0)
        assert "4 items belong to it" in top.data(Qt.ItemDataRole.DisplayRole)
        main.grid.setCurrentIndex(top)
        assert main.list.currentIndex() == top
        assert main.detail.item.id == top.data(ItemRole).id
    finally:
        main.set_grid(False)


def test_rows_keep_their_height_when_a_wide_screenshot_arrives(unlocked, qtbot,
                                                               tmp_path) -> None:
    """A wide screenshot added while the list is shown squashed every row to its height."""
    from PIL import Image

    main = unlocked.main
    main.show()
    qtbot.waitExposed(main)
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "receipt.txt").write_text("Paid 500 EUR")
    Image.new("RGB", (200, 200), (20, 120, 220)).save(folder / "photo.png")
    main.add_paths(sorted(folder.iterdir()))
    qtbot.waitUntil(lambda: main.model.rowCount() == 2 and not unlocked.session.busy,
                    timeout=10_000)
    wide = tmp_path / "screenshot.png"
    Image.new("RGB", (1920, 400), (0, 0, 0)).save(wide)  # a screen's shape, wider still
    main.add_paths([wide])
    qtbot.waitUntil(lambda: main.model.rowCount() == 3 and not unlocked.session.busy,
                    timeout=10_000)
    qtbot.wait(50)
    icon = main.list.iconSize().height()
    heights = [main.list.visualRect(main.proxy.index(r, 0)).height() for r in range(3)]
    assert min(heights) >= icon, heights


def test_double_click_or_enter_reads_the_item_like_read_button(unlocked, qtbot) -> None:
    """A person double-clicks (or presses Enter on) an entry to read it: the same reader as
    "Read…", and nothing for a kind the app cannot show."""
    main = unlocked.main
    vault = unlocked.session.vault
    vault.add_bytes(b"He asked for 500 euros.\n", "note.txt", source={"type": "test"})
    main.refresh()
    qtbot.waitUntil(lambda: main.proxy.rowCount() == 1, timeout=5_000)
    index = main.proxy.index(0, 0)
    main.list.setCurrentIndex(index)
    assert main.detail.reader is None
    main.list.activated.emit(index)
    reader = main.detail.reader
    assert reader is not None
    qtbot.waitUntil(lambda: reader.pane is not None, timeout=20_000)
    reader.close()
