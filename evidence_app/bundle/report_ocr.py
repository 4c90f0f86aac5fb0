"""The words read by machine from the sealed pictures, as the report shows them (facts only).

A picture's words are printed only when its reading is sealed with it (so the officer can
open the whole text and check its fingerprint), and a sensitive picture's words only when
the person chose to print them: the report is the part of a bundle that gets printed and
passed on, while the picture and its reading stay in the bundle. Indicators read only from
such pictures are left out of the report's table for the same reason (indicators.json keeps
them). Text is capped per picture at whole lines, never inside a word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from evidence_app.bundle.report_case import Indicator
from evidence_app.core.state import Item
from evidence_app.ocr.found import PICTURE_KIND
from evidence_app.ocr.stored import TEXT_KIND

SHOWN_LINES = 60  # a chat screenshot holds 20-60 lines; more is rarely one picture's text
SHOWN_CHARS = 4000
READ_LIMIT = 4 << 20  # a reading is a few KB; the report decrypts no more than this


@dataclass(frozen=True)
class PictureWords:
    """One picture's reading: how it was made, where it is, and the lines the report prints.

    `withheld`: the picture is sensitive and the person did not choose to print its words;
    then `lines` is empty and the text was not even decrypted for the report.
    """

    item: str  # the number of the text item (NAME.ocr.txt)
    path: str  # that item's file in the bundle
    engine: str
    engine_version: str
    languages: tuple[str, ...]  # the engine's codes ("tha", "eng"), in the order used
    lines: tuple[str, ...] = ()
    more_lines: int = 0  # lines with text that are not printed whole
    cut: bool = False  # the text is longer than the report reads (READ_LIMIT)
    withheld: bool = False

    @property
    def empty(self) -> bool:
        return not (self.withheld or self.lines or self.more_lines or self.cut)


def is_sensitive(item: Item, every: dict[str, Item]) -> bool:
    """Sensitive, or made from a sensitive item (a reading shows what the picture shows)."""
    seen: set[str] = set()
    current: Item | None = item
    while current is not None and current.id not in seen:
        if current.sensitive:
            return True
        seen.add(current.id)
        current = every.get(current.derived_from) if current.derived_from else None
    return False


def _number(item: Item) -> int:
    return int(item.id) if item.id.isdigit() else 1 << 30


def _read_text(vault: Any, item: Item) -> tuple[str, bool]:
    """The start of a reading's text, and whether there was more than READ_LIMIT bytes."""
    out = bytearray()
    for part in vault.iter_item(item.id):
        out += part
        if len(out) > READ_LIMIT:
            return bytes(out[:READ_LIMIT]).decode("utf-8", "ignore"), True
    return bytes(out).decode("utf-8", "replace"), False


def _words_up_to(line: str, budget: int) -> str:
    """The first words of a line that fit in `budget` characters (at least the first word:
    an address is printed whole or not at all; only a "word" longer than the whole budget,
    which no picture holds, is cut)."""
    words = line.split(" ")
    kept = words[0][:budget]
    for word in words[1:]:
        if len(kept) + 1 + len(word) > budget:
            break
        kept += " " + word
    return kept


def shown_lines(text: str, *, max_lines: int = SHOWN_LINES, max_chars: int = SHOWN_CHARS
                ) -> tuple[tuple[str, ...], int]:
    """(lines to print, how many lines with text are not printed whole): at most one blank
    line between paragraphs, cut only between lines, or, for a first line longer than the
    whole budget, between words."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    shown: list[str] = []
    used = 0
    partial = False
    for line in lines:
        if len(shown) >= max_lines or used + len(line) > max_chars:
            if not shown:
                shown.append(_words_up_to(line, max_chars))
                partial = shown[0] != line
            break
        shown.append(line)
        used += len(line) + 1
    while shown and not shown[-1]:
        shown.pop()
    whole = sum(1 for line in shown if line) - (1 if partial else 0)
    return tuple(shown), sum(1 for line in lines if line) - whole


def picture_words(vault: Any, items: list[Item], *, include_sensitive: bool
                  ) -> dict[str, PictureWords]:
    """Picture item number -> its newest sealed reading, for every sealed picture read."""
    from evidence_app.bundle.extras import payload_path  # extras builds the report

    sealed = {i.id for i in items}
    newest: dict[str, Item] = {}
    for item in sorted(items, key=_number):
        if item.kind == TEXT_KIND and item.derived_from in sealed and not item.withdrawn:
            newest[str(item.derived_from)] = item
    every = vault.state.items
    found: dict[str, PictureWords] = {}
    for picture_id, text_item in newest.items():
        source = text_item.source
        languages = source.get("languages")
        words = PictureWords(
            item=text_item.id, path=payload_path(text_item),
            engine=str(source.get("engine") or ""),
            engine_version=str(source.get("engine_version") or ""),
            languages=tuple(str(c) for c in languages) if isinstance(languages, list) else ())
        picture = every.get(picture_id)
        private = is_sensitive(text_item, every) or (
            picture is not None and is_sensitive(picture, every))
        if source.get("words") == 0:  # nothing was read: nothing to print or to withhold
            found[picture_id] = words
            continue
        if private and not include_sensitive:
            found[picture_id] = replace(words, withheld=True)
            continue
        text, cut = _read_text(vault, text_item)
        lines, more = shown_lines(text)
        found[picture_id] = replace(words, lines=lines, more_lines=more, cut=cut)
    return found


def _private_picture(source: dict[str, Any], every: dict[str, Item]) -> bool:
    item = every.get(str(source.get("item_id")))
    return source.get("kind") == PICTURE_KIND and (item is None or is_sensitive(item, every))


def report_indicators(indicators: Iterable[Indicator], vault: Any, *,
                      include_sensitive: bool) -> tuple[list[Indicator], int]:
    """The indicators the report prints, and how many it leaves out: those read only from
    sensitive pictures, unless the person chose to print their words. Each picture source
    gets the picture's name ("item_name"), except a sensitive picture's, which is never
    printed."""
    every = vault.state.items
    shown: list[Indicator] = []
    left_out = 0
    for indicator in indicators:
        private = [_private_picture(dict(s), every) for s in indicator.sources]
        if private and all(private) and not include_sensitive:
            left_out += 1
            continue
        sources = []
        for source, hidden in zip(indicator.sources, private, strict=True):
            entry = dict(source)
            entry.pop("item_name", None)
            picture = every.get(str(entry.get("item_id")))
            if entry.get("kind") == PICTURE_KIND and picture is not None and not hidden:
                entry["item_name"] = picture.name
            sources.append(entry)
        shown.append(replace(indicator, sources=tuple(sources)))
    return shown, left_out
