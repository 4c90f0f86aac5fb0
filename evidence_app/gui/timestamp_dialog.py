"""Trusted timestamps for this vault: on or off, which authorities, OpenTimestamps, status.

Each fingerprint goes to every authority ticked here (two under different roots by default),
plus OpenTimestamps calendars when that is on. Saving records the choice in the custody log;
what then waits is stamped in the background (stamping.py), so the dialog never waits for
the network.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.bundle.report_times import utc_text
from evidence_app.core.errors import EvidenceError, TsaNoTrustRoot
from evidence_app.formatting import untrusted
from evidence_app.gui.common import NoteLabel, show_error, text_label
from evidence_app.gui.consent_page import network_sentence
from evidence_app.gui.file_dialogs import Place, open_file
from evidence_app.gui.session import Session
from evidence_app.i18n import _, ngettext
from evidence_app.messages import describe
from evidence_app.timestamp import (
    KNOWN_TSAS,
    current_settings,
    disable,
    enable,
    item_status,
    privacy_sentence,
)
from evidence_app.timestamp.tsas import DEFAULT_TSAS, known_for_url
from evidence_app.timestamp.tsp import load_roots, read_root_file

BAD = "color: #b00020;"


class TimestampDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._asked = False
        self.setWindowTitle(_("Trusted timestamps"))
        self._settings = settings = current_settings(session.require_vault())
        lay = QVBoxLayout(self)
        lay.addWidget(text_label(_(
            "A trusted timestamp is a signed statement from an independent time-stamp "
            "authority that a file existed at a certain time. It makes it much harder for "
            "anyone to claim the evidence was made later.") + " " + privacy_sentence() + " " +
            network_sentence()))
        self.enabled = QCheckBox(_("&Get trusted timestamps (uses the internet)"))
        self.enabled.setAccessibleName(_("Get trusted timestamps"))
        self.enabled.setChecked(settings.enabled)
        lay.addWidget(self.enabled)
        self.options = QWidget()
        lay.addWidget(self.options)
        self._build_options()
        self.message = NoteLabel()
        self.message.setAccessibleName(_("Message"))
        lay.addWidget(self.message)
        self.status = QListWidget()
        self.status.setAccessibleName(_("Timestamp status of each item"))
        each = QLabel(_("&Each item:"))
        each.setBuddy(self.status)
        lay.addWidget(each)
        lay.addWidget(self.status, 1)
        self.now = QPushButton(_("&Timestamp now"))
        self.now.setAccessibleName(_("Send waiting items for timestamping now"))
        self.now.clicked.connect(self._flush)
        lay.addWidget(self.now)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.enabled.toggled.connect(self._sync)
        session.changed.connect(self._show_status)
        session.stamper.finished.connect(self._stamped)
        self.finished.connect(self._stop_listening)
        self._sync()
        self._show_status()
        self.resize(640, 640)

    def _build_options(self) -> None:
        settings = self._settings
        form = QFormLayout(self.options)
        form.setContentsMargins(20, 0, 0, 0)
        self.authorities = QListWidget()
        self.authorities.setAccessibleName(_("Time-stamp authorities to ask"))
        chosen = set(settings.tsa_urls) if settings.tsas else \
            {t.url for t in KNOWN_TSAS if t.key in DEFAULT_TSAS}
        for tsa in KNOWN_TSAS:
            note = _("its root certificate comes with this app") if tsa.root_sha256 else \
                _("needs its root certificate file (below)")
            row = QListWidgetItem(f"{tsa.name} — {note}")
            row.setData(Qt.ItemDataRole.UserRole, tsa.url)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if tsa.url in chosen
                              else Qt.CheckState.Unchecked)
            self.authorities.addItem(row)
        self.authorities.setMaximumHeight(self.authorities.sizeHintForRow(0) *
                                          (len(KNOWN_TSAS) + 1))
        label = QLabel(_("&Authorities (each fingerprint goes to every one ticked):"))
        label.setWordWrap(True)
        label.setBuddy(self.authorities)
        form.addRow(label)
        form.addRow(self.authorities)
        custom = [url for url in settings.tsa_urls if known_for_url(url) is None]
        self.url = QLineEdit(" ".join(custom))
        self.url.setAccessibleName(_("Address of another time-stamp authority"))
        self.url.setPlaceholderText("https://…")
        form.addRow(_("Another authority's a&ddress:"), self.url)
        self.root_file = QLineEdit()
        self.root_file.setAccessibleName(_("Root certificate file"))
        saved = len(load_roots(settings.extra_roots_pem)) if settings.extra_roots_pem else 0
        self.root_file.setPlaceholderText(ngettext(
            "{count} certificate saved; choose a file to replace it",
            "{count} certificates saved; choose a file to replace them",
            saved).format(count=saved) if saved else _("Only for another authority, or FreeTSA"))
        browse = QPushButton(_("C&hoose…"))
        browse.setAccessibleName(_("Choose the root certificate file"))
        browse.clicked.connect(self._choose_root)
        root_row = QHBoxLayout()
        root_row.addWidget(self.root_file, 1)
        root_row.addWidget(browse)
        root_label = QLabel(_("Its &root certificate:"))
        root_label.setBuddy(self.root_file)
        form.addRow(root_label, root_row)
        self.ots = QCheckBox(_("Also get an &OpenTimestamps proof (public calendars, recorded "
                               "in Bitcoin)"))
        self.ots.setAccessibleName(_("Also get an OpenTimestamps proof"))
        self.ots.setChecked(settings.ots if settings.tsas else True)
        form.addRow(self.ots)

    def chosen_urls(self) -> list[str]:
        urls = [self.authorities.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.authorities.count())
                if self.authorities.item(i).checkState() == Qt.CheckState.Checked]
        return urls + [u for u in re.split(r"[\s,]+", self.url.text()) if u]

    def _sync(self) -> None:
        on = self.enabled.isChecked()
        self.options.setEnabled(on)
        self.now.setEnabled(on and current_settings(self.session.require_vault()).enabled
                            and not self.session.stamper.running)

    def _choose_root(self) -> None:
        path = open_file(self, _("Root certificate"), Place.DOWNLOADS,
                         _("Certificates (*.pem *.crt *.cer *.der);;All files (*)"))
        if path is not None:
            self.root_file.setText(str(path))

    def _stop_listening(self, _result: int = 0) -> None:
        self.session.changed.disconnect(self._show_status)
        self.session.stamper.finished.disconnect(self._stamped)

    def _show_status(self) -> None:
        if not self.session.is_unlocked or self.session.busy:
            return  # read the vault only while no work runs; `changed` comes again after
        self.status.clear()
        for entry in item_status(self.session.require_vault()):
            if entry.state == "stamped":
                text = _("time confirmed by {tsa} at {time}").format(
                    tsa=untrusted(entry.tsa, 80), time=utc_text(entry.time))
            elif entry.state == "waiting":
                text = _("waiting for a timestamp")
            else:
                text = _("no timestamp (off)")
            self.status.addItem(f"{entry.item_id}. {untrusted(entry.name, 80)} — {text}")
        self._sync()

    def _say(self, text: str, bad: bool = False) -> None:
        self.message.setStyleSheet(BAD if bad else "")
        self.message.setText(text)

    def _save(self) -> None:
        on = self.enabled.isChecked()
        urls = self.chosen_urls()
        if on and not urls:
            self._say(_("Tick at least one authority, or turn trusted timestamps off."), True)
            self.authorities.setFocus()
            return
        roots = self._settings.extra_roots_pem
        root_path = self.root_file.text().strip()
        try:
            if on and root_path:
                roots = read_root_file(Path(root_path))
        except EvidenceError as exc:
            self._say(describe(exc), True)
            self.root_file.setFocus()
            return
        ots = self.ots.isChecked()

        def apply(vault, progress=None, cancel=None):
            if not on:
                return disable(vault)
            # Recorded here; the stamp run that follows is started by Session.run.
            return enable(vault, urls, extra_roots_pem=roots, ots=ots)

        self.session.run(apply, on_done=self._saved, on_error=self._save_failed)

    def _saved(self, settings) -> None:
        self._settings = settings
        self.root_file.clear()
        self._say(_("Saved. Waiting items are being sent now.") if settings.enabled
                  else _("Saved. Nothing will be sent."))
        self._show_status()

    def _save_failed(self, exc: BaseException) -> None:
        if isinstance(exc, TsaNoTrustRoot):
            self._say(_("No trust root is known for {url}. Choose its root certificate file "
                        "(the authority publishes it on its web site).").format(url=exc.url),
                      True)
        elif isinstance(exc, EvidenceError):
            self._say(describe(exc), True)
        else:
            show_error(self, exc)

    def _flush(self) -> None:
        self._asked = True
        self._say(_("Sending waiting items…"))
        self.session.stamper.request()
        self._sync()

    def _stamped(self, result) -> None:
        """What a stamp run (this dialog's, or one after saving or adding) achieved."""
        if result.error is not None and result.waiting:
            self._say(describe(result.error), True)
        elif result.stamped or self._asked:
            self._say(ngettext("{count} timestamp obtained.", "{count} timestamps obtained.",
                               len(result.stamped)).format(count=len(result.stamped)))
        self._asked = False
        self._show_status()
