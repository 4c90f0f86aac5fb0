"""Crash consistency: `evidence-app add` killed with SIGKILL (or stopped with Ctrl-C) at
random points, many times.

After every kill the vault must open (a torn tail reported and moved aside, never silently
dropped), its custody log and every object must verify, every acknowledged item ("added N:"
was printed) must be there and export byte for byte, no half item may be visible, and no
unrecorded object file may remain after the next open.

SIGKILL cannot tear a small write in the middle, so to exercise the torn-tail path as a power
cut would, every fourth kill also leaves half a frame at the end of the journal.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from evidence_app.core.vault import Vault, referenced_objects
from tests.cli.util import ADDED_RE, added_ids, init_vault, intact_line, make_jpeg, ok
from tests.helpers import PASSPHRASE

MIB = 1 << 20


@dataclass
class Tally:
    kills: int = 0
    interrupts: int = 0  # of the kills, how many were SIGINT (Ctrl-C) rather than SIGKILL
    simulated_torn: int = 0
    torn_reported: int = 0
    orphans_reported: int = 0
    acknowledged: int = 0
    verified: int = 0
    kept_but_unacknowledged: int = 0
    window: tuple[float, float] = (0.0, 0.0)  # seconds: start-up + open, whole add
    sources: dict[str, str] = field(default_factory=dict)  # name -> sha256 (all iterations)
    acked_per_kill: dict[int, int] = field(default_factory=dict)  # how far each add got
    aimed_at: dict[int, int] = field(default_factory=dict)  # which file's ingest was aimed at


def _make_inputs(folder: Path, tag: str, rng: random.Random) -> list[Path]:
    """Two files over 8 MiB, a photo (so a thumbnail object too), and some small ones."""
    folder.mkdir()
    files = []
    for name, size in (("big1.bin", 9 * MIB), ("small.txt", 2000), ("mid.bin", 300_000),
                       ("big2.bin", 8 * MIB + 12345)):
        path = folder / f"{tag}-{name}"
        path.write_bytes(rng.randbytes(size))
        files.append(path)
    files.insert(1, make_jpeg(folder / f"{tag}-photo.jpg", marker=tag, size=(400, 300)))
    return files


def _start_add(vault: Path, files: list[Path]) -> subprocess.Popen:
    env = dict(os.environ, EVIDENCE_APP_PASSPHRASE=PASSPHRASE)
    return subprocess.Popen(
        [sys.executable, "-m", "evidence_app", "--vault", str(vault), "add", *map(str, files)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def _calibrate(tmp_path: Path, rng: random.Random, lanes: int) -> list[float]:
    """When each "added" line of an uninterrupted add appears (seconds after start, `lanes`
    adds at once); element 0 is how long start-up plus opening the vault takes."""
    vaults = [tmp_path / f"calibrate{i}" for i in range(lanes)]
    for vault in vaults:
        init_vault(vault)
    started = time.monotonic()
    ok("--vault", str(vaults[0]), "list")
    opened = time.monotonic() - started
    inputs = [_make_inputs(tmp_path / f"calibrate-in{i}", f"cal{i}", rng) for i in range(lanes)]
    started = time.monotonic()
    procs = [_start_add(vault, files) for vault, files in zip(vaults, inputs, strict=True)]
    assert procs[0].stdout is not None
    timeline = [opened]
    for line in procs[0].stdout:
        if ADDED_RE.match(line):
            timeline.append(time.monotonic() - started)
    for proc in procs:
        _stdout, stderr = proc.communicate()
        assert proc.returncode == 0, stderr
    assert len(timeline) == len(inputs[0]) + 1
    return timeline


def _kill_somewhere(proc: subprocess.Popen, rng: random.Random, timeline: list[float],
                    sig: int = signal.SIGKILL) -> tuple[str, int]:
    """Kill while file k+1 is being added (k random), at a random point of its ingest.

    Returns the add's whole stdout and k. Waiting for the k-th "added" line first keeps the
    kill points spread over every file, whatever the machine's speed at the moment.
    """
    assert proc.stdout is not None
    k = rng.randrange(len(timeline) - 1)
    seen = []
    if k == 0:
        time.sleep(rng.uniform(timeline[0] * 0.8, timeline[1]))
    else:
        while len([line for line in seen if ADDED_RE.match(line)]) < k:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
        time.sleep(rng.uniform(0, (timeline[k + 1] - timeline[k]) * 1.2))
    proc.send_signal(sig)
    rest, stderr = proc.communicate(timeout=60)
    if sig == signal.SIGINT and proc.returncode == 130:
        assert stderr.strip().splitlines()[-1] == \
            "Stopped. Nothing half-saved or unpacked was left behind.", stderr
    return "".join(seen) + rest, k


def _torn_frame(rng: random.Random) -> bytes:
    length = rng.randrange(300, 3000)
    return struct.pack(">I", length) + rng.randbytes(rng.randrange(0, length))


def _verify_after_kill(vault: Path, acked: dict[str, str], torn: bytes | None,
                       tally: Tally, out_dir: Path) -> int:
    """Every check from the module docstring; returns how many items the vault now holds."""
    asides_before = set(vault.glob("journal.torn-*"))
    # The first open after the crash repairs, and must say what it repaired.
    verify = ok("--vault", str(vault), "log", "--verify")
    assert "Custody log OK" in verify.stdout
    if torn is not None:
        assert "moved aside" in verify.stderr, verify.stderr
        new_asides = set(vault.glob("journal.torn-*")) - asides_before
        assert len(new_asides) == 1
        assert new_asides.pop().read_bytes() == torn
    if "moved aside" in verify.stderr:
        tally.torn_reported += 1
    if "kept aside" in verify.stderr:
        tally.orphans_reported += 1
    check = ok("--vault", str(vault), "check")
    with Vault.open(vault, PASSPHRASE) as v:
        assert not v.notices, "the first open should have repaired everything"
        items = v.state.items
        assert intact_line(len(items)) in check.stdout
        # No half item: whatever is there is one of our inputs, whole, with its real hash.
        for item in items.values():
            assert tally.sources[item.name] == item.sha256, item
        store = v.store
        assert store is not None
        assert store.all_ids() == referenced_objects(v.records), "orphan object files remain"
        repaired = {r["data"]["moved_aside"] for r in v.records if r["type"] == "journal_repaired"}
        assert {p.name for p in vault.glob("journal.torn-*")} <= repaired, \
            "a torn tail was moved aside without being recorded"
        for item_id, name in acked.items():
            assert items[item_id].name == name
            dest = v.export_item(item_id, out_dir / f"export-{item_id}")
            assert hashlib.sha256(dest.read_bytes()).hexdigest() == tally.sources[name]
            dest.unlink()
            tally.verified += 1
        count = len(items)
    assert not list(vault.rglob(".tmp-*")), "temporary files were left behind"
    tally.acknowledged += len(acked)
    return count


def _lane(folder: Path, kills: int, rng: random.Random, window: list[float],
          vault_every: int) -> Tally:
    """One sequence of kills, each on the vault the previous ones left behind."""
    folder.mkdir()
    tally = Tally(window=(window[0], window[-1]))
    vault = folder / "none"
    known_items = 0
    for n in range(kills):
        if n % vault_every == 0:
            vault = folder / f"vault{n}"
            init_vault(vault)
            known_items = 0
        inputs = folder / f"in{n}"
        files = _make_inputs(inputs, f"{folder.name}-{n}", rng)
        for f in files:
            tally.sources[f.name] = hashlib.sha256(f.read_bytes()).hexdigest()
        proc = _start_add(vault, files)
        # Every fifth time Ctrl-C instead: the program stops itself, at any point.
        sig = signal.SIGINT if n % 5 == 2 else signal.SIGKILL
        stdout, target = _kill_somewhere(proc, rng, window, sig)
        tally.kills += 1
        tally.interrupts += sig == signal.SIGINT
        acked = added_ids(stdout)
        tally.acked_per_kill[len(acked)] = tally.acked_per_kill.get(len(acked), 0) + 1
        tally.aimed_at[target] = tally.aimed_at.get(target, 0) + 1
        torn = None
        if n % 4 == 3:
            torn = _torn_frame(rng)
            with open(vault / "journal", "ab") as fh:
                fh.write(torn)
            tally.simulated_torn += 1
        now_items = _verify_after_kill(vault, acked, torn, tally, folder)
        tally.kept_but_unacknowledged += now_items - known_items - len(acked)
        known_items = now_items
        for f in files:
            f.unlink()
        inputs.rmdir()
    return tally


def run_kills(tmp_path: Path, kills: int, seed: int, vault_every: int = 5,
              lanes: int = 2) -> Tally:
    """`kills` kills spread over `lanes` independent vaults worked on at the same time."""
    rng = random.Random(seed)
    window = _calibrate(tmp_path, rng, lanes)
    seeds = [rng.randrange(1 << 30) for _ in range(lanes)]
    shares = [kills // lanes + (1 if i < kills % lanes else 0) for i in range(lanes)]
    with ThreadPoolExecutor(lanes) as pool:
        futures = [pool.submit(_lane, tmp_path / f"lane{i}", shares[i],
                               random.Random(seeds[i]), window, vault_every)
                   for i in range(lanes)]
        parts = [f.result() for f in futures]
    total = Tally(window=window)
    for part in parts:
        for name in ("kills", "interrupts", "simulated_torn", "torn_reported",
                     "orphans_reported", "acknowledged", "verified",
                     "kept_but_unacknowledged"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        for histogram in ("acked_per_kill", "aimed_at"):
            mine, theirs = getattr(total, histogram), getattr(part, histogram)
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count
    return total


def _report(tally: Tally, capsys: pytest.CaptureFixture) -> None:
    with capsys.disabled():
        print(f"\ncrash harness: kills={tally.kills} (of them SIGINT {tally.interrupts}) "
              f"aimed_at_file={dict(sorted(tally.aimed_at.items()))} "
              f"torn_tails_reported={tally.torn_reported} (simulated {tally.simulated_torn}) "
              f"orphan_cleanups={tally.orphans_reported} "
              f"items_acknowledged={tally.acknowledged} verified={tally.verified} "
              f"kept_but_unacknowledged={tally.kept_but_unacknowledged} "
              f"acked_per_kill={dict(sorted(tally.acked_per_kill.items()))} "
              f"(open {tally.window[0]:.2f} s, whole add {tally.window[1]:.2f} s)")


@pytest.mark.timeout(900)  # about a minute on an idle two-core machine
def test_sigkill_during_add(tmp_path, capsys):
    tally = run_kills(tmp_path, kills=int(os.environ.get("EVIDENCE_CRASH_KILLS", "40")),
                      seed=20261123)
    _report(tally, capsys)
    assert tally.torn_reported >= tally.simulated_torn
    assert tally.verified == tally.acknowledged


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_sigkill_during_add_many(tmp_path, capsys):
    tally = run_kills(tmp_path, kills=200, seed=7, vault_every=10)
    _report(tally, capsys)
    assert tally.torn_reported >= tally.simulated_torn
    assert tally.verified == tally.acknowledged
