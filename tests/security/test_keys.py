"""Keys: locking drops the key material the Vault object holds; the passphrase (and the
recovery key, and a bundle's passphrase) is never written to any file the app writes —
vault, settings, logs, temp, bundles, receipts — and the log holds no secrets even when a
command fails (EVIDENCE_APP_DEBUG unset).
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from evidence_app.core.journal import Journal
from evidence_app.core.objectstore import ObjectStore
from evidence_app.core.vault import Vault
from tests.cli.util import RECOVERY_KEY_RE
from tests.helpers import run_cli
from tests.security.kit import TELEGRAM

MARKER = "Zq7-marker-passphrase-Kx9"
NEW_MARKER = "Wv3-second-passphrase-Hb2"
SECRET_TYPES = (Ed25519PrivateKey, AESGCM, Journal, ObjectStore)


def _reachable(obj: object, depth: int = 3) -> list[object]:
    """Everything an object's attributes lead to, a few levels deep."""
    found, todo, seen = [], [(obj, 0)], set()
    while todo:
        current, level = todo.pop()
        if id(current) in seen or level > depth:
            continue
        seen.add(id(current))
        found.append(current)
        children: list[object] = []
        if isinstance(current, dict):
            children = [*current.keys(), *current.values()]
        elif isinstance(current, list | tuple | set):
            children = list(current)
        elif hasattr(current, "__dict__"):
            children = list(vars(current).values())
        todo += [(c, level + 1) for c in children]
    return found


def test_lock_drops_key_material(tmp_path):
    vault, _recovery = Vault.create(tmp_path / "v", MARKER)
    vault.add_bytes(b"evidence", "a.txt", source={"type": "test"})
    vault.change_passphrase(NEW_MARKER)  # two key epochs: both master keys are dropped
    masters = vault._masters
    assert masters is not None
    assert len(masters) == 2
    assert all(any(master) for master in masters)
    held = [o for o in _reachable(vault) if isinstance(o, SECRET_TYPES)]
    assert held, "the open vault should hold its keys (else this test proves nothing)"
    vault.lock()
    for master in masters:
        assert master == bytearray(len(master)), "a master key buffer was not zeroed"
    assert vault._masters is None
    assert vault._signer is None
    assert vault.store is None
    assert vault.journal is None
    assert not vault.state.items
    assert not vault.state.notes
    left = [type(o).__name__ for o in _reachable(vault) if isinstance(o, SECRET_TYPES)]
    assert left == [], f"still reachable after lock: {left}"
    secrets_left = [o for o in _reachable(vault)
                    if isinstance(o, bytes | bytearray) and len(o) == 32 and any(o)]
    assert secrets_left == [], "a 32-byte key is still held"


def _forms(secret: str) -> list[bytes]:
    raw = secret.encode()
    return [raw, secret.encode("utf-16-le"), secret.encode("utf-16-be"),
            base64.b64encode(raw), raw.hex().encode()]


def _files_holding(roots: list[Path], secrets: list[str]) -> list[str]:
    hits = []
    for root in roots:
        for path in [root, *root.rglob("*")] if root.exists() else []:
            if path.is_file():
                data = path.read_bytes()
                hits += [f"{path}: {s!r}" for s in secrets for f in _forms(s) if f in data]
            hits += [f"name {path}" for s in secrets if s in path.name]
    return hits


