"""A sealed bundle carries chat transcripts, indicators and trusted timestamps that an officer
checks with `openssl ts -verify` and `evidence-app verify`."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from evidence_app.bundle.seal import Protection, seal
from evidence_app.chats.importer import import_chat
from evidence_app.timestamp import enable
from tests.helpers import run_cli

CHAT = Path(__file__).parents[1] / "assets/chats/whatsapp/android_en_12h" / \
    "WhatsApp Chat with Sam Fiction.txt"


def test_bundle_has_chats_indicators_and_timestamps(vault, tsa, tsa_pki, tmp_path) -> None:
    enable(vault, tsa.url, extra_roots_pem=tsa_pki.root_pem.read_text(), ots=False)
    from evidence_app.timestamp import flush_queue

    photo = tmp_path / "proof.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"jpeg-ish" * 100)
    vault.add_file(photo)
    import_chat(vault, CHAT, me="Alex Example")
    flush_queue(vault)
    result = seal(vault, tmp_path / "out", Protection.unencrypted())

    with zipfile.ZipFile(result.bundle_path) as zf:
        zf.extractall(tmp_path / "x")
    bag = tmp_path / "x" / result.name
    chats = sorted(p.name for p in (bag / "data/chats").iterdir())
    assert any(name.endswith(".html") for name in chats)
    indicators = json.loads((bag / "data/metadata/indicators.json").read_text())
    values = {(i["type"], i["value"]) for i in indicators}
    assert ("phone", "+447400123456") in values
    assert any(v == "TB1xckqdicjJW3VQqMb6qD3W5LwHniAV9r" for _t, v in values)
    assert "Send 500 USDT" in (bag / "data/report/report.html").read_text()

    tokens = sorted((bag / "timestamps").glob("*.tsr"))
    manifest = (bag / "manifest-sha256.txt").read_text()
    tagmanifest = (bag / "tagmanifest-sha256.txt").read_text()
    item_tokens = [p for p in tokens if not p.name.startswith("seal-")]
    assert [p.name for p in tokens if p.name.startswith("seal-")] == ["seal-1.tsr"]
    for token in item_tokens:  # named by what they prove, covered by the signature
        assert f"timestamps/{token.name}" in tagmanifest
    assert any(p.name.split("-")[0] in manifest for p in item_tokens)

    roots = ["--tsa-ca", str(tsa_pki.root_pem)]
    check = run_cli("verify", str(result.bundle_path), *roots, passphrase=None)
    assert check.returncode == 0, check.stdout
    assert "time confirmed by" in check.stdout
    assert "OK      Trusted timestamps" in check.stdout
    untrusted = run_cli("verify", str(result.bundle_path), passphrase=None)
    assert untrusted.returncode == 4, untrusted.stdout  # the test root is not shipped

    # A token that no longer matches its file is named.
    token = item_tokens[0]
    data = bytearray(token.read_bytes())
    data[len(data) // 2] ^= 1
    token.write_bytes(bytes(data))
    rezipped = tmp_path / "tampered.zip"
    with zipfile.ZipFile(rezipped, "w") as zf:
        for path in sorted(bag.rglob("*")):
            if path.is_file():
                zf.write(path, f"{bag.name}/{path.relative_to(bag)}")
    bad = run_cli("verify", str(rezipped), *roots, passphrase=None)
    assert bad.returncode == 3
    assert f"timestamps/{token.name}" in bad.stdout
