"""HTTP/1.1 transport: one thread per connection, keep-alive, JSON-RPC over POST."""

from __future__ import annotations

import socket
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing the dispatcher pulls in py-evm, which takes seconds
    from .dispatch import Dispatcher

MAX_BODY_BYTES = 32 * 1024 * 1024


class RpcRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so clients can reuse connections
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    timeout = 300  # idle keep-alive connections end instead of holding a thread forever
    server_version = "aiplat-devchain"
    sys_version = ""

    def log_message(self, format, *args) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        # Quiet by design: a parent that never drains our pipes must not block us.
        pass

    def _send(self, status: HTTPStatus, body: bytes = b"", content_type: str = "application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            total = 0
            while True:
                size_line = self.rfile.readline(1024)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY_BYTES:
                    return None
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError(f"negative Content-Length {length}")
        if length > MAX_BODY_BYTES:
            return None
        return self.rfile.read(length)

    def do_POST(self) -> None:  # noqa: N802 - BaseHTTPRequestHandler's naming
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._send(HTTPStatus.BAD_REQUEST, b'{"error":"malformed request body framing"}')
            return
        if body is None:
            self.close_connection = True
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b'{"error":"request body too large"}')
            return
        response = self.server.dispatcher.handle_body(body)
        if response is None:
            self._send(HTTPStatus.NO_CONTENT)
        else:
            self._send(HTTPStatus.OK, response)

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        body = b'{"error":"send JSON-RPC requests with POST"}'
        self.send_header("Allow", "POST, OPTIONS")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self) -> None:  # noqa: N802 - CORS preflight from browser dApps
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Content-Length", "0")
        self.end_headers()


class RpcHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int]) -> None:
        """Binds and listens at once; connections wait in the backlog until `serve_forever`."""
        self.dispatcher: Dispatcher | None = None
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, RpcRequestHandler)

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up mid-request is routine; anything else is worth a traceback.
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    @property
    def bound_port(self) -> int:
        return self.server_address[1]
