"""Trusted time in the desktop app: asked (Yes preselected) when a vault is created, changed
in the Timestamps dialog, and requested in the background after every action that adds
evidence. No test reaches the internet: the default authorities are behind a closed proxy
(tests/conftest.py); what is stamped goes to a local test authority."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog

from evidence_app.core.vault import Vault
from evidence_app.gui.main_window import MainWindow
from evidence_app.gui.start_window import (
    PAGE_CREATE,
    PAGE_RECOVERY,
    PAGE_TIMESTAMPS,
    PAGE_WELCOME,
)
from evidence_app.gui.timestamp_dialog import TimestampDialog
from evidence_app.timestamp import current_settings, enable, flush_queue, waiting
from evidence_app.timestamp.tsas import KNOWN_TSAS
from tests.helpers import PASSPHRASE

pytestmark = pytest.mark.gui
WAIT = 15_000


def settings_records(vault: Vault) -> list[dict]:
    return [r["data"] for r in vault.records if r["type"] == "timestamp_settings"]


def to_consent_page(controller, qtbot) -> None:
    start = controller.start
    start.show_page(PAGE_WELCOME)
    create = next(b for b in start.stack.widget(PAGE_WELCOME).findChildren(
        type(start.consent.continue_button)) if b.accessibleName() == "Create a new vault")
    create.setFocus()
    qtbot.keyClick(create, Qt.Key.Key_Space)
    assert start.stack.currentIndex() == PAGE_TIMESTAMPS


def create_vault(controller, qtbot) -> Vault:
    start = controller.start
    assert start.stack.currentIndex() == PAGE_CREATE
    qtbot.keyClicks(start.new_pass, PASSPHRASE)
    qtbot.keyClicks(start.new_pass2, PASSPHRASE)
    qtbot.keyClick(start.new_pass2, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: start.stack.currentIndex() == PAGE_RECOVERY, timeout=WAIT)
    return controller.session.vault


def test_consent_defaults_to_yes_and_is_recorded(controller, qtbot) -> None:
    start = controller.start
    start.show()
    qtbot.waitExposed(start)
    to_consent_page(controller, qtbot)
    consent = start.consent
    assert consent.yes.isChecked()
    assert QApplication.focusWidget() is consent.yes
    texts = " ".join(label.text() for label in consent.findChildren(type(start.unlock_message)))
    assert "Only a fingerprint leaves this computer" in texts
    assert "DigiCert and Sectigo" in texts
    assert "OpenTimestamps" in texts
    assert "could see that a time-stamp service was contacted" in texts
    assert "Timestamps…" in texts  # where to change it later
    for radio in (consent.yes, consent.no):
        assert radio.accessibleName()
        assert radio.accessibleDescription()
    # Keyboard only: the arrows move between the answers, Enter continues with the one chosen.
    qtbot.keyClick(consent.yes, Qt.Key.Key_Down)
    assert consent.no.isChecked()
    qtbot.keyClick(consent.no, Qt.Key.Key_Up)
    assert consent.yes.isChecked()
    qtbot.keyClick(consent.yes, Qt.Key.Key_Return)
    vault = create_vault(controller, qtbot)
    (choice,) = settings_records(vault)
    assert choice["enabled"] is True
    assert [t["name"] for t in choice["tsas"]] == ["DigiCert", "Sectigo"]
    assert choice["ots"] is True
    # The vault's key is stamped in the background; the authorities are unreachable here,
    # so it waits (nothing is lost, and the window was never held up).
    qtbot.waitUntil(lambda: not controller.session.busy, timeout=WAIT)
    assert waiting(vault)


def test_no_is_recorded_and_nothing_is_sent(controller, qtbot) -> None:
    start = controller.start
    to_consent_page(controller, qtbot)
    start.consent.no.click()
    start.consent.continue_button.click()
    vault = create_vault(controller, qtbot)
    (choice,) = settings_records(vault)
    assert choice["enabled"] is False
    assert not controller.session.stamper.running
    assert waiting(vault) == []
    # Going back keeps the answer given.
    assert not current_settings(vault).enabled


def test_back_keeps_the_answer(controller, qtbot) -> None:
    start = controller.start
    to_consent_page(controller, qtbot)
    start.consent.no.click()
    start.consent.continue_button.click()
    assert start.stack.currentIndex() == PAGE_CREATE
    start.show_page(PAGE_TIMESTAMPS)  # what the create page's Back button does
    assert start.consent.no.isChecked()
    start.consent.back_button.click()
    assert start.stack.currentIndex() == PAGE_WELCOME


def test_esc_decides_nothing_and_double_esc_still_exits(controller, qtbot, monkeypatch) -> None:
    start = controller.start
    start.show()
    qtbot.waitExposed(start)
    to_consent_page(controller, qtbot)
    qtbot.keyClick(start.consent.yes, Qt.Key.Key_Escape)
    assert start.stack.currentIndex() == PAGE_TIMESTAMPS
    assert start.isVisible()
    assert controller.session.vault is None  # nothing created, nothing recorded
    monkeypatch.setattr(controller.qapp, "quit", lambda: None)
    qtbot.keyClick(QApplication.focusWidget() or start, Qt.Key.Key_Escape)
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == []


def test_settings_dialog_saves_two_authorities(qtbot, session, tsa, tsa_pki) -> None:
    dialog = TimestampDialog(session)
    qtbot.addWidget(dialog)
    vault = session.vault
    assert not dialog.enabled.isChecked()
    assert not dialog.options.isEnabled()
    dialog.enabled.setChecked(True)
    rows = {dialog.authorities.item(i).data(Qt.ItemDataRole.UserRole):
            dialog.authorities.item(i) for i in range(dialog.authorities.count())}
    assert len(rows) == len(KNOWN_TSAS)
    freetsa = next(t for t in KNOWN_TSAS if t.key == "freetsa")
    assert "needs its root certificate file" in rows[freetsa.url].text()
    digicert = next(t for t in KNOWN_TSAS if t.key == "digicert")
    assert "comes with this app" in rows[digicert.url].text()
    for url, row in rows.items():
        row.setCheckState(Qt.CheckState.Checked if url == digicert.url else
                          Qt.CheckState.Unchecked)
    dialog.url.setText(tsa.url)  # another authority, with its root file
    dialog.root_file.setText(str(tsa_pki.root_pem))
    dialog.ots.setChecked(False)
    dialog._save()
    qtbot.waitUntil(lambda: current_settings(vault).enabled, timeout=WAIT)
    settings = current_settings(vault)
    assert settings.tsa_urls == (digicert.url, tsa.url)
    assert settings.ots is False
    assert "BEGIN CERTIFICATE" in settings.extra_roots_pem
    # Saving starts a stamp run: the local authority is asked, DigiCert (unreachable) is not
    # waited for.
    qtbot.waitUntil(lambda: tsa.requests > 0 and not session.busy, timeout=WAIT)
    assert waiting(vault) == []


def test_saving_with_nothing_ticked_is_refused(qtbot, session) -> None:
    dialog = TimestampDialog(session)
    qtbot.addWidget(dialog)
    dialog.enabled.setChecked(True)
    for i in range(dialog.authorities.count()):
        dialog.authorities.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog._save()
    assert "at least one authority" in dialog.message.text()
    assert not settings_records(session.vault)


def _main_with_item(session, qtbot) -> MainWindow:
    session.vault.add_bytes(b"he sent this", "threat.txt", source={"type": "test"})
    main = MainWindow(session)
    qtbot.addWidget(main)
    main.list.setCurrentIndex(main.proxy.index(0, 0))
    assert main.detail.item is not None
    return main


def test_a_note_case_details_and_a_withdrawal_are_each_stamped(qtbot, session, tsa, tsa_pki,
                                                               monkeypatch) -> None:
    vault = session.vault
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(), ots=False)
    main = _main_with_item(session, qtbot)
    assert flush_queue(vault).error is None  # the key and the item: nothing waits now
    before = tsa.requests

    def stamped(record_type: str) -> bool:
        seqs = {r["seq"] for r in vault.records if r["type"] == record_type}
        subjects = {r["data"]["subject"].get("seq") for r in vault.records
                    if r["type"] == "timestamp_obtained"}
        return bool(seqs) and seqs <= subjects

    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("He sent this after I refused.", True))
    main.detail._add_note()
    qtbot.waitUntil(lambda: stamped("note_added"), timeout=WAIT)
    assert tsa.requests == before + 1

    from evidence_app.gui.case_dialog import CaseDialog

    dialog = CaseDialog(session, main)
    qtbot.addWidget(dialog)
    dialog.statement.setPlainText("I met him on Instagram in March.")
    dialog._save()
    qtbot.waitUntil(lambda: stamped("case_updated"), timeout=WAIT)

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("added by mistake", True))
    main.detail._withdraw()
    qtbot.waitUntil(lambda: stamped("item_withdrawn"), timeout=WAIT)
    assert tsa.requests == before + 3
    assert waiting(vault) == []


def test_nothing_is_sent_while_timestamps_are_off(qtbot, session, tsa, monkeypatch) -> None:
    main = _main_with_item(session, qtbot)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("a note", True))
    main.detail._add_note()
    qtbot.waitUntil(lambda: len(session.vault.state.notes) == 1 and not session.busy,
                    timeout=WAIT)
    assert not session.stamper.running
    assert tsa.requests == 0


def test_an_unreachable_authority_is_said_calmly(qtbot, session, monkeypatch) -> None:
    vault = session.vault
    enable(vault)  # the default pair: unreachable in tests
    main = _main_with_item(session, qtbot)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("a note", True))
    main.detail._add_note()
    qtbot.waitUntil(lambda: "tried again later" in main.statusBar().currentMessage(),
                    timeout=WAIT)
    assert waiting(vault)
