"""The in-app reader: time to open a big chat transcript, and memory for a huge text file.

    .venv/bin/python benchmarks/reader.py [--messages 100000] [--text-mb 1024]

Chat: a WhatsApp export of --messages messages is imported (set-up, not measured); then
`open_chat_s` is the time from pressing "Read…" to the first page of bubbles laid out in
the real window, `search_s` a first search through every message, `search_again_s` a
second one (the first keeps each batch's searchable text, compressed). Baseline in the same run:
`load_transcript` (the whole JSON document parsed into messages, what a reader without
paging would need), `baseline_load_s`.

Text: a --text-mb log file is added to a vault (set-up); each measurement runs in its own
subprocess and reports its peak RSS (VmHWM): `reader_rss_mb` opens it as the reader
does, reads the first, middle and last page and searches the last 16 pages; the baseline
`whole_rss_mb` reads the item whole into memory (what a reader without byte ranges needs).
A Python with only the vault open is `idle_rss_mb`. Prints name=value lines and ratios.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fastkdf"))
import fastkdf  # noqa: E402  (cheap Argon2, test-only code: keeps its 256 MiB out of RSS)

fastkdf.everywhere()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PASSPHRASE = "benchmark passphrase"
WORDS = ("send the money today please invest now profit guaranteed trust me wallet bonus "
         "double account verify photo call later hello ok sure why not transfer").split()


def _chat(folder: Path, count: int) -> Path:
    folder.mkdir()
    rng = random.Random(7)
    with open(folder / "WhatsApp Chat with Sam.txt", "w", encoding="utf-8") as fh:
        for n in range(count):
            who = "Anna" if n % 3 == 0 else "Sam"
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 24)))
            fh.write(f"03/04/2026, {n // 60 % 24:02d}:{n % 60:02d} - {who}: {text}\n")
    return folder


def bench_chat(count: int, tmp: Path) -> None:
    from unittest import mock

    from PySide6.QtWidgets import QApplication

    from evidence_app.chats.importer import import_chat, load_transcript
    from evidence_app.core.vault import Vault
    from evidence_app.gui import workers
    from evidence_app.gui.detail_pane import DetailPane
    from evidence_app.gui.session import Session
    from evidence_app.settings import Settings

    app = QApplication.instance() or QApplication([])
    with mock.patch("os.fsync"):
        vault, _key = Vault.create(tmp / "chat-vault", PASSPHRASE)
        result = import_chat(vault, _chat(tmp / "export", count), me="Anna")
    session = Session(Settings(language="en"))
    session.vault = vault
    pane = DetailPane(session)
    pane.show()
    pane.show_item(vault.item(result.original_ids[0]))
    start = time.perf_counter()
    pane.open_reader()
    reader = pane.reader
    while reader.pane is None:
        app.processEvents()
        time.sleep(0.001)
    reader.pane.view.doItemsLayout()  # the page's bubbles measured and laid out
    app.processEvents()
    open_s = time.perf_counter() - start
    start = time.perf_counter()
    hits = reader.pane.rows.search("guaranteed trust")
    search_s = time.perf_counter() - start
    start = time.perf_counter()
    reader.pane.rows.search("profit")
    search_again_s = time.perf_counter() - start
    start = time.perf_counter()
    conv = load_transcript(vault, result.transcript_ids[0])
    baseline_s = time.perf_counter() - start
    print(f"messages={len(conv.messages)}")
    print(f"open_chat_s={open_s:.3f}")
    print(f"search_s={search_s:.3f} hits={len(hits)}")
    print(f"search_again_s={search_again_s:.3f}")
    print(f"baseline_load_s={baseline_s:.3f}")
    print(f"open_vs_baseline={open_s / baseline_s:.2f}")
    reader.close()
    workers.wait_all()
    vault.lock()


def _child(mode: str, vault_path: str, item_id: str) -> None:
    from evidence_app.core.vault import Vault
    from evidence_app.gui.reader_text import SAMPLE_BYTES, FilePages, detect_encoding, find_page

    vault = Vault.open(Path(vault_path), PASSPHRASE)
    item = vault.item(item_id)
    start = time.perf_counter()
    if mode == "reader":
        def read(offset: int, length: int) -> bytes:
            return vault.read_item_range(item_id, offset, length)

        pages = FilePages(item.size, detect_encoding(read(0, SAMPLE_BYTES)))
        first = pages.read(read, 0)
        opened = time.perf_counter() - start
        pages.read(read, pages.count // 2)
        pages.read(read, pages.count - 1)
        found = find_page(pages, read, "NEEDLE-AT-THE-END", max(0, pages.count - 16))
        print(f"pages={pages.count} first_page_chars={len(first)} found_page={found} "
              f"open_s={opened:.3f}")
    elif mode == "whole":
        data = bytearray()
        for view in vault.iter_item(item_id):
            data += view
        print(f"whole_bytes={len(data)}")
    print(f"seconds={time.perf_counter() - start:.3f}")
    print(f"peak_rss_mb={_peak_rss_mb():.0f}")


def _peak_rss_mb() -> float:
    """This process's own peak RSS: VmHWM (ru_maxrss would include the parent's peak, which
    a child started by fork or vfork inherits across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_text(size_mb: int, tmp: Path) -> None:
    from unittest import mock

    from evidence_app.core.vault import Vault

    path = tmp / "server.log"
    line = b"2026-03-04 10:00:00 login from 203.0.113.7 user=anna ok\n"
    with open(path, "wb") as fh:
        block = line * ((1 << 20) // len(line) + 1)
        for _ in range(size_mb):
            fh.write(block[: 1 << 20])
        fh.write(b"NEEDLE-AT-THE-END\n")
    with mock.patch("os.fsync"):
        vault, _key = Vault.create(tmp / "text-vault", PASSPHRASE)
        item = vault.add_file(path)
    vault.lock()
    path.unlink()
    results = {}
    for mode in ("idle", "reader", "whole"):
        out = subprocess.run([sys.executable, __file__, "--child", mode, str(tmp / "text-vault"),
                              item.id], capture_output=True, text=True, check=True).stdout
        print(f"[{mode}] " + " ".join(out.split()))
        results[mode] = float(out.rsplit("peak_rss_mb=", 1)[1].split()[0])
    print(f"text_mb={size_mb}")
    print(f"idle_rss_mb={results['idle']:.0f}")
    print(f"reader_rss_mb={results['reader']:.0f}")
    print(f"whole_rss_mb={results['whole']:.0f}")
    print(f"reader_vs_whole={results['reader'] / results['whole']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--text-mb", type=int, default=1024)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as folder:
        if args.messages:
            bench_chat(args.messages, Path(folder))
        if args.text_mb:
            bench_text(args.text_mb, Path(folder))


if __name__ == "__main__":
    main()
