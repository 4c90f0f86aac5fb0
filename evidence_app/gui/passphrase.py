"""Passphrase strength hint: plain words, no scores that shame anyone."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from evidence_app.core.keys import MIN_PASSPHRASE_LENGTH
from evidence_app.i18n import _


def strength_hint(passphrase: str) -> tuple[int, str]:
    """(0 = too short, 1 = weak, 2 = fair, 3 = strong, and one sentence)."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return 0, _("At least {count} characters, please.").format(count=MIN_PASSPHRASE_LENGTH)
    kinds = sum([any(c.islower() for c in passphrase), any(c.isupper() for c in passphrase),
                 any(c.isdigit() for c in passphrase), any(not c.isalnum() for c in passphrase)])
    words = len(passphrase.split())
    if len(passphrase) >= 20 or words >= 4:
        return 3, _("Strong. Make sure you can remember it.")
    if len(passphrase) >= 12 and kinds >= 2:
        return 2, _("Good. A few more words would make it stronger.")
    return 1, _("Weak: a few unrelated words (e.g. four) are easy to remember and hard to "
                "guess.")


def new_passphrase_problem(first: str, second: str) -> str:
    """Why a new passphrase typed twice cannot be used ("" when it can)."""
    level, hint = strength_hint(first)
    if level == 0:
        return hint
    if first != second:
        return _("The two passphrases are not the same. Please type them again.")
    return ""


def secret_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field
