"""What a use case reports back: done, skipped and why, failed and why, stamped, stop reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

from evidence_app.core.errors import Cancelled, EvidenceError

T = TypeVar("T")

Progress = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]


class SkipReason(StrEnum):
    """Why something the person handed in was not added (said, never silent)."""

    LINK = "link"  # a link inside a folder: not followed
    EMPTY_FOLDER = "empty_folder"  # a folder with no files in it
    NOT_A_PICTURE = "not_a_picture"  # asked to read the words in something that is not one
    ALREADY_READ = "already_read"  # its words were read before in the same languages


class StopReason(StrEnum):
    """Why a use case ended before its last step."""

    CANCELLED = "cancelled"  # the person (or a lock, or a quick exit) asked it to stop
    FAILED = "failed"  # an error after which nothing more could work (disk full...)


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: SkipReason


def links_in(skipped: list[Skipped]) -> int:
    """How many links inside folders were not followed."""
    return sum(1 for s in skipped if s.reason is SkipReason.LINK)


@dataclass(frozen=True)
class Failed:
    name: str
    error: EvidenceError


@dataclass
class StampReport:
    """The timestamp run at the end of a use case (quiet when timestamps are off)."""

    stamped: int = 0
    waiting: int = 0
    error: EvidenceError | None = None


@dataclass
class Outcome(Generic[T]):
    done: list[T] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)
    stamps: StampReport = field(default_factory=StampReport)
    stop: StopReason | None = None
    stop_error: EvidenceError | None = None  # the error behind StopReason.FAILED

    @property
    def ok(self) -> bool:
        return not self.failed and self.stop is None

    def links_skipped(self) -> int:
        return links_in(self.skipped)


class Steps:
    """The callbacks a use case was given, with the checks it makes between steps."""

    def __init__(self, progress: Progress | None, cancel: CancelCheck | None) -> None:
        self.progress = progress
        self.cancel = cancel

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel()

    def check(self) -> None:
        """Between steps: stop now when asked (what is recorded so far stays)."""
        if self.cancelled():
            raise Cancelled()

    def report(self, done: int, total: int, message: str) -> None:
        if self.progress is not None:
            self.progress(done, total, message)

    def part(self, base: int, total: int) -> Progress:
        """A progress callback for one step that covers [base, base + its size) of total."""

        def step(done: int, _total: int, message: str) -> None:
            self.report(base + done, total, message)

        return step
