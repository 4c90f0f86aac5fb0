"""The BUILT app makes bundle passphrases from the shipped word list (resources/wordlist must
be in the PyInstaller build) and opens them again, also when typed as heard."""

from __future__ import annotations

from pathlib import Path

from evidence_app.bundle import passwords
from tests.dist.test_frozen import EXE, clean_env, pytestmark, run  # noqa: F401
from tests.helpers import PASSPHRASE


def test_built_app_seals_with_list_words_and_opens_them_as_heard(tmp_path: Path) -> None:
    env = {**clean_env(tmp_path / "home"), "EVIDENCE_APP_PASSPHRASE": PASSPHRASE}
    vault = ["--vault", str(tmp_path / "vault")]
    evidence = tmp_path / "note.txt"
    evidence.write_text("Message from the offender.\n", "utf-8")
    out = tmp_path / "sealed"
    for args in (["init", "--no-timestamps"], ["add", str(evidence)],
                 ["seal", "--out", str(out), "--passphrase"]):
        done = run(EXE, *vault, *args, env=env)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    words = done.stdout.split("Passphrase (shown only now")[1].splitlines()[1].split()
    assert len(words) == passwords.WORDS
    assert set(words) <= set(passwords.wordlist()), words

    heard = tmp_path / "heard.txt"  # capitals and a misspelling after the fourth letter
    heard.write_text(" ".join([words[0].upper() + "s", *words[1:]]) + "\n", "utf-8")
    checked = run(EXE, "verify", str(next(out.glob("*.zip.age"))), "--passphrase-file",
                  str(heard), env=env)
    assert checked.returncode == 0, (checked.stdout, checked.stderr)
    assert "VERIFIED" in checked.stdout
