"""Words for a new passphrase's strength, for the CLI, the GUI and error messages.

core/passphrase_strength.py gives codes (Verdict, Reason); this chooses the sentences, in
the person's language. None of them repeats the passphrase.
"""

from __future__ import annotations

from collections.abc import Callable

from evidence_app.core.keys import MIN_PASSPHRASE_LENGTH
from evidence_app.core.passphrase_strength import Assessment, Reason, Verdict
from evidence_app.i18n import _, ngettext

_REFUSED_LABELS: dict[Reason, Callable[[], str]] = {
    Reason.COMMON: lambda: _("Too common — choose another"),
    Reason.TOO_SHORT: lambda: ngettext("Too short — at least {count} character",
                                       "Too short — at least {count} characters",
                                       MIN_PASSPHRASE_LENGTH).format(count=MIN_PASSPHRASE_LENGTH),
    Reason.WHITESPACE: lambda: _("Only spaces — choose words"),
    Reason.REPEATED: lambda: _("Repeats itself — choose another"),
    Reason.SEQUENCE: lambda: _("A row of keys or numbers — choose another"),
}

_HINTS: dict[Reason, Callable[[], str]] = {
    Reason.COMMON: lambda: _("It is one of the passwords people use most, which are tried "
                             "first; use four or more unrelated words."),
    Reason.TOO_SHORT: lambda: _("Four or more unrelated words are easy to remember and hard "
                                "to guess."),
    Reason.WHITESPACE: lambda: _("Spaces alone are guessed at once; use four or more "
                                 "unrelated words."),
    Reason.REPEATED: lambda: _("Repeated characters are guessed at once; use four or more "
                               "unrelated words."),
    Reason.SEQUENCE: lambda: _("Rows of keys and counting are guessed at once; use four or "
                               "more unrelated words."),
    Reason.DICTIONARY: lambda: _("A single word or name, even with numbers added, is easy to "
                                 "guess; add more unrelated words."),
    Reason.DATE: lambda: _("Dates and years are easy to guess; add more unrelated words."),
    Reason.GUESSABLE: lambda: _("It is short or simple; use four or more unrelated words."),
}

def strength_label(found: Assessment) -> str:
    """A few words: "Too common — choose another", "Weak: easy to guess", "Good", "Strong"."""
    if found.verdict is Verdict.REFUSED:
        return _REFUSED_LABELS.get(found.reason or Reason.COMMON,
                                   _REFUSED_LABELS[Reason.COMMON])()
    if found.verdict is Verdict.WEAK:
        return _("Weak: easy to guess")
    if found.verdict is Verdict.GOOD:
        return _("Good")
    return _("Strong")


def strength_hint(found: Assessment) -> str:
    """One sentence on what to do (or, for a strong one, what to keep in mind)."""
    if found.verdict is Verdict.STRONG:
        return _("Make sure you can remember it, or write it down and keep it somewhere "
                 "safe.")
    if found.verdict is Verdict.GOOD:
        return _("One more unrelated word would make it stronger.")
    if found.verdict is Verdict.WEAK and found.reason is Reason.COMMON:
        return _("It is close to a commonly used password; add more unrelated words.")
    return _HINTS.get(found.reason or Reason.GUESSABLE, _HINTS[Reason.GUESSABLE])()


_REFUSALS: dict[str, Callable[[int], str]] = {
    "too_short": lambda count: ngettext(
        "Please choose a passphrase of at least {count} character; a few unrelated words "
        "are easy to remember and hard to guess.",
        "Please choose a passphrase of at least {count} characters; a few unrelated words "
        "are easy to remember and hard to guess.", count).format(count=count),
    "common": lambda count: _(
        "That passphrase is one of the most common passwords and would be guessed first; "
        "please choose another, for example four or more unrelated words."),
    "whitespace": lambda count: _(
        "A passphrase of only spaces would be guessed at once; please choose one made of "
        "words, for example four or more unrelated words."),
    "repeated": lambda count: _(
        "A passphrase that repeats one character (or a few) would be guessed at once; "
        "please choose another, for example four or more unrelated words."),
    "sequence": lambda count: _(
        "A passphrase that is a row of keys or counts up or down would be guessed at once; "
        "please choose another, for example four or more unrelated words."),
}


def refusal_sentence(reason: str, min_length: int = MIN_PASSPHRASE_LENGTH) -> str:
    """Why a passphrase was refused (core.errors.WeakPassphrase.reason) and what to do."""
    return _REFUSALS.get(reason, _REFUSALS["common"])(min_length)


def weak_warning(found: Assessment) -> str:
    """The line the CLI prints before asking "Use it anyway?"."""
    return strength_label(found) + ". " + strength_hint(found)


def weak_needs_flag() -> str:
    """A weak passphrase given by a script (file, environment) without the flag."""
    return _("This passphrase is easy to guess, so it was not used. Choose a stronger one, "
             "or add --accept-weak-passphrase to use it anyway.")


def weak_declined() -> str:
    return _("Nothing was changed. Run the command again and choose a stronger passphrase.")


def confirm_question() -> str:
    return _("Someone who tries common passwords could open your vault with it. Use it "
             "anyway?")
