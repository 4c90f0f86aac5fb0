"""Every count a person reads goes through ngettext: "1 attachments" and "1 problems found"
were on screen, and in Russian or Arabic a number takes one of three or six word forms.

A source scan, so a new string cannot slip back: a `_()` message with a count placeholder,
a printf number or a "(s)" is refused; so is a `_()` whose message is not one literal (Babel
cannot extract it). A number right after a label's colon ("Items: {count}") needs no plural
form in any language and is allowed.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "evidence_app"
# Placeholders that hold how many of something. Ordinals ({number}: "item 3", {n}: "step
# 4", {epoch}, {height}: a block number) and measures ({width} × {height}) are not counts.
COUNT_NAMES = frozenset({
    "count", "total", "failed", "bad", "seen", "bytes", "chosen", "done",
    "remaining", "left", "missing", "records", "files", "messages", "pages", "attachments",
    "days", "hours", "minutes", "seconds", "unparsed", "unreadable", "system",
})
PRINTF_NUMBER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*[di]")
AFTER_LABEL = re.compile(r":\s*$")  # "Items: " before the number
ENDS_VALUE = re.compile(r"\s*(?:$|[.;,)]|\s{2,})")  # and no word after it: "Items: 3."


def _count_fields(text: str) -> list[str]:
    """Count placeholders in `text`, except a bare value after a label's colon."""
    parts = list(string.Formatter().parse(text))
    found = []
    before = ""
    for index, (literal, name, _spec, _conv) in enumerate(parts):
        before += literal
        if name is None:
            continue
        after = parts[index + 1][0] if index + 1 < len(parts) else ""
        if name in COUNT_NAMES and not (AFTER_LABEL.search(before) and ENDS_VALUE.match(after)):
            found.append(name)
        before += "{" + name + "}"
    return found


def _problems(code: str, rel: str) -> list[str]:
    tree = ast.parse(code, rel)
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        name = node.func.id
        if name == "ngettext":
            texts = node.args[:2]
            if len(node.args) != 3 or not all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) for a in texts):
                out.append(f"{rel}:{node.lineno}: ngettext needs two literal messages and n")
            continue
        if name not in ("_", "N_") or not node.args:
            continue
        arg = node.args[0]
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            if name == "_" and _is_table_lookup(arg):
                continue  # _(TABLE[key]): the table's N_() strings are checked themselves
            out.append(f"{rel}:{node.lineno}: {name}() of something Babel cannot extract")
            continue
        text = arg.value
        fields = _count_fields(text)
        if fields or PRINTF_NUMBER.search(text) or "(s)" in text.replace("http(s)", ""):
            out.append(f"{rel}:{node.lineno}: {text[:60]!r} needs ngettext")
    return out


def _is_table_lookup(arg: ast.expr) -> bool:
    """A word chosen from a table of N_() strings at run time: _(WORDS.get(k)), _(word)."""
    return isinstance(arg, ast.Name | ast.Subscript | ast.Call | ast.Attribute | ast.BoolOp |
                      ast.IfExp)


def test_every_count_in_the_source_is_a_plural() -> None:
    problems = []
    for path in sorted(SOURCE.rglob("*.py")):
        problems += _problems(path.read_text(encoding="utf-8"),
                              str(path.relative_to(SOURCE.parent)))
    assert problems == [], "\n".join(problems)


def test_the_scan_catches_what_it_is_for() -> None:
    """The scan itself: each way a count slipped in before is found; labels are not."""
    cases = {
        '_("{count} attachments")': True,
        '_("✗ Not verified — {count} problems found")': True,
        '_("{count} file(s) kept aside")': True,
        '_("%d items")': True,
        '_(f"{n} items")': True,
        '_("Items: {count}")': False,
        '_("Items: {count}   Size: {size}")': False,
        '_("Integrity check: {count} items")': True,
        '_("Item {number}: {name}")': False,
        'ngettext("{count} item", "{count} items", n)': False,
    }
    for code, bad in cases.items():
        assert bool(_problems(f"x = {code}\n", "sample.py")) is bad, code
