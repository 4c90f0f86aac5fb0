"""Disk full while sealing: one clear line, the vault consistent, no partial bundle left.

The output folder fills up two ways: a file-size limit on the sealing process
(RLIMIT_FSIZE, with SIGXFSZ ignored so writes fail with EFBIG, as on a full disk) and, where
this test may mount one, a real 1 MiB tmpfs as the output folder (a USB stick that is full).
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.cli.test_disk_full import tiny_tmpfs  # noqa: F401 - a fixture, used by name
from tests.cli.util import (
    assert_one_line_error,
    assert_vault_healthy,
    file_size_limit,
    init_vault,
    ok,
    random_file,
    run_cli_raw,
)
from tests.helpers import run_cli


def _recipient() -> str:
    from evidence_app.bundle import agefile

    return agefile.recipient_string(agefile.X25519PrivateKey.generate().public_key())


def _vault_with(tmp_path: Path, size: int) -> Path:
    vault = tmp_path / "v"
    init_vault(vault)
    ok("--vault", str(vault), "add", str(random_file(tmp_path / "evidence.bin", size, seed=1)))
    ok("--vault", str(vault), "note", "before sealing")
    return vault


def _records(vault: Path) -> str:
    return ok("--vault", str(vault), "log").stdout


def _assert_nothing_sealed(out: Path, vault: Path, before: str) -> None:
    left = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert left == [], f"partial bundle or receipt left: {left}"
    after = _records(vault)
    assert "sealed" not in after.lower().replace(before.lower(), ""), after
    assert_vault_healthy(vault, items=1)


def test_bundle_larger_than_the_space_left(tmp_path):
    vault = _vault_with(tmp_path, 3 << 20)
    before = _records(vault)
    out = tmp_path / "out"
    result = run_cli_raw("--vault", str(vault), "seal", "--out", str(out), "--recipient",
                         _recipient(), preexec_fn=file_size_limit(1 << 20))
    assert_one_line_error(result, "disk is full")
    _assert_nothing_sealed(out, vault, before)
    # With room again, the same seal works.
    ok("--vault", str(vault), "seal", "--out", str(out), "--recipient", _recipient())
    assert len(list(out.glob("*.zip.age"))) == 1


def test_encrypted_bundle_on_a_full_stick(tiny_tmpfs, tmp_path):  # noqa: F811 - fixture
    vault = _vault_with(tmp_path, 5 << 20)  # the tmpfs holds 4 MiB
    before = _records(vault)
    out = tiny_tmpfs / "bundles"
    result = run_cli("--vault", str(vault), "seal", "--out", str(out), "--recipient",
                     _recipient())
    assert_one_line_error(result, "disk is full")
    _assert_nothing_sealed(out, vault, before)
    assert os.statvfs(tiny_tmpfs).f_bfree * os.statvfs(tiny_tmpfs).f_bsize > 3_500_000, \
        "the partial bundle still takes up the space"
