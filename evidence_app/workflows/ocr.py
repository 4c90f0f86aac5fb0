"""Read the words in pictures: each reading is stored as two items made from the picture.

The text (`NAME.ocr.txt`, plain UTF-8) and the word boxes (`NAME.ocr.tsv`, the engine's TSV
columns in the picture's own pixels) are derived items: hashed, encrypted and recorded like
any item, naming the picture they were read from, with the engine, its version, the
languages and the settings in their custody record. The picture itself is never changed;
it is decrypted into memory only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from evidence_app.core.errors import Cancelled, EvidenceError, OcrFailed
from evidence_app.core.state import Item
from evidence_app.core.vault import Vault
from evidence_app.ocr import engine as ocr_engine
from evidence_app.ocr.passes import passes_for, read_passes, reading_text
from evidence_app.ocr.picture import MAX_PICTURE_BYTES, decode
from evidence_app.ocr.stored import BOXES_KIND, TEXT_KIND, item_bytes
from evidence_app.ocr.words import Line, Word, lines_of, mean_confidence, to_tsv
from evidence_app.workflows.add import STOP_ADDING
from evidence_app.workflows.outcome import (
    CancelCheck,
    Failed,
    Outcome,
    Progress,
    Skipped,
    SkipReason,
    Steps,
    StopReason,
)
from evidence_app.workflows.stamps import QUICK_TIMEOUT, stamp_step

# What the engine can be given (through Pillow): the formats phones and computers save.
PICTURE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp",
                           "image/tiff", "image/x-ms-bmp"})


@dataclass(frozen=True)
class Reading:
    """What the engine read in one picture, in the picture's pixels."""

    words: list[Word]
    lines: list[Line]
    text: str
    engine: ocr_engine.Engine
    languages: list[str]
    settings: ocr_engine.ReadSettings  # of the first pass
    passes: list[ocr_engine.ReadSettings] = field(default_factory=list)  # all, first included


def is_picture(item: Item) -> bool:
    """A picture the person handed in (or a chat sent): not one the app made itself."""
    return (item.media_type in PICTURE_TYPES and not item.withdrawn
            and item.kind not in (TEXT_KIND, BOXES_KIND))


def plan_reading(vault: Vault, ids: Sequence[str] | None, languages: Sequence[str], *,
                 again: bool = False) -> tuple[list[Item], list[Skipped]]:
    """The pictures to read: those named (or every picture when none is), less those
    already read in the same languages (unless `again`)."""
    chosen = [vault.item(i) for i in ids] if ids else list(vault.state.items.values())
    read_in = {(r.derived_from, tuple(r.source.get("languages") or ()))
               for r in vault.state.items.values()
               if r.kind == TEXT_KIND and not r.withdrawn}  # one pass, not one per picture
    todo: list[Item] = []
    skipped: list[Skipped] = []
    for item in chosen:
        if not is_picture(item):
            if ids:
                skipped.append(Skipped(item.id, SkipReason.NOT_A_PICTURE))
            continue
        done = (item.id, tuple(languages)) in read_in
        if done and not again:
            skipped.append(Skipped(item.id, SkipReason.ALREADY_READ))
            continue
        todo.append(item)
    return todo, skipped


def read_picture(data: bytes, engine: ocr_engine.Engine, languages: Sequence[str], *,
                 cancel: CancelCheck | None = None) -> Reading:
    """Read one picture's bytes (nothing is stored), in every pass passes_for() plans."""
    passes = passes_for(languages, engine)
    words, done = read_passes(decode(data), engine, passes, cancel=cancel)
    lines = lines_of(words)
    return Reading(words=words, lines=lines, text=reading_text(lines), engine=engine,
                   languages=list(languages), settings=done[0], passes=done)


def _picture_bytes(vault: Vault, item: Item) -> bytes:
    if item.size > MAX_PICTURE_BYTES:
        raise OcrFailed("too_big", f"size={item.size}")
    return item_bytes(vault, item)


def store_reading(vault: Vault, picture: Item, reading: Reading) -> Item:
    """The text and word-box items for a reading; returns the text item."""
    common: dict[str, Any] = {
        "type": "ocr", "engine": reading.engine.name,
        "engine_version": reading.engine.version, "languages": reading.languages,
        "settings": reading.settings.as_record(),
        "passes": [p.as_record() for p in reading.passes or [reading.settings]],
        "picture": picture.id,
        "picture_sha256": picture.sha256, "words": len(reading.words),
        "mean_confidence": mean_confidence(reading.words),
    }
    boxes = vault.add_bytes(to_tsv(reading.words).encode("utf-8"), f"{picture.name}.ocr.tsv",
                            source={**common, "role": "boxes"}, kind=BOXES_KIND,
                            derived_from=picture.id, sensitive=picture.sensitive)
    return vault.add_bytes(reading.text.encode("utf-8"), f"{picture.name}.ocr.txt",
                           source={**common, "role": "text", "boxes_item": boxes.id},
                           kind=TEXT_KIND, derived_from=picture.id,
                           sensitive=picture.sensitive)


def read_pictures(vault: Vault, pictures: Sequence[Item], languages: Sequence[str], *,
                  skipped: Sequence[Skipped] = (), progress: Progress | None = None,
                  cancel: CancelCheck | None = None,
                  each: Callable[[Item | Failed], None] | None = None, stamp: bool = True,
                  stamp_progress: Progress | None = None,
                  stamp_timeout: float | None = QUICK_TIMEOUT) -> Outcome[Item]:
    """Read and store each picture in turn; one that cannot be read is said and the run goes
    on. Raises OcrUnavailable before anything is done when the engine or a language is
    missing."""
    engine = ocr_engine.require(languages)
    steps = Steps(progress, cancel)
    outcome: Outcome[Item] = Outcome(skipped=list(skipped))
    try:
        for number, picture in enumerate(pictures):
            steps.check()
            steps.report(number, len(pictures), picture.name)
            try:
                reading = read_picture(_picture_bytes(vault, picture), engine, languages,
                                       cancel=cancel)
                steps.check()
                text_item = store_reading(vault, picture, reading)
            except (*STOP_ADDING, Cancelled):
                raise
            except EvidenceError as exc:
                outcome.failed.append(Failed(picture.name, exc))
                if each is not None:
                    each(outcome.failed[-1])
                continue
            outcome.done.append(text_item)
            if each is not None:
                each(text_item)
        steps.report(len(pictures), len(pictures), "")
    except Cancelled:
        outcome.stop = StopReason.CANCELLED
        return outcome
    except STOP_ADDING as exc:
        outcome.stop, outcome.stop_error = StopReason.FAILED, exc
        return outcome
    return stamp_step(vault, outcome, stamp=stamp, progress=stamp_progress, cancel=cancel,
                      timeout=stamp_timeout)
