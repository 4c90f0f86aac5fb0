"""The Capture dialog: whole screen, one window or a region, once or as a series.

The app hides its own windows while capturing and brings them back afterwards. Each screenshot
goes into the vault at once (one at a time, in the order taken), with its source recorded.
Series mode keeps a small always-on-top bar ("Capture (F8)" / "Stop") because Qt cannot
listen to a key pressed in another program.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import shiboken6
from PySide6.QtCore import QEventLoop, QRect, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from evidence_app import capture
from evidence_app.core.errors import CaptureFailed, VaultLocked
from evidence_app.core.state import Item
from evidence_app.gui.common import PlainLabel, show_error
from evidence_app.gui.region_overlay import CaptureBar, RegionPicker
from evidence_app.gui.session import Session
from evidence_app.i18n import _
from evidence_app.messages import describe
from evidence_app.workflows.capture import store_capture
from evidence_app.workflows.outcome import Outcome

SETTLE_MS = 300  # time for the system to redraw what was under our windows


class CaptureDialog(QDialog):
    """Take screenshots into the open vault; show(), open() and exec() all work."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Take a screenshot"))
        self.setMinimumWidth(520)
        self.saved_items: list[str] = []  # ids of items stored from this dialog, in order
        self._pending: deque[capture.Capture] = deque()
        self._storing = False
        self._hidden: list[QWidget] = []
        self._picker: RegionPicker | None = None
        self._series_active = False
        self._series_count = 0
        self._series_region: tuple[int, QRect] | None = None  # screen index, area
        self._countdown_left = 0
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)
        self._after_countdown: Any = None
        self.bar = CaptureBar(self)
        self.bar.capture_button.clicked.connect(self._series_shot)
        self.bar.shortcut.activated.connect(self._series_shot)
        self.bar.stop_button.clicked.connect(self._bar_stop)
        self._build()
        session.locked.connect(self._abort)
        self._check_available()

    def exec(self) -> int:
        """Run until closed. QDialog.exec() would end as soon as the dialog hides itself for
        a screenshot, so this waits for `finished` instead."""
        loop = QEventLoop(self)
        self.finished.connect(loop.quit)
        self.show()
        loop.exec()
        self.finished.disconnect(loop.quit)
        return self.result()

    # --- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.problem = PlainLabel("", self)
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.whole = QRadioButton(_("&Whole screen"), self)
        self.whole.setAccessibleName(_("Capture a whole screen"))
        self.screen_box = QComboBox(self)
        self.screen_box.setAccessibleName(_("Which screen"))
        self.one_window = QRadioButton(_("One &window"), self)
        self.one_window.setAccessibleName(_("Capture one window"))
        self.window_box = QComboBox(self)
        self.window_box.setAccessibleName(_("Which window"))
        self.refresh = QPushButton(_("R&efresh list"), self)
        self.refresh.setAccessibleName(_("Refresh the list of windows"))
        self.refresh.clicked.connect(self._fill_windows)
        self.window_note = PlainLabel("", self)
        self.window_note.setWordWrap(True)
        self.region = QRadioButton(_("A &region (drag a rectangle on the screen)"), self)
        self.region.setAccessibleName(_("Capture a region of the screen"))
        self.modes = QButtonGroup(self)
        for button in (self.whole, self.one_window, self.region):
            self.modes.addButton(button)
        self.whole.setChecked(True)
        self.delay = QSpinBox(self)
        self.delay.setRange(0, 60)
        self.delay.setSuffix(_(" s"))
        self.delay.setSpecialValueText(_("No delay"))
        self.delay.setAccessibleName(_("Wait before capturing, in seconds"))
        self.series = QCheckBox(_("&Series: one screenshot each time you press F8, until you "
                                  "stop (for example while scrolling a chat)"), self)
        self.series.setAccessibleName(_("Series mode"))
        self.series.toggled.connect(lambda on: self.delay.setEnabled(not on))
        self.status = PlainLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Result"))
        self.take = QPushButton(_("&Take screenshot"), self)
        self.take.setAccessibleName(_("Take screenshot"))
        self.take.setDefault(True)
        self.take.clicked.connect(self.start_capture)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.take, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(_("Close"))

        window_row = QHBoxLayout()
        window_row.addWidget(self.window_box, 1)
        window_row.addWidget(self.refresh)
        form = QFormLayout()
        form.addRow(self.whole, self.screen_box)
        form.addRow(self.one_window, window_row)
        form.addRow("", self.window_note)
        form.addRow(self.region)
        delay_label = QLabel(_("Wait &before capturing:"), self)
        delay_label.setBuddy(self.delay)
        form.addRow(delay_label, self.delay)
        intro = PlainLabel(_("Choose what to capture. This window hides while the screenshot "
                             "is taken and comes back afterwards; each screenshot is saved in "
                             "the vault straight away."), self)
        intro.setWordWrap(True)
        self.options = QWidget(self)
        options = QVBoxLayout(self.options)
        options.setContentsMargins(0, 0, 0, 0)
        options.addWidget(intro)
        options.addLayout(form)
        options.addWidget(self.series)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addWidget(self.options)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        order = [self.whole, self.screen_box, self.one_window, self.window_box, self.refresh,
                 self.region, self.delay, self.series, self.take, close]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._fill_screens()
        self._fill_windows()

    def _fill_screens(self) -> None:
        self.screen_box.clear()
        for info in capture.screens():
            x, y, w, h = info.geometry
            text = (_("Screen {number}: {name}, {width} × {height} (main screen)") if info.primary
                    else _("Screen {number}: {name}, {width} × {height}"))
            self.screen_box.addItem(text.format(number=info.index + 1, name=info.name,
                                                width=w, height=h), info.index)

    def _fill_windows(self) -> None:
        self.window_box.clear()
        ok, reason = capture.window_listing_available()
        windows: list[capture.WindowInfo] = []
        if ok:
            try:
                windows = capture.list_windows()
            except CaptureFailed as exc:
                ok, reason = False, describe(exc)
        for info in windows:
            self.window_box.addItem(info.title, info)
        if ok and not windows:
            reason = _("No other program's window is open right now.")
        self.window_note.setText(
            reason if reason else _("Bring that window to the front before capturing."))
        for widget in (self.one_window, self.window_box, self.refresh):
            widget.setEnabled(ok)
        self.window_box.setEnabled(bool(windows))
        if not windows and self.one_window.isChecked():
            self.whole.setChecked(True)

    def _check_available(self) -> None:
        ok, reason = capture.capture_available()
        if not ok:
            self.problem.setText(reason)
            self.problem.show()
            self.options.hide()
            self.take.setEnabled(False)
            self.take.hide()

    # --- hiding and showing the app --------------------------------------------------------

    def _hide_app(self) -> None:
        keep = {self.bar}
        self._hidden = [w for w in QApplication.topLevelWidgets()
                        if w.isVisible() and w not in keep and w.isWindow()]
        for widget in self._hidden:
            widget.hide()

    def _show_app(self) -> None:
        hidden, self._hidden = self._hidden, []
        if not self.session.is_unlocked:
            return  # locked meanwhile (quick exit): stay hidden
        for widget in hidden:
            if shiboken6.isValid(widget):
                widget.show()
        self.raise_()
        self.activateWindow()

    # --- one screenshot --------------------------------------------------------------------

    def mode(self) -> str:
        if self.region.isChecked():
            return "region"
        return "window" if self.one_window.isChecked() else "screen"

    def start_capture(self) -> None:
        """Take button: hide the app, wait (with a countdown if asked), then capture."""
        if not self.session.is_unlocked:
            show_error(self, VaultLocked())
            return
        if self.mode() == "window" and self.window_box.currentData() is None:
            show_error(self, CaptureFailed("window_gone", "none chosen"))
            return
        self.status.setText("")
        self._hide_app()
        if self.series.isChecked():
            self._series_active = True
            self._series_count = 0
            self._series_region = None
            QTimer.singleShot(SETTLE_MS, self._grab)
            return
        self._countdown_left = self.delay.value()
        if self._countdown_left == 0:
            QTimer.singleShot(SETTLE_MS, self._grab)
            return
        self.bar.countdown(self._countdown_left)
        self.bar.place()
        self.bar.show()
        self._tick.start()

    def _count_down(self) -> None:
        self._countdown_left -= 1
        if self._countdown_left > 0:
            self.bar.countdown(self._countdown_left)
            return
        self._tick.stop()
        self.bar.hide()
        QTimer.singleShot(SETTLE_MS, self._grab)

    def _grab(self) -> None:
        if not self.session.is_unlocked:
            return
        try:
            if self.mode() == "region" and self._series_region is None:
                self._pick_region()
                return
            if self.mode() == "region" and self._series_region is not None:
                shot = capture.capture_region(*self._series_region)
            elif self.mode() == "window":
                info: capture.WindowInfo = self.window_box.currentData()
                shot = capture.capture_window(info.id, info.title, info.geometry)
            else:
                shot = capture.capture_screen(int(self.screen_box.currentData() or 0))
        except CaptureFailed as exc:
            self._failed(exc)
            return
        self._taken(shot)

    def _pick_region(self) -> None:
        frozen = [capture.freeze_screen(info.index) for info in capture.screens()]
        self._picker = RegionPicker(frozen, self)
        self._picker.chosen.connect(self._region_chosen)
        self._picker.cancelled.connect(self._region_cancelled)
        self._picker.start()

    def region_overlays(self) -> list[QWidget]:
        """The overlays shown while choosing a region (for tests and screenshots)."""
        return list(self._picker.overlays) if self._picker is not None else []

    def _region_chosen(self, frozen: capture.FrozenScreen, rect: QRect) -> None:
        self._picker = None
        try:
            shot = capture.capture_region(frozen.screen.index, rect, frozen)
        except CaptureFailed as exc:
            self._failed(exc)
            return
        if self._series_active:
            self._series_region = (frozen.screen.index, rect)
        self._taken(shot)

    def _region_cancelled(self) -> None:
        self._picker = None
        self._series_active = False
        self._show_app()
        self.status.setText(_("No screenshot was taken."))

    def _taken(self, shot: capture.Capture) -> None:
        self._pending.append(shot)
        self._store_next()
        if self._series_active:
            self._series_count += 1
            self.bar.series(self._series_count)
            self.bar.place()
            self.bar.show()
            self.bar.activateWindow()
        else:
            self._show_app()

    def _failed(self, exc: CaptureFailed) -> None:
        self._series_active = False
        self.bar.hide()
        self._show_app()
        show_error(self, exc)

    # --- series ----------------------------------------------------------------------------

    def _series_shot(self) -> None:
        if not self._series_active or not self.bar.isVisible():
            return
        self.bar.hide()
        QTimer.singleShot(SETTLE_MS, self._grab)

    def _bar_stop(self) -> None:
        """Stop in series mode, Cancel during a countdown: both bring the app back."""
        self._tick.stop()
        self.bar.hide()
        count, self._series_active = self._series_count, False
        self._series_region = None
        self._show_app()
        if count == 0 and not self._pending and not self._storing:
            self.status.setText(_("No screenshot was taken."))

    # --- storing ---------------------------------------------------------------------------

    def _store_next(self) -> None:
        if self._storing or not self._pending:
            return
        if not self.session.is_unlocked:
            self._pending.clear()
            return
        self._storing = True
        shot = self._pending.popleft()
        self.session.run(store_capture, shot.png, name=shot.name, source=shot.source,
                         stamp=False, on_done=self._stored, on_error=self._store_failed)

    def _stored(self, outcome: Outcome[Item]) -> None:
        item = outcome.done[0]
        self._storing = False
        self.saved_items.append(item.id)
        self.session.picture_reader.read_added([item])  # its words, when Settings say so
        text = _("Screenshot saved to the vault (item {number}).").format(number=item.id)
        if self._series_count > 1:
            text += " " + _("Screenshots in this series: {count}.").format(
                count=self._series_count)
        self.status.setText(text)
        self._store_next()

    def _store_failed(self, exc: BaseException) -> None:
        self._storing = False
        self._pending.clear()
        show_error(self, exc)

    # --- safety ----------------------------------------------------------------------------

    def _abort(self, _reason: str = "") -> None:
        """The vault was locked (quick exit, idle): drop everything, bring nothing back."""
        self._tick.stop()
        self._series_active = False
        self._series_region = None
        self._pending.clear()
        self._hidden = []
        if self._picker is not None:
            self._picker.close()
            self._picker = None
        self.bar.hide()
        self.reject()
