"""The timestamps/ folder a sealed bag carries: standard openssl checks it, and so do we."""

from __future__ import annotations

import subprocess

from evidence_app.timestamp import enable, flush_queue
from evidence_app.timestamp.bundlefiles import check_folder, vault_bundle_files


def test_folder_checks_with_openssl_and_with_the_app(vault, tsa, tsa_pki, tmp_path):
    for n in range(3):
        vault.add_bytes(f"item {n}".encode(), f"{n}.txt", source={"type": "test"})
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text())
    flush_queue(vault)
    files, lines = vault_bundle_files(vault)
    assert len(lines) == 3
    assert sum(name.endswith(".tsr") for name, _ in files) == 3
    assert sum(name.startswith("timestamps/root-") for name, _ in files) == 1  # shared
    bag = tmp_path / "bag"
    for name, data in files:
        (bag / name).parent.mkdir(parents=True, exist_ok=True)
        (bag / name).write_bytes(data)
    for line in lines:
        result = subprocess.run(line, shell=True, cwd=bag, capture_output=True, text=True,
                                check=False)
        assert "Verification: OK" in result.stdout, result.stderr
    checks = check_folder(bag)
    assert [c.error for c in checks] == [None] * 3
    assert {c.info.tsa_name for c in checks} == {"Test TSA"}
    target = bag / next(name for name, _ in files if name.endswith(".tsr"))
    data = bytearray(target.read_bytes())
    at = bytes(data).index(b"\x18\x0f") + 2 + 13  # move the stamped time by a second
    data[at] ^= 1
    target.write_bytes(bytes(data))
    bad = [c for c in check_folder(bag) if c.error is not None]
    assert [c.sha256 for c in bad] == [target.name[:64]]
    line = next(x for x in lines if target.name in x)
    result = subprocess.run(line, shell=True, cwd=bag, capture_output=True, text=True,
                            check=False)
    assert "Verification: OK" not in result.stdout
