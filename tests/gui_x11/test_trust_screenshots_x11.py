"""Screenshots, in a real X server, of the trusted-time question and the Verify window with a
receipt that matches, one that does not, none, and an untrusted timestamp root.

Runs only when asked, writing into the folder named:
EVIDENCE_APP_TRUST_SHOTS=/tmp/shots EVIDENCE_APP_X11=1 .venv/bin/python -m pytest -q -m x11 \
    tests/gui_x11/test_trust_screenshots_x11.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evidence_app.bundle.seal import Protection, seal
from evidence_app.core.vault import Vault
from evidence_app.i18n import set_language
from tests.helpers import PASSPHRASE

OUT = os.environ.get("EVIDENCE_APP_TRUST_SHOTS", "")
pytestmark = [pytest.mark.x11,
              pytest.mark.skipif(not OUT, reason="set EVIDENCE_APP_TRUST_SHOTS=<folder>")]


def save(qtbot, widget, name: str) -> None:
    widget.show()
    widget.raise_()
    qtbot.waitExposed(widget)
    qtbot.wait(150)
    Path(OUT).mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(Path(OUT) / f"{name}.png"))


@pytest.mark.parametrize("language", ["en", "de"])
def test_consent_page(qtbot, qapp, tmp_path, language) -> None:
    from evidence_app.gui.app import AppController
    from evidence_app.gui.start_window import PAGE_TIMESTAMPS
    from evidence_app.settings import Settings

    set_language(language)
    try:
        controller = AppController(qapp, Settings(language=language,
                                                  vault_path=str(tmp_path / "v")))
        start = controller.start
        start.show_page(PAGE_TIMESTAMPS)
        save(qtbot, start, f"consent-{language}")
        start.close()
        qapp.removeEventFilter(controller.safety)
        controller.apply_language("en")  # Qt's own words too, for the shots that follow
    finally:
        set_language("en")


def test_timestamps_dialog(qtbot, session, tsa, tsa_pki) -> None:
    from evidence_app.gui.timestamp_dialog import TimestampDialog
    from evidence_app.timestamp import enable, flush_queue

    vault = session.vault
    enable(vault, ["digicert", tsa.url], extra_roots_pem=tsa_pki.root_pem.read_text(),
           ots=False)
    vault.add_bytes(b"Send 500 EUR or else.\n", "threat.txt", source={"type": "test"})
    flush_queue(vault)
    vault.add_bytes(b"later", "later.png", source={"type": "test"})
    dialog = TimestampDialog(session)
    qtbot.addWidget(dialog)
    save(qtbot, dialog, "timestamps-dialog")


def test_verify_window(qtbot, tmp_path, tsa, tsa_pki) -> None:
    from evidence_app.gui import workers
    from evidence_app.gui.verify_view import VerifyWindow
    from evidence_app.timestamp import enable, flush_queue

    vault, _key = Vault.create(tmp_path / "vault", PASSPHRASE)
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(), ots=False)
    vault.add_bytes(b"Send 500 EUR or else.\n", "threat.txt", source={"type": "test"})
    vault.add_bytes(b"IBAN DE89 3704 0044 0532 0130 00\n", "payment.txt",
                    source={"type": "test"})
    vault.update_case({"reference": "POL-2026-0042"})
    flush_queue(vault)
    good = seal(vault, tmp_path / "good", Protection.unencrypted())
    other, _key = Vault.create(tmp_path / "other", PASSPHRASE)
    other.add_bytes(b"x", "x.txt", source={"type": "test"})
    foreign = seal(other, tmp_path / "foreign", Protection.unencrypted())
    vault.lock()
    other.lock()

    def receipt(result):
        return next(p for p in result.receipt_paths if p.name.endswith(".receipt.txt"))

    win = VerifyWindow()
    qtbot.addWidget(win)
    win.resize(860, 900)

    def check(name: str) -> None:
        win.start_verify()
        qtbot.waitUntil(lambda: win.task is None, timeout=60_000)
        save(qtbot, win, name)

    save(qtbot, win, "verify-empty")
    win.open_bundle(good.bundle_path)
    check("verify-no-receipt-untrusted-root")
    win.trust.add_root_file(tsa_pki.root_pem)
    check("verify-no-receipt")
    win.trust.load_receipt(receipt(good))
    check("verify-match")
    win.trust.load_receipt(receipt(foreign))
    check("verify-mismatch")
    win.trust.receipt = None
    win.trust.fingerprint.setText("SHA256:abc")
    win.start_verify()
    save(qtbot, win, "verify-malformed")
    win.close()
    workers.wait_all()
