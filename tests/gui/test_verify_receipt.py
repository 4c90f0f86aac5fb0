"""The Verify window compares the bundle with the receipt, from outside the bundle: the
receipt file or a typed fingerprint, and the officer's own trust roots for timestamps."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from evidence_app.bundle.seal import Protection, SealResult, seal  # noqa: E402
from evidence_app.core.vault import Vault  # noqa: E402
from evidence_app.gui.verify_result import TIME_ROW  # noqa: E402
from evidence_app.gui.verify_view import VerifyWindow  # noqa: E402
from tests.gui.test_verify_view import drop, rows, wait_done  # noqa: E402
from tests.helpers import PASSPHRASE  # noqa: E402

pytestmark = pytest.mark.gui


def receipt(result: SealResult) -> Path:
    return next(p for p in result.receipt_paths if p.name.endswith(".receipt.txt"))


@pytest.fixture
def sealed(filled, tmp_path) -> SealResult:
    return seal(filled, tmp_path / "out", Protection.unencrypted())


@pytest.fixture
def other_receipt(tmp_path) -> Path:
    """The receipt of a bundle from another vault (another signer key, another SHA-256)."""
    other, _key = Vault.create(tmp_path / "other-vault", PASSPHRASE)
    other.add_bytes(b"something else", "other.txt", source={"type": "test"})
    result = seal(other, tmp_path / "other-out", Protection.unencrypted())
    other.lock()
    return receipt(result)


def verify(qtbot, win: VerifyWindow) -> None:
    qtbot.mouseClick(win.verify_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, win)


def test_the_genuine_receipt_matches(qtbot, window, sealed) -> None:
    win = window
    win.open_bundle(sealed.bundle_path)
    assert win.trust.load_receipt(receipt(sealed))
    assert win.trust.fingerprint.text() == sealed.fingerprint
    assert sealed.sha256 in win.trust.receipt_note.text()
    verify(qtbot, win)
    assert win.report.ok
    assert win.report.pinned
    assert win.result.signer.text() == (f"Signed by key {sealed.fingerprint} — matches the "
                                        "receipt.")
    assert win.result.sha.text() == f"Bundle SHA-256: {sealed.sha256} — matches the receipt."
    assert win.headline.text() == "✓ Verified — every check passed and it matches the receipt"
    assert not win.result.explain.isVisibleTo(win)
    texts = [text for text, _red in rows(win)]
    assert "✓  Signer key compared with the receipt" in texts
    assert "✓  Bundle SHA-256 compared with the receipt" in texts


def test_another_vaults_receipt_does_not_match(qtbot, window, sealed, other_receipt) -> None:
    win = window
    assert drop(win, sealed.bundle_path)
    assert drop(win, other_receipt)  # a receipt can be dropped on the window too
    assert win.trust.receipt is not None
    verify(qtbot, win)
    assert not win.report.ok
    assert "Not verified" in win.headline.text()
    assert "does NOT match the receipt" in win.result.signer.text()
    assert "does NOT match the receipt" in win.result.sha.text()
    assert "Verified —" not in win.headline.text()
    red = [text for text, is_red in rows(win) if is_red]
    assert any("Signer key compared with the receipt" in t and "does NOT match" in t for t in red)
    assert not win.result.mismatch_hint.isVisibleTo(win)  # read from a file, not typed


def test_a_malformed_fingerprint_is_said_in_place(qtbot, window, sealed) -> None:
    win = window
    win.open_bundle(sealed.bundle_path)
    win.trust.fingerprint.setFocus()
    qtbot.keyClicks(win.trust.fingerprint, "SHA256:tooshort")
    verify(qtbot, win)
    assert win.report is None  # nothing was checked
    assert "is not a signer key fingerprint" in win.trust.message.text()
    assert win.trust.message.isVisibleTo(win)
    # Typing it right clears the message; the typed value is compared, the SHA-256 is left
    # for the officer to compare by eye.
    win.trust.fingerprint.selectAll()
    qtbot.keyClicks(win.trust.fingerprint, sealed.fingerprint)
    assert win.trust.message.text() == ""
    verify(qtbot, win)
    assert win.report.ok
    assert "matches the receipt." in win.result.signer.text()
    assert win.result.sha.text().endswith("compare it with the receipt.")


def test_a_typed_fingerprint_that_differs_gets_a_typing_hint(qtbot, window, sealed) -> None:
    win = window
    win.open_bundle(sealed.bundle_path)
    typo = sealed.fingerprint[:-1] + ("A" if sealed.fingerprint[-1] != "A" else "B")
    win.trust.fingerprint.setText(f"Signer key fingerprint:  {typo}")  # a pasted line
    verify(qtbot, win)
    assert not win.report.ok
    assert "does NOT match the receipt" in win.result.signer.text()
    assert win.result.mismatch_hint.isVisibleTo(win)


def test_a_file_that_is_no_receipt(qtbot, window, sealed, tmp_path) -> None:
    bogus = tmp_path / "notes.receipt.txt"
    bogus.write_text("nothing to see here\n")
    win = window
    win.open_bundle(sealed.bundle_path)
    assert not win.trust.load_receipt(bogus)
    assert "does not look like a receipt" in win.trust.message.text()
    assert win.trust.receipt is None


def test_an_officers_own_root_confirms_the_time(qtbot, window, vault, tsa, tsa_pki,
                                                tmp_path) -> None:
    from evidence_app.timestamp import enable, flush_queue

    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(), ots=False)
    vault.add_bytes(b"threat", "threat.txt", source={"type": "test"})
    assert flush_queue(vault).error is None
    result = seal(vault, tmp_path / "out", Protection.unencrypted())
    win = window
    win.open_bundle(result.bundle_path)
    win.trust.load_receipt(receipt(result))
    verify(qtbot, win)
    # The test authority's root is not shipped: the time is not confirmed, and never "verified".
    assert win.report.verdict == "time_unconfirmed"
    assert win.headline.text().startswith("⚠ Not verified")
    assert "Add trusted root" in win.result.explain.text()
    assert any(t.startswith("⚠") and "unknown root" in t for t, _red in rows(win))
    assert win.trust.add_root_file(tsa_pki.root_pem)
    assert tsa_pki.root_pem.name in win.trust.roots_note.text()
    verify(qtbot, win)
    assert win.report.ok
    times = [win.checks.item(i).text() for i in range(win.checks.count())
             if win.checks.item(i).data(TIME_ROW)]
    assert times[0] == "What the timestamps show:"
    assert any("time confirmed by Test TSA" in t for t in times)
    win.trust.clear_roots()
    assert win.trust.extra_roots() == []
