"""Opening the reader the way a person does: the item in the details pane, then "Read…"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from evidence_app.gui.detail_pane import DetailPane


def detail_pane(session, qtbot) -> DetailPane:
    pane = DetailPane(session)
    qtbot.addWidget(pane)
    pane.resize(600, 700)
    pane.show()
    return pane


def open_reader(pane: DetailPane, qtbot, item_id: str):
    """Select the item, press "Read…", wait until it is shown (or has said why not)."""
    pane.show_item(pane.session.vault.item(item_id))
    assert pane.read_button.isVisible(), "the item should be readable in the app"
    qtbot.mouseClick(pane.read_button, Qt.MouseButton.LeftButton)
    reader = pane.reader
    assert reader is not None
    qtbot.waitUntil(lambda: reader.pane is not None or reader.task is None, timeout=20_000)
    if getattr(reader.pane, "page", 0) < 0:  # text: the first page comes in the background
        qtbot.waitUntil(lambda: reader.pane.page >= 0, timeout=20_000)
    return reader


def viewed(vault, item_id: str) -> int:
    return sum(1 for r in vault.records
               if r["type"] == "item_viewed" and r["data"].get("item_id") == item_id)


def rich_labels(widget) -> list[str]:
    """Labels that would read their text as markup (Qt guesses, unless told plain text)."""
    return [label.text() for label in widget.findChildren(QLabel)
            if label.textFormat() != Qt.TextFormat.PlainText and label.text()]