def test_no_secret_is_ever_written(tmp_path, isolated_env):
    home = isolated_env
    temp = tmp_path / "temp"
    temp.mkdir()
    vault, out = tmp_path / "vault", tmp_path / "out"
    env = {"TMPDIR": str(temp), "EVIDENCE_APP_NEW_PASSPHRASE": NEW_MARKER}
    env.pop("EVIDENCE_APP_DEBUG", None)
    os.environ.pop("EVIDENCE_APP_DEBUG", None)
    evidence = tmp_path / "evidence.txt"
    evidence.write_text("what he sent")
    init = run_cli("--vault", str(vault), "init", "--no-timestamps", passphrase=MARKER, env=env)
    assert init.returncode == 0, init.stderr
    recovery = RECOVERY_KEY_RE.findall(init.stdout)[0]
    steps = [
        ("add", str(evidence)), ("note", "1", "seen on Monday"),
        ("import-chat", "--format", "telegram", "--me", "-", str(TELEGRAM)),
        ("export", "1", "--out", str(tmp_path / "exported.txt")), ("check",),
        ("log", "--verify"), ("seal", "--out", str(out)),
    ]
    outputs = []
    for args in steps:
        done = run_cli("--vault", str(vault), *args, passphrase=MARKER, env=env)
        assert done.returncode == 0, (args, done.stderr)
        outputs.append(done.stdout)
    bundle_passphrase = outputs[-1].strip().splitlines()[-3].strip()
    assert len(bundle_passphrase.split()) >= 4, outputs[-1]
    passwd = run_cli("--vault", str(vault), "passwd", passphrase=MARKER, env=env)
    assert passwd.returncode == 0, passwd.stderr
    # Failing commands: a wrong passphrase (itself a secret), a weak new one, a bad bundle.
    failing = [
        run_cli("--vault", str(vault), "list", passphrase=MARKER + "x", env=env),
        run_cli("--vault", str(vault), "passwd", passphrase=NEW_MARKER,
                env={**env, "EVIDENCE_APP_NEW_PASSPHRASE": "Zq7"}),
        run_cli("verify", str(next(out.glob("*.zip.age"))), passphrase=None,
                env={**env, "EVIDENCE_APP_BUNDLE_PASSPHRASE": MARKER}),
    ]
    assert all(r.returncode != 0 for r in failing), [r.stderr for r in failing]
    secrets = [MARKER, MARKER + "x", NEW_MARKER, recovery, recovery.replace("-", ""),
               bundle_passphrase]
    hits = _files_holding([vault, out, temp, home, tmp_path / "exported.txt"], secrets)
    assert hits == [], hits
    assert list((home / "logs").rglob("*")), "no log file was written, so nothing was tested"


def test_unexpected_error_logs_no_message(tmp_path, isolated_env):
    """The last line of defence logs the exception's type and place, not its message (which
    may carry a passphrase or a file name)."""
    os.environ.pop("EVIDENCE_APP_DEBUG", None)
    script = (
        "import sys\n"
        "from evidence_app import cli\n"
        "from evidence_app.clicmd import vault_cmds\n"
        "def boom(args):\n"
        f"    raise RuntimeError('the passphrase is {MARKER}')\n"
        "vault_cmds.cmd_list = boom\n"
        "orig = vault_cmds.register\n"
        "def register(sub):\n"
        "    orig(sub)\n"
        "    sub.choices['list'].set_defaults(handler=boom)\n"
        "vault_cmds.register = register\n"
        "sys.exit(cli.main(['--vault', sys.argv[1], 'list']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "v")],
                          capture_output=True, text=True, env=dict(os.environ))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert MARKER not in done.stderr
    logs = list((isolated_env / "logs").rglob("*.log*"))
    text = "".join(p.read_text("utf-8", "replace") for p in logs)
    assert "RuntimeError" in text, "the failure should be logged (by type)"
    assert MARKER not in text


def test_library_log_lines_keep_no_content(tmp_path, isolated_env):
    """fontTools and fpdf2 log what they set (glyphs, characters): the report's content.
    Sealing a case whose note is in Thai and Arabic leaves none of it in the log."""
    os.environ.pop("EVIDENCE_APP_DEBUG", None)
    vault = tmp_path / "v"
    assert run_cli("--vault", str(vault), "init", "--no-timestamps").returncode == 0
    evidence = tmp_path / "threat.txt"
    evidence.write_text("pay or else")
    assert run_cli("--vault", str(vault), "add", str(evidence)).returncode == 0
    secret = "ฆ่าคุณถ้าไม่จ่าย سأنشر الصور"
    assert run_cli("--vault", str(vault), "note", "1", secret).returncode == 0
    sealed = run_cli("--vault", str(vault), "seal", "--out", str(tmp_path / "out"),
                     "--no-encryption")
    assert sealed.returncode == 0, sealed.stderr
    script = ("import logging, sys\n"
              "from evidence_app.logsetup import setup_logging\n"
              "setup_logging()\n"
              f"logging.getLogger('fontTools.subset').info('Glyph names: %s', {MARKER!r})\n"
              "logging.getLogger('evidence_app.x').info('our own line')\n")
    subprocess.run([sys.executable, "-c", script], check=True, env=dict(os.environ))
    text = "".join(p.read_text("utf-8", "replace")
                   for p in (isolated_env / "logs").rglob("*.log*"))
    assert "fontTools.subset" in text
    assert "our own line" in text
    assert MARKER not in text
    for word in secret.split():
        assert word not in text
    assert not any("\u0e00" <= ch <= "\u0e7f" or "\u0600" <= ch <= "\u06ff" for ch in text)
