"""Each use case reports what it did: done, skipped and why, failed and why, stop reason.
A stop keeps what was done before it; nothing is dropped silently."""

from __future__ import annotations

import os
from pathlib import Path

from evidence_app.workflows.add import add_files, plan_add
from evidence_app.workflows.capture import store_capture
from evidence_app.workflows.outcome import SkipReason, StopReason
from evidence_app.workflows.passwd import change_passphrase


def test_a_cancel_between_files_keeps_what_was_added(vault, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(name * 100)
    (tmp_path / "empty").mkdir()
    plan = plan_add([folder, tmp_path / "empty"], vault.path)
    outcome = add_files(vault, plan, cancel=lambda: len(vault.state.items) >= 1)
    assert outcome.stop is StopReason.CANCELLED
    assert [i.name for i in outcome.done] == ["a.txt"]
    assert sorted(i.name for i in vault.state.items.values()) == ["a.txt"]
    assert [s.reason for s in outcome.skipped] == [SkipReason.EMPTY_FOLDER]
    assert not outcome.ok


def test_every_file_is_done_or_failed_with_its_reason(vault, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe")
    (folder / "ok.txt").write_text("fine")
    (folder / "link").symlink_to(folder / "ok.txt")
    outcome = add_files(vault, plan_add([folder, tmp_path / "missing.jpg"], vault.path))
    assert [i.name for i in outcome.done] == ["ok.txt"]
    assert sorted(Path(f.name).name for f in outcome.failed) == ["missing.jpg", "pipe"]
    assert {type(f.error).__name__ for f in outcome.failed} == {"InputNotFound",
                                                                 "InputUnreadable"}
    assert outcome.links_skipped() == 1
    assert outcome.stop is None


def test_capture_is_kept_even_when_stopped_right_after(vault) -> None:
    outcome = store_capture(vault, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, name="shot.png",
                            source={"kind": "screenshot"}, cancel=lambda: True)
    assert [i.name for i in outcome.done] == ["shot.png"]  # only stamping is left for later
    assert outcome.done[0].id in vault.state.items


def test_passphrase_change_checks_the_current_one_first(vault) -> None:
    import pytest

    from evidence_app.core.errors import WrongPassphrase

    with pytest.raises(WrongPassphrase):
        change_passphrase(vault, "a new long passphrase 2026", current="not it at all")
    outcome = change_passphrase(vault, "a new long passphrase 2026")
    assert outcome.ok
    assert outcome.done == [None]
