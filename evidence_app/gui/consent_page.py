"""The question asked once, when a vault is created: may fingerprints be sent for trusted time?

Plain words for someone who may be frightened and may be watched: what leaves the computer
(only fingerprints), who receives them, what an observer of the network could learn, and
that the answer can be changed later. "Yes" is preselected; nothing is decided by Esc (in
this app a double Esc is the quick exit) or by closing the window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.gui.common import text_label, title_label
from evidence_app.i18n import _
from evidence_app.timestamp.tsas import DEFAULT_TSAS, KNOWN_TSAS


def default_authorities() -> str:
    """"DigiCert and Sectigo": the names of the authorities asked by default."""
    known = {tsa.key: tsa.name for tsa in KNOWN_TSAS}
    names = [known.get(key, key) for key in DEFAULT_TSAS]
    if len(names) == 2:
        return _("{first} and {second}").format(first=names[0], second=names[1])
    return ", ".join(names)


def recipients_sentence() -> str:
    return _("The fingerprints go to {authorities} (companies that run time-stamp services) "
             "and to the OpenTimestamps calendars (free public servers that add them to the "
             "public record of Bitcoin). It costs nothing and needs no account."
             ).format(authorities=default_authorities())


def network_sentence() -> str:
    return _("Someone watching this internet connection (for example on a shared network) "
             "could see that a time-stamp service was contacted, but not what was stamped.")


class ConsentPage(QWidget):
    """Emits `chosen` (Continue) and `back`; `timestamps_wanted()` is the answer."""

    chosen = Signal()
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.addWidget(title_label(_("Trusted time for your evidence")))
        paragraphs = [
            _("Evidence Locker can ask independent time-stamp services to confirm when each "
              "piece of evidence was added. This makes it much harder for anyone to claim "
              "later that it was made up or changed."),
            _("Only a fingerprint leaves this computer: a short code (a SHA-256 hash) worked "
              "out from each piece of evidence. The evidence itself, its names and your "
              "notes are never sent, and nobody can turn a fingerprint back into the "
              "evidence."),
            recipients_sentence(),
            network_sentence(),
        ]
        for text in paragraphs:
            lay.addWidget(text_label(text))
        self.yes = QRadioButton(_("&Yes, get trusted timestamps (recommended)"))
        self.no = QRadioButton(_("N&o, send nothing"))
        self.yes.setAccessibleName(_("Yes, get trusted timestamps (recommended)"))
        self.no.setAccessibleName(_("No, send nothing"))
        explained = " ".join(paragraphs)
        for radio in (self.yes, self.no):
            radio.setAccessibleDescription(explained)
            radio.installEventFilter(self)
            lay.addWidget(radio)
        self.group = QButtonGroup(self)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        self.yes.setChecked(True)
        lay.addWidget(text_label(_("You can change this at any time under “Timestamps…” in "
                                   "the main window.")))
        lay.addStretch(1)
        row = QHBoxLayout()
        self.back_button = QPushButton(_("Back"))
        self.back_button.setAccessibleName(_("Back"))
        self.back_button.clicked.connect(self.back)
        self.continue_button = QPushButton(_("&Continue"))
        self.continue_button.setAccessibleName(_("Continue"))
        self.continue_button.setAutoDefault(True)  # Enter presses it when it has the focus
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.chosen)
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.continue_button)
        lay.addLayout(row)
        self.setTabOrder(self.yes, self.no)
        self.setTabOrder(self.no, self.back_button)
        self.setTabOrder(self.back_button, self.continue_button)

    def timestamps_wanted(self) -> bool:
        return self.yes.isChecked()

    def focus_choice(self) -> None:
        (self.yes if self.yes.isChecked() else self.no).setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Enter on a choice continues with it (Esc is left alone: it is the quick exit)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.chosen.emit()
            return True
        return super().eventFilter(watched, event)
