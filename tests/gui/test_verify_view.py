"""The officer's Verify window with real bundles: a good one, a wrong passphrase, a tampered one."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDropEvent  # noqa: E402

from evidence_app.bundle.seal import Protection, seal  # noqa: E402
from evidence_app.gui.verify_view import VerifyWindow  # noqa: E402

pytestmark = pytest.mark.gui
TIMEOUT = 60_000


def wait_done(qtbot, win: VerifyWindow) -> None:
    qtbot.waitUntil(lambda: win.task is None, timeout=TIMEOUT)


def rows(win: VerifyWindow) -> list[tuple[str, bool]]:
    """(text, shown in red) for each check line (not the lines about timestamps)."""
    from evidence_app.gui.verify_result import TIME_ROW

    out = []
    for i in range(win.checks.count()):
        item = win.checks.item(i)
        if not item.data(TIME_ROW):
            out.append((item.text(), item.foreground().color().name() == "#b00020"))
    return out


def drop(win: VerifyWindow, path: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    win.dragEnterEvent(enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    win.dropEvent(event)
    return True


def test_good_bundle_with_a_passphrase(qtbot, window, filled, tmp_path):
    result = seal(filled, tmp_path / "out", Protection.with_new_passphrase())
    win = window
    assert win.verify_button.isEnabled() is False  # nothing chosen yet
    win.open_bundle(result.bundle_path)
    assert win.passphrase_row.isVisibleTo(win)
    assert not win.identity_row.isVisibleTo(win)
    # A wrong passphrase: a kind sentence, and the words stay for correcting.
    qtbot.keyClicks(win.passphrase, "wrong words here")
    qtbot.mouseClick(win.verify_button, Qt.MouseButton.LeftButton)
    assert win.cancel_button.isEnabled()
    wait_done(qtbot, win)
    assert "does not open this bundle" in win.key_message.text()
    assert "receipt" not in win.key_message.text()
    assert win.passphrase.text() == "wrong words here"
    assert win.checks.count() == 0
    win.passphrase.setText("  " + result.passphrase.replace(" ", "   ") + " ")
    qtbot.mouseClick(win.verify_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, win)
    assert win.report is not None
    assert win.report.ok
    assert "Verified" in win.headline.text()
    assert win.key_message.text() == ""
    lines = rows(win)
    assert lines
    assert all(text.startswith("✓") and not red for text, red in lines)
    # No receipt given: the key that signed is on a line of its own, to compare by eye.
    assert win.result.signer.text() == (f"Signed by key {result.fingerprint} — compare it "
                                        "with the receipt.")
    assert "compare the signer key with the receipt" in win.headline.text()
    assert result.sha256 in win.result.sha.text()
    assert win.summary["items"].text() == "2"
    assert win.summary["case"].text() == "POL-7"
    assert win.open_report.isEnabled()
    assert win.open_folder.isEnabled()
    folder = win.report.folder
    assert (folder / "data/report/report.html").is_file()
    assert filled.path not in folder.parents
    win.close()
    assert not folder.exists()  # the private folder goes with the window
    assert win.passphrase.text() == ""


def test_identity_bundle_shows_only_the_identity_field(qtbot, window, filled, tmp_path):
    key = tmp_path / "unit.txt"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    public = next(line.split(": ", 1)[1] for line in key.read_text().splitlines()
                  if "public key" in line)
    result = seal(filled, tmp_path / "out", Protection.for_recipients([public]))
    win = window
    assert drop(win, result.bundle_path)
    assert win.identity_row.isVisibleTo(win)
    assert not win.passphrase_row.isVisibleTo(win)
    win.identity.setText(str(tmp_path / "missing.txt"))
    qtbot.mouseClick(win.verify_button, Qt.MouseButton.LeftButton)
    assert "cannot be opened" in win.key_message.text()
    not_text = tmp_path / "photo.jpg"
    not_text.write_bytes(b"\xff\xd8\xff\xe0 not an identity \xff\xfe")
    win.identity.setText(str(not_text))
    qtbot.mouseClick(win.verify_button, Qt.MouseButton.LeftButton)
    assert "plain text" in win.key_message.text()  # before: decoded with "replace", unclear
    win.identity.setText(str(key))
    qtbot.mouseClick(win.verify_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, win)
    assert win.report.ok


def tamper(bundle: Path, tmp_path: Path) -> Path:
    """Flip one byte of the first evidence file and zip the bag again as the app lays it out."""
    unpacked = tmp_path / "unpacked"
    subprocess.run(["unzip", "-q", str(bundle), "-d", str(unpacked)], check=True)
    (folder,) = list(unpacked.iterdir())
    target = next((folder / "data/evidence").glob("0001-*"))
    data = bytearray(target.read_bytes())
    data[3] ^= 0x01
    target.write_bytes(bytes(data))
    tampered = tmp_path / "tampered" / bundle.name
    tampered.parent.mkdir()
    with zipfile.ZipFile(tampered, "w", zipfile.ZIP_STORED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{folder.name}/{path.relative_to(folder)}")
    return tampered


def test_tampered_bundle_names_the_changed_file(qtbot, window, filled, tmp_path):
    result = seal(filled, tmp_path / "out", Protection.unencrypted())
    tampered = tamper(result.bundle_path, tmp_path)
    target_name = next(z for z in zipfile.ZipFile(tampered).namelist()
                       if "/data/evidence/0001-" in z).rsplit("/", 1)[1]
    win = window
    assert drop(win, tampered)
    assert not win.identity_row.isVisibleTo(win)
    assert not win.passphrase_row.isVisibleTo(win)
    qtbot.mouseClick(win.verify_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, win)
    assert not win.report.ok
    assert "Not verified" in win.headline.text()
    rel = f"data/evidence/{target_name}"
    assert rel in win.failed_files()
    red = [text for text, is_red in rows(win) if is_red]
    assert any(rel in text and "✗" in text for text in red)
    assert all(text.startswith("✓") for text, is_red in rows(win) if not is_red)


def test_only_bundles_are_accepted_by_drop(window, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("x")
    assert not drop(window, other)
    assert window.bundle is None


SHOTS = os.environ.get("EVIDENCE_APP_SCREENSHOTS")


@pytest.mark.skipif(not SHOTS, reason="set EVIDENCE_APP_SCREENSHOTS=<folder> to save them")
@pytest.mark.parametrize("lang", ["en", "de"])
def test_screenshots(qtbot, filled, tmp_path, lang):
    from evidence_app.gui import workers
    from evidence_app.i18n import set_language

    set_language(lang)
    out = Path(SHOTS)
    out.mkdir(parents=True, exist_ok=True)
    good = seal(filled, tmp_path / "good", Protection.with_new_passphrase())
    plain = seal(filled, tmp_path / "plain", Protection.unencrypted())
    tampered = tamper(plain.bundle_path, tmp_path)
    win = VerifyWindow()
    qtbot.addWidget(win)
    win.resize(820, 720)
    win.show()

    def shot(name: str) -> None:
        qtbot.wait(50)
        assert win.grab().save(str(out / f"verify-{name}-{lang}.png"))

    shot("empty")
    win.open_bundle(good.bundle_path)
    win.passphrase.setText("wrong words")
    win.start_verify()
    wait_done(qtbot, win)
    shot("wrong-passphrase")
    win.passphrase.setText(good.passphrase)
    win.start_verify()
    wait_done(qtbot, win)
    shot("ok")
    win.open_bundle(tampered)
    win.start_verify()
    wait_done(qtbot, win)
    shot("failed")
    win.close()
    workers.wait_all()


def test_cancel_stops_the_check_and_the_window_stays_usable(qtbot, window, filled, tmp_path):
    result = seal(filled, tmp_path / "out", Protection.with_new_passphrase())
    win = window
    win.open_bundle(result.bundle_path)
    win.passphrase.setText(result.passphrase)
    qtbot.mouseClick(win.verify_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(win.cancel_button, Qt.MouseButton.LeftButton)  # during key derivation
    wait_done(qtbot, win)
    assert win.report is None
    assert "cancelled" in win.headline.text()
    assert win.verify_button.isEnabled()
    assert not win.cancel_button.isEnabled()
    assert win.passphrase.text() == result.passphrase


def test_a_bundle_that_cannot_be_decrypted_is_not_shown_as_read(qtbot, window, filled,
                                                                tmp_path):
    """A damaged encrypted bundle: nothing inside was read, so no "Items: 0" as if it had
    been counted; the window says its contents could not be read."""
    result = seal(filled, tmp_path / "out", Protection.with_new_passphrase())
    data = bytearray(result.bundle_path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit in the encrypted payload
    damaged = tmp_path / "damaged.zip.age"
    damaged.write_bytes(bytes(data))
    win = window
    win.open_bundle(damaged)
    win.passphrase.setText(result.passphrase)
    qtbot.mouseClick(win.verify_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, win)
    assert win.report is not None
    assert win.report.folder is None  # nothing was unpacked
    assert "Not verified" in win.headline.text()
    items = win.summary["items"]
    assert items.text() != "0"
    assert "could not be read" in items.text()
    assert not win.summary["sealed"].isVisibleTo(win)  # nothing read: no empty "Sealed at"
    assert not win.open_report.isEnabled()
