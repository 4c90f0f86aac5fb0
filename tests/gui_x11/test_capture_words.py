"""Capture helpers that need no screen: file names and xprop's quoting."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from evidence_app.capture import screenshot_name
from evidence_app.capture.windows import unescape_xprop
from evidence_app.core.errors import CaptureFailed
from evidence_app.messages import describe


def test_screenshot_name_is_utc_to_the_millisecond() -> None:
    moment = datetime(2026, 3, 4, 5, 6, 7, 891_234, tzinfo=UTC)
    assert screenshot_name(moment) == "screenshot-2026-03-04_05-06-07.891Z.png"
    local = moment.astimezone(timezone(timedelta(hours=7)))
    assert screenshot_name(local) == "screenshot-2026-03-04_05-06-07.891Z.png"


def test_xprop_quoting_is_undone() -> None:
    assert unescape_xprop(r'Chat \"Alex\" \\ ok') == 'Chat "Alex" \\ ok'
    assert unescape_xprop("Gr\\303\\274\\303\\237e") == "Grüße"  # C locale octal bytes
    assert unescape_xprop("Чат 😀") == "Чат 😀"


def test_every_capture_problem_has_its_own_sentence() -> None:
    reasons = ["unavailable", "no_screen", "window_gone", "no_window_list", "empty_region"]
    sentences = {describe(CaptureFailed(r)) for r in reasons}
    assert len(sentences) == len(reasons)
    assert all(s.endswith(".") and "\n" not in s for s in sentences)
    assert "“Add files”" in describe(CaptureFailed("unavailable"))


def test_capture_package_uses_no_widgets() -> None:
    """capture/ stays QtGui-only, so it can run without any widget (DESIGN.md, Layers)."""
    import evidence_app.capture as package

    for path in Path(package.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert "QtWidgets" not in (node.module or ""), path.name
            elif isinstance(node, ast.Import):
                assert not any("QtWidgets" in a.name for a in node.names), path.name
