"""Values a parser could not read, kept beside the message as the export wrote them.

An export may put an object where a name belongs, a number where a date belongs, or lists
nested hundreds deep (the JSON reader allows up to about 900 levels). The parser reads what
it can, and keeps the rest in `extra["as_found"]`, so nothing the export holds is silently
lost and nothing is misread. Kept values are bounded: deeper than MAX_DEPTH is replaced by
a marker (the original export stays in the vault as it was), because writing the
transcript, or even printing the value, recurses once a level.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32  # real chat exports nest five or six levels
MAX_TEXT = 100_000  # characters of an unreadable message kept as its text
TOO_DEEP = {"not_kept": f"nested more than {MAX_DEPTH} levels deep"}


def within_depth(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when no list or object in `value` lies deeper than `limit` (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        children = item.values() if isinstance(item, dict) else item
        if depth > limit:
            return False
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return True


def bounded(value: Any) -> Any:
    """`value` itself when it is shallow enough to keep, else a marker saying it was not."""
    if isinstance(value, dict | list) and not within_depth(value):
        return dict(TOO_DEEP)
    return value


def keep(extra: dict[str, Any], key: str, value: Any) -> None:
    """Note in a message's `extra` that field `key` held `value`, which was not read."""
    extra.setdefault("as_found", {})[key] = bounded(value)


def as_text(raw: Any) -> str:
    """A whole entry no parser understood, as JSON text (bounded), to keep as the message."""
    return json.dumps(bounded(raw), ensure_ascii=False)[:MAX_TEXT]
