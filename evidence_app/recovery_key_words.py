"""Words for a recovery key that was typed wrong, for the CLI, the GUI and error messages.

core/keys.py says what is wrong (MalformedRecoveryKey: a reason and the groups); this says
it in one sentence that points at the group to compare with the paper. None of them repeats
the key.
"""

from __future__ import annotations

from evidence_app.core.errors import MalformedRecoveryKey
from evidence_app.i18n import _, ngettext


def recovery_key_problem(exc: MalformedRecoveryKey) -> str:
    """One sentence: which group to check, or what shape a recovery key has."""
    groups = exc.groups
    if exc.reason == "empty":
        return _("Type your recovery key: 8 groups of 4 letters and numbers.")
    if exc.reason == "character" and groups:
        return _("Group {group} of 8 has a character that recovery keys never use: compare "
                 "it with your paper and correct it.").format(group=groups[0])
    if exc.reason == "length" and groups:
        return _("Group {group} of 8 does not have 4 characters: compare it with your paper "
                 "and correct it.").format(group=groups[0])
    if exc.reason == "length":
        return ngettext(
            "You typed {count} character, but a recovery key has 32 (8 groups of 4): compare "
            "it with your paper.",
            "You typed {count} characters, but a recovery key has 32 (8 groups of 4): compare "
            "it with your paper.", exc.count).format(count=exc.count)
    if exc.reason == "check" and len(groups) == 1:
        return _("Group {group} of 8 looks mistyped: compare it with your paper and correct "
                 "it.").format(group=groups[0])
    if exc.reason == "check" and len(groups) == 2:
        return _("Groups {first} and {second} of 8 look mistyped (two characters swapped?): "
                 "compare them with your paper and correct them.").format(
            first=groups[0], second=groups[1])
    return _("This does not match the form of a recovery key (8 groups of 4 letters and "
             "numbers with a built-in check): compare each group with your paper.")
