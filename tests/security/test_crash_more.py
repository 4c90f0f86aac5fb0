"""Crash consistency beyond `add` (which tests/cli/test_crash.py covers): `note`,
`import-chat` and `seal` killed with SIGKILL at seeded random points.

After every kill: the vault opens (repairing and reporting what a crash left), the custody
log verifies, every object checks, no orphan or temp file remains in the vault, every
acknowledged note/import/bundle is there, no half item is visible (each item is whole and is
one of ours), and the bundle folder holds no partial bundle under a final name — only
`.tmp-*` files, which `verify` passes only when whole and named in the custody log. A
bundle under its final name must verify and must be in the custody log: the record is
written before the bundle takes its name.

As in test_crash.py, every fourth kill also leaves half a frame at the end of the journal,
as a power cut could, so the torn-tail path is exercised too.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from evidence_app.bundle import agefile
from evidence_app.bundle.verify import verify_bundle
from evidence_app.core.errors import EvidenceError
from evidence_app.core.vault import Vault, referenced_objects
from tests.cli.test_crash import _torn_frame
from tests.helpers import PASSPHRASE
from tests.security.kit import TELEGRAM, report

COMMANDS = ("note", "import-chat", "seal")


@dataclass
class Tally:
    kills: Counter = field(default_factory=Counter)
    acknowledged: Counter = field(default_factory=Counter)
    survived: int = 0  # kills after which every check passed
    torn_simulated: int = 0
    torn_seen: int = 0
    quarantined: int = 0
    partial_imports: int = 0  # import killed after some items: each item whole, no record
    temp_bundles: int = 0  # .tmp-* left by a killed seal, refused by verify
    complete_unrecorded: int = 0  # bundle under its final name the custody log lacks: never
    recorded_not_renamed: int = 0  # whole .tmp-* bundle: killed between record and rename

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            else:
                setattr(self, name, getattr(self, name) + value)


@dataclass
class Lane:
    folder: Path
    identity: str
    recipient: str
    sources: set[str]  # sha256 of every input a command could store
    notes: set[str] = field(default_factory=set)
    vault: Path | None = None
    partial: int = 0  # unfinished imports already counted in this lane's vault


def _start(vault: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, EVIDENCE_APP_PASSPHRASE=PASSPHRASE)
    return subprocess.Popen([sys.executable, "-m", "evidence_app", "--vault", str(vault), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _args(command: str, lane: Lane, n: int) -> list[str]:
    if command == "note":
        text = f"note {n} " + "ä" * (n % 7) * 300  # some large enough to span many writes
        lane.notes.add(text)
        return ["note", text]
    if command == "import-chat":
        return ["import-chat", "--format", "telegram", "--me", "-", str(TELEGRAM)]
    return ["seal", "--out", str(lane.folder / "out"), "--recipient", lane.recipient]


def _new_vault(lane: Lane, n: int) -> Path:
    """A vault with a few items (so seal has work), made through the CLI like a person."""
    vault = lane.folder / f"vault{n}"
    for args in (["init", "--no-timestamps"],
                 ["add", str(lane.folder / "photo.png"), str(lane.folder / "a.bin")]):
        done = _start(vault, *args)
        _out, err = done.communicate(timeout=120)
        assert done.returncode == 0, err
    return vault


def _calibrate(folder: Path, lane: Lane) -> dict[str, float]:
    """How long each command takes uninterrupted here and now (seconds)."""
    lane.vault = _new_vault(lane, 0)
    started = time.monotonic()
    proc = _start(lane.vault, "list")
    proc.communicate(timeout=120)
    took = {"open": time.monotonic() - started}  # start-up and unlocking, before any work
    for command in COMMANDS:
        started = time.monotonic()
        proc = _start(lane.vault, *_args(command, lane, 0))
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        took[command] = time.monotonic() - started
    for path in (lane.folder / "out").iterdir():  # sealed into the calibration vault
        path.rename(lane.folder / f"calibration-{path.name}")
    return took


def _check_vault(vault: Path, lane: Lane, acked: dict[str, str], tally: Tally) -> None:
    with Vault.open(vault, PASSPHRASE) as v:
        kinds = {n.kind for n in v.notices}
        tally.torn_seen += "torn_tail" in kinds
        tally.quarantined += "quarantined" in kinds
        v.verify_log()
        bad = [r for r in v.check() if not r.ok]
        assert not bad, bad
        assert v.store is not None
        assert v.store.all_ids() == referenced_objects(v.records), "orphan objects remain"
        for note in v.state.notes.values():
            assert note.text in lane.notes, "a note that was never written (half a note?)"
        for item in v.state.items.values():
            if item.kind == "original":
                assert item.sha256 in lane.sources, f"item {item.id} is not one of ours"
        if "note" in acked:
            assert acked["note"] in {n.text for n in v.state.notes.values()}
        imports = sum(r["type"] == "chat_imported" for r in v.records)
        started = sum(i.source.get("type") == "chat_export" for i in v.state.items.values())
        tally.partial_imports += started - imports - lane.partial
        lane.partial = started - imports
        sealed = {r["data"]["name"]: r["data"]["sha256"] for r in v.records
                  if r["type"] == "bundle_sealed"}
    assert not list(vault.rglob(".tmp-*")), "temporary files were left in the vault"
    _check_bundles(lane, sealed, acked, tally)


def _check_bundles(lane: Lane, sealed: dict[str, str], acked: dict[str, str],
                   tally: Tally) -> None:
    out = lane.folder / "out"
    if "seal" in acked:
        assert acked["seal"] in sealed
    for path in sorted(out.iterdir()) if out.is_dir() else []:
        if path.name.startswith(".tmp-"):
            # What a kill mid-write leaves: never mistaken for a bundle. Whole only when the
            # kill came after the sealing was recorded and before the rename: then it is
            # exactly the bundle the custody log names.
            tally.temp_bundles += 1
            work = lane.folder / "verify-tmp"
            try:
                result = verify_bundle(path, work, identities_text=lane.identity)
                if result.ok:
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                    assert digest in sealed.values(), f"{path.name} passed verify unrecorded"
                    tally.recorded_not_renamed += 1
            except EvidenceError:
                pass
            finally:
                import shutil

                shutil.rmtree(work, ignore_errors=True)
            path.unlink()
        elif path.name.endswith(".zip.age"):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if path.name not in sealed:
                tally.complete_unrecorded += 1
            else:
                assert sealed[path.name] == digest, "a recorded bundle changed"
            result = verify_bundle(path, lane.folder / "verify", identities_text=lane.identity)
            assert result.ok, [c for c in result.checks if not c.ok]
            import shutil

            shutil.rmtree(lane.folder / "verify")
            path.rename(lane.folder / f"kept-{path.name}")  # out/ stays for the next seal
        else:
            assert ".receipt." in path.name, path.name
            path.unlink()


def _lane(lane: Lane, kills: int, rng: random.Random, took: dict[str, float],
          vault_every: int) -> Tally:
    tally = Tally()
    for n in range(kills):
        if n % vault_every == 0:
            lane.vault = _new_vault(lane, n + 1)
            lane.partial = 0
        assert lane.vault is not None
        command = COMMANDS[n % len(COMMANDS)]
        proc = _start(lane.vault, *_args(command, lane, n + 1))
        # From just before the vault is open to just after the command would have ended.
        time.sleep(rng.uniform(took["open"] * 0.8, took[command] * 1.05))
        proc.send_signal(signal.SIGKILL)
        stdout, _err = proc.communicate(timeout=60)
        tally.kills[command] += 1
        acked = {}
        if command == "note" and "added." in stdout:
            acked["note"] = _args("note", lane, n + 1)[1]
        if command == "import-chat" and stdout.startswith("Imported"):
            acked["import-chat"] = "yes"
        if command == "seal" and "Bundle sealed:" in stdout:
            acked["seal"] = Path(stdout.split("Bundle sealed: ", 1)[1].split("\n")[0]).name
        tally.acknowledged.update(acked.keys())
        if n % 4 == 3:
            with open(lane.vault / "journal", "ab") as fh:
                fh.write(_torn_frame(rng))
            tally.torn_simulated += 1
        _check_vault(lane.vault, lane, acked, tally)
        tally.survived += 1
    return tally


def run_kills(tmp: Path, kills: int, seed: int, lanes: int = 2, vault_every: int = 6) -> Tally:
    from PIL import Image

    rng = random.Random(seed)
    made = []
    for i in range(lanes):
        folder = tmp / f"lane{i}"
        folder.mkdir()
        Image.new("RGB", (300, 200), (i * 50, 90, 160)).save(folder / "photo.png")
        (folder / "a.bin").write_bytes(rng.randbytes(600_000))
        key = agefile.X25519PrivateKey.generate()
        sources = {hashlib.sha256(p.read_bytes()).hexdigest()
                   for p in (folder / "photo.png", folder / "a.bin", TELEGRAM)}
        made.append(Lane(folder, agefile.identity_string(key),
                         agefile.recipient_string(key.public_key()), sources))
    took = _calibrate(tmp, made[0])
    shares = [kills // lanes + (1 if i < kills % lanes else 0) for i in range(lanes)]
    with ThreadPoolExecutor(lanes) as pool:
        parts = list(pool.map(lambda i: _lane(made[i], shares[i], random.Random(seed + i),
                                              took, vault_every), range(lanes)))
    total = Tally()
    for part in parts:
        total.add(part)
    return total


def _report(tally: Tally, capsys, name: str) -> None:
    report(name, capsys, trials=sum(tally.kills.values()), kills=dict(tally.kills),
           survived=tally.survived, torn_tails_seen=tally.torn_seen,
           torn_simulated=tally.torn_simulated, quarantined=tally.quarantined,
           acknowledged=dict(tally.acknowledged), partial_imports=tally.partial_imports,
           temp_bundles_refused=tally.temp_bundles,
           complete_unrecorded_bundles=tally.complete_unrecorded,
           recorded_not_renamed=tally.recorded_not_renamed)
    assert tally.survived == sum(tally.kills.values())
    assert tally.torn_seen >= tally.torn_simulated
    assert tally.complete_unrecorded == 0, "a bundle exists that the custody log does not know"


def test_sigkill_note_import_seal(tmp_path, capsys):
    _report(run_kills(tmp_path, kills=30, seed=31), capsys, "crash note/import-chat/seal")


@pytest.mark.slow
def test_sigkill_note_import_seal_many(tmp_path, capsys):
    """With tests/cli/test_crash.py's 200 `add` kills: 400 kills across the four commands."""
    _report(run_kills(tmp_path, kills=200, seed=2027, vault_every=12), capsys,
            "crash note/import-chat/seal (slow)")
