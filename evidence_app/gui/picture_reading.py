"""Reading the words in pictures from the window: in the background, one picture at a time.

After files, a screenshot or a chat's pictures are added (when Settings say so), and when the
person asks, the pictures wait in one queue. Each is read by its own short piece of vault
work (workflows.ocr.read_pictures for that one picture), so the vault's lock is let go
between pictures: a note, a reader or an export asked for meanwhile waits for one picture at
most, never for the whole queue. Cancel, a lock and the quick exit drop the queue at once
(the engine is killed by the cancel check within a tenth of a second; nothing is stored
after it). A missing engine or language is said once per unlocked session.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from evidence_app.core.errors import Cancelled, EvidenceError, OcrUnavailable
from evidence_app.core.state import Item
from evidence_app.core.vault import Vault
from evidence_app.i18n import current_language
from evidence_app.ocr.engine import engine_languages
from evidence_app.ocr.stored import latest_readings, stored_text
from evidence_app.workflows.ocr import is_picture, plan_reading, read_pictures
from evidence_app.workflows.outcome import Outcome, StopReason

if TYPE_CHECKING:
    from evidence_app.gui import workers
    from evidence_app.gui.session import Session

log = logging.getLogger(__name__)

# The words kept in memory for the list's search, per picture: a real screenshot has a few
# KB; a hostile picture with a wall of text is cut here (its stored reading is whole).
INDEX_CHARS = 64 * 1024


@dataclass
class Request:
    """Pictures to read, in which languages, and whether to read those read before."""

    ids: list[str]
    languages: list[str]
    again: bool = False


@dataclass
class ReadOne:
    """What one picture's piece of work did: the outcome, and the words for the search."""

    outcome: Outcome[Item]
    words: dict[str, str] = field(default_factory=dict)  # picture id -> text read


def reading_languages(session: Session, extra: Iterable[str] = ()) -> list[str]:
    """The engine's languages: the app's, those chosen in Settings (and here), English."""
    return engine_languages(current_language(),
                            [*session.settings.picture_languages, *extra])


def _read_one(vault: Vault, picture_id: str, languages: list[str], again: bool, *,
              progress: Any = None, cancel: Any = None) -> ReadOne:
    """In the worker: one picture, read and stored (or skipped when read before)."""
    todo, skipped = plan_reading(vault, [picture_id], languages, again=again)
    if not todo:
        return ReadOne(Outcome(skipped=skipped))
    outcome = read_pictures(vault, todo, languages, skipped=skipped, progress=progress,
                            cancel=cancel, stamp=False)
    words = {item.derived_from: stored_text(vault, item)[:INDEX_CHARS]
             for item in outcome.done if item.derived_from}
    return ReadOne(outcome, words)


def _all_words(vault: Vault, *, progress: Any = None, cancel: Any = None) -> dict[str, str]:
    """In the worker: the latest reading of every picture, for the list's search."""
    words: dict[str, str] = {}
    for picture_id, reading in latest_readings(vault).items():
        if cancel is not None and cancel():
            raise Cancelled()
        try:
            words[picture_id] = stored_text(vault, reading)[:INDEX_CHARS]
        except EvidenceError:  # a damaged object: the picture is simply not found by words
            log.info("a reading could not be loaded for the search")
    return words


class PictureWords(QObject):
    """Picture id -> the words of its latest reading, in memory while the vault is open.

    Built in a worker after each unlock, updated after each reading, forgotten on lock."""

    changed = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session
        self.text: dict[str, str] = {}  # as read (shown with visible marks)
        self.lowered: dict[str, str] = {}  # for matching: lower case, spaces made one
        session.unlocked.connect(self.rebuild)
        session.locked.connect(self.forget)

    def rebuild(self) -> None:
        if self.session.is_unlocked:
            self.session.run(_all_words, changes=False, on_done=self._built,
                             on_error=lambda exc: log.info("search words: %s",
                                                           type(exc).__name__))

    def _built(self, words: dict[str, str]) -> None:
        self.text, self.lowered = {}, {}
        self.update(words)

    def update(self, words: dict[str, str]) -> None:
        for picture_id, text in words.items():
            self.text[picture_id] = text
            self.lowered[picture_id] = " ".join(text.lower().split())
        self.changed.emit()

    def matches(self, picture_id: str, needle: str) -> bool:
        return bool(needle) and needle in self.lowered.get(picture_id, "")

    def snippet(self, picture_id: str, needle: str, around: int = 30) -> str:
        """The words around the first match, on one line (for a tooltip)."""
        flat = self.lowered.get(picture_id, "")
        at = flat.find(needle) if needle else -1
        if at < 0:
            return ""
        original = " ".join(self.text.get(picture_id, "").split())
        start, end = max(0, at - around), min(len(original), at + len(needle) + around)
        return ("…" if start else "") + original[start:end] + ("…" if end < len(original)
                                                                 else "")

    def forget(self, _reason: str = "") -> None:
        """Locked: the words go at once (the list is emptied by the lock itself, so nothing
        is filtered again here)."""
        self.text, self.lowered = {}, {}


