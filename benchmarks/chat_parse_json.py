"""Parsing speed of the JSON chat formats: old Telegram Desktop exports and Meta's DYI.

    .venv/bin/python benchmarks/chat_parse_json.py [--messages 100000] [--rounds 3]

Generates, in a temporary folder, a Telegram Desktop single-chat result.json in the old
form (no `date_unixtime`, text as entity lists, `from_id` as a number, every message with
an `edited` date, a service message first) and a Messenger message_1.json of the same
number of messages (text written as Meta writes it: UTF-8 bytes escaped as Latin-1).
Each is read with `open_export` (ours: streaming, every message normalized) and, as the
baseline in the same run, with `json.load` and one pass that takes each message's sender,
time and text (what the simplest script does, holding the whole document). Interleaved
rounds, best of each. Prints name=value lines and the ratio ours/baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evidence_app.chats import open_export  # noqa: E402

NAMES = [("Crypto Mentor", 5550001), ("Robin Victim", 7770001)]
WORDS = ("send the money today please invest now profit guaranteed trust me wallet bonus "
         "double account verify photo call later hello ok sure why not transfer usdt "
         "später geld überweisen 💰 🚨").split()


def _words(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 20)))


def generate_telegram_old(path: Path, count: int, seed: int = 18) -> None:
    """A Telegram Desktop 2.1-era single chat (June 2020: JSON single-chat export, no
    date_unixtime, numeric from_id)."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{\n "name": "Crypto Mentor",\n "type": "personal_chat",\n "id": 5550001,\n'
                 ' "messages": [\n')
        fh.write(json.dumps({"id": 1, "type": "service", "date": "2020-06-20T18:02:11",
                             "actor": "Crypto Mentor", "actor_id": 5550001,
                             "action": "phone_call", "duration_seconds": 65, "text": ""},
                            indent=1))
        second = 1592676131
        for i in range(2, count + 1):
            second += rng.randint(1, 300)
            name, uid = rng.choice(NAMES)
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            if rng.random() < 0.2:
                text: object = [_words(rng) + " ", {"type": "text_link", "text": "here",
                                                    "href": f"https://pay.example/{i}"},
                                {"type": "bold", "text": " now"}]
            else:
                text = _words(rng)
            msg = {"id": i, "type": "message", "date": stamp, "edited": "1970-01-01T03:00:00",
                   "from": name, "from_id": uid, "text": text}
            fh.write(",\n" + json.dumps(msg, ensure_ascii=False, indent=1))
        fh.write("\n ]\n}\n")


def _mojibake(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def generate_messenger(path: Path, count: int, seed: int = 18) -> None:
    """A Messenger message_1.json (newest first, mojibake, thread_type as 2019-2022)."""
    rng = random.Random(seed)
    ms = 1_700_000_000_000 + count * 60_000
    messages = []
    for _i in range(count):
        ms -= rng.randint(1_000, 120_000)
        name = rng.choice(NAMES)[0]
        messages.append({"sender_name": name, "timestamp_ms": ms,
                         "content": _mojibake(_words(rng)), "type": "Generic",
                         "is_unsent": False})
    doc = {"participants": [{"name": n} for n, _uid in NAMES], "messages": messages,
           "title": "Crypto Mentor", "is_still_participant": True, "thread_type": "Regular",
           "thread_path": "inbox/cryptomentor_ab12cd34ef"}
    path.write_text(json.dumps(doc, indent=2), "utf-8")


def ours(path: Path) -> int:
    with open_export(path) as parsed:
        return sum(len(list(c.messages)) for c in parsed.conversations)


def baseline_telegram(path: Path) -> int:
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    out = []
    for m in doc["messages"]:
        text = m.get("text")
        if isinstance(text, list):
            text = "".join(p if isinstance(p, str) else p.get("text", "") for p in text)
        out.append((m.get("from"), m.get("date"), text))
    return len(out)


def baseline_meta(path: Path) -> int:
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    out = []
    for m in reversed(doc["messages"]):
        content = m.get("content", "")
        try:
            content = content.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        out.append((m.get("sender_name"), m.get("timestamp_ms"), content))
    return len(out)


def timed(fn: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    count = fn()
    return time.perf_counter() - start, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = {"telegram_old": (Path(tmp) / "result.json", generate_telegram_old,
                                  baseline_telegram),
                 "messenger": (Path(tmp) / "message_1.json", generate_messenger,
                               baseline_meta)}
        for name, (path, generate, baseline) in cases.items():
            generate(path, args.messages)
            best: dict[str, float] = {}
            counts: dict[str, int] = {}
            for _round in range(args.rounds):
                for label, fn in (("ours", lambda p=path: ours(p)),
                                  ("baseline", lambda p=path, b=baseline: b(p))):
                    seconds, counts[label] = timed(fn)
                    best[label] = min(best.get(label, seconds), seconds)
            print(f"{name}_file_bytes={path.stat().st_size}")
            print(f"{name}_messages={counts['ours']} (baseline {counts['baseline']})")
            print(f"{name}_ours_s={best['ours']:.3f}")
            print(f"{name}_baseline_json_load_s={best['baseline']:.3f}")
            print(f"{name}_ratio={best['ours'] / best['baseline']:.2f}")


if __name__ == "__main__":
    main()
