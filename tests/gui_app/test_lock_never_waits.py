"""Locking never waits on the window (issue 17): quick exit hides every window in well
under 200 ms while a seal or a 2 GiB add runs, the keys are dropped by the worker as soon
as it stops, and a seal stopped this way publishes nothing.

Attack: the offender walks in while the victim seals the case (the time-stamp authority
is slow to answer) or adds a long video. Before, quick exit waited up to 10 s per running
task and then for the vault lock with no limit, with the evidence still on screen.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from PySide6.QtWidgets import QApplication

from evidence_app.bundle import timestamps as bundle_stamps
from evidence_app.bundle.seal import Protection
from evidence_app.core.vault import Vault
from evidence_app.gui import workers
from evidence_app.workflows.seal import seal_case
from tests.gui_app.conftest import PASSPHRASE
from tests.gui_app.hide_clock import quick_exit_hide_time

pytestmark = pytest.mark.gui
HIDE_LIMIT = 0.2  # seconds


def _wait(predicate, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def slow_authority(unlocked, tmp_path, monkeypatch) -> threading.Event:
    """A vault with one photo, and a time-stamp authority that takes 3 s to answer the
    seal's request; the event is set once the seal is waiting on it."""
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(50_000))
    unlocked.session.vault.add_file(photo)
    asked = threading.Event()
    real = bundle_stamps.stamp_seal

    def slow(*args, **kwargs):
        asked.set()
        time.sleep(3)
        return real(*args, **kwargs)

    monkeypatch.setattr(bundle_stamps, "stamp_seal", slow)
    return asked


def test_quick_exit_during_a_seal_waiting_on_the_network(unlocked, qtbot, tmp_path,
                                                         slow_authority) -> None:
    session = unlocked.session
    vault = session.vault
    asked = slow_authority
    out = tmp_path / "out"
    done: list[object] = []
    session.run(seal_case, out, Protection.unencrypted(), on_done=done.append,
                on_error=done.append)
    assert _wait(asked.is_set, 20)

    hidden_after, returned = quick_exit_hide_time(unlocked)
    assert hidden_after < HIDE_LIMIT
    assert returned < 1.0  # it never waits for the work (3.4 s before, with the seal)
    assert not session.is_unlocked
    assert _wait(lambda: not vault.is_open, 20), "the worker kept the keys after it stopped"
    workers.wait_all(20_000)
    assert done == []  # the windows that asked are gone: nothing is called back
    assert not out.exists() or os.listdir(out) == []  # no bundle, no receipt, no temp file
    assert not any(r["type"] == "bundle_sealed" for r in Vault.open(
        vault.path, PASSPHRASE).records)


def test_quick_exit_during_a_2_gib_add(unlocked, qtbot, tmp_path) -> None:
    big = tmp_path / "video.mp4"
    with open(big, "wb") as fh:  # sparse: no disk used, still 2 GiB to hash and encrypt
        fh.truncate(2 << 30)
    main = unlocked.main
    vault = unlocked.session.vault
    seen: list[int] = []
    main.add_paths([big])
    main._task.signals.progress.connect(lambda d, _t, _m: seen.append(d))
    assert _wait(lambda: bool(seen) and seen[-1] > 0, 30)

    hidden_after, returned = quick_exit_hide_time(unlocked)
    assert hidden_after < HIDE_LIMIT
    assert returned < 1.0  # it never waits for the work (3.4 s before, with the seal)
    assert _wait(lambda: not vault.is_open, 30), "the worker kept the keys after it stopped"
    workers.wait_all(30_000)
    reopened = Vault.open(vault.path, PASSPHRASE)
    assert all(item.name != big.name for item in reopened.state.items.values())
    reopened.lock()


def test_idle_lock_during_a_seal_does_not_wait_either(unlocked, qtbot, tmp_path,
                                                      slow_authority) -> None:
    session = unlocked.session
    vault = session.vault
    asked = slow_authority
    session.run(seal_case, tmp_path / "out", Protection.unencrypted())
    assert _wait(asked.is_set, 20)
    start = time.perf_counter()
    unlocked._idle()
    assert time.perf_counter() - start < 1.0  # windows swapped, never waiting (3.4 s before)
    assert unlocked.main is None
    assert unlocked.start.isVisible()  # the unlock page, at once
    assert _wait(lambda: not vault.is_open, 20)
    workers.wait_all(20_000)
    assert not (tmp_path / "out").exists() or os.listdir(tmp_path / "out") == []
