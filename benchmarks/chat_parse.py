"""WhatsApp parsing speed against whatstk and chat-miner, on the same generated file.

    .venv/bin/python benchmarks/chat_parse.py [--messages 100000]

Generates an Android-style export (multi-line messages, media, deleted and edited
markers, system lines), parses it with ours (best of 3), then with each peer that can be
installed (pip, into this environment, for the benchmark only: they are not project
dependencies). Prints name=value lines. Message counts are compared on what each tool
counts: the peers keep only messages with a sender, so ours is compared without system
lines (chat-miner skips them; whatstk's header needs a "Name:" so it folds each system
line into the message before it).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evidence_app.chats.whatsapp import parse_whatsapp  # noqa: E402

NAMES = ["Sam Fiction", "Alex Example", "Kim Erfunden", "Lee Invented", "Pat Sample"]
WORDS = ("send the money today please invest now profit guaranteed trust me wallet "
         "bonus double account verify photo call later hello ok sure why not").split()
PEERS = {"whatstk": "whatstk", "chatminer": "chat-miner"}


def generate(path: Path, count: int, seed: int = 6) -> int:
    """Write `count` messages; returns how many of them are system lines."""
    rng = random.Random(seed)
    minute = 0
    system = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for i in range(count):
            minute += rng.randint(0, 3)
            day, rest = divmod(minute, 24 * 60)
            month, dom = divmod(day % 336, 28)
            stamp = f"{dom + 1:02d}/{month + 1:02d}/{2020 + day // 336}, " \
                    f"{rest // 60:02d}:{rest % 60:02d} - "
            roll = rng.random()
            if i == 0 or roll < 0.02:
                fh.write(stamp + f"{rng.choice(NAMES)} added {rng.choice(NAMES)}\n")
                system += 1
                continue
            name = rng.choice(NAMES)
            if roll < 0.07:
                body = "<Media omitted>"
            elif roll < 0.09:
                body = "This message was deleted"
            elif roll < 0.11:
                body = " ".join(rng.choices(WORDS, k=5)) + " <This message was edited>"
            elif roll < 0.21:
                body = "\n".join(" ".join(rng.choices(WORDS, k=rng.randint(2, 9)))
                                 for _ in range(rng.randint(2, 4)))
            else:
                body = " ".join(rng.choices(WORDS, k=rng.randint(1, 14)))
            fh.write(f"{stamp}{name}: {body}\n")
    return system


def ensure(module: str, package: str) -> bool:
    try:
        importlib.import_module(module)
        return True
    except ImportError:
        pass
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", package],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return False
    importlib.invalidate_caches()
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def run_whatstk(path: Path) -> int:
    from whatstk.whatsapp.parser import df_from_whatsapp

    return len(df_from_whatsapp(str(path), hformat="%d/%m/%Y, %H:%M - %name:"))


def run_chatminer(path: Path) -> int:
    from chatminer.chatparsers import WhatsAppParser

    parser = WhatsAppParser(str(path))
    with contextlib.redirect_stderr(io.StringIO()):
        parser.parse_file()
    return len(parser.parsed_messages.get_df())


def timed(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    best = float("inf")
    result = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=100_000)
    args = ap.parse_args()
    os.environ.setdefault("TQDM_DISABLE", "1")
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "WhatsApp Chat with Sam Fiction.txt"
        system = generate(path, args.messages)

        def ours() -> int:
            with open(path, "rb") as fh:
                return len(parse_whatsapp(fh, source_name=path.name).messages)

        seconds, total = timed(ours, 3)
        with open(path, "rb") as fh:
            conv = parse_whatsapp(fh, source_name=path.name)
        counts = conv.counts()
        with_sender = counts["messages"] - counts["system_messages"] - counts["unparsed_lines"]
        rate = total / seconds
        print(f"file_bytes={path.stat().st_size}")
        print(f"whatsapp_messages={total}")
        print(f"whatsapp_system_messages={counts['system_messages']} (generated {system})")
        print(f"whatsapp_unparsed_lines={counts['unparsed_lines']}")
        print(f"whatsapp_seconds={seconds:.3f}")
        print(f"whatsapp_msgs_per_s={rate:.0f}")
        print(f"target_under_2s={'yes' if seconds < 2 else 'no'}")
        peer_times: dict[str, float] = {}
        for name, package in PEERS.items():
            module = "whatstk" if name == "whatstk" else "chatminer"
            if not ensure(module, package):
                print(f"vs_{name}=missing ({package} could not be installed)")
                continue
            runner = run_whatstk if name == "whatstk" else run_chatminer
            peer_seconds, peer_count = timed(lambda r=runner: r(path), 1)
            peer_times[name] = peer_seconds
            print(f"{name}_seconds={peer_seconds:.3f}")
            print(f"vs_{name}={peer_seconds / seconds:.2f}")
            agree = "yes" if peer_count == with_sender else "no"
            print(f"{name}_messages={peer_count} ours_with_sender={with_sender} "
                  f"counts_agree={agree}")
        if peer_times:
            fastest = min(peer_times.values())
            print(f"vs_fastest_peer={fastest / seconds:.2f} "
                  f"target_2x={'yes' if fastest / seconds >= 2 else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
