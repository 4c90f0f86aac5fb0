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
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from rfc3161_client import _rust as rfc3161_rust

from evidence_app.timestamp.tsp import build_request
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


class _Server(HTTPServer):
    owner: TestTsa


class TestTsa:
    __test__ = False  # not a test class

    def __init__(self, pki: Pki, work: Path) -> None:
        self.pki = pki
        self.work = work
        self.mode = "ok"
        self.requests = 0
        self.bodies: list[bytes] = []
        self.replies: list[bytes] = []
        self.port = 0
        self.release = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tsr"

    def start(self) -> None:
        """Listen (again) on the same port, so a vault's recorded URL keeps working."""
        self.release.clear()
        server = _Server(("127.0.0.1", self.port), _Handler)
        server.owner = self
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Close the port: clients then get 'connection refused', as with a TSA that is down."""
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)

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
