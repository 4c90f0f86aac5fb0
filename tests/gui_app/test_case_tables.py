"""The accounts and payments in Case details fit an ordinary window (1024 x 700) in English
and German: no sideways scrolling, and every column heading readable in whole words (the
old tables showed "ccount or numbe" and hid "Note" off to the right)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QTabWidget

from evidence_app.gui.case_dialog import CaseDialog
from evidence_app.i18n import language

pytestmark = pytest.mark.gui

WALLET = "0x5290840009852788f1e9dd8f6c1b2a3c4d5e6f708"


def _heading(table: QTableWidget, column: int) -> str:
    item = table.horizontalHeaderItem(column)
    return item.text() if item is not None else ""


def _problems(table: QTableWidget) -> list[str]:
    header: QHeaderView = table.horizontalHeader()
    metrics = header.fontMetrics()
    found = []
    used = sum(header.sectionSize(c) for c in range(table.columnCount()))
    if used > table.viewport().width() or table.horizontalScrollBar().maximum() > 0:
        found.append(f"needs sideways scrolling: {used} > {table.viewport().width()}")
    for c in range(table.columnCount()):
        room = header.sectionSize(c) - 8  # the style's margins
        for line in _heading(table, c).split("\n"):
            if metrics.horizontalAdvance(line) > room:
                found.append(f"heading {line!r} cut off ({room} px)")
    return found


@pytest.mark.parametrize("code", ["en", "de"])
def test_tables_fit_a_normal_window(session, qtbot, code) -> None:
    with language(code):
        dialog = CaseDialog(session)
        qtbot.addWidget(dialog)
        dialog.resize(1024, 700)
        dialog.show()
        qtbot.waitExposed(dialog)
        tabs = dialog.findChild(QTabWidget)
        tables = dialog.findChildren(QTableWidget)
        assert len(tables) == 2
        for table in tables:
            tabs.setCurrentWidget(table)
            qtbot.waitUntil(table.isVisible)
            assert _problems(table) == [], (code, table.accessibleName())
        payments = dialog.payments
        payments.setItem(0, 5, QTableWidgetItem(WALLET))
        # A whole wallet address stays readable: wrapped in its cell, not cut off.
        assert payments.wordWrap()
        assert payments.rowHeight(0) >= 2 * payments.fontMetrics().height()
