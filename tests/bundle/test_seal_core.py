"""Seal through the core API: cancel leaves nothing, a damaged original stops the seal."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_app.bundle.seal import Protection, seal
from evidence_app.core.errors import Cancelled, CorruptObject


def _add(vault, tmp_path: Path, name: str, size: int):
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * (size // 256))
    return vault.add_file(path)


def test_cancelled_seal_leaves_no_bundle(vault, tmp_path: Path) -> None:
    _add(vault, tmp_path, "a.bin", 4 << 20)
    _add(vault, tmp_path, "b.bin", 4 << 20)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        seal(vault, out, Protection.unencrypted(), cancel=cancel)
    assert list(out.iterdir()) == []
    assert not [r for r in vault.records if r["type"] == "bundle_sealed"]


def test_damaged_original_stops_the_seal_and_names_it(vault, tmp_path: Path) -> None:
    _add(vault, tmp_path, "good.bin", 1 << 16)
    bad = _add(vault, tmp_path, "bad.bin", 3 << 20)
    assert vault.store is not None
    obj = vault.store.path(bad.object_id)
    data = bytearray(obj.read_bytes())
    data[len(data) // 2] ^= 0x40
    obj.write_bytes(bytes(data))
    out = tmp_path / "out"
    with pytest.raises(CorruptObject) as caught:
        seal(vault, out, Protection.unencrypted())
    assert caught.value.item_id == bad.id
    assert list(out.iterdir()) == []


def test_progress_reaches_the_total(vault, tmp_path: Path) -> None:
    _add(vault, tmp_path, "a.bin", 2 << 20)
    seen: list[tuple[int, int]] = []
    result = seal(vault, tmp_path / "out", Protection.with_new_passphrase(),
                  progress=lambda done, total, _m: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] == 2 << 20
    assert result.bundle_path.is_file()
    assert result.passphrase is not None
    assert len(result.passphrase.split()) == 7


def test_report_language_does_not_change_the_apps_language(vault, tmp_path: Path) -> None:
    import zipfile

    from evidence_app.i18n import current_language, set_language

    set_language("en")
    _add(vault, tmp_path, "a.bin", 1 << 12)
    result = seal(vault, tmp_path / "out", Protection.unencrypted(), report_language="de")
    assert current_language() == "en"
    with zipfile.ZipFile(result.bundle_path) as zf:
        info = zf.read(f"{result.name}/bag-info.txt").decode()
    assert "Report-Language: de" in info
