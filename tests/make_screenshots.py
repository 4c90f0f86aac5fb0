"""Screenshots of every screen, in English and German, for docs/screenshots/.

Run under a real X server: `make screenshots` (xvfb-run). Each screen is driven through its
real widgets with a fresh vault in a temporary HOME; nothing here is a mock-up.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "fastkdf"))
import fastkdf  # noqa: E402  (cheap Argon2, test-only code)

fastkdf.everywhere()
_HOME = tempfile.mkdtemp(prefix="evidence-shots-")
os.environ["HOME"] = _HOME
os.environ["XDG_DATA_HOME"] = f"{_HOME}/data"
os.environ["XDG_CONFIG_HOME"] = f"{_HOME}/config"
os.environ["EVIDENCE_APP_LOG_DIR"] = f"{_HOME}/logs"

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from evidence_app.gui.app import AppController  # noqa: E402
from evidence_app.gui.start_window import (  # noqa: E402
    PAGE_CREATE,
    PAGE_TIMESTAMPS,
    PAGE_UNLOCK,
    PAGE_WELCOME,
)
from evidence_app.settings import Settings  # noqa: E402

PASSPHRASE = "blue river quiet morning"
ROOT = Path(__file__).resolve().parents[1]
CHAT_SAMPLE = (Path(__file__).resolve().parent / "assets" / "chats" / "whatsapp"
               / "android_en_12h" / "WhatsApp Chat with Sam Fiction.txt")


def settle(app: QApplication, ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def wait_for(app: QApplication, condition, timeout_ms: int = 15_000) -> None:
    waited = 0
    while not condition() and waited < timeout_ms:
        settle(app, 50)
        waited += 50
    if not condition():
        raise RuntimeError("screen did not appear in time")


def shot(app: QApplication, widget: QWidget, out: Path, name: str, lang: str) -> None:
    settle(app)
    widget.grab().save(str(out / f"{name}-{lang}.png"))


def sample_files(folder: Path) -> list[Path]:
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    from PIL import ImageFont

    font = ImageFont.truetype(str(ROOT / "resources" / "fonts" / "NotoSans-Regular.ttf"), 22)
    img = Image.new("RGB", (640, 400), (236, 229, 221))
    draw = ImageDraw.Draw(img)
    for n, text in enumerate(["Send 500 USDT now", "or I post the pictures", "You have 2 hours"]):
        draw.rounded_rectangle((30, 30 + n * 110, 420, 110 + n * 110), 18, fill=(255, 255, 255))
        draw.text((50, 55 + n * 110), text, fill=(20, 20, 20), font=font)
    img.save(folder / "threat-chat.png")
    Image.new("RGB", (400, 300), (90, 120, 160)).save(folder / "profile-photo.jpg")
    (folder / "bank-transfer.txt").write_text("Transfer 500 EUR to DE89370400440532013000\n")
    return sorted(folder.iterdir())


def chat_and_reader(app: QApplication, main, session, out: Path, lang: str) -> None:
    """A chat import (the export with what the app made from it underneath) and the
    transcript read in the app, as bubbles."""
    from evidence_app.chats.importer import import_chat

    export = CHAT_SAMPLE
    session.run(lambda vault, progress=None, cancel=None:
                import_chat(vault, export, me="Alex Example", cancel=cancel))
    main.refresh()
    wait_for(app, lambda: main.model.rowCount() == 4 and not session.busy)
    top = next(main.proxy.index(r, 0) for r in range(main.proxy.rowCount())
               if main.proxy.rowCount(main.proxy.index(r, 0)))
    main.list.expand(top)
    main.list.setCurrentIndex(main.proxy.index(0, 0, top))
    shot(app, main, out, "main-chat", lang)
    main.detail.open_reader()
    reader = main.detail.reader
    wait_for(app, lambda: reader.pane is not None)
    reader.resize(900, 640)
    shot(app, reader, out, "reader-chat", lang)
    reader.close()


def run(lang: str, out: Path, app: QApplication) -> None:
    home = Path(_HOME) / lang
    os.environ["XDG_DATA_HOME"] = str(home / "data")  # a fresh default vault location
    settings = Settings(language=lang)
    controller = AppController(app, settings)
    start = controller.start
    start.show()
    start.show_page(0)
    shot(app, start, out, "language", lang)
    start.show_page(PAGE_WELCOME)
    shot(app, start, out, "welcome", lang)
    start.show_page(PAGE_TIMESTAMPS)
    shot(app, start, out, "consent", lang)
    start.consent.no.setChecked(True)  # screenshots never contact a real time-stamp service
    start.show_page(PAGE_CREATE)
    start.new_pass.setText(PASSPHRASE)
    start.new_pass2.setText(PASSPHRASE)
    shot(app, start, out, "create", lang)
    start._create()
    wait_for(app, lambda: bool(start.recovery_key))
    shot(app, start, out, "recovery-key", lang)
    start.written_down.setChecked(True)
    start.recovery_done.click()
    main = controller.main
    assert main is not None
    main.add_paths(sample_files(home / "files"))
    wait_for(app, lambda: main.model.rowCount() == 3 and not controller.session.busy)
    # the words in the threat picture are read in the background (Settings: on by default)
    wait_for(app, lambda: not controller.session.picture_reader.running
             and not controller.session.busy)
    main.list.setCurrentIndex(main.proxy.index(2, 0))
    shot(app, main, out, "main", lang)
    main.search.setText("USDT")  # the list finds the picture by a word inside it
    wait_for(app, lambda: main.proxy.rowCount() == 1)
    main.list.setCurrentIndex(main.proxy.index(0, 0))
    shot(app, main, out, "main-picture-words", lang)
    main.search.clear()
    main.set_grid(True)
    shot(app, main, out, "main-grid", lang)
    main.set_grid(False)
    chat_and_reader(app, main, controller.session, out, lang)
    from evidence_app.gui.case_dialog import CaseDialog
    from evidence_app.gui.settings_dialog import SettingsDialog

    case = CaseDialog(controller.session, main)
    case.statement.setPlainText("He contacted me on Instagram in March and asked for photos.")
    case.show()
    shot(app, case, out, "case-details", lang)
    case.discard()  # the statement was only for the picture (close() would keep it)
    dialog = SettingsDialog(controller.session.settings, main)
    dialog.show()
    shot(app, dialog, out, "settings", lang)
    dialog.close()
    from evidence_app.gui.timestamp_dialog import TimestampDialog

    stamps = TimestampDialog(controller.session, main)
    stamps.show()
    shot(app, stamps, out, "timestamps", lang)
    stamps.close()
    controller.session.lock("idle")
    wait_for(app, lambda: start.isVisible())
    start.show_page(PAGE_UNLOCK)
    shot(app, start, out, "unlock", lang)
    for widget in app.topLevelWidgets():
        widget.close()
    app.removeEventFilter(controller.safety)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    for lang in ("en", "de"):
        run(lang, out, app)
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()
