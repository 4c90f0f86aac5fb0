"""A tiny OpenTimestamps calendar on 127.0.0.1: the library's own proofs behind http.server.

POST /digest answers as a real calendar does: the digest, a calendar-side nonce appended and
hashed, a time prefix and a suffix, then a PendingAttestation naming this server. GET
/timestamp/<hex> says 404 "Pending" until the test calls confirm(height); then it answers
with a path ending in a BitcoinBlockHeaderAttestation at that height (the merkle root is
whatever the operations compute: a stand-in, not a real block).

`mode` makes it misbehave on purpose: "ok", "garbage", "http_error", "hang" (answers only
when released). "down" is stop(): the port is closed, so clients get "connection refused".
`requests` counts every request received, so tests can prove that nothing was sent.
"""

from __future__ import annotations

import secrets
from http.server import BaseHTTPRequestHandler, HTTPServer

from opentimestamps.core.notary import BitcoinBlockHeaderAttestation, PendingAttestation
from opentimestamps.core.op import OpAppend, OpPrepend, OpSHA256
from opentimestamps.core.serialize import BytesSerializationContext
from opentimestamps.core.timestamp import Timestamp

from tests.timestamp.local_server import LocalServer

PENDING_TIME = bytes.fromhex("6553f100")  # the 4-byte time prefix real calendars add


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep quiet
        return

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        owner = self.server.owner
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        owner.requests += 1
        owner.posts.append(body)
        if self._misbehaved(owner.mode):
            return
        if self.path != "/digest" or not 20 <= len(body) <= 64:
            self.send_error(400, "bad digest")
            return
        self._send(owner.pending(body))

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        owner = self.server.owner
        owner.requests += 1
        owner.gets.append(self.path)
        if self._misbehaved(owner.mode):
            return
        prefix = "/timestamp/"
        try:
            commitment = bytes.fromhex(self.path.removeprefix(prefix))
        except ValueError:
            commitment = b""
        if not self.path.startswith(prefix) or commitment not in owner.commitments:
            self.send_error(404, "Not found")
            return
        answer = owner.upgraded(commitment)
        if answer is None:
            self.send_error(404, "Pending confirmation in Bitcoin blockchain")
            return
        self._send(answer)

    def _misbehaved(self, mode: str) -> bool:
        if mode == "hang":
            self.server.owner.release.wait(10)
            return True
        if mode == "http_error":
            self.send_error(503, "busy")
            return True
        if mode == "garbage":
            self._send(b"this is not a timestamp")
            return True
        return False

    def _send(self, data: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(HTTPServer):  # what the handler sees
    owner: TestCalendar


def serialize(stamp: Timestamp) -> bytes:
    ctx = BytesSerializationContext()
    stamp.serialize(ctx)
    return ctx.getbytes()


class TestCalendar(LocalServer):
    handler = _Handler

    def __init__(self) -> None:
        super().__init__()
        self.posts: list[bytes] = []
        self.gets: list[str] = []
        self.commitments: set[bytes] = set()
        self.height: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def confirm(self, height: int) -> None:
        """From now on, every commitment this calendar gave out is 'in' block `height`."""
        self.height = height

    def pending(self, digest: bytes) -> bytes:
        """A real calendar's answer: nonce, hash, time prefix, suffix, PendingAttestation."""
        stamp = Timestamp(digest)
        tip = stamp.ops.add(OpAppend(secrets.token_bytes(16))).ops.add(OpSHA256())
        tip = tip.ops.add(OpPrepend(PENDING_TIME)).ops.add(OpAppend(secrets.token_bytes(8)))
        tip.attestations.add(PendingAttestation(self.url))
        self.commitments.add(tip.msg)
        return serialize(stamp)

    def upgraded(self, commitment: bytes) -> bytes | None:
        """The Bitcoin part for a commitment, shaped like one (transaction, double SHA-256)."""
        if self.height is None:
            return None
        stamp = Timestamp(commitment)
        tip = stamp.ops.add(OpSHA256())
        tip = tip.ops.add(OpPrepend(secrets.token_bytes(41)))
        tip = tip.ops.add(OpAppend(secrets.token_bytes(12))).ops.add(OpSHA256())
        tip = tip.ops.add(OpSHA256())
        tip = tip.ops.add(OpAppend(secrets.token_bytes(32))).ops.add(OpSHA256())
        tip.attestations.add(BitcoinBlockHeaderAttestation(self.height))
        return serialize(stamp)
