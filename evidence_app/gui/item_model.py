"""The evidence list: a tree over the vault's items, with lazily loaded, blurred thumbnails.

What the app made from an original (chat transcripts, a chat's attachments, anything an item
records as `derived_from`) sits under that original, so one chat import is one entry in the
list; the original's row says how many belong to it. Only rows the view asks for load a
thumbnail (a small encrypted object), so opening a vault with thousands of items never
decrypts the originals.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFontMetrics, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from evidence_app.core.errors import EvidenceError
from evidence_app.core.state import Item
from evidence_app.core.timeutil import parse_utc
from evidence_app.formatting import human_size, untrusted
from evidence_app.gui.common import blurred
from evidence_app.gui.picture_reading import PictureWords
from evidence_app.gui.session import Session
from evidence_app.i18n import _, ngettext
from evidence_app.item_kinds import item_kind_words

log = logging.getLogger(__name__)

ItemRole = Qt.ItemDataRole.UserRole + 1
SearchTextRole = Qt.ItemDataRole.UserRole + 2
CategoryRole = Qt.ItemDataRole.UserRole + 3
AddedRole = Qt.ItemDataRole.UserRole + 4
THUMB = QSize(96, 96)
CACHED_ICONS = 1000  # rows whose icons stay in memory (96 × 96 each: about 37 MB at most)
NAME_LIMIT = 120
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




def belongs_text(count: int) -> str:
    """What an original's row says about the items made from it."""
    return ngettext("{count} item belongs to it", "{count} items belong to it", count).format(
        count=count)


