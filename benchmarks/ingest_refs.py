"""What ingest is measured against, in the same run, on the same file and the same disk.

Shared by ingest.py (through the command line) and ingest_gui.py (through the window):
  sha256     hashlib SHA-256 of the file, read unbuffered with readinto into one 4 MiB buffer
  write      a write-only stream of as many bytes from memory to the same disk, fsync'd at the
             end; the fastest of a plain stream, one that starts write-back every 8 MiB and
             one with direct I/O (O_DIRECT, Linux) in 4 MiB writes: the project's own ways
             of writing are in the limit, so they cannot beat it
  tools      `sha256sum FILE` then `age -r RECIPIENT -o OUT FILE` (OUT fsync'd): the two-pass
             way with standard tools
A one-pass ingest has to hash, and has to write: its limit is min(sha256, write).
Every figure is the best of --repeat runs (the fastest reference is the limit).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

MIB = 1 << 20
CHUNK = 4 * MIB
KICK = 8 * MIB
HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def use_fast_kdf() -> None:
    """Cheap Argon2 here and in every Python started from here (test-only code): key
    derivation is start-up, not ingest, and would only add noise."""
    sys.path.insert(0, str(REPO / "tests" / "fastkdf"))
    import fastkdf

    fastkdf.everywhere()


def private_env(work: Path) -> None:
    """HOME, config, data and logs inside the work folder: the app's 'last seen' records and
    logs of a benchmark never reach the real user's folders."""
    home = work / "home"
    for name, sub in (("HOME", ""), ("XDG_DATA_HOME", ".local/share"),
                      ("XDG_CONFIG_HOME", ".config"), ("XDG_STATE_HOME", ".local/state"),
                      ("XDG_CACHE_HOME", ".cache"), ("EVIDENCE_APP_LOG_DIR", "logs")):
        folder = home / sub
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(folder)
    os.environ.pop("EVIDENCE_APP_VAULT", None)
    os.environ["LANGUAGE"] = "en"


