"""The vault's own files are never evidence: a folder that holds the vault (a USB stick,
the home folder) is added without them, and naming one of them directly is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_app.core.errors import InputInsideVault
from evidence_app.core.vault_ingest import files_to_add
from evidence_app.messages import describe
from tests.cli.util import added_ids, init_vault, ok
from tests.helpers import run_cli


def test_add_file_refuses_the_vaults_own_files(vault) -> None:
    vault.add_note("so the journal has more than one record")
    for own in (vault.path / "journal", vault.path / "vault.json"):
        with pytest.raises(InputInsideVault) as info:
            vault.add_file(own)
        assert str(own) in describe(info.value)
    assert vault.state.items == {}


def test_a_folder_holding_the_vault_is_walked_without_it(vault, tmp_path: Path) -> None:
    evidence = tmp_path / "threat.txt"
    evidence.write_text("Pay or else")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.txt").write_text("a")
    files, _links = files_to_add([tmp_path], vault.path)
    assert sorted(files) == [tmp_path / "photos" / "a.txt", evidence]
    inside, _links = files_to_add([vault.path], vault.path)
    assert inside == []
    everything, _links = files_to_add([tmp_path])  # no vault named: nothing is held back
    assert any(f.name == "journal" for f in everything)


def test_cli_add_of_the_folder_around_the_vault(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    vault_dir = stick / "EvidenceVault"
    stick.mkdir()
    init_vault(vault_dir)
    (stick / "screenshot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    added = ok("--vault", str(vault_dir), "add", str(stick))
    assert list(added_ids(added.stdout).values()) == ["screenshot.png"]
    direct = run_cli("--vault", str(vault_dir), "add", str(vault_dir / "journal"))
    assert direct.returncode != 0
    assert "one of the vault's own files" in direct.stderr
