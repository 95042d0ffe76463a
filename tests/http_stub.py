"""A provider's HTTP API as a test scripts it, on a real socket in the test process.

The providers send over their own kept-alive connections
(``gateway.providers.keepalive``), which ``responses`` cannot see; so a test
starts a :class:`StubServer` on 127.0.0.1, points the provider at its
:attr:`~StubServer.url`, and tells it how to answer each method and path.
Requests arrive as the provider really sent them (its headers, its encoding,
its kept-alive connections), and each is recorded.

A callback answers ``(status, headers, body)``; one that raises gets no answer
at all: the server drops the connection, which the provider sees as a network
failure. ``tls`` serves HTTPS with the given context; ``hang_up_after_answer``
closes each connection once its answer is written, without saying so in the
answer, as a provider's idle timeout closes a kept-alive connection.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

Answer = tuple[int, dict[str, str], str]


@dataclass(frozen=True)
class Request:
    """One request as the server read it."""

    method: str
    url: str
    """Absolute: the server's own address, then the path and query asked for."""
    headers: dict[str, str]
    """By lower-case name."""
    body: str
    client_port: int
    """The client's end of the connection: one port, one connection."""
    query: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "query", dict(parse_qsl(urlsplit(self.url).query)))


Callback = Callable[[Request], Answer]


class StubServer:
    """A real HTTP/1.1 server that answers each (method, path) as it was told."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.calls: list[Request] = []
        self.hang_up_after_answer = False
        self._routes: dict[tuple[str, str], Callback] = {}
        self._lock = threading.Lock()
        self._scheme = "https" if tls else "http"
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        if tls:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._server.daemon_threads = True
        self._server.block_on_close = False  # a kept-alive client may hold its connection
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host}:{port}"

    def add_callback(self, method: str, path: str, callback: Callback) -> None:
        self._routes[(method, path)] = callback

    def add(
        self, method: str, path: str, status: int = 200, body: str = "", **headers: str
    ) -> None:
        """The same answer to every request to ``path``; ``headers`` with ``_`` for ``-``."""
        answer = {name.replace("_", "-"): value for name, value in headers.items()}
        self.add_callback(method, path, lambda _request: (status, answer, body))

    def __enter__(self) -> StubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def _answer(self, request: Request) -> Answer | None:
        with self._lock:
            self.calls.append(request)
        callback = self._routes.get((request.method, urlsplit(request.url).path))
        if callback is None:
            return 404, {"Content-Type": "text/plain"}, "no such route"
        try:
            return callback(request)
        except Exception:  # the script says: no answer
            return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms ACK wait

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length", 0))
                request = Request(
                    method=method,
                    url=stub.url + self.path,
                    headers={name.lower(): value for name, value in self.headers.items()},
                    body=self.rfile.read(length).decode("utf-8", "replace"),
                    client_port=self.client_address[1],
                )
                answer = stub._answer(request)
                if answer is None:
                    self.close_connection = True
                    return
                status, headers, body = answer
                payload = body.encode()
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    if stub.hang_up_after_answer:
                        self.close_connection = True
                except OSError:
                    self.close_connection = True  # the client gave up waiting

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the test reads the records, not a request log."""

        return Handler
