"""The command line, as a person or a script runs it, against the local TSA."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run_cli


@pytest.fixture
def vault_dir(tmp_path):
    path = tmp_path / "vault"
    assert run_cli("--vault", str(path), "init", "--no-timestamps").returncode == 0
    return path


def add(vault_dir, tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return run_cli("--vault", str(vault_dir), "add", str(path))


def status(vault_dir) -> dict:
    result = run_cli("--vault", str(vault_dir), "timestamp", "--status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def enable(vault_dir, tsa, root) -> object:
    return run_cli("--vault", str(vault_dir), "timestamp", "--enable", "--tsa", tsa.url,
                   "--tsa-ca", str(root), "--no-ots")


def test_stamped_at_ingest_after_consent(vault_dir, tsa, tsa_pki, tmp_path):
    assert add(vault_dir, tmp_path, "before.png", b"before consent").returncode == 0
    assert tsa.requests == 0  # off by default: nothing left the computer
    assert status(vault_dir)["items"][0]["state"] == "off"
    result = enable(vault_dir, tsa, tsa_pki.root_pem)
    assert result.returncode == 0, result.stderr
    assert "never the evidence itself" in result.stdout
    assert "2 timestamps obtained" in result.stdout  # the item already there, the key
    result = add(vault_dir, tmp_path, "after.png", b"after consent")
    assert result.returncode == 0, result.stderr
    assert "1 timestamp obtained" in result.stdout
    items = status(vault_dir)["items"]
    assert [i["state"] for i in items] == ["stamped", "stamped"]
    assert all(i["tsa"] == "Test TSA" and i["time"] for i in items)
    text = run_cli("--vault", str(vault_dir), "timestamp", "--status").stdout
    assert "stamped by Test TSA at" in text
    log = run_cli("--vault", str(vault_dir), "log").stdout
    assert "Trusted timestamps turned on (authority: 127.0.0.1)" in log
    assert "Trusted timestamp from Test TSA obtained for item 2" in log


def test_queued_while_tsa_is_down_and_sent_later(vault_dir, tsa, tsa_pki, tmp_path):
    assert enable(vault_dir, tsa, tsa_pki.root_pem).returncode == 0
    tsa.stop()
    result = add(vault_dir, tmp_path, "chat.txt", b"messages")
    assert result.returncode == 0  # the evidence is safe; only the stamp waits
    assert "could not be reached" in result.stderr
    assert "1 waiting" in result.stderr
    assert run_cli("--vault", str(vault_dir), "note", "1", "sent at night").returncode == 0
    assert [i["state"] for i in status(vault_dir)["items"]] == ["waiting"]
    assert len(status(vault_dir)["records_waiting"]) == 1
    result = run_cli("--vault", str(vault_dir), "timestamp")
    assert result.returncode == 1
    assert "waiting: item 1" in result.stdout
    tsa.start()
    result = run_cli("--vault", str(vault_dir), "timestamp")
    assert result.returncode == 0, result.stderr
    assert "2 timestamps obtained" in result.stdout  # the item and the note
    assert "Nothing is waiting" in result.stdout
    assert [i["state"] for i in status(vault_dir)["items"]] == ["stamped"]
    assert status(vault_dir)["records_waiting"] == []


def test_disable_means_nothing_is_sent(vault_dir, tsa, tsa_pki, tmp_path):
    assert enable(vault_dir, tsa, tsa_pki.root_pem).returncode == 0
    sent = tsa.requests  # the vault's key, stamped when turned on
    assert run_cli("--vault", str(vault_dir), "timestamp", "--disable").returncode == 0
    assert add(vault_dir, tmp_path, "x.jpg", b"x").returncode == 0
    result = run_cli("--vault", str(vault_dir), "timestamp")
    assert result.returncode == 1
    assert "turned off" in result.stderr
    assert tsa.requests == sent
    assert status(vault_dir)["enabled"] is False


def test_untrusted_tsa_is_refused_with_one_sentence(vault_dir, tsa, tsa_pki, tmp_path):
    assert add(vault_dir, tmp_path, "x.jpg", b"x").returncode == 0
    result = enable(vault_dir, tsa, tsa_pki.rogue_root_pem)
    assert result.returncode == 1
    assert "does not lead to a trusted root" in result.stderr
    assert "Traceback" not in result.stderr
    assert status(vault_dir)["items"][0]["state"] == "waiting"


def test_bad_choices_are_explained(vault_dir, tmp_path):
    result = run_cli("--vault", str(vault_dir), "timestamp", "--enable", "--tsa", "freetsa")
    assert result.returncode == 1
    assert "--tsa-ca" in result.stderr
    result = run_cli("--vault", str(vault_dir), "timestamp", "--enable", "--tsa", "ftp://x")
    assert result.returncode == 1
    assert "http://" in result.stderr
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    result = run_cli("--vault", str(vault_dir), "timestamp", "--enable", "--tsa",
                     "http://127.0.0.1:9/", "--tsa-ca", str(junk))
    assert result.returncode == 1
    assert "no certificate" in result.stderr
    listing = run_cli("timestamp", "--list", passphrase=None)
    assert listing.returncode == 0
    assert "digicert" in listing.stdout


def test_init_turns_trusted_time_on_with_two_authorities(tmp_path):
    """The default: consent recorded for the default pair and OpenTimestamps, and said out
    loud. (Every HTTP request goes to a closed local port in tests: see tests/conftest.py,
    so the key's stamp waits, as it would offline.)"""
    path = tmp_path / "vault"
    result = run_cli("--vault", str(path), "init")
    assert result.returncode == 0, result.stderr
    assert "Trusted timestamps are on: DigiCert" in result.stdout
    assert "Sectigo" in result.stdout
    assert "timestamp --disable" in result.stdout
    assert "--no-timestamps" in result.stdout
    state = status(path)
    assert state["enabled"] is True
    assert [t["name"] for t in state["tsas"]] == ["DigiCert", "Sectigo"]
    assert state["opentimestamps"] is True
    assert state["records_waiting"] == [{"kind": "key"}]  # offline: it waits, nothing lost


def test_init_with_a_chosen_authority_stamps_the_key_at_once(tmp_path, tsa, tsa_pki):
    path = tmp_path / "vault"
    result = run_cli("--vault", str(path), "init", "--tsa", tsa.url, "--tsa-ca",
                     str(tsa_pki.root_pem), "--no-ots")
    assert result.returncode == 0, result.stderr
    assert "1 timestamp obtained" in result.stdout
    assert tsa.requests == 1
    assert status(path)["records_waiting"] == []
    off = run_cli("--vault", str(tmp_path / "v2"), "init", "--no-timestamps")
    assert "Trusted timestamps are off" in off.stdout
    assert status(tmp_path / "v2")["enabled"] is False
