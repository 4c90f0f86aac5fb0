"""Qt's own button words (wizard Back/Next/Finish, OK, Save, Yes, No...) for languages Qt lacks.

Qt ships qtbase_<lang>.qm for German, Arabic, Russian, Chinese and others, but none for Thai,
Vietnamese, Indonesian, Tagalog, Khmer or Burmese: there a Thai wizard would end with an
English "Finish" and a Thai question would offer "Yes" and "No". This translator answers
those words from our own gettext catalogue.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator

from evidence_app.i18n import N_, _

# Qt's source texts -> our catalogue's words. QWizard: Back/Next/Finish; QPlatformTheme
# (every platform's standard buttons): OK, Save, Open, &Yes, &No, Cancel, Close, Discard,
# Apply; QGnomeTheme (GNOME desktops): &OK, &Save, &Cancel, &Close, Close without Saving.
QT_WORDS = {
    "< &Back": N_("Back"), "&Back": N_("Back"), "Go Back": N_("Back"),
    "&Next >": N_("Next"), "&Next": N_("Next"), "Continue": N_("Continue"),
    "&Finish": N_("Finish"), "Finish": N_("Finish"),
    "Cancel": N_("Cancel"), "&Cancel": N_("Cancel"),
    "Close": N_("Close"), "&Close": N_("Close"),
    "OK": N_("OK"), "&OK": N_("OK"),
    "Save": N_("Save"), "&Save": N_("Save"),
    "Open": N_("Open"),
    "&Yes": N_("&Yes"), "&No": N_("&No"),
    "Discard": N_("Discard"), "Close without Saving": N_("Close without saving"),
    "Apply": N_("Apply"),
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


def qt_translator(code: str, parent: QObject) -> QTranslator | None:
    """Qt's own qtbase_<lang>.qm where Qt ships one, else our stand-in; None for English.

    The caller installs it on the application (and removes the previous one)."""
    translator = QTranslator(parent)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QT_LOCALES.get(code, code)), "qtbase", "_", folder):
        return translator
    if code != "en":
        return GettextQtTranslator(parent)
    return None
