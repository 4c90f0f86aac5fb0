"""Peak memory and time of `import-chat` on big and hostile JSON exports.

    .venv/bin/python benchmarks/chat_memory.py [--size-mb 500] [--bad-mb 100]

Generates, in a temporary folder, a Telegram Desktop single-chat result.json of about
--size-mb (realistic messages: text, some with entity lists and links, replies, edits,
photos named but not included, service lines) and a --bad-mb file of `[{},{},...]` (and
the same `{},` inside a Telegram-shaped document, which the importer cannot refuse by its
shape). Each runs through the real command line (`import-chat`, into a fresh vault) in a
subprocess; its peak RSS comes from os.wait4 (it includes Argon2's 256 MiB while the vault
is opened). Baselines in the same run, each in its own subprocess: `json.load` of the same
file (what the importer did before) and, when ijson is installed, ijson alone iterating
the messages. Prints name=value lines and the ratios.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "correct horse battery staple"
NAMES = [("Alex Example", "user5550101"), ("Sam Fiction", "user5550202")]
WORDS = ("send the money today please invest now profit guaranteed trust me wallet bonus "
         "double account verify photo call later hello ok sure why not transfer usdt "
         "binance fee withdraw tomorrow my friend honey").split()


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 24)))


def _entities(rng: random.Random) -> tuple[str, str]:
    """A text that is a list of pieces (what Telegram writes when a message has links)."""
    a, b = _text(rng), _text(rng)
    link = f"https://example-invest{rng.randint(1, 99)}.test/r/{rng.randint(1000, 99999)}"
    pieces = (f'[\n    "{a} ",\n    {{\n     "type": "link",\n     "text": "{link}"\n    }},'
              f'\n    " {b}"\n   ]')
    ents = (f'[\n    {{\n     "type": "plain",\n     "text": "{a} "\n    }},\n    {{\n'
            f'     "type": "link",\n     "text": "{link}"\n    }},\n    {{\n'
            f'     "type": "plain",\n     "text": " {b}"\n    }}\n   ]')
    return pieces, ents


def generate_telegram(path: Path, size: int, seed: int = 15) -> int:
    """A result.json of about `size` bytes, as Telegram Desktop writes it; returns the
    number of messages."""
    rng = random.Random(seed)
    stamp = 1_672_531_200
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{\n "name": "Alex Example",\n "type": "personal_chat",\n "id": 5550101,\n'
                 ' "messages": [\n')
        while fh.tell() < size:
            count += 1
            stamp += rng.randint(5, 600)
            date = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(stamp + 7200))
            head = (f'  {{\n   "id": {count},\n   "type": "%s",\n   "date": "{date}",\n'
                    f'   "date_unixtime": "{stamp}",\n')
            if count > 1:
                fh.write(",\n")
            roll = rng.random()
            if roll < 0.01:
                fh.write(head % "service" + '   "actor": "Sam Fiction",\n   "actor_id": '
                         '"user5550202",\n   "action": "phone_call",\n   '
                         '"duration_seconds": 61,\n   "text": "",\n   "text_entities": []\n  }')
                continue
            name, uid = rng.choice(NAMES)
            fh.write(head % "message" + f'   "from": "{name}",\n   "from_id": "{uid}",\n')
            if roll < 0.05:
                fh.write(f'   "edited": "{date}",\n   "edited_unixtime": "{stamp + 60}",\n')
            if roll < 0.10 and count > 2:
                fh.write(f'   "reply_to_message_id": {count - rng.randint(1, 2)},\n')
            if 0.10 <= roll < 0.14:
                fh.write('   "photo": "(File not included. Change data exporting settings '
                         'to download.)",\n   "width": 1280,\n   "height": 960,\n')
            if roll > 0.85:
                pieces, ents = _entities(rng)
                fh.write(f'   "text": {pieces},\n   "text_entities": {ents}\n  }}')
            else:
                text = _text(rng)
                fh.write(f'   "text": "{text}",\n   "text_entities": [\n    {{\n     "type": '
                         f'"plain",\n     "text": "{text}"\n    }}\n   ]\n  }}')
        fh.write("\n ]\n}\n")
    return count


def generate_empty_objects(path: Path, size: int, shape: str) -> None:
    """`[{},{},...]` ("list"), or the same list as a Telegram chat's messages ("telegram")."""
    block = b"{}," * 65536
    with open(path, "wb") as fh:
        fh.write(b'{"name": "x", "type": "personal_chat", "id": 1, "messages": ['
                 if shape == "telegram" else b"[")
        while fh.tell() < size:
            fh.write(block)
        fh.write(b"{}]}" if shape == "telegram" else b"{}]")


