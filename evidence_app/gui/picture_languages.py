"""Which languages pictures are read in, and whether the engine can: used by Settings and by
"Read again in other languages…"."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.errors import OcrUnavailable
from evidence_app.gui import workers
from evidence_app.gui.common import NoteLabel
from evidence_app.gui.fonts import language_font
from evidence_app.i18n import _, current_language, ngettext
from evidence_app.languages import NATIVE_NAMES, language_name
from evidence_app.messages import describe
from evidence_app.ocr.engine import ENGINE_LANGUAGE, Engine, engine_languages, find_engine

COLUMNS = 3


def always_read() -> list[str]:
    """The app's languages every picture is read in: the app's own, and English."""
    base = current_language()
    own = base if base in NATIVE_NAMES else base.split("_")[0]
    return list(dict.fromkeys(c for c in (own, "en") if c in NATIVE_NAMES))


def engine_status(engine: Engine | None, chosen: Iterable[str]) -> str:
    """The engine in words: found (which, how many of the app's languages), a chosen language
    without its data (which, and the command that adds it), or not installed."""
    if engine is None:
        return describe(OcrUnavailable("no_engine", []))
    missing = engine.missing(engine_languages(current_language(), list(chosen)))
    if missing:
        return describe(OcrUnavailable("no_language", missing))
    count = sum(1 for code in ENGINE_LANGUAGE.values() if code in engine.languages)
    return ngettext("Text-reading engine found: {engine} {version}, {count} language.",
                    "Text-reading engine found: {engine} {version}, {count} languages.",
                    count).format(engine=engine.name, version=engine.version, count=count)


def check_engine(on_done: Callable[[Engine | None], None], owner: QWidget) -> None:
    """Find the engine in a worker (it starts the program twice); `on_done` on the GUI
    thread while `owner` still exists."""

    def find(progress: object = None, cancel: object = None) -> Engine | None:
        return find_engine()

    task = workers.Task(find)
    task.signals.finished.connect(lambda engine: on_done(engine)
                                  if shiboken6.isValid(owner) else None)
    task.signals.failed.connect(lambda _exc: on_done(None) if shiboken6.isValid(owner)
                                else None)
    workers.start(task)


class LanguageChoice(QWidget):
    """The 14 languages by their own names; the app's language and English are always read
    (shown ticked, not to be unticked)."""

    def __init__(self, chosen: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        fixed = always_read()
        always = _("Pictures are always read in {language} and in English.").format(
            language=language_name(fixed[0])) if len(fixed) > 1 else _(
            "Pictures are always read in English.")
        self.note = NoteLabel(always + " " + _(
            "Tick other languages the pictures may be in (each one makes reading a little "
            "slower)."))
        lay.addWidget(self.note)
        grid = QGridLayout()
        self.boxes: dict[str, QCheckBox] = {}
        wanted = set(chosen)
        for number, code in enumerate(NATIVE_NAMES):
            box = QCheckBox(language_name(code))
            box.setFont(language_font(code, box.font()))
            box.setAccessibleName(_("Also read pictures in {language}").format(
                language=language_name(code)))
            if code in fixed:
                box.setChecked(True)
                box.setEnabled(False)
                box.setToolTip(_("Always read"))
            else:
                box.setChecked(code in wanted)
            self.boxes[code] = box
            grid.addWidget(box, number // COLUMNS, number % COLUMNS,
                           Qt.AlignmentFlag.AlignLeft)
        lay.addLayout(grid)

    def chosen(self) -> list[str]:
        """The languages ticked beyond those always read (app codes)."""
        return [code for code, box in self.boxes.items() if box.isEnabled() and box.isChecked()]


class ReadAgainDialog(QDialog):
    """"Read again in other languages…": which languages, then Read."""

    def __init__(self, chosen: Iterable[str], count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readAgainDialog")
        self.setWindowTitle(_("Read the words again"))
        lay = QVBoxLayout(self)
        lay.addWidget(NoteLabel(ngettext(
            "The words in {count} picture will be read again in the languages ticked here. "
            "What was read before is kept.",
            "The words in {count} pictures will be read again in the languages ticked here. "
            "What was read before is kept.", count).format(count=count)))
        self.choice = LanguageChoice(chosen, self)
        lay.addWidget(self.choice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.read_button = buttons.addButton(_("&Read"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.read_button.setAccessibleName(_("Read the words again"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
