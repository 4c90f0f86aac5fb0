"""Seal through the core API: cancel leaves nothing, a damaged original stops the seal."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_app.bundle import passwords
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
    assert len(result.passphrase.split()) == passwords.WORDS


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


def test_bundle_and_export_are_in_the_custody_log_before_they_have_their_names(
        vault, tmp_path: Path, monkeypatch) -> None:
    """A process killed at the worst moment must not leave a copy of evidence the custody
    log does not know about: the record is written before the file takes its name."""
    import hashlib
    import os

    import evidence_app.core.safefs as safefs

    item = _add(vault, tmp_path, "a.bin", 1 << 16)
    logged_at_rename: dict[str, list[dict]] = {}
    real_replace = os.replace

    def replace(src, dst):
        logged_at_rename[Path(dst).name] = [dict(r["data"], type=r["type"])
                                            for r in vault.records]
        return real_replace(src, dst)

    monkeypatch.setattr(safefs.os, "replace", replace)
    result = seal(vault, tmp_path / "out", Protection.unencrypted())
    sealed = [r for r in logged_at_rename[result.bundle_path.name]
              if r["type"] == "bundle_sealed"]
    assert len(sealed) == 1
    assert sealed[0]["sha256"] == hashlib.sha256(result.bundle_path.read_bytes()).hexdigest()
    assert sealed[0]["name"] == result.bundle_path.name

    copy = vault.export_item(item.id, tmp_path / "exported.bin")
    exported = [r for r in logged_at_rename["exported.bin"] if r["type"] == "item_exported"]
    assert [r["item_id"] for r in exported] == [item.id]
    assert exported[0]["destination"] == str(copy.resolve())
