"""A vault with many small images: time to show the unlocked main window's list, to scroll
through it, and the peak RSS. Baseline in the same run: a bare QListView over the same
number of plain strings (what Qt itself costs), so the ratio says what the app adds.

Prints name=value lines: items, open_s, list_shown_s, scroll_s, baseline_shown_s,
list_vs_baseline, peak_rss_mb. Targets: list shown < 1 s after unlock, RSS < 250 MB.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fastkdf"))
import fastkdf  # noqa: E402  (cheap Argon2, test-only code)

fastkdf.everywhere()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PASSPHRASE = "benchmark passphrase"


def build_vault(path: Path, count: int) -> None:
    """Set-up only, not measured: durability is switched off (no fsync) to build quickly."""
    from unittest import mock

    from PIL import Image

    from evidence_app.core.vault import Vault

    with mock.patch("os.fsync"):
        _build(path, count, Image, Vault)


def _build(path: Path, count: int, Image, Vault) -> None:  # noqa: N803 - modules passed in
    vault, _ = Vault.create(path, PASSPHRASE)
    for n in range(count):
        buf = io.BytesIO()
        Image.new("RGB", (64, 48), ((n * 7) % 256, (n * 13) % 256, (n * 29) % 256)).save(
            buf, "PNG")
        vault.add_bytes(buf.getvalue(), f"screenshot-{n:05d}.png", source={"type": "bench"})
        if n and n % 1000 == 0:
            print(f"  built {n} items", file=sys.stderr, flush=True)
    vault.lock()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--vault", help="reuse a vault built earlier (its folder)")
    args = parser.parse_args()
    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QApplication, QListView

    from evidence_app.core.vault import Vault
    from evidence_app.gui.main_window import MainWindow
    from evidence_app.gui.session import Session
    from evidence_app.settings import Settings

    tmp = tempfile.TemporaryDirectory(prefix="bench-gui-")
    path = Path(args.vault) if args.vault else Path(tmp.name) / "vault"
    if not (path / "vault.json").exists():
        build_vault(path, args.items)
    app = QApplication([])

    start = time.perf_counter()
    plain = QListView()
    plain.setUniformItemSizes(True)
    plain.setModel(QStringListModel([f"{n}. screenshot-{n:05d}.png" for n in range(args.items)]))
    plain.resize(1100, 720)
    plain.show()
    app.processEvents()
    baseline = time.perf_counter() - start
    plain.close()

    start = time.perf_counter()
    vault = Vault.open(path, PASSPHRASE)
    opened = time.perf_counter() - start
    session = Session(Settings())
    session.vault = vault
    start = time.perf_counter()
    window = MainWindow(session)
    window.show()
    app.processEvents()
    window.list.viewport().repaint()
    shown = time.perf_counter() - start
    count = window.model.rowCount()

    start = time.perf_counter()
    bar = window.list.verticalScrollBar()
    step = max(1, bar.pageStep())
    value = 0
    while value < bar.maximum():
        value += step
        bar.setValue(value)
        app.processEvents()
        window.list.viewport().repaint()
    scrolled = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"items={count}")
    print(f"open_s={opened:.3f}")
    print(f"list_shown_s={shown:.3f}")
    print(f"scroll_s={scrolled:.3f}")
    print(f"baseline_shown_s={baseline:.3f}")
    print(f"list_vs_baseline={shown / baseline:.2f}")
    print(f"peak_rss_mb={rss:.0f}")
    vault.lock()
    tmp.cleanup()


if __name__ == "__main__":
    main()
