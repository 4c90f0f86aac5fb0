"""Opening a vault of 10,000 items: with the state snapshot against reading the whole log.

Builds (once; reused from the temp folder afterwards) a vault of N small items through the
real API, then in the same run, alternating, measures:
  journal   Vault.open() with no snapshot: every record decrypted, chained and folded
  snapshot  Vault.open() with the snapshot the previous lock wrote
  kdf       the key derivation alone (excluded from "after unlock")
  lock      the lock that writes the snapshot (after the journal open)
  cli       `evidence-app list` in a subprocess, with and without the snapshot, and
            `evidence-app --version` (interpreter and import start-up) for reference
Prints name=value lines; open_after_unlock_s (target < 0.5 for 10,000 items) and
journal_vs_snapshot (how many times faster the snapshot open is).
The fixture uses the test suite's cheap Argon2 so that it builds quickly; the open path
measured is the shipped one (the header names the cheap parameters, so kdf is small).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fastkdf"))
import fastkdf  # noqa: E402  (cheap Argon2, test-only code)

fastkdf.everywhere()
os.environ.setdefault("EVIDENCE_APP_LOG_DIR", tempfile.gettempdir())
PASSPHRASE = "benchmark passphrase"


def build(path: Path, items: int) -> None:
    """A vault of `items` small text items, a note every 100 and case details."""
    from evidence_app.core.vault import Vault

    real_fsync = os.fsync
    os.fsync = lambda fd: None  # building the fixture only: durability is not measured here
    try:
        vault, _ = Vault.create(path, PASSPHRASE)
        vault.update_case({"reference": "BENCH-1"})
        for n in range(items):
            item = vault.add_bytes(f"message {n}\n".encode(), f"message-{n:05}.txt",
                                   source={"type": "import", "path": f"/e/message-{n:05}.txt"})
            if n % 100 == 0:
                vault.add_note(f"note on {n}", item_id=item.id)
        vault.lock()
    finally:
        os.fsync = real_fsync
    (path / "state.snapshot").unlink(missing_ok=True)


def fixture(items: int, fresh: bool) -> Path:
    base = Path(tempfile.gettempdir()) / f"evidence-bench-open-{items}"
    path = base / "vault"
    if fresh or not (base / "complete").exists():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        start = time.perf_counter()
        build(path, items)
        (base / "complete").write_text("built\n")
        print(f"fixture_build_s={time.perf_counter() - start:.1f}", flush=True)
    return path


def timed_open(path: Path, seen_dir: Path) -> tuple[float, float, str]:
    """(seconds to a listable state, seconds of the lock after, where the state came from)."""
    from evidence_app.core.lastseen import LastSeen
    from evidence_app.core.vault import Vault

    start = time.perf_counter()
    vault = Vault.open(path, PASSPHRASE, seen=LastSeen(seen_dir))
    listing = [item.summary() for item in vault.state.items.values()]
    took = time.perf_counter() - start
    assert listing
    source = vault.state_source
    start = time.perf_counter()
    vault.lock()
    return took, time.perf_counter() - start, source


def kdf_seconds(path: Path) -> float:
    from evidence_app.core.vault_header import read_header, unwrap_with_passphrase

    header = read_header(path)
    start = time.perf_counter()
    unwrap_with_passphrase(header, PASSPHRASE, path)
    return time.perf_counter() - start


def cli_seconds(path: Path, home: Path, *args: str) -> float:
    env = dict(os.environ, EVIDENCE_APP_PASSPHRASE=PASSPHRASE, HOME=str(home),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               XDG_STATE_HOME=str(home / "state"))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "evidence_app", "--vault", str(path), *args],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="build the vault again")
    args = parser.parse_args()
    path = fixture(args.items, args.fresh)
    snapshot = path / "state.snapshot"
    journal_s, snapshot_s, lock_s, cli_journal, cli_snapshot = [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-open-seen-") as seen:
        for _ in range(args.rounds):
            snapshot.unlink(missing_ok=True)
            took, locked, source = timed_open(path, Path(seen))
            assert source == "journal", source
            journal_s.append(took)
            lock_s.append(locked)
            took, _locked, source = timed_open(path, Path(seen))
            assert source == "snapshot", source
            snapshot_s.append(took)
        for _ in range(args.rounds):
            cli_snapshot.append(cli_seconds(path, Path(seen), "list"))
            kept = snapshot.read_bytes()
            snapshot.unlink()
            cli_journal.append(cli_seconds(path, Path(seen), "list"))
            snapshot.write_bytes(kept)
        version = min(cli_seconds(path, Path(seen), "--version") for _ in range(args.rounds))
    kdf = min(kdf_seconds(path) for _ in range(args.rounds))
    journal, snap = statistics.median(journal_s), statistics.median(snapshot_s)
    print(f"items={args.items}")
    print(f"journal_size_mib={(path / 'journal').stat().st_size / (1 << 20):.1f}")
    print(f"snapshot_size_mib={snapshot.stat().st_size / (1 << 20):.1f}")
    print(f"kdf_s={kdf:.3f}")
    print(f"open_journal_s={journal:.3f}")
    print(f"open_snapshot_s={snap:.3f}")
    print(f"open_after_unlock_s={snap - kdf:.3f}  (target < 0.5)")
    print(f"journal_vs_snapshot={journal / snap:.1f}")
    print(f"lock_writing_snapshot_s={statistics.median(lock_s):.3f}")
    print(f"cli_version_s={version:.3f}")
    print(f"cli_list_journal_s={statistics.median(cli_journal):.3f}")
    print(f"cli_list_snapshot_s={statistics.median(cli_snapshot):.3f}")
    print(f"cli_list_journal_vs_snapshot="
          f"{statistics.median(cli_journal) / statistics.median(cli_snapshot):.1f}")


if __name__ == "__main__":
    main()