def run(argv: list[str], env: dict[str, str] | None = None) -> tuple[int, float, float, str]:
    """Run a subprocess; (exit code, seconds, peak RSS in MiB, last stderr line)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, cwd=ROOT)
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    lines = [x for x in err.splitlines() if x.strip()]
    return proc.returncode, seconds, usage.ru_maxrss / 1024, lines[-1] if lines else ""


def cli_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"EVIDENCE_APP_PASSPHRASE": PASSPHRASE, "HOME": str(home),
                "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"),
                "EVIDENCE_APP_LOG_DIR": str(home / "logs"), "LANGUAGE": "en"})
    return env


def import_chat(tmp: Path, export: Path, tag: str) -> tuple[int, float, float, str]:
    vault = tmp / f"vault-{tag}"
    env = cli_env(tmp / f"home-{tag}")
    py = sys.executable
    done = run([py, "-m", "evidence_app", "--vault", str(vault), "init", "--no-timestamps"],
               env)
    if done[0] != 0:
        raise SystemExit(f"init failed: {done[3]}")
    return run([py, "-m", "evidence_app", "--vault", str(vault), "import-chat", str(export),
                "--me", "Sam Fiction"], env)


JSON_LOAD = "import json, sys; json.load(open(sys.argv[1], 'rb'))"
IJSON_ITER = ("import ijson, sys\n"
              "n = sum(1 for _ in ijson.items(open(sys.argv[1], 'rb'), 'messages.item'))\n")


def report(name: str, result: tuple[int, float, float, str]) -> None:
    code, seconds, rss, last = result
    print(f"{name}_exit={code}")
    print(f"{name}_seconds={seconds:.1f}")
    print(f"{name}_peak_rss_mib={rss:.0f}")
    if code != 0 and last:
        print(f"{name}_message={last}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=500,
                        help="size of the generated Telegram export (MB)")
    parser.add_argument("--bad-mb", type=float, default=100,
                        help="size of the generated `{},` files (MB)")
    parser.add_argument("--skip-json-load", action="store_true",
                        help="skip the json.load baselines (they need several GB)")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="chat-memory-") as folder:
        tmp = Path(folder)
        export = tmp / "ChatExport" / "result.json"
        export.parent.mkdir()
        count = generate_telegram(export, int(args.size_mb * 1_000_000))
        size_mb = export.stat().st_size / 1_000_000
        print(f"telegram_file_mb={size_mb:.0f}")
        print(f"telegram_messages={count}")
        ours = import_chat(tmp, export, "telegram")
        report("import_telegram", ours)
        if importlib.util.find_spec("ijson") is not None:  # optional: not a dependency
            ijson_alone = run([py, "-c", IJSON_ITER, str(export)])
            report("baseline_ijson_telegram", ijson_alone)
            print(f"import_vs_ijson_rss={ours[2] / ijson_alone[2]:.2f}")
            print(f"import_vs_ijson_time={ours[1] / ijson_alone[1]:.2f}")
        if not args.skip_json_load:
            loaded = run([py, "-c", JSON_LOAD, str(export)])
            report("baseline_json_load_telegram", loaded)
            print(f"import_vs_json_load_rss={ours[2] / loaded[2]:.2f}")
            print(f"import_vs_json_load_time={ours[1] / loaded[1]:.2f}")
        export.unlink()
        for shape in ("list", "telegram"):
            bad = tmp / f"empty-objects-{shape}.json"
            generate_empty_objects(bad, int(args.bad_mb * 1_000_000), shape)
            print(f"{shape}_bad_file_mb={bad.stat().st_size / 1_000_000:.0f}")
            ours = import_chat(tmp, bad, f"bad-{shape}")
            report(f"import_bad_{shape}", ours)
            if not args.skip_json_load:
                loaded = run([py, "-c", JSON_LOAD, str(bad)])
                report(f"baseline_json_load_bad_{shape}", loaded)
                print(f"import_vs_json_load_bad_{shape}_rss={ours[2] / loaded[2]:.2f}")
            bad.unlink()


if __name__ == "__main__":
    main()
