"""The desktop app driven through its real widgets: create, unlock, add, notes, case details,
quick exit from a dialog, auto-lock, language switch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QInputDialog

from evidence_app.core.vault import Vault
from evidence_app.gui.start_window import PAGE_RECOVERY, PAGE_UNLOCK, PAGE_WELCOME
from tests.helpers import PASSPHRASE

pytestmark = pytest.mark.gui


def _files(tmp_path: Path) -> list[Path]:
    from PIL import Image

    folder = tmp_path / "files"
    folder.mkdir()
    Image.new("RGB", (120, 80), (20, 120, 220)).save(folder / "threat.png")
    (folder / "receipt.txt").write_text("Paid 500 EUR")
    return sorted(folder.iterdir())


def test_create_vault_shows_recovery_key_then_main(controller, qtbot) -> None:
    start = controller.start
    assert start.stack.currentIndex() == PAGE_WELCOME
    start.show_page(2)
    start.new_pass.setText("short")
    start.new_pass2.setText("short")
    assert not start.create_button.isEnabled()  # too short: the meter says so
    assert "at least 8 characters" in start.strength.label.text()
    start.new_pass.setText(PASSPHRASE)
    start.new_pass2.setText(PASSPHRASE + "x")
    start.create_button.click()
    assert "not the same" in start.create_error.text()
    start.new_pass2.setText(PASSPHRASE)
    start.where_default.setChecked(False)
    start.where_custom.setChecked(False)
    start.where_portable.setChecked(False)
    start.where_default.setChecked(True)
    controller.session.settings.vault_path = ""
    qtbot.mouseClick(start.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: start.stack.currentIndex() == PAGE_RECOVERY, timeout=10_000)
    assert re.fullmatch(r"([0-9A-Z]{4}-){7}[0-9A-Z]{4}", start.recovery_label.text())
    assert not start.recovery_done.isEnabled()
    start.written_down.setChecked(True)
    start.recovery_done.click()
    assert controller.main is not None
    assert controller.main.isVisible()
    assert start.recovery_label.text() == ""


def test_wrong_passphrase_is_kind_then_right_one_opens(controller, qtbot, tmp_path) -> None:
    vault, _key = Vault.create(tmp_path / "vault", PASSPHRASE)
    vault.lock()
    start = controller.start
    start.refresh_unlock_page()
    start.show_page(PAGE_UNLOCK)
    start.unlock_field.setText("not the passphrase")
    start.unlock_button.click()
    qtbot.waitUntil(lambda: "did not open" in start.unlock_message.text(), timeout=10_000)
    assert controller.main is None
    start.unlock_field.setText(PASSPHRASE)
    qtbot.keyClick(start.unlock_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.main is not None, timeout=10_000)
    assert start.unlock_field.text() == ""


def test_add_by_button_path_and_by_drop(unlocked, qtbot, tmp_path) -> None:
    main = unlocked.main
    files = _files(tmp_path)
    main.add_paths([files[0]])
    qtbot.waitUntil(lambda: main.model.rowCount() == 1, timeout=10_000)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(files[1]))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    main.dropEvent(drop)
    qtbot.waitUntil(lambda: main.model.rowCount() == 2, timeout=10_000)
    names = {i.name for i in unlocked.session.vault.state.items.values()}
    assert names == {"threat.png", "receipt.txt"}
    main.search.setText("receipt")
    assert main.proxy.rowCount() == 1
    main.search.setText("")
    main.kind.setCurrentIndex(main.kind.findData("image"))
    assert main.proxy.rowCount() == 1


def test_notes_and_case_details_are_recorded(unlocked, qtbot, tmp_path, monkeypatch) -> None:
    main = unlocked.main
    main.add_paths([_files(tmp_path)[1]])
    qtbot.waitUntil(lambda: main.model.rowCount() == 1, timeout=10_000)
    main.list.setCurrentIndex(main.proxy.index(0, 0))
    assert main.detail.item is not None
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("He sent this after I refused.", True))
    main.detail._add_note()
    vault = unlocked.session.vault
    # The pane lists the note once the work has reported back (not when the vault has it).
    qtbot.waitUntil(lambda: len(vault.state.notes) == 1 and bool(main.detail._note_ids),
                    timeout=10_000)
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("He sent this on 3 March.", True))
    main.detail._edit_note()
    qtbot.waitUntil(lambda: next(iter(vault.state.notes.values())).versions == 2,
                    timeout=10_000)

    from evidence_app.gui.case_dialog import CaseDialog

    dialog = CaseDialog(unlocked.session, main)
    dialog.statement.setPlainText("I met him on Instagram in March.")
    dialog.platforms.setText("Instagram, WhatsApp")
    dialog._save()
    qtbot.waitUntil(lambda: vault.state.case.get("platforms") == ["Instagram", "WhatsApp"],
                    timeout=10_000)
    assert vault.state.case["statement"] == "I met him on Instagram in March."
    types = [r["type"] for r in vault.records]
    assert "note_edited" in types
    assert "case_updated" in types


def test_quick_exit_from_a_dialog_hides_everything_and_locks(unlocked, qtbot) -> None:
    from evidence_app.gui.case_dialog import CaseDialog

    dialog = CaseDialog(unlocked.session, unlocked.main)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.statement.setFocus()
    target = QApplication.focusWidget() or dialog
    qtbot.keyClick(target, Qt.Key.Key_Escape)
    qtbot.keyClick(QApplication.focusWidget() or unlocked.start, Qt.Key.Key_Escape)
    assert not unlocked.session.is_unlocked
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == []


def test_quick_exit_button(unlocked) -> None:
    unlocked.main.quick_exit.click()
    assert not unlocked.session.is_unlocked
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == []


@pytest.mark.parametrize("width", [1100, 700, 420])
def test_quick_exit_stays_in_sight_in_a_narrow_window(unlocked, qtbot, width) -> None:
    """However narrow the window, Quick exit is never moved into the toolbar's overflow."""
    main = unlocked.main
    main.resize(width, 600)
    qtbot.waitUntil(lambda: main.width() <= max(width, main.minimumSizeHint().width()),
                    timeout=5_000)
    QApplication.processEvents()
    button = main.quick_exit
    assert button.isVisible()
    assert button.window() is main
    corner = button.mapTo(main, button.rect().bottomRight())
    assert 0 < corner.x() <= main.width()
    assert button.width() >= button.sizeHint().width()


