"""Sealing in a clear order (issue 17): the network before any output is open, receipts
before the bundle takes its name, and a stop or failure at the end leaves nothing behind."""

from __future__ import annotations

import os

import pytest

from evidence_app.bundle import seal as seal_mod
from evidence_app.bundle.seal import Protection, seal
from evidence_app.core import safefs
from evidence_app.core.errors import Cancelled, DiskFull
from evidence_app.timestamp import enable, flush_queue


@pytest.fixture
def stamped_vault(vault, tsa, tsa_pki, tmp_path):
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(), ots=False)
    photo = tmp_path / "proof.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(3000))
    vault.add_file(photo)
    flush_queue(vault)
    return vault


def _sealed_records(vault) -> int:
    """Bundles the custody log says were sealed and kept (a seal stopped after it was
    recorded is followed by a record that the bundle was not kept)."""
    kinds = [r["type"] for r in vault.records]
    assert kinds.count("bundle_sealed") >= kinds.count("bundle_discarded")
    return kinds.count("bundle_sealed") - kinds.count("bundle_discarded")


def _kept(vault) -> int:
    assert len(vault.state.seals) == _sealed_records(vault)
    return len(vault.state.seals)


def test_timestamp_authority_is_asked_before_any_output_exists(stamped_vault, tmp_path,
                                                               monkeypatch) -> None:
    out = tmp_path / "out"
    seen: list[list[str]] = []
    real = seal_mod.timestamps.stamp_seal

    def watching(vault, tagmanifest, name):
        seen.append(sorted(os.listdir(out)))
        return real(vault, tagmanifest, name)

    monkeypatch.setattr(seal_mod.timestamps, "stamp_seal", watching)
    result = seal(stamped_vault, out, Protection.unencrypted())
    assert seen == [[]], "a file was open in the output folder during the network call"
    assert result.bundle_path.exists()


def test_receipts_take_their_names_before_the_bundle(stamped_vault, tmp_path,
                                                     monkeypatch) -> None:
    order: list[str] = []
    real = safefs.StagedFile.publish

    def publish(self):
        order.append(self.final.name)
        return real(self)

    monkeypatch.setattr(safefs.StagedFile, "publish", publish)
    logged: list[list[str]] = []
    real_record = type(stamped_vault).record

    def record(self, kind, data, *a, **kw):
        if kind == "bundle_sealed":
            logged.append(sorted(os.listdir(tmp_path / "out")))
        return real_record(self, kind, data, *a, **kw)

    monkeypatch.setattr(type(stamped_vault), "record", record)
    result = seal(stamped_vault, tmp_path / "out", Protection.unencrypted())
    bundle = result.bundle_path.name
    assert order[-1] == bundle
    assert {f"{result.name}.receipt.txt", f"{result.name}.receipt.pdf"} <= set(order[:-1])
    # When the custody log records the bundle, nothing has a final name yet, and the
    # bundle is whole (no complete copy exists that the log does not name).
    assert logged
    assert all(n.startswith(safefs.TEMP_PREFIX) for n in logged[0])


def test_a_full_disk_at_the_receipts_leaves_no_bundle(stamped_vault, tmp_path,
                                                      monkeypatch) -> None:
    out = tmp_path / "out"

    def full(_info):
        raise DiskFull(out / "x.receipt.pdf")

    monkeypatch.setattr(seal_mod.receipt, "receipt_pdf_bytes", full)
    with pytest.raises(DiskFull):
        seal(stamped_vault, out, Protection.with_new_passphrase())
    assert os.listdir(out) == []
    assert _kept(stamped_vault) == 0
    assert stamped_vault.records[-1]["type"] == "bundle_discarded"  # said in the log too


@pytest.mark.parametrize("last_step", ["receipts", "custody log"])
def test_cancel_at_the_end_of_a_seal_publishes_nothing(stamped_vault, tmp_path,
                                                      last_step) -> None:
    out = tmp_path / "out"
    steps: list[str] = []

    def progress(_done: int, _total: int, label: str) -> None:
        steps.append(label)

    with pytest.raises(Cancelled):
        seal(stamped_vault, out, Protection.unencrypted(), progress=progress,
             cancel=lambda: bool(steps) and steps[-1] == last_step)
    assert os.listdir(out) == []
    assert _kept(stamped_vault) == 0


def test_quick_exit_sweep_removes_a_bundle_being_written(stamped_vault, tmp_path) -> None:
    """The quick exit removes outputs still being written (scratch.remove_all); the seal
    then publishes nothing even if its worker runs on."""
    from evidence_app.core import scratch

    out = tmp_path / "out"
    swept: list[int] = []

    def progress(_done: int, _total: int, label: str) -> None:
        if label == "receipts" and not swept:
            assert any(n.startswith(safefs.TEMP_PREFIX) for n in os.listdir(out))
            scratch.remove_all()
            swept.append(1)

    with pytest.raises(Cancelled):  # its bundle file is gone: nothing is recorded
        seal(stamped_vault, out, Protection.unencrypted(), progress=progress)
    assert swept
    assert os.listdir(out) == []
    assert _kept(stamped_vault) == 0
