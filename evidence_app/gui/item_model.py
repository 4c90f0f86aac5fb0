"""The evidence list: a model over the vault's items with lazily loaded, blurred thumbnails.

Only rows the view asks for load a thumbnail (a small encrypted object), so opening a vault
with thousands of items never decrypts the originals.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from evidence_app.core.errors import EvidenceError
from evidence_app.core.state import Item
from evidence_app.core.timeutil import parse_utc
from evidence_app.gui.common import blurred
from evidence_app.gui.session import Session
from evidence_app.i18n import _

log = logging.getLogger(__name__)

ItemRole = Qt.ItemDataRole.UserRole + 1
SearchTextRole = Qt.ItemDataRole.UserRole + 2
CategoryRole = Qt.ItemDataRole.UserRole + 3
AddedRole = Qt.ItemDataRole.UserRole + 4
THUMB = QSize(96, 96)
Index = QModelIndex | QPersistentModelIndex


def category(item: Item) -> str:
    media = item.media_type
    if item.kind == "transcript" or item.source.get("type") == "chat_export":
        return "chat"
    if media.startswith("image/"):
        return "image"
    if media.startswith(("video/", "audio/")):
        return "video"
    if media in ("application/pdf", "text/plain", "text/html", "application/json") or \
            media.startswith("application/vnd"):
        return "document"
    return "other"


class ItemListModel(QAbstractListModel):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.items: list[Item] = []
        self.notes_text: dict[str, str] = {}
        self.reveal_all = False
        self.revealed: set[str] = set()
        self.discreet = session.settings.discreet
        self._thumbs: dict[str, QPixmap | None] = {}

    def refresh(self) -> None:
        """Re-read the vault's state (call on the GUI thread, after work finished)."""
        self.beginResetModel()
        vault = self.session.vault
        if vault is None or not vault.is_open:
            self.items, self.notes_text = [], {}
        else:
            self.items = list(vault.state.items.values())
            texts: dict[str, list[str]] = {}
            for note in vault.state.notes.values():
                if note.item_id:
                    texts.setdefault(note.item_id, []).append(note.text)
            self.notes_text = {k: " ".join(v) for k, v in texts.items()}
        self.endResetModel()

    def clear_previews(self) -> None:
        self.beginResetModel()
        self._thumbs.clear()
        self.revealed.clear()
        self.reveal_all = False
        self.items = []
        self.endResetModel()

    def set_reveal_all(self, on: bool) -> None:
        self.reveal_all = on
        self._changed_all()

    def reveal(self, item_id: str, on: bool = True) -> None:
        (self.revealed.add if on else self.revealed.discard)(item_id)
        self._changed_all()

    def _changed_all(self) -> None:
        if self.items:
            self.dataChanged.emit(self.index(0), self.index(len(self.items) - 1),
                                  [Qt.ItemDataRole.DecorationRole])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.items)

    def _thumbnail(self, item: Item) -> QPixmap | None:
        if item.id not in self._thumbs:
            pixmap = None
            vault = self.session.vault
            if item.thumbnail and vault is not None and vault.is_open:
                try:
                    image = QImage.fromData(vault.thumbnail_bytes(item.id) or b"")
                    if not image.isNull():
                        pixmap = QPixmap.fromImage(image)
                except EvidenceError:
                    log.info("thumbnail unreadable")
            self._thumbs[item.id] = pixmap
        return self._thumbs[item.id]

    def _decoration(self, item: Item) -> QIcon | QPixmap:
        style = QApplication.style()
        generic = {
            "image": QStyle.StandardPixmap.SP_FileIcon,
            "video": QStyle.StandardPixmap.SP_MediaPlay,
            "chat": QStyle.StandardPixmap.SP_FileDialogDetailedView,
        }.get(category(item), QStyle.StandardPixmap.SP_FileIcon)
        if self.discreet or item.sensitive:
            return style.standardIcon(generic)
        pixmap = self._thumbnail(item)
        if pixmap is None:
            return style.standardIcon(generic)
        if self.reveal_all or item.id in self.revealed:
            return QIcon(pixmap)
        return QIcon(blurred(pixmap.toImage()))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            flags = []
            if item.sensitive:
                flags.append(_("sensitive"))
            if item.withdrawn:
                flags.append(_("withdrawn"))
            suffix = f" ({', '.join(flags)})" if flags else ""
            return f"{item.id}. {item.name}{suffix}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(item)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _("Item {id}: {name}").format(id=item.id, name=item.name)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.name}\n{item.media_type}"
        if role == ItemRole:
            return item
        if role == SearchTextRole:
            return f"{item.name} {item.description} {self.notes_text.get(item.id, '')}".lower()
        if role == CategoryRole:
            return category(item)
        if role == AddedRole:
            return item.added_at
        return None


class ItemFilter(QSortFilterProxyModel):
    """Search by name, description and note text; filter by type and by when it was added."""

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.kind = ""
        self.days = 0

    def set_filter(self, *, text: str | None = None, kind: str | None = None,
                   days: int | None = None) -> None:
        self.beginFilterChange()
        if text is not None:
            self.text = text.lower().strip()
        if kind is not None:
            self.kind = kind
        if days is not None:
            self.days = days
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802 - Qt API
        index = self.sourceModel().index(row, 0, parent)
        if self.text and self.text not in index.data(SearchTextRole):
            return False
        if self.kind and index.data(CategoryRole) != self.kind:
            return False
        if self.days:
            added = parse_utc(index.data(AddedRole))
            if added < dt.datetime.now(dt.UTC) - dt.timedelta(days=self.days):
                return False
        return True
