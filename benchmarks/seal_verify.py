"""Seal a vault holding ~1 GiB and verify the bundle; time the standard-tool path too.

Prints name=value lines: seal_mib_s, verify_mib_s, tools_mib_s, verify_vs_tools (>1 means
`evidence-app verify` is faster than age -d + unzip + sha256sum -c on the same bundle), and
peak RSS growth of seal and verify (each in a child process).
"""

from __future__ import annotations

import argparse
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
PASSPHRASE = "benchmark passphrase"


def _child(mode: str, vault: Path, out: Path, key: Path) -> None:
    """Run one phase in this process and print its time and RSS growth."""
    from evidence_app.bundle.seal import Protection, seal
    from evidence_app.bundle.verify import verify_bundle
    from evidence_app.core.scratch import scratch_dir
    from evidence_app.core.vault import Vault

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if mode == "seal":
        public = next(line.split(": ", 1)[1] for line in key.read_text().splitlines()
                      if "public key" in line)
        with Vault.open(vault, PASSPHRASE) as v:
            start = time.perf_counter()
            seal(v, out, Protection.for_recipients([public]))
            took = time.perf_counter() - start
    else:
        bundle = next(out.glob("*.zip.age"))
        with scratch_dir("verify") as work:
            start = time.perf_counter()
            report = verify_bundle(bundle, work, identities_text=key.read_text())
            took = time.perf_counter() - start
            assert report.ok, [c for c in report.checks if not c.ok]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{took} {(peak - base) / 1024}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--child", nargs=4, metavar=("MODE", "VAULT", "OUT", "KEY"))
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]), Path(args.child[2]), Path(args.child[3]))
        return
    from evidence_app.core.vault import Vault

    for tool in ("age", "age-keygen", "unzip", "sha256sum"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed")
    with tempfile.TemporaryDirectory(prefix="bench-seal-") as tmp_name:
        tmp = Path(tmp_name)
        key = tmp / "key.txt"
        subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
        vault_dir = tmp / "vault"
        v, _ = Vault.create(vault_dir, PASSPHRASE)
        chunk = os.urandom(1 << 20)
        files = 8
        per_file = max(1, args.size_mib // files)
        for n in range(files):
            path = tmp / f"video-{n}.bin"
            with open(path, "wb") as fh:
                for _ in range(per_file):
                    fh.write(chunk)
            v.add_file(path)
            path.unlink()
        v.lock()
        total_mib = per_file * files
        out = tmp / "out"

        def child(mode: str) -> tuple[float, float]:
            run = subprocess.run([sys.executable, __file__, "--child", mode, str(vault_dir),
                                  str(out), str(key)], check=True, capture_output=True,
                                 text=True)
            took, rss = run.stdout.split()
            return float(took), float(rss)

        seal_s, seal_rss = child("seal")
        verify_s, verify_rss = child("verify")
        bundle = next(out.glob("*.zip.age"))
        tools = tmp / "tools"
        tools.mkdir()
        start = time.perf_counter()
        subprocess.run(["age", "-d", "-i", str(key), "-o", str(tools / "b.zip"), str(bundle)],
                       check=True)
        subprocess.run(["unzip", "-q", str(tools / "b.zip"), "-d", str(tools)], check=True)
        folder = next(p for p in tools.iterdir() if p.is_dir())
        subprocess.run(["sha256sum", "-c", "--quiet", "manifest-sha256.txt"], cwd=folder,
                       check=True)
        tools_s = time.perf_counter() - start
        print(f"bundle_mib={total_mib}")
        print(f"seal_mib_s={total_mib / seal_s:.1f}")
        print(f"verify_mib_s={total_mib / verify_s:.1f}")
        print(f"tools_mib_s={total_mib / tools_s:.1f}")
        print(f"verify_vs_tools={tools_s / verify_s:.2f}")
        print(f"seal_rss_growth_mib={seal_rss:.1f}")
        print(f"verify_rss_growth_mib={verify_rss:.1f}")


if __name__ == "__main__":
    main()
