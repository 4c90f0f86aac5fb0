"""Shared helpers for chat tests: where the fixture exports are, zips built from them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "chats"


def make_zip(dest: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dest


@pytest.fixture
def assets() -> Path:
    return ASSETS


@pytest.fixture
def whatsapp_zip(tmp_path: Path) -> Path:
    """An iPhone "export with media": _chat.txt plus the photo it mentions."""
    chat = (ASSETS / "whatsapp/ios_en/_chat.txt").read_bytes()
    photo = (ASSETS / "telegram/single/photos/photo_1@05-01-2024_10-05-00.jpg").read_bytes()
    return make_zip(tmp_path / "WhatsApp Chat - Scam Group.zip",
                    {"_chat.txt": chat, "00000005-PHOTO-2023-12-30-21-18-00.jpg": photo})
