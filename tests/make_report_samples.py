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
from evidence_app.chats.indicators import indicators_for_vault  # noqa: E402
from evidence_app.core.vault import Vault  # noqa: E402
from evidence_app.i18n import set_language  # noqa: E402
from tests.bundle import first_page_sample  # noqa: E402
from tests.bundle.test_report_ocr import reading  # noqa: E402
from tests.bundle.test_report_samples import INDICATORS, fill_case, report_data  # noqa: E402
from tests.helpers import PASSPHRASE  # noqa: E402

OUT = ROOT / "docs" / "report-samples"


def page(pdf: Path, number: int, name: str) -> None:
    stem = OUT / name
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(number), "-l", str(number),
                    "-singlefile", str(pdf), str(stem)], check=True)


# A chat screenshot with the words read in it (word boxes written as the engine gives them,
# so the sample does not depend on the engine's version): a wallet, a direction trick.
SCREENSHOT_LINES = ["Lisa  online", "Send 500 USDT to this wallet today:",
                    "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", "or pay invoice\u202egpj.exe",
                    "Call +44 7911 123456 or boss.lee@scam-example.com"]


def add_readings(vault: Vault, ids: dict[str, str]) -> None:
    """A screenshot with its words read, and words read in the sensitive picture (which
    the report does not print)."""
    from evidence_app.workflows.ocr import store_reading
    from tests.ocr.conftest import draw_lines

    shot = vault.add_bytes(draw_lines(SCREENSHOT_LINES), "chat-screenshot.png",
                           source={"type": "screenshot", "mode": "window"})
    store_reading(vault, shot, reading(SCREENSHOT_LINES))
    private = vault.item(ids["private"])
    store_reading(vault, private, reading(["a private caption"]))


def page_with(pdf: Path, text: str) -> int:
    """The number of the first page that holds `text`."""
    for number in range(1, 60):
        found = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf),
                                "-"], check=True, capture_output=True, text=True).stdout
        if text in found:
            return number
    raise LookupError(text)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    base = Path(_HOME)
    set_language("en")
    vault, _recovery = Vault.create(base / "vault", PASSPHRASE)
    try:
        add_readings(vault, fill_case(vault))
        read = [i for i in indicators_for_vault(vault)
                if any(s.get("kind") == "picture" for s in i["sources"])]
        data = report_data(vault, indicators=INDICATORS + read)
        pdf = render_pdf(data, base / "report.pdf")
        (OUT / "report.html").write_text(render_html(data), encoding="utf-8")
    finally:
        vault.lock()
    page(pdf, 1, "report-page-1")
    page(pdf, 3, "report-page-3")
    page(pdf, page_with(pdf, "Read by machine from the picture"), "report-page-words")
    page(pdf, page_with(pdf, "Where seen"), "report-page-indicators")
    sealed = first_page_sample.build(base / "first-page", "en")
    page(sealed.pdf, 1, "officer-page-1")
    page(sealed.pdf, 2, "officer-page-2")
    receipt = next((base / "first-page" / "out").glob("*.receipt.pdf"))
    page(receipt, 1, "receipt-page-1")
    print(f"report samples written to {OUT}")


if __name__ == "__main__":
    main()
