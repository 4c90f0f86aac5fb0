"""Report samples for docs/report-samples/, made with the fonts the app ships only.

Two fictional cases, both through the real code: the sample case of the report tests
(hostile file names, a statement in many scripts, a sensitive item) rendered as PDF and HTML,
and the first-page case (two WhatsApp chats, a payment in the victim's words, the victim's
own contact) sealed for real, with its receipt. Pages are rendered with `pdftoppm -r 80`.

    .venv/bin/python tests/make_report_samples.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fastkdf"))
import fastkdf  # noqa: E402  (cheap Argon2, test-only code)

fastkdf.everywhere()
_HOME = tempfile.mkdtemp(prefix="evidence-samples-")
os.environ["HOME"] = _HOME
os.environ["EVIDENCE_APP_SYSTEM_FONTS"] = "0"  # the shipped fonts alone

from evidence_app.bundle.report_html import render_html  # noqa: E402
from evidence_app.bundle.report_pdf import render_pdf  # noqa: E402
from evidence_app.core.vault import Vault  # noqa: E402
from evidence_app.i18n import set_language  # noqa: E402
from tests.bundle import first_page_sample  # noqa: E402
from tests.bundle.test_report_samples import fill_case, report_data  # noqa: E402
from tests.helpers import PASSPHRASE  # noqa: E402

OUT = ROOT / "docs" / "report-samples"


def page(pdf: Path, number: int, name: str) -> None:
    stem = OUT / name
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(number), "-l", str(number),
                    "-singlefile", str(pdf), str(stem)], check=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    base = Path(_HOME)
    set_language("en")
    vault, _recovery = Vault.create(base / "vault", PASSPHRASE)
    try:
        fill_case(vault)
        data = report_data(vault)
        pdf = render_pdf(data, base / "report.pdf")
        (OUT / "report.html").write_text(render_html(data), encoding="utf-8")
    finally:
        vault.lock()
    page(pdf, 1, "report-page-1")
    page(pdf, 3, "report-page-3")
    sealed = first_page_sample.build(base / "first-page", "en")
    page(sealed.pdf, 1, "officer-page-1")
    page(sealed.pdf, 2, "officer-page-2")
    receipt = next((base / "first-page" / "out").glob("*.receipt.pdf"))
    page(receipt, 1, "receipt-page-1")
    print(f"report samples written to {OUT}")


if __name__ == "__main__":
    main()
