"""SIGKILL during the operations that change keys or move objects: `passwd`,
`passwd --recovery`, `recovery-key --new`, `recover`, and the open that moves unnamed
objects into quarantine.

After every kill: the vault opens with the secret of before or of after (never neither),
the custody log verifies, every item checks, every item of before is there, and no object
is lost: each is named by a record or kept in quarantine.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from evidence_app.core.errors import WrongPassphrase
from evidence_app.core.vault import Vault, referenced_objects
from tests.cli.util import init_vault, ok
from tests.helpers import PASSPHRASE
from tests.security.kit import report

NEW = "the passphrase after the change 77"
KILLS_PER_COMMAND = int(os.environ.get("EVIDENCE_APP_KEY_CRASH_KILLS", "6"))


def _template(folder: Path, *, orphan: bool, quarantined: bool) -> tuple[Path, str]:
    vault = folder / "template"
    recovery = init_vault(vault)
    for n in range(3):
        (folder / f"f{n}.bin").write_bytes(os.urandom(300_000 + n))
    ok("--vault", str(vault), "add", *(str(folder / f"f{n}.bin") for n in range(3)))
    if orphan or quarantined:
        with Vault.open(vault, PASSPHRASE) as v:
            assert v.store is not None
            for _ in range(2):
                v.store.write_bytes(os.urandom(200_000))
        if quarantined:
            with Vault.open(vault, PASSPHRASE) as v:
                assert v.notices
                assert v.notices[-1].kind == "quarantined"
    return vault, recovery


def _command(name: str, recovery: str) -> tuple[list[str], dict[str, str]]:
    if name == "passwd":
        return ["passwd"], {"EVIDENCE_APP_NEW_PASSPHRASE": NEW}
    if name == "passwd-recovery":
        return ["passwd", "--recovery"], {"EVIDENCE_APP_RECOVERY_KEY": recovery,
                                          "EVIDENCE_APP_NEW_PASSPHRASE": NEW}
    if name == "recovery-key":
        return ["recovery-key", "--new"], {}
    if name == "recover":
        return ["recover", "--all"], {}
    return ["list"], {}  # the open that quarantines


def _run_killed(vault: Path, args: list[str], env: dict[str, str], delay: float,
                home: Path) -> bool:
    full = dict(os.environ, EVIDENCE_APP_PASSPHRASE=PASSPHRASE, XDG_CONFIG_HOME=str(home),
                **env)
    proc = subprocess.Popen([sys.executable, "-m", "evidence_app", "--vault", str(vault),
                             *args], env=full, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        return True


def _open_either(vault: Path) -> tuple[Vault, str]:
    try:
        return Vault.open(vault, PASSPHRASE), "before"
    except WrongPassphrase:
        return Vault.open(vault, NEW), "after"


def _check(vault: Path, before: set[str], objects_before: set[str], tally: Counter) -> None:
    v, which = _open_either(vault)
    with v:
        tally[f"opened_{which}"] += 1
        tally.update(n.kind for n in v.notices)
        v.verify_log()
        assert all(r.ok for r in v.check())
        assert before <= {i.sha256 for i in v.state.items.values()}
        assert v.store is not None
        named = referenced_objects(v.records)
        assert v.store.all_ids() <= named, "an unnamed object outside the quarantine"
        kept = {q.object_id for q in v.quarantined()}
        assert objects_before <= v.store.all_ids() | kept, "an object was lost"


@pytest.mark.parametrize("command", ["passwd", "passwd-recovery", "recovery-key", "recover",
                                     "quarantine"])
def test_kill_during_key_change_and_quarantine(command: str, tmp_path: Path, capsys) -> None:
    template, recovery = _template(tmp_path, orphan=command == "quarantine",
                                   quarantined=command == "recover")
    with Vault.open(template, PASSPHRASE) as v:
        before = {i.sha256 for i in v.state.items.values()}
        assert v.store is not None
        objects_before = v.store.all_ids() | {q.object_id for q in v.quarantined()}
    args, env = _command(command, recovery)
    # How long the command takes uninterrupted, to spread the kills over it.
    calm = tmp_path / "calm"
    shutil.copytree(template, calm)
    started = time.monotonic()
    _run_killed(calm, args, env, 120, tmp_path / "home-calm")
    span = time.monotonic() - started
    rng = random.Random(f"key-crash-{command}")
    tally: Counter = Counter()
    for n in range(KILLS_PER_COMMAND):
        vault = tmp_path / f"v{n}"
        shutil.copytree(template, vault)
        tally["killed"] += _run_killed(vault, args, env, rng.uniform(0.05, span),
                                       tmp_path / f"home{n}")
        _check(vault, before, objects_before, tally)
    report(f"key crash {command}", capsys, **dict(sorted(tally.items())))
    assert tally["killed"] >= 1, tally  # a loaded machine may finish some runs early
