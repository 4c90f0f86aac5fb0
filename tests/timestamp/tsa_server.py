"""A tiny time-stamp authority on 127.0.0.1: `openssl ts -reply` behind http.server.

`mode` makes it misbehave on purpose: "ok", "wrong_nonce", "wrong_hash", "untrusted"
(signed by a CA the app does not trust), "expired" (TSA certificate expired), "http_error",
"garbage", "tampered" (a signed answer changed afterwards: its time moved by a second),
"hang" (answers only when released). `requests` counts every POST received, so
tests can prove that nothing was sent.
"""

from __future__ import annotations

import secrets
import subprocess
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from rfc3161_client import _rust as rfc3161_rust

from evidence_app.timestamp.tsp import build_request
from tests.timestamp.local_server import LocalServer
from tests.timestamp.pki import Pki


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep quiet
        return

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        owner = self.server.owner
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        owner.requests += 1
        owner.bodies.append(body)
        mode = owner.mode
        if mode == "hang":
            owner.release.wait(10)
            return
        if mode == "http_error":
            self.send_error(503, "busy")
            return
        if mode == "garbage":
            self._send(b"this is not a timestamp response")
            return
        reply = owner.reply(body, mode)
        owner.replies.append(reply)
        self._send(reply)

    def _send(self, data: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(HTTPServer):  # what the handler sees
    owner: TestTsa


class TestTsa(LocalServer):
    handler = _Handler

    def __init__(self, pki: Pki, work: Path) -> None:
        super().__init__()
        self.pki = pki
        self.work = work
        self.bodies: list[bytes] = []
        self.replies: list[bytes] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tsr"

    def reply(self, query: bytes, mode: str) -> bytes:
        """Sign with openssl; for the bad modes, sign an answer to a different question."""
        section = {"untrusted": "rogue", "expired": "expired"}.get(mode, "ok")
        if mode in ("wrong_nonce", "wrong_hash"):
            parsed = rfc3161_rust.parse_timestamp_request(query)
            digest = parsed.message_imprint.message
            nonce = parsed.nonce
            if mode == "wrong_hash":
                digest = bytes(b ^ 0xFF for b in digest)
            else:
                nonce = nonce + 1
            query = build_request(digest, nonce=nonce).der
        name = secrets.token_hex(6)
        query_file = self.work / f"{name}.tsq"
        reply_file = self.work / f"{name}.tsr"
        query_file.write_bytes(query)
        subprocess.run(["openssl", "ts", "-reply", "-config", str(self.pki.config),
                        "-section", section, "-queryfile", str(query_file),
                        "-out", str(reply_file)], check=True, capture_output=True)
        reply = reply_file.read_bytes()
        if mode == "tampered":
            at = reply.index(b"\x18\x0f") + 2 + 13  # last digit of genTime's seconds
            reply = reply[:at] + bytes([reply[at] ^ 1]) + reply[at + 1:]
        return reply