def square(pixmap: QPixmap, edge: int = THUMB.width()) -> QPixmap:
    """The picture fitted into a transparent square of `edge` pixels: every row's icon is
    then as tall as the icon size, whatever the picture's shape or size. (Qt sizes all rows
    like one sample row; a wide screenshot there squashed every row of the list, and an icon
    is never enlarged, so a tiny picture showed as a dot.)"""
    if pixmap.isNull():
        return pixmap
    fitted = pixmap.scaled(edge, edge, Qt.AspectRatioMode.KeepAspectRatio,
                           Qt.TransformationMode.SmoothTransformation)
    canvas = QPixmap(edge, edge)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.drawPixmap((edge - fitted.width()) // 2, (edge - fitted.height()) // 2, fitted)
    painter.end()
    return canvas


class ItemTreeModel(QAbstractItemModel):
    """Originals at the top level; what was made from each one, as its children."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.items: list[Item] = []
        self.notes_text: dict[str, str] = {}
        self.reveal_all = False
        self.revealed: set[str] = set()
        self.discreet = session.settings.discreet
        self.compact = False  # the grid: the name only, no second line
        # Small squared thumbnails and the icons made from them, for the rows seen last: a
        # long scroll through thousands of pictures keeps memory bounded.
        self._thumbs: OrderedDict[str, QPixmap | None] = OrderedDict()
        self._icons: OrderedDict[tuple[str, bool], QIcon] = OrderedDict()  # (id, clear)
        self._position: dict[str, int] = {}  # item id -> place in self.items
        self._parent: dict[str, str | None] = {}  # item id -> the original it was made from
        self._children: dict[str | None, list[str]] = {None: []}  # None: the top level
        self._row: dict[str, int] = {}  # item id -> row under its parent

    # --- reading the vault --------------------------------------------------------------

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
        self._group()
        self.endResetModel()

    def _group(self) -> None:
        self._position = {item.id: n for n, item in enumerate(self.items)}
        by_id = {item.id: item for item in self.items}
        self._parent, self._children, self._row = {}, {None: []}, {}
        for item in self.items:
            parent = self._original_of(item, by_id)
            self._parent[item.id] = parent
            siblings = self._children.setdefault(parent, [])
            self._row[item.id] = len(siblings)
            siblings.append(item.id)

    @staticmethod
    def _original_of(item: Item, by_id: dict[str, Item]) -> str | None:
        """The item it was made from, if that is in the vault and no loop of "made from"
        leads back to this item (then it stays at the top level)."""
        parent = item.derived_from
        seen = {item.id}
        current = parent
        while current is not None:
            if current in seen or current not in by_id:
                return None
            seen.add(current)
            current = by_id[current].derived_from
        return parent

    def item_at(self, index: Index) -> Item | None:
        if not index.isValid() or index.model() is not self:
            return None
        position = index.internalId()
        return self.items[position] if 0 <= position < len(self.items) else None

    def index_of(self, item_id: str) -> QModelIndex:
        """The index of an item by its id (invalid when it is not in the list)."""
        if item_id not in self._position:
            return QModelIndex()
        return self.createIndex(self._row[item_id], 0, self._position[item_id])

    # --- Qt's model interface -----------------------------------------------------------

    def index(self, row: int, column: int = 0,
              parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008 - Qt API
        parent_id = None
        if parent.isValid():
            found = self.item_at(parent)
            if found is None:
                return QModelIndex()
            parent_id = found.id
        siblings = self._children.get(parent_id, [])
        if column != 0 or not 0 <= row < len(siblings):
            return QModelIndex()
        return self.createIndex(row, 0, self._position[siblings[row]])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        item = self.item_at(index)
        if item is None:
            return QModelIndex()
        original = self._parent.get(item.id)
        return QModelIndex() if original is None else self.index_of(original)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        if not parent.isValid():
            return len(self._children.get(None, []))
        item = self.item_at(parent)
        return len(self._children.get(item.id, [])) if item is not None else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008 - Qt API
        return self.rowCount(parent) > 0

    # --- what a row shows ---------------------------------------------------------------

    def clear_previews(self) -> None:
        self.beginResetModel()
        self._thumbs.clear()
        self._icons.clear()
        self.revealed.clear()
        self.reveal_all = False
        self.items = []
        self._group()
        self.endResetModel()

    def set_reveal_all(self, on: bool) -> None:
        self.reveal_all = on
        self._changed_all([Qt.ItemDataRole.DecorationRole])

    def reveal(self, item_id: str, on: bool = True) -> None:
        (self.revealed.add if on else self.revealed.discard)(item_id)
        index = self.index_of(item_id)
        if index.isValid():
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def set_compact(self, on: bool) -> None:
        self.compact = on
        self._changed_all([Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.SizeHintRole])

    @staticmethod
    def grid_item_size() -> QSize:
        """One size for every tile of the grid: the picture and three lines of text (a name
        on two, what belongs to it on the third), so no tile is cut to its neighbour's."""
        lines = QFontMetrics(QApplication.font()).lineSpacing() * 3
        return QSize(THUMB.width() + 44, THUMB.height() + lines + 8)

    def _changed_all(self, roles: list[int]) -> None:
        for parent_id, ids in self._children.items():
            if ids:
                parent = self.index_of(parent_id) if parent_id is not None else QModelIndex()
                self.dataChanged.emit(self.index(0, 0, parent),
                                      self.index(len(ids) - 1, 0, parent), roles)

    def _thumbnail(self, item: Item) -> QPixmap | None:
        if item.id in self._thumbs:
            self._thumbs.move_to_end(item.id)
        else:
            pixmap = None
            vault = self.session.vault
            if item.thumbnail and vault is not None and vault.is_open:
                try:
                    image = QImage.fromData(vault.thumbnail_bytes(item.id) or b"")
                    if not image.isNull():  # kept small: no bigger than the grid's icons
                        pixmap = QPixmap.fromImage(image).scaled(
                            THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                            Qt.TransformationMode.SmoothTransformation)
                except EvidenceError:
                    log.info("thumbnail unreadable")
            self._thumbs[item.id] = pixmap
            if len(self._thumbs) > CACHED_ICONS:
                self._thumbs.popitem(last=False)
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
        clear = self.reveal_all or item.id in self.revealed
        key = (item.id, clear)
        icon = self._icons.get(key)
        if icon is None:  # made once: every paint of the row asks for it again
            icon = QIcon(square(pixmap if clear else blurred(pixmap.toImage())))
            self._icons[key] = icon
            if len(self._icons) > CACHED_ICONS:
                self._icons.popitem(last=False)
        else:
            self._icons.move_to_end(key)
        return icon

    def _title(self, item: Item) -> str:
        flags = []
        if item.sensitive:
            flags.append(_("sensitive"))
        if item.withdrawn:
            flags.append(_("left out of the case"))
        suffix = f" ({', '.join(flags)})" if flags else ""
        return f"{item.id}. {untrusted(item.name, NAME_LIMIT)}{suffix}"

    def _about(self, item: Item, separator: str = " · ") -> str:
        """The second line: what it is, how big, and how many items belong to it."""
        parts = [item_kind_words(item), human_size(item.size)]
        children = len(self._children.get(item.id, []))
        if children:
            parts.append(belongs_text(children))
        return separator.join(parts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item_at(index)
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if self.compact:
                children = len(self._children.get(item.id, []))
                title = self._title(item)
                return f"{title}\n{belongs_text(children)}" if children else title
            return f"{self._title(item)}\n{self._about(item)}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(item)
        if role == Qt.ItemDataRole.SizeHintRole:
            return self.grid_item_size() if self.compact else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _("Item {id}: {name}").format(id=item.id, name=untrusted(item.name)) + \
                ", " + self._about(item, ", ")  # a screen reader says commas, not dots
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{untrusted(item.name)}\n{self._about(item)}"
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
    """Search by name, description, note text and the words read in pictures; filter by type
    and by when it was added.

    Recursive: an original stays in sight while anything made from it matches, so a found
    transcript or chat photo is shown where it belongs. A picture found by its words says so
    in its tooltip, with the words around the match."""

    def __init__(self, words: PictureWords | None = None) -> None:
        super().__init__()
        self.words = words
        if words is not None:
            words.changed.connect(self._words_changed)
        self.text = ""
        self.kind = ""
        self.days = 0
        self.setRecursiveFilteringEnabled(True)

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

    def _words_changed(self) -> None:
        if self.text:  # only a search can change what is shown
            self.set_filter()

    def found_in_words(self, item: Item | None) -> bool:
        """The search matches the picture's words (and not its name or notes)."""
        return bool(self.text and item is not None and self.words is not None
                    and self.words.matches(item.id, " ".join(self.text.split())))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        if role == Qt.ItemDataRole.ToolTipRole and self.words is not None and self.text:
            item = super().data(index, ItemRole)
            needle = " ".join(self.text.split())
            if self.found_in_words(item) and item is not None and item.sensitive:
                return f"{value}\n" + _("Found in the words read from this picture (it is "
                                        "marked sensitive, so they are not shown here).")
            if self.found_in_words(item) and item is not None:
                words = untrusted(self.words.snippet(item.id, needle), 200)
                return f"{value}\n" + _("Found in the words read from this picture: "
                                        "“{words}”").format(words=words)
        return value

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802 - Qt API
        index = self.sourceModel().index(row, 0, parent)
        if self.text and self.text not in index.data(SearchTextRole) \
                and not self.found_in_words(index.data(ItemRole)):
            return False
        if self.kind and index.data(CategoryRole) != self.kind:
            return False
        if self.days:
            added = parse_utc(index.data(AddedRole))
            if added < dt.datetime.now(dt.UTC) - dt.timedelta(days=self.days):
                return False
        return True
