"""The archive bombs of issue 15 against `evidence-app verify` and `import-chat`.

    .venv/bin/python benchmarks/archive_bombs.py [--keep]

Builds each attack in a temp folder (valid zips: two ~4 GiB entries at ratio ~855 and
8,000 entries of 1 MiB, about 10 MB each; a million-entry central directory, honest or
behind a smaller count), runs the command a person would run in a subprocess with its own
TMPDIR, and prints name=value lines: wall time, peak RSS of that process, the most its temp
folder (and vault) grew while it ran, and what it said. The baseline, in the same run, is
`unzip -l` on the same file (it reads the central directory and nothing else: the least
any careful reader must do) and, for scale, `evidence-app --version` (start-up alone).
`vs_unzip` is our time / unzip's: below 1 means the refusal came before a full listing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fastkdf"))
import fastkdf  # noqa: E402  (cheap Argon2, test-only code)

from tests.security import zip_bombs as zb  # noqa: E402

fastkdf.everywhere()
PASSPHRASE = "benchmark passphrase"


def _bombs(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (archive, command)."""
    limit_count = 20_000 * 1024 // 47
    return {
        "bundle_two_4gib": (zb.two_huge_entries(folder / "two.zip"), "verify"),
        "bundle_8000x1mib": (zb.many_mebibytes(folder / "many.zip"), "verify"),
        "bundle_1m_entries": (zb.write_many_entries(folder / "1m.zip", 1_000_000), "verify"),
        "bundle_1m_said_1": (zb.write_many_entries(folder / "1m-1.zip", 1_000_000, 1),
                             "verify"),
        "bundle_435k_said_20k": (zb.write_many_entries(folder / "435k.zip", limit_count,
                                                       20_000), "verify"),
        "chat_two_4gib": (zb.whatsapp_export(folder / "chat-two.zip",
                                             zb.whatsapp_bombs("two_huge")), "import-chat"),
        "chat_8000x1mib": (zb.whatsapp_export(folder / "chat-many.zip",
                                              zb.whatsapp_bombs("many_mib")), "import-chat"),
        "chat_1m_entries": (folder / "1m.zip", "import-chat"),
    }


def _vault(folder: Path) -> Path:
    vault = folder / "vault"
    subprocess.run([sys.executable, "-m", "evidence_app", "--vault", str(vault), "init",
                    "--no-timestamps"], check=True, capture_output=True,
                   env={**_env(folder), "EVIDENCE_APP_PASSPHRASE": PASSPHRASE})
    return vault


def _env(folder: Path) -> dict[str, str]:
    temp = folder / "tmp"
    temp.mkdir(exist_ok=True)
    return {"TMPDIR": str(temp), "EVIDENCE_APP_PASSPHRASE": PASSPHRASE,
            "EVIDENCE_APP_LOG_DIR": str(folder / "logs"), "HOME": str(folder / "home")}


def _said(run: zb.Measured) -> str:
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    return (lines[-1][:110] if lines else f"exit {run.returncode}").replace(" ", "_")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=120,
                        help="stop a run after this many seconds (an unbounded one would "
                             "write 8 GiB)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="archive-bombs-"))
    try:
        env = _env(folder)
        (folder / "home").mkdir()
        vault = _vault(folder)
        start = zb.run_measured(["--version"], env=env)
        print(f"startup_s={start.seconds:.2f} startup_rss_mib={start.peak_rss / zb.MIB:.0f}")
        for name, (archive, command) in _bombs(folder).items():
            unzip = zb.run_measured([], command=["unzip", "-l", str(archive)],
                                    timeout=args.timeout)
            cli = ["verify", str(archive)] if command == "verify" else [
                "--vault", str(vault), "import-chat", str(archive), "--me", "-"]
            watch = [Path(env["TMPDIR"])] + ([vault] if command == "import-chat" else [])
            ours = zb.run_measured(cli, env=env, watch=watch, timeout=args.timeout)
            print(f"{name}: file_mb={archive.stat().st_size / 1e6:.1f} "
                  f"ours_s={ours.seconds:.2f} beyond_startup_s="
                  f"{ours.seconds - start.seconds:.2f} ours_rss_mib={ours.peak_rss / zb.MIB:.0f} "
                  f"ours_written_mb={ours.peak_written / 1e6:.1f} "
                  f"unzip_l_s={unzip.seconds:.2f} unzip_l_rss_mib={unzip.peak_rss / zb.MIB:.0f} "
                  f"vs_unzip={ours.seconds / max(unzip.seconds, 1e-3):.2f} "
                  f"timed_out={ours.returncode is None} said={_said(ours)}", flush=True)
    finally:
        if args.keep:
            print(f"kept={folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