class PictureReader(QObject):
    """One queue of pictures to read, worked through one at a time. Signals (GUI thread):
    progress(number being read, of how many), finished(problems outcome), unavailable(exc)."""

    progress = Signal(int, int)
    finished = Signal(object)  # Outcome[Item] of the whole batch
    unavailable = Signal(object)  # OcrUnavailable, said once per unlocked session
    failed = Signal(object)  # another error that stopped the batch (disk full...)

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session
        self._queue: list[tuple[str, list[str], bool]] = []
        self._task: workers.Task | None = None
        self._batch: Outcome[Item] = Outcome()
        self._total = 0
        self._number = 0
        self._said_unavailable = False
        self._current: str | None = None  # the picture being read now
        session.locked.connect(self._forget)

    @property
    def running(self) -> bool:
        """A batch is under way (also in the moment between two pictures)."""
        return self._current is not None

    def pending(self, picture_id: str) -> bool:
        """Being read now, or waiting its turn."""
        return picture_id == self._current or any(e[0] == picture_id for e in self._queue)

    def read_added(self, items: Sequence[Item]) -> None:
        """After adding: the pictures among `items`, when Settings say to read them."""
        if not self.session.settings.read_pictures:
            return
        pictures = [item.id for item in items if is_picture(item)]
        if pictures:
            self.read(Request(pictures, reading_languages(self.session)))

    def read_ids(self, ids: Iterable[str]) -> None:
        """The items with these ids that are pictures (added by a screenshot, a chat)."""
        vault = self.session.vault
        if vault is None:
            return
        items = [vault.state.items[i] for i in ids if i in vault.state.items]
        self.read_added(items)

    def read(self, request: Request) -> None:
        """Queue pictures (already queued ones are not queued twice)."""
        queued = {entry[0] for entry in self._queue}
        fresh = [i for i in dict.fromkeys(request.ids) if i not in queued]
        self._queue += [(i, list(request.languages), request.again) for i in fresh]
        self._total += len(fresh)
        if not self.running:
            self._next()
        else:
            self.progress.emit(self._number, self._total)

    def cancel(self) -> None:
        """Stop now: the picture being read is dropped, the others are not read."""
        self._batch.stop = StopReason.CANCELLED
        self._queue.clear()
        if self._task is not None:
            self._task.cancel()

    def _next(self) -> None:
        if not self._queue or not self.session.is_unlocked:
            self._end()
            return
        picture_id, languages, again = self._queue.pop(0)
        self._current = picture_id
        self._number += 1
        self.progress.emit(self._number, self._total)
        self._task = self.session.run(_read_one, picture_id, languages, again,
                                      on_done=self._done, on_error=self._error)

    def _done(self, result: ReadOne) -> None:
        self._task = None
        outcome = result.outcome
        self._batch.done += outcome.done
        self._batch.failed += outcome.failed
        self._batch.skipped += outcome.skipped
        if result.words:
            self.session.picture_words.update(result.words)
        if outcome.stop is StopReason.CANCELLED:
            self._batch.stop = StopReason.CANCELLED
            self._queue.clear()
        elif outcome.stop is StopReason.FAILED:
            self._batch.stop, self._batch.stop_error = outcome.stop, outcome.stop_error
            self._queue.clear()
        self._next()

    def _error(self, exc: BaseException) -> None:
        self._task = None
        self._queue.clear()
        if isinstance(exc, OcrUnavailable):
            if not self._said_unavailable:
                self._said_unavailable = True
                self.unavailable.emit(exc)
            self._reset()
            return
        if isinstance(exc, Cancelled):
            self._batch.stop = StopReason.CANCELLED
        else:
            self.failed.emit(exc)
        self._end()

    def _end(self) -> None:
        batch = self._batch
        self._reset()
        if batch.done or batch.failed or batch.skipped or batch.stop is not None:
            self.finished.emit(batch)

    def _reset(self) -> None:
        self._current = None
        self._batch = Outcome()
        self._total = self._number = 0
        self.progress.emit(0, 0)

    def _forget(self, _reason: str = "") -> None:
        """Locked: the session already told the running piece to stop; nothing comes back."""
        self._queue.clear()
        self._task = None
        self._current = None
        self._batch = Outcome()
        self._total = self._number = 0
        self._said_unavailable = False
