"""What every local stand-in server shares: listen on 127.0.0.1, stop and start again on the
same port (so recorded URLs keep working), and close the port to play "down"."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any


class LocalServer:
    __test__ = False  # not a test class
    handler: type[BaseHTTPRequestHandler]

    def __init__(self) -> None:
        self.mode = "ok"
        self.requests = 0
        self.port = 0
        self.release = threading.Event()
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Listen (again) on the same port."""
        self.release.clear()
        server = HTTPServer(("127.0.0.1", self.port), self.handler)
        server.owner = self  # type: ignore[attr-defined]
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Close the port: clients then get 'connection refused', as with a server down."""
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
