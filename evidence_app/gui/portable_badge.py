"""A small label that says the app runs in portable mode (data beside the program)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from evidence_app.i18n import _
from evidence_app.paths import data_dir, is_portable


def portable_badge() -> QLabel | None:
    """The label for the status bar or start window, or None when not in portable mode.

    A support worker who carries the app on a stick needs to see at a glance that nothing
    is being left on this computer; the tooltip names the folder that holds everything.
    """
    if not is_portable():
        return None
    label = QLabel(_("(portable mode: everything stays next to the program)"))
    label.setObjectName("portable_badge")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setToolTip(str(data_dir()))
    label.setAccessibleName(label.text())
    return label
