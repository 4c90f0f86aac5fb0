"""One-pass ingest against its physical limit and against the two-pass standard tools.

Creates a random test file, then in the same run measures (file in the page cache for all):
  sha256      raw hashlib SHA-256 of the file
  write       a plain fsync'd copy: dd if=F of=G bs=4M conv=fsync
  ingest      Vault.add_file(F) on an open vault (no start-up, no key derivation)
  tools       sha256sum F, then age -r RECIPIENT -o G F (plus fsync of G), when installed
The limit of a one-pass ingest is the slower of hashing and writing (write_only_mib_s, a
buffer written and fsync'd without reading, is printed too as a stricter reference).
Prints name=value lines:
ingest_vs_limit (target >= 0.85), ingest_vs_sha256sum_age (target >= 1.5) and
rss_growth_mib (peak RSS growth of a 2 GiB ingest in a child process, target < 64).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
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
MIB = 1 << 20
CHUNK = 4 * MIB


def make_file(path: Path, size_mib: int) -> None:
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


def timed(fn) -> float:
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


def dd_copy(src: Path, dest: Path) -> None:
    subprocess.run(["dd", f"if={src}", f"of={dest}", "bs=4M", "conv=fsync"],
                   check=True, capture_output=True)


def write_from_memory(dest: Path, size_mib: int) -> None:
    """Writing alone (no reading): the same 4 MiB buffer over and over, then fsync."""
    buf = os.urandom(CHUNK)
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for _ in range(size_mib * MIB // CHUNK):
            os.write(fd, buf)
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256sum_then_age(src: Path, dest: Path, recipient: str) -> None:
    subprocess.run(["sha256sum", str(src)], check=True, capture_output=True)
    subprocess.run(["age", "-r", recipient, "-o", str(dest), str(src)], check=True)
    fd = os.open(dest, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ingest_once(src: Path, work: Path) -> float:
    """Seconds for Vault.add_file on an already open vault."""
    from evidence_app.core.vault import Vault

    vault_dir = work / "vault"
    vault, _key = Vault.create(vault_dir, PASSPHRASE)
    try:
        took = timed(lambda: vault.add_file(src))
        assert vault.state.items["1"].sha256 == hash_file(src)
    finally:
        vault.lock()
        shutil.rmtree(vault_dir)
    return took


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def rss_child(src: Path, work: Path) -> None:
    """In a child process: peak RSS growth (MiB) while ingesting `src` into an open vault."""
    from evidence_app.core.vault import Vault

    vault, _key = Vault.create(work / "rss-vault", PASSPHRASE)
    before = _status_kib("VmRSS")
    try:
        # Reset the peak, so what start-up and key derivation used does not hide the ingest.
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        before = _status_kib("VmHWM")
    vault.add_file(src)
    peak = _status_kib("VmHWM")
    vault.lock()
    print(f"rss_before_mib={before / 1024:.1f}")
    print(f"rss_growth_mib={(peak - before) / 1024:.1f}")


def measure_rss(work: Path, size_mib: int, existing: Path, existing_mib: int) -> list[str]:
    src = existing
    if existing_mib != size_mib:
        src = work / "rss-input.bin"
        make_file(src, size_mib)
    child = subprocess.run(
        [sys.executable, __file__, "--rss-child", str(src), str(work)],
        capture_output=True, text=True, check=True,
    )
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = child.stdout.split()
    lines.append(f"rss_child_peak_mib={peak_children:.1f}")
    lines.append(f"rss_ingest_mib={size_mib}")
    if src != existing:
        src.unlink()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mib", type=int, default=1024, help="test file size")
    parser.add_argument("--rss-size-mib", type=int, default=2048,
                        help="file size for the RSS measurement")
    parser.add_argument("--skip-rss", action="store_true", help="skip the RSS measurement")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each measurement; the best is reported")
    parser.add_argument("--dir", help="where to put the test files (default: a temp folder)")
    parser.add_argument("--rss-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        rss_child(Path(args.rss_child[0]), Path(args.rss_child[1]))
        return

    size = args.size_mib
    with tempfile.TemporaryDirectory(prefix="ingest-bench-", dir=args.dir) as tmp:
        work = Path(tmp)
        src = work / "input.bin"
        make_file(src, size)
        read_through(src)

        def best(fn) -> float:
            return min(fn() for _ in range(max(1, args.repeat)))

        def one_hash() -> float:
            return timed(lambda: hash_file(src))

        def one_dd() -> float:
            took = timed(lambda: dd_copy(src, work / "copy.bin"))
            (work / "copy.bin").unlink()
            return took

        def one_raw_write() -> float:
            took = timed(lambda: write_from_memory(work / "raw.bin", size))
            (work / "raw.bin").unlink()
            return took

        t_hash = best(one_hash)
        t_write = best(one_dd)
        t_raw_write = best(one_raw_write)
        t_ingest = best(lambda: ingest_once(src, work))
        sha_rate, write_rate, ingest_rate = size / t_hash, size / t_write, size / t_ingest
        limit = min(sha_rate, write_rate)
        lines = [
            f"size_mib={size}",
            f"cpus={os.cpu_count()}",
            f"sha256_mib_s={sha_rate:.1f}",
            f"write_mib_s={write_rate:.1f}",
            f"limit_mib_s={limit:.1f}",
            f"ingest_mib_s={ingest_rate:.1f}",
            f"ingest_vs_limit={ingest_rate / limit:.3f}",
            # Informative: writing alone, without dd's read-then-write alternation.
            f"write_only_mib_s={size / t_raw_write:.1f}",
            f"ingest_vs_write_only={ingest_rate / min(sha_rate, size / t_raw_write):.3f}",
        ]
        if shutil.which("age") and shutil.which("age-keygen") and shutil.which("sha256sum"):
            keygen = subprocess.run(["age-keygen"], capture_output=True, text=True, check=True)
            recipient = next(line.split(": ", 1)[1] for line in keygen.stderr.splitlines()
                             + keygen.stdout.splitlines() if "public key" in line)

            def one_tools() -> float:
                took = timed(lambda: sha256sum_then_age(src, work / "out.age", recipient))
                (work / "out.age").unlink()
                return took

            t_tools = best(one_tools)
            lines += [f"sha256sum_age_mib_s={size / t_tools:.1f}",
                      f"ingest_vs_sha256sum_age={t_tools / t_ingest:.3f}"]
        else:
            lines.append("ingest_vs_sha256sum_age=skipped (age, age-keygen or sha256sum missing)")
        print("\n".join(lines), flush=True)
        if not args.skip_rss:
            print("\n".join(measure_rss(work, args.rss_size_mib, src, size)), flush=True)


if __name__ == "__main__":
    main()
