"""The seal wizard driven through its real widgets, checked with the real `verify` command."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtWidgets import QWizard  # noqa: E402

from evidence_app.gui.seal_wizard import CASE, PROGRESS, PROTECT, RESULT, SAVE, SealWizard  # noqa: E402
from tests.helpers import run_cli  # noqa: E402

pytestmark = pytest.mark.gui
NEXT = QWizard.WizardButton.NextButton
SEAL_TIMEOUT = 60_000


def fill_vault(vault) -> None:
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(png, "PNG")
    vault.add_bytes(b"Pay or I send the video.\n", "threat.txt", source={"type": "test"})
    vault.add_bytes(png.getvalue(), "screenshot.png", source={"type": "test"})
    vault.add_bytes(png.getvalue()[:-1] + b"\x00", "private.png", source={"type": "test"},
                    sensitive=True)
    vault.update_case({
        "reference": "POL-2026-0042",
        "statement": "Someone on Instagram threatened to send pictures to my family.",
        "incident_dates": ["2026-03-01"],
        "platforms": ["Instagram"],
        "offender_accounts": [{"platform": "Instagram", "identifier": "@luxurylifecoach"}],
        "payments": [{"date": "2026-03-02", "amount": "500", "currency": "EUR",
                      "method": "bank transfer", "recipient": "J. Doe"}],
    })


@pytest.fixture
def session(vault, qtbot):
    from evidence_app.gui import workers
    from evidence_app.gui.session import Session
    from evidence_app.settings import Settings

    fill_vault(vault)
    s = Session(Settings(read_pictures=False))  # reading pictures is not tested here
    s.vault = vault
    yield s
    workers.wait_all()


def click_next(qtbot, wizard: SealWizard) -> None:
    button = wizard.button(NEXT)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_option(qtbot, button) -> None:
    """Click a radio button on its circle (its label may not fill the row)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(6, button.height() // 2))
    assert button.isChecked()


def open_wizard(qtbot, session, **kw) -> SealWizard:
    wizard = SealWizard(session, **kw)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def to_protection(qtbot, wizard: SealWizard) -> None:
    click_next(qtbot, wizard)
    assert wizard.currentId() == CASE
    click_next(qtbot, wizard)
    assert wizard.currentId() == PROTECT


def seal_into(qtbot, wizard: SealWizard, out: Path) -> None:
    click_next(qtbot, wizard)
    assert wizard.currentId() == SAVE
    wizard.save_page.folder.setText(str(out))
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == RESULT, timeout=SEAL_TIMEOUT)


def test_items_and_case_pages(qtbot, session):
    wizard = open_wizard(qtbot, session)
    page = wizard.items_page
    assert page.chosen_ids() == ["1", "2", "3"]
    sensitive = [r.text(4) for r in page.rows()]
    assert sensitive == ["", "", "sensitive"]
    page._set_all(Qt.CheckState.Unchecked)
    assert not wizard.button(NEXT).isEnabled()
    page.rows()[1].setCheckState(0, Qt.CheckState.Checked)
    assert page.chosen_ids() == ["2"]
    click_next(qtbot, wizard)
    text = wizard.case_page.text.toPlainText()
    for expected in ("POL-2026-0042", "threatened", "@luxurylifecoach", "500 EUR", "Instagram"):
        assert expected in text
    assert wizard.case_page.text.isReadOnly()


def test_case_page_shows_how_to_reach_me_apart_from_the_offender(qtbot, session, vault):
    """What goes into the report is what the person reviews: "How to reach me" included,
    under its own heading, never among the offender's accounts."""
    vault.update_case(dict(vault.state.case, contact="ben.victim@example.org\n+49 170 1234567"))
    wizard = open_wizard(qtbot, session)
    click_next(qtbot, wizard)
    text = wizard.case_page.text.toPlainText()
    own = text.index("How the police can reach you")
    offender = text.index("Accounts used by the offender:")
    for value in ("ben.victim@example.org", "+49 170 1234567"):
        assert own < text.index(value) < offender
    assert "Bank transfer" in text  # the report's words, not the stored "bank transfer"


