"""New-passphrase fields: a strength meter that follows the typing, and the question asked
before a weak passphrase is used. Plain words, no score that shames anyone, and never the
passphrase itself (core/passphrase_strength.py decides, passphrase_words.py words it)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QMessageBox, QProgressBar, QVBoxLayout, QWidget

from evidence_app.core.passphrase_strength import Assessment, Verdict, assess
from evidence_app.gui.common import PlainLabel
from evidence_app.i18n import _
from evidence_app.passphrase_words import (
    confirm_question,
    refusal_sentence,
    strength_hint,
    strength_label,
)

_COLOURS = {Verdict.REFUSED: "#a4262c", Verdict.WEAK: "#8a5a00", Verdict.GOOD: "#2d7d2d",
            Verdict.STRONG: "#107c10"}


class StrengthMeter(QWidget):
    """A bar and two plain lines under a new-passphrase field, updated on every keystroke.

    `assessed` carries the Assessment; the page turns its button off while `refused`."""

    assessed = Signal(object)

    def __init__(self, field: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.bar.setAccessibleName(_("Passphrase strength"))
        self.label = PlainLabel()
        self.label.setAccessibleName(_("Passphrase strength"))
        self.hint = PlainLabel()
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(_("What would make the passphrase stronger"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        for widget in (self.bar, self.label, self.hint):
            lay.addWidget(widget)
        self.assessment = assess("")
        self._show(field.text())
        field.textChanged.connect(self._changed)

    @property
    def refused(self) -> bool:
        return self.assessment.refused

    def _changed(self, text: str) -> None:
        self._show(text)
        self.assessed.emit(self.assessment)

    def _show(self, text: str) -> None:
        self.assessment = found = assess(text)
        if not text:  # nothing typed yet: advice, not a verdict
            self.bar.setValue(0)
            self.label.setText("")
            self.label.setVisible(False)
            self.hint.setText(_("Four or more unrelated words are easy to remember and hard "
                                "to guess."))
            return
        self.bar.setValue(0 if found.refused else max(1, found.score))
        colour = _COLOURS[found.verdict]
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
        self.label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.label.setText(strength_label(found))
        self.label.setVisible(True)
        self.hint.setText(strength_hint(found))


def confirm_weak(parent: QWidget | None, found: Assessment) -> bool:
    """Ask before a weak passphrase is used; "Choose another" is the default answer."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Easy-to-guess passphrase"))
    box.setText(strength_label(found) + ". " + strength_hint(found))
    box.setInformativeText(confirm_question())
    another = box.addButton(_("Choose another"), QMessageBox.ButtonRole.RejectRole)
    use = box.addButton(_("Use it anyway"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(another)
    box.setEscapeButton(another)
    box.exec()
    answer = box.clickedButton() is use
    box.deleteLater()
    return answer


def new_passphrase_problem(first: str, second: str) -> str:
    """Why a new passphrase typed twice cannot be used ("" when it can, maybe after asking)."""
    found = assess(first)
    if found.refused:
        return refusal_sentence(found.reason.value if found.reason else "common")
    if first != second:
        return _("The two passphrases are not the same. Please type them again.")
    return ""


def secret_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field
