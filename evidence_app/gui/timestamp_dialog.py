"""Trusted timestamps for this vault: consent first, then which authority, then status."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.errors import EvidenceError
from evidence_app.gui.common import show_error
from evidence_app.gui.session import Session
from evidence_app.i18n import _
from evidence_app.timestamp import (
    KNOWN_TSAS,
    current_settings,
    disable,
    enable,
    flush_queue,
    item_status,
    privacy_sentence,
)
from evidence_app.timestamp.tsp import read_root_file

CUSTOM = "custom"


class TimestampDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Trusted timestamps"))
        vault = session.require_vault()
        settings = current_settings(vault)
        lay = QVBoxLayout(self)
        intro = QLabel(_("A trusted timestamp is a signed statement from an independent "
                         "time-stamp authority that a file existed at a certain time. It "
                         "makes it much harder for anyone to claim the evidence was made "
                         "later.") + " " + privacy_sentence())
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.enabled = QCheckBox(_("&Get trusted timestamps (uses the internet)"))
        self.enabled.setAccessibleName(_("Get trusted timestamps"))
        self.enabled.setChecked(settings.enabled)
        lay.addWidget(self.enabled)
        form = QFormLayout()
        self.tsa = QComboBox()
        self.tsa.setAccessibleName(_("Time-stamp authority"))
        for known in KNOWN_TSAS:
            self.tsa.addItem(known.name, known.key)
        self.tsa.addItem(_("Another authority (address)…"), CUSTOM)
        self.url = QLineEdit(settings.tsa_url)
        self.url.setAccessibleName(_("Address of the time-stamp authority"))
        self.url.setPlaceholderText("https://…")
        self.root_file = QLineEdit()
        self.root_file.setAccessibleName(_("Trust root certificate file"))
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._choose_root)
        root_row = QHBoxLayout()
        root_row.addWidget(self.root_file, 1)
        root_row.addWidget(browse)
        form.addRow(_("&Authority:"), self.tsa)
        form.addRow(_("Address:"), self.url)
        form.addRow(_("Its root certificate (optional):"), root_row)
        lay.addLayout(form)
        current = next((k.key for k in KNOWN_TSAS if k.url == settings.tsa_url), None)
        self.tsa.setCurrentIndex(self.tsa.findData(current or (CUSTOM if settings.tsa_url
                                                               else KNOWN_TSAS[0].key)))
        self.tsa.currentIndexChanged.connect(self._sync)
        self.enabled.toggled.connect(self._sync)
        self.status = QListWidget()
        self.status.setAccessibleName(_("Timestamp status of each item"))
        lay.addWidget(self.status)
        self.now = QPushButton(_("&Timestamp now"))
        self.now.setAccessibleName(_("Send waiting items for timestamping now"))
        self.now.clicked.connect(self._flush)
        lay.addWidget(self.now)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self._sync()
        self._show_status()
        self.resize(620, 520)

    def _sync(self) -> None:
        on = self.enabled.isChecked()
        custom = self.tsa.currentData() == CUSTOM
        self.tsa.setEnabled(on)
        self.url.setEnabled(on and custom)
        self.root_file.setEnabled(on)
        self.now.setEnabled(on and current_settings(self.session.require_vault()).enabled)

    def _choose_root(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Root certificate"), "",
                                                    _("Certificates (*.pem *.crt *.cer)"))
        if path:
            self.root_file.setText(path)

    def _show_status(self) -> None:
        self.status.clear()
        words = {"stamped": _("time confirmed by {tsa} at {time}"),
                 "waiting": _("waiting for a timestamp"), "off": _("no timestamp (off)")}
        for entry in item_status(self.session.require_vault()):
            text = words.get(entry.state, entry.state).format(tsa=entry.tsa, time=entry.time)
            self.status.addItem(f"{entry.item_id}. {entry.name} — {text}")

    def _save(self) -> None:
        on = self.enabled.isChecked()
        key = self.tsa.currentData()
        address = self.url.text().strip() if key == CUSTOM else key
        root_path = self.root_file.text().strip()
        try:
            roots = read_root_file(Path(root_path)) if on and root_path else ""
        except EvidenceError as exc:
            show_error(self, exc)
            return

        def apply(vault, progress=None, cancel=None):
            if not on:
                disable(vault)
                return None
            enable(vault, address, extra_roots_pem=roots)
            return flush_queue(vault)

        self.session.run(apply, on_done=lambda _r: self._saved(),
                         on_error=lambda exc: show_error(self, exc))

    def _saved(self) -> None:
        self._sync()
        self._show_status()

    def _flush(self) -> None:
        def done(result) -> None:
            self._show_status()
            if result.error is not None:
                show_error(self, result.error)

        self.session.run(lambda vault, progress=None, cancel=None: flush_queue(vault),
                         on_done=done, on_error=lambda exc: show_error(self, exc))
