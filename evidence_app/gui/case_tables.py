"""The lists in Case details (the other person's accounts, payments made) as tables that
always fit their window: no sideways scrolling, every column heading in whole words
(wrapped onto a second line when a language needs it), long entries (wallet addresses)
wrapped in their cell instead of cut off, and a fresh empty row whenever the last one is
used."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

SPARE_ROWS = 3
MIN_ROWS = 5
_HEADER_PADDING = 14  # the style's margins around a heading, both sides together
_CELL_PADDING = 6
_WRAP = QTextOption()
_WRAP.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)


def wrap_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` broken into lines at spaces so that each fits `width` (a word longer than
    the width keeps a line of its own: it is never cut)."""
    lines: list[str] = []
    for word in text.split():
        if lines and metrics.horizontalAdvance(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _text_height(text: str, font: QFont, width: float) -> float:
    """Height of `text` wrapped at spaces, and inside words too long for a line."""
    layout = QTextLayout(text, font)
    layout.setTextOption(_WRAP)
    layout.beginLayout()
    height = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(width, 1.0))
        height += line.height()
    layout.endLayout()
    return height


class WrapAnywhere(QStyledItemDelegate):
    """Cells wrap like words do, and also inside a word that is longer than the column
    (wallet addresses, IBANs, transaction numbers): shown whole, never cut off."""

    def _width(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
               ) -> float:
        table = self.parent()
        width = table.columnWidth(index.column()) if isinstance(table, QTableWidget) else \
            option.rect.width()
        return width - 2 * _CELL_PADDING

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        text = str(index.data() or "")
        if not text:
            return base
        height = _text_height(text, option.font, self._width(option, index))
        return QSize(base.width(), max(base.height(), int(height) + 2 * _CELL_PADDING))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is None:
            return
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        role = QPalette.ColorRole.HighlightedText if opt.state & QStyle.StateFlag.State_Selected \
            else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(opt.palette.color(role))
        painter.setFont(opt.font)
        rect = QRectF(opt.rect.adjusted(_CELL_PADDING, _CELL_PADDING // 2, -_CELL_PADDING,
                                        -_CELL_PADDING // 2))
        align = QTextOption(_WRAP)
        align.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(rect, text, align)
        painter.restore()


def _shares(total: int, weights: list[float], minimums: list[int]) -> list[int]:
    """Widths in proportion to `weights`, none below its minimum, together `total` (or
    the minimums, when even they do not fit)."""
    fixed: dict[int, int] = {}
    while True:
        room = total - sum(fixed.values())
        free = [i for i in range(len(weights)) if i not in fixed]
        weight = sum(weights[i] for i in free) or 1.0
        short = [i for i in free if room * weights[i] / weight < minimums[i]]
        if not short or not free:
            break
        for i in short:
            fixed[i] = minimums[i]
    widths = [fixed.get(i, int(room * weights[i] / weight)) for i in range(len(weights))]
    if free:  # the pixels lost to rounding go to the widest free column
        widest = max(free, key=lambda i: widths[i])
        widths[widest] += max(0, total - sum(widths))
    return widths


class FittedTable(QTableWidget):
    """A table of text rows whose columns share the visible width by `weights`."""

    def __init__(self, columns: tuple[str, ...], labels: list[str], weights: list[float],
                 rows: list[dict[str, Any]], name: str, parent: QWidget | None = None) -> None:
        super().__init__(max(len(rows) + SPARE_ROWS, MIN_ROWS), len(columns), parent)
        self.columns = columns
        self.labels = labels
        self.weights = weights
        self._fitting = False
        self.setAccessibleName(name)
        self.setWordWrap(True)
        self.setItemDelegate(WrapAnywhere(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        for c, label in enumerate(labels):
            item = QTableWidgetItem(label)
            item.setToolTip(label)
            self.setHorizontalHeaderItem(c, item)
        self.set_rows(rows)
        self.itemChanged.connect(self._changed)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.blockSignals(True)
        self.clearContents()
        self.setRowCount(max(len(rows) + SPARE_ROWS, MIN_ROWS))
        for r, row in enumerate(rows):
            for c, key in enumerate(self.columns):
                self.setItem(r, c, QTableWidgetItem(str(row.get(key, "") or "")))
        self.blockSignals(False)
        self.resizeRowsToContents()

    def rows(self) -> list[dict[str, str]]:
        """The filled rows (empty ones left out), keyed by column."""
        out = []
        for r in range(self.rowCount()):
            row = {}
            for c, key in enumerate(self.columns):
                cell = self.item(r, c)
                if cell is not None and cell.text().strip():
                    row[key] = cell.text().strip()
            if row:
                out.append(row)
        return out

    def _changed(self, item: QTableWidgetItem) -> None:
        self.resizeRowToContents(item.row())
        if item.row() == self.rowCount() - 1 and item.text().strip():
            self.insertRow(self.rowCount())  # there is always an empty row to type into

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """The visible width changes with the window and when a scroll bar comes or goes."""
        if event.type() == QEvent.Type.Resize and not self._fitting:
            self._fitting = True
            try:
                self.fit_columns()
            finally:
                self._fitting = False
        return super().viewportEvent(event)

    def fit_columns(self) -> None:
        """Share the visible width; headings wrap at spaces to fit their column."""
        header = self.horizontalHeader()
        metrics = header.fontMetrics()
        minimums = [max(metrics.horizontalAdvance(w) for w in label.split()) + _HEADER_PADDING
                    for label in self.labels]
        widths = _shares(self.viewport().width(), self.weights, minimums)
        for c, width in enumerate(widths):
            header.resizeSection(c, width)
            wrapped = wrap_words(self.labels[c], metrics, width - _HEADER_PADDING)
            item = self.horizontalHeaderItem(c)
            if item is not None and item.text() != wrapped:
                item.setText(wrapped)
        self.resizeRowsToContents()
