"""Each test gets its own HOME, data, config and log folders, and a fast (test-only) KDF."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, run_cli

sys.path.insert(0, str(Path(__file__).parent / "fastkdf"))
import fastkdf  # noqa: E402

fastkdf.everywhere()  # cheap Argon2 here and in every CLI subprocess (test-only code)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("EVIDENCE_APP_LOG_DIR", str(home / "logs"))
    monkeypatch.delenv("EVIDENCE_APP_VAULT", raising=False)
    monkeypatch.delenv("EVIDENCE_APP_PASSPHRASE", raising=False)
    monkeypatch.delenv("EVIDENCE_APP_LANG", raising=False)
    monkeypatch.setenv("LANGUAGE", "en")
    # No test reaches the internet: the app's HTTP (time-stamp authorities, OpenTimestamps
    # calendars) goes through urllib, which then asks a closed local port instead, in this
    # process and in every CLI subprocess; the test servers on 127.0.0.1 are reached directly.
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    # Reading the words in pictures is on by default and runs the real engine on every
    # picture added; most tests add pictures for other reasons, so it is turned off in their
    # settings, as a person can in Settings. The tests about reading turn it back on.
    from evidence_app import APP_ID
    from evidence_app.i18n import set_language

    config = home / ".config" / APP_ID
    config.mkdir(parents=True)
    (config / "settings.json").write_text('{"read_pictures": false}', "utf-8")
    set_language("en")
    return home


@pytest.fixture
def vault(tmp_path: Path):
    """A fresh open vault (core API); locked again after the test."""
    from evidence_app.core.vault import Vault

    v, _recovery = Vault.create(tmp_path / "vault", PASSPHRASE)
    yield v
    if v.is_open:
        v.lock()


@pytest.fixture
def cli():
    return run_cli