def make_file(path: Path, size_mib: int) -> None:
    """Random (incompressible) data, fsync'd, so no contender finds it half-written."""
    with open(path, "wb") as fh:
        for _ in range(size_mib * MIB // CHUNK):
            fh.write(os.urandom(CHUNK))
        fh.write(os.urandom(size_mib * MIB % CHUNK))
        fh.flush()
        os.fsync(fh.fileno())


def read_through(path: Path) -> None:
    """Bring the file into the page cache, so every contender reads it the same way."""
    buf = bytearray(CHUNK)
    with open(path, "rb", buffering=0) as fh:
        while fh.readinto(buf):
            pass


def settle() -> None:
    """Before every timed run, references and project alike: what the previous run left
    to the disk (freed blocks of a deleted file, write-back) is finished first, so no run
    pays for its predecessor's writes."""
    os.sync()
    time.sleep(0.5)


def timed(fn: Callable[[], object]) -> float:
    settle()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def hash_file(path: Path) -> str:
    hasher = hashlib.sha256()
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            hasher.update(view[:n])
    return hasher.hexdigest()


def write_only(dest: Path, size: int, kick: bool) -> None:
    """`size` bytes of one random buffer written again and again, fsync'd at the end."""
    buf = memoryview(os.urandom(CHUNK))
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        pos = kicked = 0
        while pos < size:
            pos += os.write(fd, buf[: min(CHUNK, size - pos)])
            if kick and pos - kicked >= KICK:
                os.posix_fadvise(fd, kicked, pos - kicked, os.POSIX_FADV_DONTNEED)
                kicked = pos
        os.fsync(fd)
    finally:
        os.close(fd)
    dest.unlink()


def write_direct(dest: Path, size: int) -> bool:
    """The same with direct I/O, whole 4 KiB blocks; False where the system refuses it."""
    import mmap

    direct = getattr(os, "O_DIRECT", 0)
    if not direct:
        return False
    buf = mmap.mmap(-1, CHUNK)
    buf.write(os.urandom(CHUNK))
    view = memoryview(buf)
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | direct, 0o600)
    except OSError:
        return False
    try:
        pos = 0
        while pos < size:
            pos += os.write(fd, view[: max(4096, (min(CHUNK, size - pos) // 4096) * 4096)])
        os.ftruncate(fd, size)
        os.fsync(fd)
    except OSError:
        return False
    finally:
        os.close(fd)
        dest.unlink()
    return True


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def age_recipient() -> str | None:
    if not (shutil.which("age") and shutil.which("age-keygen") and shutil.which("sha256sum")):
        return None
    keygen = subprocess.run(["age-keygen"], capture_output=True, text=True, check=True)
    return next(line.split(": ", 1)[1].strip() for line in
                keygen.stderr.splitlines() + keygen.stdout.splitlines() if "public key" in line)


def sha256sum_then_age(src: Path, dest: Path, recipient: str) -> None:
    subprocess.run(["sha256sum", str(src)], check=True, capture_output=True)
    subprocess.run(["age", "-r", recipient, "-o", str(dest), str(src)], check=True)
    fsync_file(dest)
    dest.unlink()


class References:
    """Best-of-N seconds for each reference over one file."""

    def __init__(self, src: Path, work: Path, repeat: int) -> None:
        self.src = src
        self.work = work
        self.size = src.stat().st_size
        self.repeat = max(1, repeat)
        self.recipient = age_recipient()
        self.sha256: list[float] = []
        self.write: list[float] = []
        self.tools: list[float] = []

    def measure_once(self) -> None:
        """One round of every reference (rounds are interleaved with the project's runs, so
        a neighbour's load hits both alike)."""
        read_through(self.src)
        self.sha256.append(timed(lambda: hash_file(self.src)))
        out = self.work / "write-only.bin"
        ways = [timed(lambda: write_only(out, self.size, kick=False)),
                timed(lambda: write_only(out, self.size, kick=True))]
        settle()
        start = time.perf_counter()
        if write_direct(out, self.size):
            ways.append(time.perf_counter() - start)
        self.write.append(min(ways))
        if self.recipient is not None:
            recipient = self.recipient
            self.tools.append(timed(lambda: sha256sum_then_age(
                self.src, self.work / "out.age", recipient)))

    def limit_s(self) -> float:
        return max(min(self.sha256), min(self.write))


def rate(size: int, seconds: float) -> float:
    return size / MIB / seconds


def _runs(size: int, times: list[float]) -> str:
    return ",".join(f"{rate(size, t):.0f}" for t in times)


def reference_lines(refs: References) -> list[str]:
    """name=value lines of the references: best and every run, in MiB/s."""
    size = refs.size
    lines = [
        f"size_mib={size / MIB:.0f}",
        f"cpus={os.cpu_count()}",
        f"load_avg_1min={os.getloadavg()[0]:.2f}  (other work on the machine)",
        f"sha256_mib_s={rate(size, min(refs.sha256)):.0f}  (runs {_runs(size, refs.sha256)})",
        f"write_only_fsync_mib_s={rate(size, min(refs.write)):.0f}  "
        f"(runs {_runs(size, refs.write)})",
        f"limit_mib_s={rate(size, refs.limit_s()):.0f}  (min of the two)",
    ]
    if refs.tools:
        lines.append(f"sha256sum_age_mib_s={rate(size, min(refs.tools)):.0f}  "
                     f"(runs {_runs(size, refs.tools)})")
    else:
        lines.append("sha256sum_age=skipped (age, age-keygen or sha256sum missing)")
    return lines


def project_lines(refs: References, project: list[float], label: str) -> list[str]:
    """name=value lines of one contender: throughput and the two ratios (goals in brackets)."""
    best = min(project)
    lines = [
        f"{label}_mib_s={rate(refs.size, best):.0f}  (runs {_runs(refs.size, project)})",
        f"{label}_vs_limit={refs.limit_s() / best:.3f}  (goal >= 0.85)",
    ]
    if refs.tools:
        lines.append(f"{label}_vs_sha256sum_age={min(refs.tools) / best:.2f}  (goal >= 1.5)")
    return lines


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    """The options both ingest benchmarks take: file size, rounds, the memory-growth run."""
    parser.add_argument("--size-mib", type=int, default=768, help="test file size")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of every measurement; the best of each is reported")
    parser.add_argument("--rss-size-mib", type=int, default=0,
                        help="then one add of a file this big for the memory growth "
                             "(2048 for the goal; 0: skip)")


@functools.lru_cache(maxsize=4)
def expected_sha256(path: Path) -> str:
    """What every add of `path` must record; hashed once (hash_file is the timed reference)."""
    return hash_file(path)
