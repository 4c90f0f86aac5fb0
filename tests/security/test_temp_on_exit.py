"""Decrypted temporaries are gone on every way out of the command line.

Attacks, as someone with access to the same account (or to the disk afterwards) would try:
stop `verify` of an encrypted bundle half way with SIGTERM, SIGHUP or Ctrl-C and read the
decrypted zip and unpacked evidence from the temp folder; kill it with SIGKILL and read what
is left; stop `export` half way and read the partial copy; read `verify --extract-to` output
as another user. Each test runs the real program in a subprocess whose TMPDIR is a folder
of its own, and looks for the evidence's marker in every file left there.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE
from tests.security.scratch_kit import (
    BigBundle,
    files_with_marker,
    make_big_bundle,
    plaintext_appeared,
    wait_until,
)

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
STOPPED_LINE = "Stopped. Nothing half-saved or unpacked was left behind."


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> BigBundle:
    return make_big_bundle(tmp_path_factory.mktemp("big"))


@pytest.fixture
def tmpdir_env(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A temp folder for the program alone: whatever it leaves there is its own."""
    temp = tmp_path / "temp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp), EVIDENCE_APP_PASSPHRASE=PASSPHRASE)
    return temp, env


def _start(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "evidence_app", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _verify(big: BigBundle, env: dict[str, str], *extra: str) -> subprocess.Popen:
    return _start(env, "verify", str(big.path), "--identity", str(big.identity), *extra)


def _stop_mid_work(proc: subprocess.Popen, watched: Path, sig: int) -> tuple[str, str]:
    """Send `sig` once plaintext is being written under `watched`; the run's output."""
    wait_until(lambda: plaintext_appeared(watched)() or proc.poll() is not None)
    assert proc.poll() is None, "the run ended before it could be stopped: " + \
        proc.communicate()[1]
    proc.send_signal(sig)
    return proc.communicate(timeout=30)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=["SIGTERM", "SIGHUP", "SIGINT"])
def test_stopping_verify_leaves_no_plaintext_in_the_temp_folder(big, tmpdir_env, sig):
    temp, env = tmpdir_env
    _out, err = _stop_mid_work(_verify(big, env), temp, sig)
    assert files_with_marker(temp) == [], "decrypted evidence left in the temp folder"
    assert list(temp.iterdir()) == [], "a scratch folder was left behind"
    assert err.strip().splitlines()[-1] == STOPPED_LINE, err
    assert "Traceback" not in err


def test_stopping_verify_extract_to_leaves_no_half_unpacked_folder(big, tmpdir_env, tmp_path):
    temp, env = tmpdir_env
    target = tmp_path / "unpacked"
    proc = _verify(big, env, "--extract-to", str(target))
    _out, err = _stop_mid_work(proc, temp, signal.SIGTERM)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert files_with_marker(temp) == []
    assert not target.exists() or files_with_marker(target) == []
    assert err.strip().splitlines()[-1] == STOPPED_LINE, err


def test_stopped_verify_exits_with_the_signal_status(big, tmpdir_env):
    temp, env = tmpdir_env
    for sig in (signal.SIGTERM, signal.SIGHUP):
        proc = _verify(big, env)
        _stop_mid_work(proc, temp, sig)
        assert proc.returncode == 128 + sig


def test_extract_to_keeps_no_zip_and_nothing_others_can_read(big, tmpdir_env, tmp_path):
    temp, env = tmpdir_env
    target = tmp_path / "unpacked"
    proc = _verify(big, env, "--extract-to", str(target))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "VERIFIED" in out
    names = [p.name for p in target.rglob("*")]
    assert "bundle.zip" not in names
    assert not [p for p in target.rglob("*.zip")], "the decrypted zip was left beside the bag"
    assert files_with_marker(target), "the unpacked evidence is there"
    for path in [target, *target.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"
    assert list(temp.iterdir()) == [], "the scratch folder is removed after a normal run"


def test_a_killed_verify_is_cleaned_up_on_the_next_start(big, tmpdir_env):
    temp, env = tmpdir_env
    proc = _verify(big, env)
    _stop_mid_work(proc, temp, signal.SIGKILL)
    assert files_with_marker(temp), "SIGKILL cannot be caught: plaintext is left for now"
    # Any next start of the program (here the cheapest one) removes what the dead run left.
    done = subprocess.run([sys.executable, "-m", "evidence_app", "--version"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert files_with_marker(temp) == []
    assert list(temp.iterdir()) == []


def test_a_live_runs_scratch_folder_is_never_taken(tmpdir_env, monkeypatch):
    """Two officers' checks at once: a start must not remove the other one's folder."""
    from evidence_app.core import scratch

    temp, env = tmpdir_env
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    mine = scratch.make("verify")
    try:
        (mine / "bundle.zip").write_bytes(b"x")
        foreign = temp / "evidence-app-other-tool"  # not ours by name: never touched
        foreign.mkdir()
        done = subprocess.run([sys.executable, "-m", "evidence_app", "--version"], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert (mine / "bundle.zip").exists()
        assert foreign.exists()
    finally:
        scratch.remove(mine)
    assert not mine.exists()


def test_scratch_folders_are_private(tmpdir_env, monkeypatch):
    from evidence_app.core import scratch

    temp, _env = tmpdir_env
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    with scratch.scratch_dir("verify") as folder:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert folder.name.startswith(scratch.PREFIX)
        assert folder in scratch.live()
    assert not folder.exists()
    assert folder not in scratch.live()


def test_stopping_export_leaves_no_partial_copy(big, tmpdir_env, tmp_path):
    """`export` writes the decrypted original under a temp name beside the target."""
    _temp, env = tmpdir_env
    out = tmp_path / "exported"
    out.mkdir()
    proc = _start(env, "--vault", str(big.vault), "export", "1", "--out", str(out))
    _stdout, err = _stop_mid_work(proc, out, signal.SIGTERM)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert files_with_marker(out) == [], [p.name for p in out.iterdir()]
    assert err.strip().splitlines()[-1] == STOPPED_LINE, err


def test_stopping_an_unencrypted_seal_leaves_no_partial_zip(big, tmpdir_env, tmp_path):
    """A plain-zip seal writes the evidence in the clear under a temp name until it is done."""
    _temp, env = tmpdir_env
    out = tmp_path / "bundles"
    proc = _start(env, "--vault", str(big.vault), "seal", "--out", str(out), "--no-encryption")
    wait_until(lambda: out.exists() or proc.poll() is not None)
    _stdout, err = _stop_mid_work(proc, out, signal.SIGTERM)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert files_with_marker(out) == [], [p.name for p in out.iterdir()]
    assert err.strip().splitlines()[-1] == STOPPED_LINE, err


def test_the_start_up_sweep_follows_no_link_and_spares_new_folders(tmp_path):
    """On a shared temp folder, a link named like ours must not make us delete its target;
    a folder being made right now (no owner lock yet) is left alone; an old one goes."""
    from evidence_app.core import scratch

    temp = tmp_path / "shared-tmp"
    temp.mkdir()
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    (temp / f"{scratch.PREFIX}link").symlink_to(victim, target_is_directory=True)
    fresh = temp / f"{scratch.PREFIX}fresh"
    fresh.mkdir()
    old = temp / f"{scratch.PREFIX}old"
    old.mkdir()
    (old / "bundle.zip").write_bytes(b"left by a crash before the owner lock was made")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    assert scratch.clean_stale(temp) == 1
    assert (victim / "precious.txt").read_text() == "keep me"
    assert fresh.exists()
    assert not old.exists()
