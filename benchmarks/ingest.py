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
                  imports and the journal record; three times in each round, the best of all
                  is subtracted: the smallest start-up gives the longest, least flattering
                  add time)
Rounds are interleaved (references, then the project, --repeat times); the best of each is
reported, the fastest reference being the limit. Peak RSS growth of the CLI process is its
ru_maxrss (os.wait4) minus that of the 1-byte add.
--baseline-tree DIR measures another copy of the project (`git archive HEAD | tar -x -C DIR`)
in the same rounds, as `before_*` lines.
Prints name=value lines; add_vs_limit (goal >= 0.85), add_vs_sha256sum_age (goal >= 1.5),
add_rss_growth_mib (goal < 64 MiB for 2 GiB: --rss-size-mib 2048 runs one such add).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_refs import (  # noqa: E402 - the folder of this script
    References,
    add_size_arguments,
    expected_sha256,
    make_file,
    private_env,
    project_lines,
    read_through,
    reference_lines,
    settle,
    use_fast_kdf,
)

PASSPHRASE = "benchmark ingest through the command line 7319"
CLI = [str(Path(sys.executable).with_name("evidence-app"))]


def run_cli(cli: list[str], *args: str) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of one evidence-app run; its output is thrown away."""
    start = time.perf_counter()
    proc = subprocess.Popen([*cli, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cli)} {' '.join(args)} failed: {err.strip()}")
    return took, usage.ru_maxrss


def fresh_vault(cli: list[str], work: Path, name: str) -> Path:
    vault = work / name
    subprocess.run([*cli, "--vault", str(vault), "init", "--no-timestamps"],
                   check=True, capture_output=True)
    return vault


def check_stored(cli: list[str], vault: Path, src: Path) -> None:
    """The vault recorded the file's real SHA-256 (a fast wrong ingest counts for nothing)."""
    shown = subprocess.run([*cli, "--vault", str(vault), "show", "1", "--json"],
                           capture_output=True, text=True, check=True)
    if json.loads(shown.stdout).get("sha256") != expected_sha256(src):
        raise SystemExit("the vault recorded a wrong SHA-256")


class Contender:
    """One command line's `add`, run in every round: seconds and peak RSS of the big and the
    1-byte add."""

    def __init__(self, label: str, cli: list[str]) -> None:
        self.label = label
        self.cli = cli
        self.big: list[float] = []
        self.tiny: list[float] = []
        self.growth: list[int] = []

    def add_once(self, src: Path, tiny: Path, work: Path) -> None:
        tiny_runs = []
        for _ in range(3):  # start-up is short and noisy: the best of three each round
            small = fresh_vault(self.cli, work, "vault-tiny")
            settle()
            tiny_runs.append(run_cli(self.cli, "--vault", str(small), "add", str(tiny)))
            shutil.rmtree(small)
        t_tiny, rss_tiny = min(tiny_runs)
        vault = fresh_vault(self.cli, work, "vault-add")
        read_through(src)
        settle()
        t_big, rss_big = run_cli(self.cli, "--vault", str(vault), "add", str(src))
        check_stored(self.cli, vault, src)
        shutil.rmtree(vault)
        self.big.append(t_big)
        self.tiny.append(t_tiny)
        self.growth.append(rss_big - rss_tiny)

    def lines(self, refs: References, size_mib: int) -> list[str]:
        start_s = min(self.tiny)
        return project_lines(refs, [t - start_s for t in self.big], self.label) + [
            f"{self.label}_startup_s={start_s:.3f}  (1-byte add, subtracted; runs "
            + ",".join(f"{t:.2f}" for t in self.tiny) + ")",
            f"{self.label}_rss_growth_mib={max(self.growth) / 1024:.1f}  "
            f"(file of {size_mib} MiB; worst run)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_size_arguments(parser)
    parser.add_argument("--baseline-tree", metavar="DIR",
                        help="another copy of the project (e.g. `git archive HEAD | tar -x -C "
                             "DIR`): its `add` is measured in the same rounds, as `before`")
    parser.add_argument("--dir", help="where the test files and vaults go (default: a temp "
                                      "folder; choose one on the disk to measure)")
    args = parser.parse_args()
    use_fast_kdf()
    os.environ["EVIDENCE_APP_PASSPHRASE"] = PASSPHRASE
    contenders = [Contender("add", CLI)]
    if args.baseline_tree:
        tree = str(Path(args.baseline_tree).resolve())
        path = f"PYTHONPATH={tree}{os.pathsep}{os.environ['PYTHONPATH']}"
        contenders.append(Contender("before", ["env", path, sys.executable, "-m",
                                               "evidence_app"]))
    with tempfile.TemporaryDirectory(prefix="ingest-bench-", dir=args.dir) as tmp:
        work = Path(tmp)
        private_env(work)
        src = work / "input.bin"
        tiny = work / "tiny.bin"
        tiny.write_bytes(b"x")
        make_file(src, args.size_mib)
        refs = References(src, work, args.repeat)
        for _round in range(refs.repeat):
            refs.measure_once()
            for contender in contenders:
                contender.add_once(src, tiny, work)
        lines = reference_lines(refs)
        for contender in contenders:
            lines += contender.lines(refs, args.size_mib)
        print("\n".join(lines), flush=True)
        src.unlink()
        if args.rss_size_mib:
            big = work / "rss-input.bin"
            make_file(big, args.rss_size_mib)
            for contender in contenders:
                contender.big, contender.growth = [], []
                contender.add_once(big, tiny, work)
                took = contender.big[0] - min(contender.tiny)
                print(f"{contender.label}_{args.rss_size_mib}_mib_s="
                      f"{args.rss_size_mib / took:.0f}\n"
                      f"{contender.label}_rss_growth_mib={contender.growth[0] / 1024:.1f}  "
                      f"(file of {args.rss_size_mib} MiB; goal < 64)", flush=True)


if __name__ == "__main__":
    main()
