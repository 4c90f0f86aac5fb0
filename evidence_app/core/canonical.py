"""Canonical JSON bytes: what the custody log hashes and signs, reproducible by anyone.

Keys sorted, no spaces, UTF-8 (not \\u escapes): json.dumps(obj, sort_keys=True,
separators=(",", ":"), ensure_ascii=False).encode("utf-8") in Python.
"""

from __future__ import annotations

import json
from typing import Any


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )
