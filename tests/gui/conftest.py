"""Fixtures of the Verify window tests: a filled vault, the window, a local test TSA."""

from __future__ import annotations

import io

import pytest

from tests.timestamp.conftest import tsa, tsa_pki  # noqa: F401 - fixtures for these tests


@pytest.fixture
def filled(vault):
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(png, "PNG")
    vault.add_bytes(b"Send 500 EUR or else.\n", "threat.txt", source={"type": "test"})
    vault.add_bytes(png.getvalue(), "screenshot.png", source={"type": "test"})
    vault.update_case({"reference": "POL-7"})
    return vault


@pytest.fixture
def window(qtbot):
    from evidence_app.gui import workers
    from evidence_app.gui.verify_view import VerifyWindow

    win = VerifyWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    workers.wait_all()
