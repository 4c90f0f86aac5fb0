"""What a use case did not do, and why, in words for the window (the command line prints
one line per problem as it goes)."""

from __future__ import annotations

from typing import Any

from evidence_app.formatting import untrusted
from evidence_app.i18n import _, ngettext
from evidence_app.messages import describe
from evidence_app.workflows.outcome import Outcome, SkipReason, StopReason

# A long list helps nobody in a message box; the log and the command line have every line.
MOST_SHOWN = 8


def _bullets(heading: str, lines: list[str]) -> str:
    """A heading and the first MOST_SHOWN lines as bullets, then how many more there are."""
    shown = [heading] + [f"• {line}" for line in lines[:MOST_SHOWN]]
    more = len(lines) - MOST_SHOWN
    if more > 0:
        shown.append(ngettext("… and {count} more.", "… and {count} more.",
                              more).format(count=more))
    return "\n".join(shown)


def links_text(count: int) -> str:
    return ngettext("{count} link inside the folders was not followed.",
                    "{count} links inside the folders were not followed.",
                    count).format(count=count)


def nothing_added_text(folders: list[str]) -> str:
    return _("No files found in {folder}; nothing was added.").format(
        folder=", ".join(folders))


def add_problems(outcome: Outcome[Any]) -> str:
    """Empty when every file handed in was added."""
    parts: list[str] = []
    if outcome.failed:
        parts.append(_bullets(ngettext("{count} file could not be added:",
                                       "{count} files could not be added:",
                                       len(outcome.failed)).format(count=len(outcome.failed)),
                              [describe(f.error) for f in outcome.failed]))
    links = outcome.links_skipped()
    if links:
        parts.append(links_text(links))
    for skipped in outcome.skipped:
        if skipped.reason is SkipReason.EMPTY_FOLDER:
            parts.append(_("No files found in {folder}.").format(folder=skipped.name))
    if outcome.stop is StopReason.FAILED and outcome.stop_error is not None:
        parts.append(describe(outcome.stop_error) + " " + ngettext(
            "{count} file was added before that.", "{count} files were added before that.",
            len(outcome.done)).format(count=len(outcome.done)))
    elif outcome.stop is StopReason.CANCELLED:
        parts.append(ngettext(
            "Adding was stopped. {count} file was added before that and is kept.",
            "Adding was stopped. {count} files were added before that and are kept.",
            len(outcome.done)).format(count=len(outcome.done)))
    return "\n\n".join(parts)


def reading_problems(outcome: Outcome[Any]) -> str:
    """What reading the words in pictures did not do, and why; empty when all was read."""
    parts: list[str] = []
    if outcome.failed:
        parts.append(_bullets(
            ngettext("The words in {count} picture could not be read:",
                     "The words in {count} pictures could not be read:",
                     len(outcome.failed)).format(count=len(outcome.failed)),
            [f"{untrusted(f.name, 80)}: {describe(f.error)}" for f in outcome.failed]))
    if outcome.stop is StopReason.FAILED and outcome.stop_error is not None:
        parts.append(describe(outcome.stop_error))
    elif outcome.stop is StopReason.CANCELLED:
        parts.append(ngettext(
            "Reading was stopped. The words of {count} picture were read before that and "
            "are kept.",
            "Reading was stopped. The words of {count} pictures were read before that and "
            "are kept.", len(outcome.done)).format(count=len(outcome.done)))
    return "\n\n".join(parts)
