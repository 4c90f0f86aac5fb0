""""Open folder" on a computer that has no program for showing folders (a bare desktop, a
live USB system): it says where the files are, with a button that copies the path, instead
of doing nothing. Driven through the seal wizard's last page and the Verify window, with
xdg-open missing, failing, or working (a stand-in script on PATH)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton  # noqa: E402

from evidence_app.bundle.seal import Protection, SealResult, seal  # noqa: E402

pytestmark = [pytest.mark.gui,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xdg-open")]


def _where_dialogs() -> list[QDialog]:
    """Visible windows that say where something is and offer to copy the path."""
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.isVisible() and w.findChild(QLineEdit) is not None
            and any("Copy" in b.text() for b in w.findChildren(QPushButton))]


def _path_env(monkeypatch, tmp_path: Path, xdg_open_exit: int | None) -> Path:
    """PATH with only a stand-in xdg-open (None: no xdg-open at all); returns its log."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "xdg-open.log"
    if xdg_open_exit is not None:
        script = bin_dir / "xdg-open"
        script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\nexit {xdg_open_exit}\n')
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir))
    return log


def _result_page(qtbot, folder: Path):
    from evidence_app.gui.seal_wizard import ResultPage

    bundle = folder / "case-POL-7.zip"
    bundle.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    page = ResultPage()
    qtbot.addWidget(page)
    page.show()
    page.show_result(SealResult(
        name="case-POL-7", bundle_path=bundle, sha256="0" * 64, size=22, item_count=1,
        fingerprint="SHA256:x", protection="none", passphrase=None,
        sealed_at="2026-03-03T10:00:00Z", receipt_paths=[], case_reference="POL-7"))
    return page


def test_no_file_manager_says_where_the_bundle_is(qtbot, tmp_path, monkeypatch) -> None:
    _path_env(monkeypatch, tmp_path, None)
    out = tmp_path / "USB stick"
    out.mkdir()
    page = _result_page(qtbot, out)
    qtbot.mouseClick(page.open_folder, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(_where_dialogs()), timeout=5_000)
    dialog = _where_dialogs()[0]
    assert dialog.findChild(QLineEdit).text() == str(out)
    copy = next(b for b in dialog.findChildren(QPushButton) if "Copy" in b.text())
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == str(out)
    dialog.close()


def test_a_failing_xdg_open_is_not_silent(qtbot, tmp_path, monkeypatch) -> None:
    log = _path_env(monkeypatch, tmp_path, 3)  # xdg-open: "no method available"
    page = _result_page(qtbot, tmp_path)
    qtbot.mouseClick(page.open_folder, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(_where_dialogs()), timeout=5_000)
    assert log.read_text().split("\n")[0] == str(tmp_path)
    _where_dialogs()[0].close()


def test_a_working_file_manager_is_just_used(qtbot, tmp_path, monkeypatch) -> None:
    log = _path_env(monkeypatch, tmp_path, 0)
    page = _result_page(qtbot, tmp_path)
    qtbot.mouseClick(page.open_folder, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: log.is_file(), timeout=5_000)
    qtbot.wait(300)
    assert log.read_text().strip() == str(tmp_path)
    assert _where_dialogs() == []


def test_verify_window_open_folder_too(qtbot, window, filled, tmp_path, monkeypatch) -> None:
    result = seal(filled, tmp_path / "out", Protection.unencrypted())
    window.open_bundle(result.bundle_path)
    qtbot.mouseClick(window.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.task is None, timeout=60_000)
    assert window.report is not None
    _path_env(monkeypatch, tmp_path, None)
    qtbot.mouseClick(window.open_folder, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(_where_dialogs()), timeout=5_000)
    shown = _where_dialogs()[0].findChild(QLineEdit).text()
    assert Path(shown) == window.report.folder
    assert os.path.isdir(shown)
    _where_dialogs()[0].close()