def test_items_page_names_kinds_and_sizes_as_the_rest_of_the_app(qtbot, session, vault):
    from evidence_app.formatting import human_size
    from evidence_app.item_kinds import kind_words

    wizard = open_wizard(qtbot, session)
    rows = wizard.items_page.rows()
    assert [r.text(2) for r in rows] == ["Text", "Picture", "Picture"]
    for row in rows:
        item = vault.item(row.text(0))
        assert row.text(2) == kind_words(item.kind, item.media_type)
        assert row.text(3) == human_size(item.size)
        assert "/" not in row.text(2)


def test_preselected_items(qtbot, session):
    wizard = open_wizard(qtbot, session, preselected=["3"])
    assert wizard.items_page.chosen_ids() == ["3"]


def test_passphrase_mode_end_to_end(qtbot, session, tmp_path):
    wizard = open_wizard(qtbot, session)
    to_protection(qtbot, wizard)
    assert wizard.protect_page.mode() == "passphrase"  # the default
    said: list[str] = []
    shown = wizard.progress_page.show_progress

    def watch(done: int, total: int, message: str) -> None:
        shown(done, total, message)
        said.append(wizard.progress_page.current.text())

    wizard.progress_page.show_progress = watch
    seal_into(qtbot, wizard, tmp_path / "out")
    # Every step in words, never the step's code ("custody log", "receipts"...).
    assert "Writing the receipts…" in said
    assert "Recording the bundle in the custody log…" in said
    assert not any(text in {"Sealing: report", "Sealing: receipts", "Sealing: custody log"}
                   for text in said)
    page = wizard.result_page
    bundle = wizard.sealed
    assert bundle is not None
    assert bundle.is_file()
    assert bundle.name.endswith(".zip.age")
    assert bundle.name.startswith("POL-2026-0042-")
    passphrase = page.passphrase.text()
    assert len(passphrase.split()) >= 6
    assert page.sha.text() == page.result.sha256
    assert all(p.is_file() for p in page.result.receipt_paths)
    assert "by phone" in page.next_steps.text()
    assert not page.pass_box.isHidden()
    sheet = page.sheet().toPlainText()  # what "Print passphrase sheet" prints
    assert passphrase in sheet
    assert bundle.name in sheet
    # Finish waits until the person confirms the passphrase was written down.
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    page.noted.setChecked(True)
    assert finish.isEnabled()
    # The passphrase was never written to disk.
    for path in (tmp_path / "out").iterdir():
        if path.suffix == ".txt":
            assert passphrase not in path.read_text("utf-8")
    run = run_cli("verify", str(bundle), env={"EVIDENCE_APP_BUNDLE_PASSPHRASE": passphrase})
    assert run.returncode == 0, run.stdout + run.stderr
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    assert page.passphrase.text() == ""  # forgotten when the window closes


def age_keypair(tmp: Path) -> tuple[Path, str]:
    key = tmp / "unit-key.txt"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    public = next(line.split(": ", 1)[1] for line in key.read_text().splitlines()
                  if "public key" in line)
    return key, public


def test_recipient_mode_validates_the_key_and_seals(qtbot, session, tmp_path):
    identity, public = age_keypair(tmp_path)
    wizard = open_wizard(qtbot, session)
    to_protection(qtbot, wizard)
    page = wizard.protect_page
    click_option(qtbot, page.recipient)
    assert page.mode() == "recipient"
    assert not wizard.button(NEXT).isEnabled()  # no key yet
    qtbot.keyClicks(page.key, public[:-3] + "xyz")
    assert "not a valid age public key" in page.hint.text()
    assert not wizard.button(NEXT).isEnabled()
    page.key.clear()
    key_file = tmp_path / "police-unit.txt"
    key_file.write_text(f"# Cybercrime unit\n{public}\n", "utf-8")
    page.load_key_file(key_file)
    assert page.key.text() == public
    assert "valid police key" in page.hint.text()
    assert wizard.button(NEXT).isEnabled()
    seal_into(qtbot, wizard, tmp_path / "out")
    result = wizard.result_page
    assert result.pass_box.isHidden()
    assert "by phone" not in result.next_steps.text()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    run = run_cli("verify", str(wizard.sealed), "--identity", str(identity))
    assert run.returncode == 0, run.stdout + run.stderr
    (tmp_path / "other").mkdir()
    wrong, _public = age_keypair(tmp_path / "other")
    run = run_cli("verify", str(wizard.sealed), "--identity", str(wrong))
    assert run.returncode != 0


