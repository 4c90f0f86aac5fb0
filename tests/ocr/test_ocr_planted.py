"""The real engine reads indicators planted in a rendered chat screenshot, exactly.

A small desktop chat (benchmarks/ocr_shots.py, the benchmark's own renderer) with a TRON
address and an IBAN written in its bubbles is read the app's way (read_picture, then the
same extractor as for chats); both must come back as planted, nothing else with a
checksum may be listed. A phone number followed by its bubble's time must be listed too
(the time read into the same line made the number matcher refuse it). Skipped where
Tesseract is not installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.ocr_shots import render_shot
from evidence_app.chats.indicators import extract_indicators
from evidence_app.ocr.engine import engine_languages, find_engine
from evidence_app.ocr.found import picture_sources
from evidence_app.workflows.ocr import read_picture

ENGINE = find_engine()
pytestmark = pytest.mark.skipif(ENGINE is None or "eng" not in ENGINE.languages,
                                reason="Tesseract with English is not installed")
SCORED = {"btc": "wallet", "tron": "wallet", "eth": "wallet", "iban": "iban",
          "phone": "phone", "email": "email"}


def _read(kinds: list[str], seed: int, cache: Path) -> tuple[set, set]:
    shot = render_shot("latin", seed=seed, cache_dir=cache, size=(1440, 400), text_px=16,
                       kinds=kinds)
    assert ENGINE is not None
    reading = read_picture(shot.png, ENGINE, engine_languages("en"))
    found = extract_indicators(picture_sources("shot", reading.lines), "GB", set())
    listed = {(SCORED[e["type"]], e["value"]) for e in found if e["type"] in SCORED}
    return {(p.kind, p.value) for p in shot.planted}, listed


def test_wallet_and_iban_in_a_screenshot_come_back_exactly(tmp_path: Path) -> None:
    planted, listed = _read(["wallet:tron", "iban:GB"], 0, tmp_path)
    assert len(planted) == 2
    assert listed == planted


def test_phone_number_before_its_bubble_time_is_listed(tmp_path: Path) -> None:
    planted, listed = _read(["phone:GB-international", "email"], 0, tmp_path)
    assert len(planted) == 2
    assert listed == planted
