"""Readings already stored in a vault: which pictures were read, and their word boxes."""

from __future__ import annotations

from typing import Any

from evidence_app.core.state import Item
from evidence_app.ocr.words import Line, lines_of, parse_tsv

TEXT_KIND = "ocr_text"
BOXES_KIND = "ocr_boxes"
KINDS = frozenset({TEXT_KIND, BOXES_KIND})
MAX_BOXES_BYTES = 32 << 20  # the boxes of a real screenshot take a few hundred KB


def readings_of(vault: Any, picture_id: str) -> list[Item]:
    """The text items read from a picture, oldest first (not withdrawn)."""
    return [i for i in vault.state.items.values()
            if i.kind == TEXT_KIND and i.derived_from == picture_id and not i.withdrawn]


def boxes_of(vault: Any, text_item: Item) -> Item | None:
    """The word-box item stored with a text item."""
    boxes_id = text_item.source.get("boxes_item")
    item = vault.state.items.get(str(boxes_id)) if boxes_id else None
    return item if item is not None and item.kind == BOXES_KIND else None


def load_lines(vault: Any, text_item: Item) -> list[Line]:
    """The lines (with their words' boxes) of a stored reading; [] when it has no boxes."""
    boxes = boxes_of(vault, text_item)
    if boxes is None or boxes.size > MAX_BOXES_BYTES:
        return []
    return lines_of(parse_tsv(stored_text(vault, boxes)))


def latest_readings(vault: Any) -> dict[str, Item]:
    """The newest reading of each picture that was read, by picture id."""
    latest: dict[str, Item] = {}
    for item in vault.state.items.values():
        if item.kind == TEXT_KIND and item.derived_from and not item.withdrawn:
            latest[item.derived_from] = item
    return latest


def item_bytes(vault: Any, item: Item) -> bytes:
    """An item decrypted into memory (a picture to read, a reading's text or boxes)."""
    return b"".join(bytes(part) for part in vault.iter_item(item.id))


def stored_text(vault: Any, text_item: Item) -> str:
    """A reading's text (or boxes), decrypted into memory."""
    return item_bytes(vault, text_item).decode("utf-8", "replace")
