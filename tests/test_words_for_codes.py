"""Codes never reach a person. An error's `reason` (and its `limit`, `field`, `what`, `kind`)
and a custody record's type are codes from a closed list (a `Literal` or an enum); each one
must come out of messages.py / events.py as words, not as the code itself (a person once saw
"cannot be read (bad_json)")."""

from __future__ import annotations

import inspect
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest

from evidence_app import events, messages
from evidence_app.core.errors import EvidenceError
from evidence_app.core.record_types import RECORD_TYPES, RecordType
from tests.test_layers import SAID_ELSEWHERE, _error_classes

CODE_FIELDS = ("reason", "limit", "field", "what", "kind")
PLACEHOLDER = "zz_code_zz"  # a code no list holds: shows whether a sentence prints the code


def _codes(annotation: Any) -> list[str]:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [member.value for member in annotation]
    if get_origin(annotation) is Literal:
        return [str(value) for value in get_args(annotation)]
    return []


def _sample(annotation: Any) -> Any:
    """A plausible value for any other argument of an error."""
    if get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    origin = get_origin(annotation) or annotation
    samples = {Path: Path("/evidence/export.zip"), str: "export.zip", int: 3, tuple: (2,),
               list: ["Alex"], object: 3}
    return samples[origin]


def _coded_errors() -> list[tuple[type[EvidenceError], str, list[str], dict[str, Any]]]:
    """(error class, its code argument, every code it may hold, the other arguments)."""
    found = []
    for cls in _error_classes():
        if cls.__name__ in SAID_ELSEWHERE or "__init__" not in vars(cls):
            continue
        hints = typing.get_type_hints(cls.__init__)
        params = inspect.signature(cls.__init__).parameters
        for name in CODE_FIELDS:
            codes = _codes(hints.get(name))
            if not codes:
                continue
            others = {p: _sample(hints[p]) for p, spec in params.items()
                      if p not in ("self", name) and spec.default is inspect.Parameter.empty}
            found.append((cls, name, codes, others))
    return found


CODED = _coded_errors()


def test_the_errors_that_carry_codes_are_found() -> None:
    names = {cls.__name__ for cls, *_rest in CODED}
    assert {"ChatParseError", "JournalCorrupt", "UnsafeArchive", "OtsProofInvalid",
            "CaptureFailed", "WeakPassphrase", "MalformedRecoveryKey"} <= names


@pytest.mark.parametrize(("cls", "name", "codes", "others"), CODED,
                         ids=[f"{c.__name__}.{n}" for c, n, *_rest in CODED])
def test_every_code_of_every_error_is_said_in_words(
        cls: type[EvidenceError], name: str, codes: list[str], others: dict[str, Any]) -> None:
    printed = messages.describe(cls(**others, **{name: PLACEHOLDER}))
    raw = []
    for code in codes:
        sentence = messages.describe(cls(**others, **{name: code}))
        # The sentence that would show the code as it is, or a code name in the sentence.
        if (PLACEHOLDER in printed and sentence == printed.replace(PLACEHOLDER, code)) \
                or ("_" in code and code in sentence):
            raw.append(code)
    assert raw == [], f"{cls.__name__}.{name}: shown as codes: {raw}"


def test_every_record_type_has_words() -> None:
    described = {rtype: events.describe_record({"type": rtype, "data": {}})
                 for rtype in get_args(RecordType)}
    assert set(events._DESCRIBE) == RECORD_TYPES
    assert [rtype for rtype, words in described.items() if words == rtype] == []


def test_record_types_are_the_strings_on_disk() -> None:
    """Renaming a kind would make older vaults' records unknown: the list only grows."""
    written_by_earlier_versions = {
        "vault_created", "item_added", "note_added", "note_edited", "case_updated",
        "item_updated", "item_withdrawn", "item_viewed", "item_exported", "integrity_checked",
        "passphrase_changed", "recovery_key_replaced", "key_change_completed",
        "opened_with_recovery_key", "objects_quarantined", "rollback_noticed",
        "header_restored", "header_changed", "journal_repaired", "bundle_sealed",
        "chat_imported", "timestamp_obtained", "ots_proof", "timestamp_settings"}
    assert written_by_earlier_versions <= RECORD_TYPES
