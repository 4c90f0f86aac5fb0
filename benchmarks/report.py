"""report.pdf: what a seal spends on the report, small and large, against the version before
issue 17 (its report_pdf.py, taken from git, runs in the same process as the baseline).

For a report of 1 item and one of --items items, each with the real VERIFY.txt and the
case details, alternating baseline and current:
  before     the baseline module (fpdf2 reads every font for every document, and draws
             VERIFY.txt line by line through its line breaker)
  cold       the current module, as the first document of a process (fonts not read yet)
  warm       the current module afterwards (a receipt, the next seal in the same session)
Prints name=value lines with medians of this process's CPU time (rendering is one thread,
so other work on the machine does not blur it), and the ratios before/cold and before/warm; the
fixed part is the 1-item time, what grows with the case is large - small.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fastkdf"))
import fastkdf  # noqa: E402  (cheap Argon2, test-only code)

fastkdf.everywhere()
os.environ.setdefault("EVIDENCE_APP_LOG_DIR", tempfile.gettempdir())
os.environ.setdefault("EVIDENCE_APP_SYSTEM_FONTS", "0")  # the same fonts on every machine
BASELINE = "ac6f31b"  # main before issue 17
PASSPHRASE = "benchmark passphrase"


def baseline_module(commit: str) -> ModuleType:
    source = subprocess.run(["git", "-C", str(ROOT), "show",
                             f"{commit}:evidence_app/bundle/report_pdf.py"],
                            check=True, capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader("report_pdf_before", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, "report_pdf_before.py", "exec"), module.__dict__)  # noqa: S102
    return module


def report_data(folder: Path, items: int):  # -> ReportData
    from evidence_app.bundle.report_model import build_report_data
    from evidence_app.bundle.verify_text import verify_text
    from evidence_app.core.vault import Vault

    vault, _ = Vault.create(folder, PASSPHRASE)
    vault.update_case({"reference": "BENCH-1", "statement": "He wrote to me first. " * 20})
    for n in range(items):
        vault.add_bytes(f"message {n}\n".encode(), f"message-{n:04}.txt",
                        source={"type": "import", "path": f"/e/message-{n:04}.txt"},
                        note=f"received on day {n}")
    name = "BENCH-1_20261123T101502Z"
    sealed_at = "2026-11-23T10:15:02.000000Z"
    verify = verify_text(name=name, encrypted=True, passphrase_mode=False,
                         fingerprint=vault.fingerprint(), sealed_at=sealed_at)
    data = build_report_data(vault, list(vault.state.items.values()), bundle_name=name,
                             sealed_at=sealed_at, sealed_offset="+01:00", language="en",
                             extra={"verify_text": verify, "protection": "recipient",
                                    "recipient": "age1example", "hashes_checked": True})
    vault.lock()
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE, help="git commit of the baseline")
    args = parser.parse_args()
    from evidence_app.bundle import pdf_fonts, report_pdf
    from evidence_app.i18n import set_language

    set_language("en")
    before = baseline_module(args.baseline)
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        datasets = {"small": report_data(Path(tmp) / "small", 1),
                    "large": report_data(Path(tmp) / "large", args.items)}
    times: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for size, data in datasets.items():
            for label, render, forget in (("before", before.render_pdf_bytes, False),
                                          ("cold", report_pdf.render_pdf_bytes, True),
                                          ("warm", report_pdf.render_pdf_bytes, False)):
                if forget:
                    pdf_fonts.forget()
                start = time.process_time()  # CPU time: steady on a shared machine
                pdf = render(data)
                times.setdefault(f"{size}_{label}", []).append(time.process_time() - start)
                if label == "before":
                    reference = pdf
                else:
                    assert pdf == reference, "the report changed"
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"items_large={args.items}")
    for key, value in med.items():
        print(f"{key}_s={value:.3f}")
    for size in datasets:
        print(f"{size}_before_vs_cold={med[f'{size}_before'] / med[f'{size}_cold']:.2f}")
        print(f"{size}_before_vs_warm={med[f'{size}_before'] / med[f'{size}_warm']:.2f}")
    for label in ("before", "cold", "warm"):
        grows = med[f"large_{label}"] - med[f"small_{label}"]
        print(f"per_item_ms_{label}={grows / (args.items - 1) * 1000:.2f}")
    print("identical_pdf=yes (every current report equals the baseline's, byte for byte)")


if __name__ == "__main__":
    main()
