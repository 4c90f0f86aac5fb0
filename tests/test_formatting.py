"""Sizes are shown one way everywhere (formatting.human_size): decimal units, the language's
decimal mark, "1 byte" not "1 bytes"; and no other code formats a size on its own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from evidence_app.formatting import human_size
from evidence_app.i18n import language, shipped_languages

SOURCE = Path(__file__).resolve().parents[1] / "evidence_app"
# A number (or a {placeholder} / f-string value) followed by a size unit: "24.7 KB",
# "{size} bytes", f"{n} B". A bare "GB" (a country code) is not a size.
SIZE_TEXT = re.compile(r"\{[^{}]*\}\s*(?:[KMGTP]i?B|B|bytes?)\b|\d\s*[KMGTP]i?B\b")


def test_sizes_read_the_same_way_everywhere() -> None:
    assert human_size(0) == "0 bytes"
    assert human_size(1) == "1 byte"
    assert human_size(999) == "999 bytes"
    assert human_size(24_718) == "24.7 KB"
    assert human_size(999_949) == "999.9 KB"
    assert human_size(999_950) == "1.0 MB"  # never "1000.0 KB"
    assert human_size(3_500_000_000) == "3.5 GB"
    assert human_size(24_718, exact=True) == "24.7 KB (24718 bytes)"


def test_german_uses_a_decimal_comma() -> None:
    """In German "24.7" reads as twenty-four thousand seven hundred."""
    with language("de"):
        assert human_size(24_718) == "24,7 KB"
        assert human_size(1) != "1 bytes"


def test_decimal_marks_follow_cldr_for_every_shipped_language() -> None:
    numbers = pytest.importorskip("babel.numbers")
    for code in shipped_languages():
        cldr = numbers.get_decimal_symbol(code, numbering_system="latn")
        with language(code):
            shown = human_size(24_718)
        assert re.search(r"\b24" + re.escape(cldr) + r"7\b", shown), (code, shown)


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal that is not a docstring; an f-string with {} for its values."""
    docstrings = {id(node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    inside = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
              for part in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(part.value if isinstance(part, ast.Constant) else "{}"
                           for part in node.values)
            found.append((node.lineno, text))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in docstrings and id(node) not in inside):
            found.append((node.lineno, node.value))
    return found


def test_no_other_code_formats_a_size() -> None:
    """Two formatters drifted apart once ("24.7 KB" beside "24.08 KiB"); one is allowed."""
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "formatting.py" and path.parent == SOURCE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        rel = path.relative_to(SOURCE.parent)
        offenders += [f"{rel}:{node.lineno} formattedDataSize" for node in ast.walk(tree)
                      if isinstance(node, ast.Attribute) and node.attr == "formattedDataSize"]
        offenders += [f"{rel}:{line} {text[:70]!r}" for line, text in _strings(tree)
                      if SIZE_TEXT.search(text)]
    assert offenders == [], "use evidence_app.formatting.human_size: " + "; ".join(offenders)
