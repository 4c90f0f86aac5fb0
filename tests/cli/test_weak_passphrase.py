"""Weak vault passphrases through the real command line: init, passwd and the recovery-key
reset refuse the common ones in one line; a weak one is asked about on a terminal, and a
script (environment, file) needs --accept-weak-passphrase to use it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from evidence_app.core.vault import HEADER_NAME
from evidence_app.passphrase_words import refusal_sentence
from tests.cli.util import assert_one_line_error, init_vault, ok
from tests.helpers import PASSPHRASE, run_cli

WEAK = "tiger-lamp"  # zxcvbn score 2: allowed only after a confirmation


@pytest.mark.parametrize("secret", ["12345678", "password", "Passwort", "        ",
                                    "qwertyui", "пароль123"])
def test_init_refuses_a_common_passphrase_in_one_line(tmp_path: Path, secret: str) -> None:
    vault = tmp_path / "vault"
    result = run_cli("--vault", str(vault), "init", "--no-timestamps",
                     "--accept-weak-passphrase", passphrase=secret)
    line = assert_one_line_error(result, "passphrase")
    # a fixed sentence that says why, never the passphrase itself
    reasons = ("common", "whitespace", "repeated", "sequence")
    assert line.removeprefix("error: ") in {refusal_sentence(r) for r in reasons}
    assert not (vault / HEADER_NAME).exists()


def test_init_refuses_a_weak_passphrase_from_a_script(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    result = run_cli("--vault", str(vault), "init", "--no-timestamps", passphrase=WEAK)
    assert_one_line_error(result, "--accept-weak-passphrase")
    assert WEAK not in result.stderr + result.stdout
    assert not (vault / HEADER_NAME).exists()


def test_init_takes_a_weak_passphrase_with_the_flag(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    ok("--vault", str(vault), "init", "--no-timestamps", "--accept-weak-passphrase",
       passphrase=WEAK)
    ok("--vault", str(vault), "list", passphrase=WEAK)


def test_init_from_a_passphrase_file_is_checked_too(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Passwort\n", "utf-8")
    vault = tmp_path / "vault"
    result = run_cli("--vault", str(vault), "--passphrase-file", str(secret), "init",
                     "--no-timestamps", passphrase=None)
    assert_one_line_error(result, "common")
    assert not (vault / HEADER_NAME).exists()


def test_passwd_refuses_common_and_weak_and_keeps_the_old_passphrase(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    init_vault(vault)
    refused = run_cli("--vault", str(vault), "passwd",
                      env={"EVIDENCE_APP_NEW_PASSPHRASE": "Passwort"})
    assert_one_line_error(refused, "common")
    weak = run_cli("--vault", str(vault), "passwd", env={"EVIDENCE_APP_NEW_PASSPHRASE": WEAK})
    assert_one_line_error(weak, "--accept-weak-passphrase")
    ok("--vault", str(vault), "list")  # the old passphrase still opens it
    ok("--vault", str(vault), "passwd", "--accept-weak-passphrase",
       env={"EVIDENCE_APP_NEW_PASSPHRASE": WEAK})
    ok("--vault", str(vault), "list", passphrase=WEAK)


def test_recovery_reset_refuses_them_too(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    key = init_vault(vault)
    env = {"EVIDENCE_APP_RECOVERY_KEY": key}
    for secret, word in (("12345678", "row of keys"), (WEAK, "--accept-weak-passphrase")):
        result = run_cli("--vault", str(vault), "passwd", "--recovery", passphrase=None,
                         env={**env, "EVIDENCE_APP_NEW_PASSPHRASE": secret})
        assert_one_line_error(result, word)
    ok("--vault", str(vault), "list")
    ok("--vault", str(vault), "passwd", "--recovery", "--accept-weak-passphrase",
       passphrase=None, env={**env, "EVIDENCE_APP_NEW_PASSPHRASE": WEAK})
    ok("--vault", str(vault), "list", passphrase=WEAK)


def test_help_documents_the_flag() -> None:
    for command in ("init", "passwd"):
        shown = run_cli(command, "--help", passphrase=None)
        assert "--accept-weak-passphrase" in shown.stdout


# --- on a terminal ----------------------------------------------------------------------


def _terminal_init(vault: Path, typed: str, answer: str | None):
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k != "EVIDENCE_APP_PASSPHRASE"}
    child = pexpect.spawn(sys.executable, ["-m", "evidence_app", "--vault", str(vault),
                                           "init", "--no-timestamps"],
                          env=env, timeout=60, encoding="utf-8")
    child.expect("New passphrase: ")
    child.sendline(typed)
    child.expect("again: ")
    child.sendline(typed)
    if answer is not None:
        child.expect(r"Use it anyway\? \[y/N\] ")
        before = child.before
        child.sendline(answer)
    else:
        before = ""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, before + child.before


def test_terminal_asks_before_using_a_weak_passphrase(tmp_path: Path) -> None:
    no_vault = tmp_path / "declined"
    status, shown = _terminal_init(no_vault, WEAK, "")  # Enter: the default is No
    assert status != 0
    assert "easy to guess" in shown.lower()
    assert WEAK not in shown
    assert not (no_vault / HEADER_NAME).exists()
    vault = tmp_path / "accepted"
    status, shown = _terminal_init(vault, WEAK, "y")
    assert status == 0, shown
    assert (vault / HEADER_NAME).is_file()


def test_terminal_refuses_a_common_one_without_asking(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    status, shown = _terminal_init(vault, "password", None)
    assert status != 0
    assert "Use it anyway" not in shown
    assert "common" in shown
    assert not (vault / HEADER_NAME).exists()


def test_terminal_strong_passphrase_is_not_questioned(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    status, shown = _terminal_init(vault, PASSPHRASE, None)
    assert status == 0, shown
    assert "Use it anyway" not in shown