def test_no_encryption_needs_confirmation(qtbot, session, tmp_path):
    wizard = open_wizard(qtbot, session)
    to_protection(qtbot, wizard)
    page = wizard.protect_page
    click_option(qtbot, page.none)
    assert not wizard.button(NEXT).isEnabled()
    assert page.none_box.isVisibleTo(page)
    assert not page.key_box.isVisibleTo(page)
    page.confirm.setChecked(True)
    assert wizard.button(NEXT).isEnabled()
    seal_into(qtbot, wizard, tmp_path / "out")
    assert wizard.sealed.name.endswith(".zip")
    assert not wizard.sealed.name.endswith(".age")
    assert "not encrypted" in wizard.result_page.protection.text()
    run = run_cli("verify", str(wizard.sealed))
    assert run.returncode == 0, run.stdout + run.stderr


def test_cancel_during_sealing_leaves_no_bundle(qtbot, session, tmp_path):
    out = tmp_path / "out"
    wizard = open_wizard(qtbot, session)
    to_protection(qtbot, wizard)
    click_next(qtbot, wizard)
    wizard.save_page.folder.setText(str(out))
    click_next(qtbot, wizard)
    assert wizard.currentId() == PROGRESS
    assert wizard.task is not None
    cancel = wizard.button(QWizard.WizardButton.CancelButton)
    assert cancel.text().replace("&", "") == "Cancel sealing"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert wizard.isVisible()  # cancelling the work does not close the window
    qtbot.waitUntil(lambda: wizard.currentId() == SAVE, timeout=SEAL_TIMEOUT)
    assert "cancelled" in wizard.save_page.note.text()
    assert wizard.task is None
    assert not out.exists() or list(out.iterdir()) == []  # no bundle, receipt or temp file
    assert not session.vault.state.seals
    assert wizard.button(NEXT).isEnabled()  # the person can try again from here


def test_a_file_is_not_a_folder(qtbot, session, tmp_path):
    not_folder = tmp_path / "file.txt"
    not_folder.write_text("x")
    wizard = open_wizard(qtbot, session)
    to_protection(qtbot, wizard)
    click_next(qtbot, wizard)
    wizard.save_page.folder.setText(str(not_folder / "bundles"))
    click_next(qtbot, wizard)
    assert wizard.currentId() == SAVE
    assert "is a file, not a folder" in wizard.save_page.note.text()


def test_locking_closes_the_wizard_and_forgets_the_passphrase(qtbot, session, tmp_path):
    wizard = open_wizard(qtbot, session)
    to_protection(qtbot, wizard)
    seal_into(qtbot, wizard, tmp_path / "out")
    assert wizard.result_page.passphrase.text()
    session.lock("quick_exit")
    assert not wizard.isVisible()
    assert wizard.result_page.passphrase.text() == ""


SHOTS = os.environ.get("EVIDENCE_APP_SCREENSHOTS")


@pytest.mark.skipif(not SHOTS, reason="set EVIDENCE_APP_SCREENSHOTS=<folder> to save them")
@pytest.mark.parametrize("lang", ["en", "de"])
def test_screenshots(qtbot, session, tmp_path, lang):
    from evidence_app.i18n import set_language

    set_language(lang)
    out = Path(SHOTS)
    out.mkdir(parents=True, exist_ok=True)
    wizard = open_wizard(qtbot, session)
    wizard.resize(820, 640)

    def shot(name: str) -> None:
        qtbot.wait(50)
        assert wizard.grab().save(str(out / f"seal-{name}-{lang}.png"))

    shot("items")
    click_next(qtbot, wizard)
    shot("case")
    click_next(qtbot, wizard)
    shot("protection")
    click_option(qtbot, wizard.protect_page.recipient)
    qtbot.keyClicks(wizard.protect_page.key, "age1notquiteakey")
    shot("protection-key")
    click_option(qtbot, wizard.protect_page.none)
    shot("protection-none")
    click_option(qtbot, wizard.protect_page.passphrase)
    click_next(qtbot, wizard)
    wizard.save_page.folder.setText(str(tmp_path / "USB-STICK"))
    shot("save")
    click_next(qtbot, wizard)
    shot("progress")
    qtbot.waitUntil(lambda: wizard.currentId() == RESULT, timeout=SEAL_TIMEOUT)
    shot("result")
