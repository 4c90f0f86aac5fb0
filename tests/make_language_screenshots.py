"""Proof that Arabic, Thai, Burmese and Vietnamese render: screenshots and report pages.

For each language: the main window and the seal result page under docs/screenshots/
(main-<code>.png, seal-result-<code>.png) and page 1 of the sealed report.pdf rendered with
pdftoppm under docs/report-samples/<code>-page-1.png. Run under a real X server:

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tests/make_language_screenshots.py

Everything is driven through the real widgets and the real seal, in a temporary HOME.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWizard  # noqa: E402

from tests.make_screenshots import (  # noqa: E402  (sets a temporary HOME on import)
    _HOME,
    PASSPHRASE,
    sample_files,
    settle,
    wait_for,
)

LANGUAGES = ("ar", "th", "my", "vi")


def report_page(vault, code: str, out: Path) -> Path:
    """Seal an unencrypted copy in `code` and render page 1 of its report.pdf at 60 dpi."""
    from evidence_app.bundle.seal import Protection, seal

    work = Path(tempfile.mkdtemp(prefix=f"report-{code}-", dir=_HOME))
    result = seal(vault, work, Protection.unencrypted(), report_language=code)
    with zipfile.ZipFile(result.bundle_path) as zf:
        name = next(n for n in zf.namelist() if n.endswith("/data/report/report.pdf"))
        (work / "report.pdf").write_bytes(zf.read(name))
    target = out / f"{code}-page-1"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(work / "report.pdf"), str(target)], check=True)
    return target.with_suffix(".png")


def run(code: str, shots: Path, samples: Path, app: QApplication) -> None:
    import os

    from evidence_app.gui.app import AppController
    from evidence_app.gui.seal_wizard import RESULT, SealWizard
    from evidence_app.gui.start_window import PAGE_CREATE
    from evidence_app.settings import Settings

    home = Path(_HOME) / code
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    controller = AppController(app, Settings(language=code))
    start = controller.start
    start.show()
    start.show_page(PAGE_CREATE)
    start.new_pass.setText(PASSPHRASE)
    start.new_pass2.setText(PASSPHRASE)
    start._create()
    wait_for(app, lambda: bool(start.recovery_key))
    start.written_down.setChecked(True)
    start.recovery_done.click()
    main = controller.main
    assert main is not None
    main.add_paths(sample_files(home / "files"))
    wait_for(app, lambda: main.model.rowCount() == 3 and not controller.session.busy)
    controller.session.vault.update_case({
        "reference": "POL-2026-0042",
        "statement": "He contacted me on Instagram in March and asked for photos.",
        "platforms": ["Instagram"],
    })
    main.list.setCurrentIndex(main.proxy.index(2, 0))
    settle(app)
    main.grab().save(str(shots / f"main-{code}.png"))

    wizard = SealWizard(controller.session, main)
    wizard.resize(820, 640)
    wizard.show()
    nxt = wizard.button(QWizard.WizardButton.NextButton)
    for _step in range(3):  # items -> case -> protection -> save
        settle(app, 50)
        nxt.click()
    wizard.save_page.folder.setText(str(home / "USB-STICK"))
    nxt.click()
    wait_for(app, lambda: wizard.currentId() == RESULT, timeout_ms=60_000)
    settle(app)
    wizard.grab().save(str(shots / f"seal-result-{code}.png"))
    wizard.close()

    report_page(controller.session.vault, code, samples)
    controller.session.lock("user")
    for widget in app.topLevelWidgets():
        widget.close()
    app.removeEventFilter(controller.safety)
    controller.apply_language("en")  # takes its Qt translator out before the next language


def main() -> None:
    shots = ROOT / "docs" / "screenshots"
    samples = ROOT / "docs" / "report-samples"
    shots.mkdir(parents=True, exist_ok=True)
    samples.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    for code in sys.argv[1:] or LANGUAGES:
        run(code, shots, samples, app)
        print(f"{code}: main-{code}.png, seal-result-{code}.png, {code}-page-1.png")


if __name__ == "__main__":
    main()
