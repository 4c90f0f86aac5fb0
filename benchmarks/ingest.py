"""`evidence-app add` through the command line against the disk's and the CPU's limit.

In one run, on one random file in a temp folder on the same disk as the vault, and with
the file in the page cache for everyone (see ingest_refs.py for the references):
  sha256, write   the physical limit of a one-pass ingest: min(hashlib SHA-256, a write-only
                  fsync'd stream of as many bytes)
  tools           `sha256sum FILE` then `age -r` (the two-pass way with standard tools)
  add             `evidence-app --vault V add FILE` as a subprocess of this venv's
                  evidence-app (passphrase from EVIDENCE_APP_PASSPHRASE, a fresh vault made
                  beforehand with `init --no-timestamps`). Start-up is subtracted: the time of
                  the same command adding a 1-byte file to another fresh vault (unlock,
                  imports and the journal record; measured in each round, best of the rounds)
Rounds are interleaved (references, then the project, --repeat times); the best of each is
reported, the fastest reference being the limit. Peak RSS growth of the CLI process is its
ru_maxrss (os.wait4) minus that of the 1-byte add.
Prints name=value lines; add_vs_limit (goal >= 0.85), add_vs_sha256sum_age (goal >= 1.5),
add_rss_growth_mib (goal < 64 MiB for 2 GiB: --rss-size-mib 2048 runs one such add).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_refs import (  # noqa: E402 - the folder of this script
    References,
    hash_file,
    make_file,
    private_env,
    read_through,
    report,
    use_fast_kdf,
)

PASSPHRASE = "benchmark ingest through the command line 7319"
CLI = Path(sys.executable).with_name("evidence-app")


def run_cli(*args: str) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of one evidence-app run; its output is thrown away."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(CLI), *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"evidence-app {' '.join(args)} failed: {err.strip()}")
    return took, usage.ru_maxrss


def fresh_vault(work: Path, name: str) -> Path:
    vault = work / name
    subprocess.run([str(CLI), "--vault", str(vault), "init", "--no-timestamps"],
                   check=True, capture_output=True)
    return vault


def remove_vault(vault: Path) -> None:
    import shutil

    shutil.rmtree(vault)


def add_once(src: Path, tiny: Path, work: Path) -> tuple[float, float, int, int]:
    """(seconds for src, seconds for the 1-byte file, peak RSS KiB of each)."""
    small = fresh_vault(work, "vault-tiny")
    t_tiny, rss_tiny = run_cli("--vault", str(small), "add", str(tiny))
    remove_vault(small)
    big = fresh_vault(work, "vault-add")
    read_through(src)
    t_big, rss_big = run_cli("--vault", str(big), "add", str(src))
    check_stored(big, src)
    remove_vault(big)
    return t_big, t_tiny, rss_big, rss_tiny


def check_stored(vault: Path, src: Path) -> None:
    """The vault recorded the file's real SHA-256 (a fast wrong ingest counts for nothing)."""
    import json

    shown = subprocess.run([str(CLI), "--vault", str(vault), "show", "1", "--json"],
                           capture_output=True, text=True, check=True)
    recorded = json.loads(shown.stdout).get("sha256")
    if recorded != hash_file(src):
        raise SystemExit("the vault recorded a wrong SHA-256")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mib", type=int, default=768, help="test file size")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of every measurement; the best of each is reported")
    parser.add_argument("--rss-size-mib", type=int, default=0,
                        help="then one add of a file this big for the memory growth "
                             "(2048 for the goal; 0: skip)")
    parser.add_argument("--dir", help="where the test files and vaults go (default: a temp "
                                      "folder; choose one on the disk to measure)")
    args = parser.parse_args()
    use_fast_kdf()
    os.environ["EVIDENCE_APP_PASSPHRASE"] = PASSPHRASE
    with tempfile.TemporaryDirectory(prefix="ingest-bench-", dir=args.dir) as tmp:
        work = Path(tmp)
        private_env(work)
        src = work / "input.bin"
        tiny = work / "tiny.bin"
        tiny.write_bytes(b"x")
        make_file(src, args.size_mib)
        refs = References(src, work, args.repeat)
        adds: list[float] = []
        growth: list[int] = []
        startup: list[float] = []
        for _round in range(refs.repeat):
            refs.measure_once()
            t_big, t_tiny, rss_big, rss_tiny = add_once(src, tiny, work)
            startup.append(t_tiny)
            adds.append(t_big)
            growth.append(rss_big - rss_tiny)
        start_s = min(startup)
        project = [t - start_s for t in adds]
        lines = report(refs, project, "add")
        lines += [f"add_startup_s={start_s:.3f}  (1-byte add, subtracted; runs "
                  + ",".join(f"{t:.2f}" for t in startup) + ")",
                  f"add_rss_growth_mib={max(growth) / 1024:.1f}  (file of {args.size_mib} MiB)"]
        print("\n".join(lines), flush=True)
        src.unlink()
        if args.rss_size_mib:
            big = work / "rss-input.bin"
            make_file(big, args.rss_size_mib)
            t_big, _t_tiny, rss_big, rss_tiny = add_once(big, tiny, work)
            print(f"add_{args.rss_size_mib}_mib_s={args.rss_size_mib / (t_big - start_s):.0f}\n"
                  f"add_rss_growth_mib={(rss_big - rss_tiny) / 1024:.1f}  "
                  f"(file of {args.rss_size_mib} MiB; goal < 64)", flush=True)


if __name__ == "__main__":
    main()
