"""Windows shown over the screen while capturing: the region overlay and the capture bar.

Choosing a region: one full-screen window per monitor showing the frozen screenshot, dimmed.
The person drags a rectangle with the mouse (or uses the keyboard: arrows move, Shift+arrows
resize, Enter takes it, Esc cancels). What they see is the frozen image, so what they frame
is exactly what is stored, even if the screen changes meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from evidence_app.capture import FrozenScreen
from evidence_app.i18n import _, ngettext

SERIES_KEY = Qt.Key.Key_F8
MIN_SIDE = 4  # a smaller drag is taken as a stray click, not a choice
_STEP = 10
_DIM = QColor(0, 0, 0, 140)
_EDGE = QColor(80, 160, 255)


def _instructions() -> str:
    return _("Drag a rectangle around what you want to keep. Esc cancels. Keyboard: arrows "
             "move, Shift+arrows resize, Enter takes the screenshot.")


class RegionOverlay(QWidget):
    """A frameless, always-on-top window covering one monitor; emits the chosen rectangle.

    The rectangle is in logical pixels relative to the monitor's top left corner.
    """

    selected = Signal(QRect)
    cancelled = Signal()

    def __init__(self, frozen: FrozenScreen, parent: QWidget | None = None) -> None:
        flags = (Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                 | Qt.WindowType.WindowStaysOnTopHint)
        super().__init__(parent, flags)
        self.frozen = frozen
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Choose an area of the screen"))
        self.setAccessibleDescription(_instructions())
        self.setWindowTitle(_("Choose an area of the screen"))
        x, y, w, h = frozen.screen.geometry
        self._pixmap = QPixmap.fromImage(frozen.image)
        self._pixmap.setDevicePixelRatio(frozen.image.width() / max(1, w))
        self.setGeometry(x, y, w, h)
        self._start: QPoint | None = None
        self._selection = QRect()

    # --- showing ---------------------------------------------------------------------------

    def show_on_screen(self) -> None:
        """Show full screen on the monitor the frozen image came from."""
        screens = QGuiApplication.screens()
        self.create()
        handle = self.windowHandle()
        if handle is not None and self.frozen.screen.index < len(screens):
            handle.setScreen(screens[self.frozen.screen.index])
        x, y, w, h = self.frozen.screen.geometry
        self.setGeometry(x, y, w, h)
        self.showFullScreen()
        self.raise_()

    @property
    def selection(self) -> QRect:
        return QRect(self._selection)

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        full = self.rect()
        painter.drawPixmap(full, self._pixmap)
        painter.fillRect(full, _DIM)
        chosen = self._selection.normalized()
        if not chosen.isEmpty():
            painter.drawPixmap(chosen, self._pixmap, self._source_rect(chosen))
            painter.setPen(QPen(_EDGE, 2))
            painter.drawRect(chosen.adjusted(0, 0, -1, -1))
            self._draw_size(painter, chosen)
        else:
            self._draw_instructions(painter)
        painter.end()

    def _source_rect(self, logical: QRect) -> QRect:
        ratio = self._pixmap.devicePixelRatio()
        return QRect(round(logical.x() * ratio), round(logical.y() * ratio),
                     round(logical.width() * ratio), round(logical.height() * ratio))

    def _draw_size(self, painter: QPainter, chosen: QRect) -> None:
        device = self._source_rect(chosen)
        text = _("{width} × {height}").format(width=device.width(), height=device.height())
        metrics = painter.fontMetrics()
        box = metrics.boundingRect(text).adjusted(-6, -3, 6, 3)
        top = chosen.top() - box.height() - 4
        box.moveTopLeft(QPoint(chosen.left(), top if top >= 0 else chosen.bottom() + 4))
        painter.fillRect(box, QColor(0, 0, 0, 200))
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _draw_instructions(self, painter: QPainter) -> None:
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        painter.setFont(font)
        area = QRect(0, 0, min(self.width() - 40, 760), 0)
        bound = painter.fontMetrics().boundingRect(area, Qt.TextFlag.TextWordWrap,
                                                   _instructions())
        box = bound.adjusted(-16, -12, 16, 12)
        box.moveCenter(QPoint(self.width() // 2, box.height() // 2 + 40))
        painter.fillRect(box, QColor(20, 20, 20, 220))
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                         _instructions())

    # --- mouse -----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.RightButton:
            self.cancelled.emit()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._start = event.position().toPoint()
            self._selection = QRect(self._start, self._start)
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        # Tracks the drag from our own state: synthetic moves may not report the button.
        if self._start is not None:
            self._selection = self._span(self._start, event.position().toPoint())
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() != Qt.MouseButton.LeftButton or self._start is None:
            return
        self._selection = self._span(self._start, event.position().toPoint())
        self._start = None
        if self._selection.width() >= MIN_SIDE and self._selection.height() >= MIN_SIDE:
            self.selected.emit(QRect(self._selection))
        else:
            self._selection = QRect()
            self.update()

    def _span(self, a: QPoint, b: QPoint) -> QRect:
        """The rectangle between two corners, both inclusive of the press point, on screen."""
        left, right = sorted((a.x(), b.x()))
        top, bottom = sorted((a.y(), b.y()))
        return QRect(left, top, right - left, bottom - top).intersected(self.rect())

    # --- keyboard --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            chosen = self._selection if not self._selection.isEmpty() else self.rect()
            self.selected.emit(QRect(chosen))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._nudge(Qt.Key(key), event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        else:
            super().keyPressEvent(event)

    def _nudge(self, key: Qt.Key, resize: object) -> None:
        if self._selection.isEmpty():
            self._selection = QRect(self.width() // 4, self.height() // 4,
                                    self.width() // 2, self.height() // 2)
        dx = {Qt.Key.Key_Left: -_STEP, Qt.Key.Key_Right: _STEP}.get(key, 0)
        dy = {Qt.Key.Key_Up: -_STEP, Qt.Key.Key_Down: _STEP}.get(key, 0)
        moved = QRect(self._selection)
        if resize:
            moved.setWidth(max(MIN_SIDE, moved.width() + dx))
            moved.setHeight(max(MIN_SIDE, moved.height() + dy))
        else:
            moved.translate(dx, dy)
        self._selection = moved.intersected(self.rect())
        self.update()


class RegionPicker(QObject):
    """Shows an overlay on every monitor; the first rectangle chosen on any of them wins."""

    chosen = Signal(object, QRect)  # FrozenScreen, rectangle relative to that screen
    cancelled = Signal()

    def __init__(self, frozen: list[FrozenScreen], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overlays = [RegionOverlay(f, parent) for f in frozen]
        for overlay in self.overlays:
            overlay.selected.connect(lambda rect, o=overlay: self._chosen(o, rect))
            overlay.cancelled.connect(self._cancel)
        self._finished = False

    def start(self) -> None:
        under_cursor = QCursor.pos()
        for overlay in self.overlays:
            overlay.show_on_screen()
        for overlay in self.overlays:
            if overlay.geometry().contains(under_cursor) or len(self.overlays) == 1:
                overlay.activateWindow()
                overlay.setFocus(Qt.FocusReason.OtherFocusReason)

    def close(self) -> None:
        """Close every overlay and let go of the frozen images."""
        self._finished = True
        for overlay in self.overlays:
            overlay.hide()
            overlay.deleteLater()
        self.overlays = []
        self.deleteLater()

    def _chosen(self, overlay: RegionOverlay, rect: QRect) -> None:
        if self._finished:
            return
        frozen = overlay.frozen
        self.close()
        self.chosen.emit(frozen, rect)

    def _cancel(self) -> None:
        if self._finished:
            return
        self.close()
        self.cancelled.emit()


class CaptureBar(QWidget):
    """Small always-on-top window: a countdown, or the series controls."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.setWindowTitle(_("Screenshots"))
        self.message = QLabel(self)
        self.capture_button = QPushButton(_("&Capture (F8)"), self)
        self.capture_button.setAccessibleName(_("Take the next screenshot"))
        self.stop_button = QPushButton(_("&Stop"), self)
        self.stop_button.setAccessibleName(_("Stop taking screenshots"))
        self.shortcut = QShortcut(QKeySequence(SERIES_KEY), self)
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        buttons = QHBoxLayout()
        buttons.addWidget(self.capture_button)
        buttons.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def countdown(self, seconds: int) -> None:
        self.capture_button.hide()
        self.stop_button.setText(_("&Cancel"))
        self.stop_button.setAccessibleName(_("Cancel the screenshot"))
        self.shortcut.setEnabled(False)
        self.message.setText(ngettext("Taking the screenshot in {seconds} s…",
                                      "Taking the screenshot in {seconds} s…",
                                      seconds).format(seconds=seconds))

    def series(self, count: int) -> None:
        self.capture_button.show()
        self.stop_button.setText(_("&Stop"))
        self.stop_button.setAccessibleName(_("Stop taking screenshots"))
        self.shortcut.setEnabled(True)
        self.message.setText(_("Screenshots taken: {count}. Scroll, then press F8 here or "
                               "click Capture.").format(count=count))
        self.capture_button.setDefault(True)

    def place(self) -> None:
        screen = QGuiApplication.primaryScreen()
        self.adjustSize()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.right() - self.width() - 24, area.top() + 24)
