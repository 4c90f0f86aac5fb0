"""Adding a file through the window against the same limit as benchmarks/ingest.py.

The real app (controller, start window, unlock page, main window) runs offscreen in this
process; the vault is unlocked through the unlock page as a person would. Each round
measures the references (see ingest_refs.py) and then MainWindow.add_paths([file]), timed
from the call until the window's task has finished and the item is in the vault (the
window's own worker thread, progress signals and list refresh included). No start-up to
subtract: the window was already open. Peak RSS growth: VmHWM after the add minus VmRSS
before it, the peak reset first (/proc/self/clear_refs).
Prints name=value lines: gui_add_vs_limit (goal >= 0.85), gui_add_vs_sha256sum_age
(goal >= 1.5), gui_add_rss_growth_mib (goal < 64 MiB for a 2 GiB file).
"""

from __future__ import annotations

import argparse
import os
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

PASSPHRASE = "benchmark ingest through the window 7319"


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def open_window(vault_dir: Path):  # noqa: ANN201 - Qt types are imported late
    """The app as a person meets it: start window, unlock page, passphrase, main window."""
    from PySide6.QtWidgets import QApplication

    from evidence_app.core.vault import Vault
    from evidence_app.gui.app import AppController
    from evidence_app.gui.start_window import PAGE_UNLOCK
    from evidence_app.settings import Settings

    app = QApplication.instance() or QApplication([])
    vault, _key = Vault.create(vault_dir, PASSPHRASE)
    vault.lock()
    controller = AppController(app, Settings(language="en", vault_path=str(vault_dir)))
    controller.show()
    controller.start.refresh_unlock_page()
    controller.start.show_page(PAGE_UNLOCK)
    controller.start.unlock_field.setText(PASSPHRASE)
    controller.start.unlock_button.click()
    wait_until(app, lambda: controller.main is not None and controller.main.isVisible(), 60)
    return app, controller


def wait_until(app, done, timeout_s: float) -> None:  # noqa: ANN001
    """Run the event loop, as the app does when a person waits, until `done()`; it is
    checked every 5 ms (a timer), the window idle in between."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    end = time.monotonic() + timeout_s
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: loop.quit() if done() or time.monotonic() > end else None)
    timer.start()
    if not done():
        loop.exec()
    timer.stop()
    if not done():
        raise SystemExit("the window did not finish in time")


def gui_add(app, controller, src: Path) -> tuple[float, int]:  # noqa: ANN001
    """(seconds, peak RSS growth in KiB) of adding `src` through the main window."""
    session = controller.session
    before_items = len(session.vault.state.items)
    read_through(src)
    settle()
    rss_before = _status_kib("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current size
    start = time.perf_counter()
    controller.main.add_paths([src])
    wait_until(app, lambda: not session.busy and len(session.vault.state.items) > before_items,
               600)
    took = time.perf_counter() - start
    growth = _status_kib("VmHWM") - rss_before
    newest = max(session.vault.state.items.values(), key=lambda item: int(item.id))
    if newest.sha256 != expected_sha256(src):
        raise SystemExit("the vault recorded a wrong SHA-256")
    return took, growth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_size_arguments(parser)
    parser.add_argument("--dir", help="where the test files and the vault go (default: a "
                                      "temp folder; choose one on the disk to measure)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    use_fast_kdf()
    with tempfile.TemporaryDirectory(prefix="ingest-gui-bench-", dir=args.dir) as tmp:
        work = Path(tmp)
        private_env(work)
        src = work / "input.bin"
        make_file(src, args.size_mib)
        app, controller = open_window(work / "vault")
        try:
            refs = References(src, work, args.repeat)
            times: list[float] = []
            growth: list[int] = []
            for _round in range(refs.repeat):
                refs.measure_once()
                took, grew = gui_add(app, controller, src)
                times.append(took)
                growth.append(grew)
            lines = reference_lines(refs) + project_lines(refs, times, "gui_add")
            lines.append(f"gui_add_rss_growth_mib={max(growth) / 1024:.1f}  "
                         f"(file of {args.size_mib} MiB; worst run)")
            print("\n".join(lines), flush=True)
            src.unlink()
            if args.rss_size_mib:
                big = work / "rss-input.bin"
                make_file(big, args.rss_size_mib)
                took, grew = gui_add(app, controller, big)
                print(f"gui_add_{args.rss_size_mib}_mib_s={args.rss_size_mib / took:.0f}\n"
                      f"gui_add_rss_growth_mib={grew / 1024:.1f}  "
                      f"(file of {args.rss_size_mib} MiB; goal < 64)", flush=True)
        finally:
            from evidence_app.gui import workers

            workers.wait_all()
            if controller.session.is_unlocked:
                controller.session.lock("user")


if __name__ == "__main__":
    main()
