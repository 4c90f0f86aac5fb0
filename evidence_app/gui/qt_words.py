"""Qt's own button words (wizard Back/Next/Finish, Cancel, Close) for languages Qt lacks.

Qt ships qtbase_<lang>.qm for German, Arabic, Russian, Chinese and others, but none for Thai,
Vietnamese, Indonesian, Tagalog, Khmer or Burmese: there a Thai wizard would end with an
English "Finish". This translator answers those words from our own gettext catalogue.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

from evidence_app.i18n import N_, _

# Qt's source texts (QWizard, QPlatformTheme, QGnomeTheme) -> our catalogue's words.
QT_WORDS = {
    "< &Back": N_("Back"), "&Back": N_("Back"), "Go Back": N_("Back"),
    "&Next >": N_("Next"), "&Next": N_("Next"), "Continue": N_("Continue"),
    "&Finish": N_("Finish"), "Finish": N_("Finish"),
    "Cancel": N_("Cancel"), "&Cancel": N_("Cancel"),
    "Close": N_("Close"), "&Close": N_("Close"),
}
# Qt's file names where they differ from ours (our Portuguese is Brazilian).
QT_LOCALES = {"pt": "pt_BR"}


class GettextQtTranslator(QTranslator):
    """Answers only the words in QT_WORDS; everything else stays Qt's (English) text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def translate(self, context: str, source: str, disambiguation: str | None = None,  # noqa: ARG002
                  n: int = -1) -> str | None:
        """None (a null QString) lets Qt keep its own text; "" would blank every other word."""
        english = QT_WORDS.get(source)
        return _(english) if english else None

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return False
