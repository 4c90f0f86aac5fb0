"""A damaged bundle checked against its receipt says that the file is not the one on the
receipt, not only that it could not be decrypted (the golden-fixture review found the
receipt comparison skipped when decryption failed)."""

from __future__ import annotations

from evidence_app.bundle import pin
from evidence_app.bundle.seal import Protection, seal
from evidence_app.verify_words import report_lines
from evidence_app.workflows.verify import verify


def test_damaged_bundle_is_said_not_to_match_its_receipt(vault, tmp_path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"x" * 20_000)
    vault.add_file(photo)
    result = seal(vault, tmp_path / "out", Protection.with_new_passphrase())
    data = bytearray(result.bundle_path.read_bytes())
    data[len(data) // 2] ^= 0x01
    result.bundle_path.write_bytes(bytes(data))
    receipt = next(p for p in result.receipt_paths if p.suffix == ".txt")

    report = verify(result.bundle_path, passphrase=result.passphrase,
                    expected=pin.from_receipt(receipt))
    assert not report.ok
    pinned = [c for c in report.checks if c.key == "pin_sha256"]
    assert [c.ok for c in pinned] == [False]
    assert any("does NOT match the receipt" in line for line in report_lines(report))