def test_detail_pane_says_where_an_item_came_from_in_the_reports_words(
        unlocked, qtbot, tmp_path) -> None:
    from evidence_app.bundle.report_words import source_text

    main = unlocked.main
    path = _files(tmp_path)[1]
    main.add_paths([path])
    qtbot.waitUntil(lambda: main.model.rowCount() == 1, timeout=10_000)
    main.list.setCurrentIndex(main.proxy.index(0, 0))
    shown = main.detail.fields["source"].text()
    assert shown == source_text(main.detail.item.source)
    assert shown.startswith("Imported file")
    assert str(path.resolve()) in shown
    assert "path:" not in shown


def test_adding_the_folder_around_the_vault_leaves_the_vault_out(unlocked, qtbot,
                                                                 tmp_path) -> None:
    main = unlocked.main
    assert unlocked.session.vault.path.parent == tmp_path
    (tmp_path / "threat.txt").write_text("Pay or else")
    main.add_paths([tmp_path])
    qtbot.waitUntil(lambda: "added" in main.statusBar().currentMessage(), timeout=10_000)
    names = sorted(i.name for i in unlocked.session.vault.state.items.values())
    assert names == ["threat.txt"]


def test_adding_an_empty_folder_says_so(unlocked, tmp_path) -> None:
    empty = tmp_path / "empty"
    (empty / "inside").mkdir(parents=True)
    unlocked.main.add_paths([empty])
    assert unlocked.main.statusBar().currentMessage() == (
        f"No files found in {empty}; nothing was added.")
    assert unlocked.main.model.rowCount() == 0


def test_auto_lock_after_idle_drops_previews(unlocked, qtbot, tmp_path) -> None:
    main = unlocked.main
    main.add_paths([_files(tmp_path)[0]])
    qtbot.waitUntil(lambda: main.model.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(unlocked.session.locked, timeout=10_000) as locked:
        unlocked.safety.set_idle_minutes(0, seconds=0.3)
    assert locked.args == ["idle"]
    assert unlocked.main is None
    assert unlocked.session.vault is None
    assert unlocked.start.isVisible()
    assert "not used for a while" in unlocked.start.unlock_message.text()


def test_switch_to_german(controller) -> None:
    controller._language_chosen("de")
    try:
        assert controller.start.stack.currentIndex() == PAGE_WELCOME
        texts = " ".join(w.text() for w in controller.start.findChildren(type(
            controller.start.quick_exit)))
        assert "Tresor" in texts
    finally:
        controller.apply_language("en")


def test_withdraw_keeps_the_item_and_the_reason(unlocked, qtbot, tmp_path, monkeypatch) -> None:
    main = unlocked.main
    main.add_paths([_files(tmp_path)[1]])
    qtbot.waitUntil(lambda: main.model.rowCount() == 1, timeout=10_000)
    main.list.setCurrentIndex(main.proxy.index(0, 0))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("added by mistake", True))
    main.detail._withdraw()
    vault = unlocked.session.vault
    # The window refreshes when the background work reports back, not before.
    qtbot.waitUntil(lambda: not main.detail.withdraw_button.isEnabled(), timeout=10_000)
    item = next(iter(vault.state.items.values()))
    assert item.withdrawn
    assert item.withdrawn_reason == "added by mistake"
    assert main.model.rowCount() == 1


def test_lock_right_after_saving_drops_the_callback(unlocked, qtbot) -> None:
    """Locking while work is under way must not call back into windows that are gone."""
    import shiboken6

    from evidence_app.gui import workers
    from evidence_app.gui.case_dialog import CaseDialog

    dialog = CaseDialog(unlocked.session, unlocked.main)
    dialog.statement.setPlainText("Saved just before the quick exit.")
    dialog._save()
    unlocked.session.lock("user")
    shiboken6.delete(dialog)  # gone now, as after a quick exit, before the work reports back
    assert workers.wait_all(10_000)
    qtbot.wait(200)  # let queued signals arrive; pytest-qt fails the test on any exception
    assert unlocked.main is None
