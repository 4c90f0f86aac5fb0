"""The project's own rules, checked on the code as it is: nothing in the Qt-free layers
pulls in Qt (not even through another module), and every error a person can meet has its
own sentence, reached in the order the table is read."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

from evidence_app import messages
from evidence_app.core.errors import EvidenceError

QT_FREE = ("core", "chats", "bundle", "timestamp", "workflows", "ocr")
QT_FREE_MODULES = ("evidence_app.item_kinds", "evidence_app.item_details",
                   "evidence_app.recovery_key_words", "evidence_app.formatting",
                   "evidence_app.messages", "evidence_app.events",
                   "evidence_app.outcome_words", "evidence_app.clicmd.common",
                   "evidence_app.gui.reader_rules", "evidence_app.gui.reader_text",
                   "evidence_app.gui.reader_chat")
GENERIC = (EvidenceError, Exception, BaseException)
# Errors that never reach a person through messages.describe(), and why.
SAID_ELSEWHERE = {
    "AgeDecryptError": "bundle/verify.py turns it into WrongBundleKey or a failed step",
    "CliError": "made by the command line with its sentence already in words",
}


def _modules(packages: tuple[str, ...]) -> list[str]:
    names = []
    for package in packages:
        module = importlib.import_module(f"evidence_app.{package}")
        names += [info.name for info in pkgutil.walk_packages(module.__path__,
                                                              f"evidence_app.{package}.")]
    return names


def test_no_qt_free_module_imports_qt_even_indirectly() -> None:
    """Each module is imported alone in a fresh interpreter; Qt must not be loaded."""
    names = _modules(QT_FREE) + list(QT_FREE_MODULES)
    script = (
        "import importlib, json, sys\n"
        "bad = {}\n"
        f"for name in {names!r}:\n"
        "    before = set(sys.modules)\n"
        "    importlib.import_module(name)\n"
        "    qt = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'))\n"
        "    if qt: bad[name] = qt; break\n"
        "print(json.dumps(bad))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=120)
    assert json.loads(out.stdout) == {}


def _error_classes() -> list[type[EvidenceError]]:
    for name in _modules(("core", "chats", "bundle", "timestamp", "clicmd")):
        importlib.import_module(name)
    found, todo = [], [EvidenceError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def test_every_error_class_has_its_own_sentence() -> None:
    table = [kind for kind, _make in messages._TABLE]
    missing = [c.__name__ for c in _error_classes() if c.__name__ not in SAID_ELSEWHERE
               and next((k for k in table if issubclass(c, k)), EvidenceError) in GENERIC]
    assert missing == [], f"no sentence in messages.py for {missing}"


def test_no_sentence_is_hidden_behind_a_broader_one() -> None:
    """The table is read top to bottom: a class listed after its parent is never reached."""
    table = [kind for kind, _make in messages._TABLE]
    hidden = [(later.__name__, earlier.__name__) for i, later in enumerate(table)
              for earlier in table[:i] if issubclass(later, earlier)]
    assert hidden == []
