"""Africa's Talking's SMS API as the real SDK sees it, for tests.

Two ways in: :class:`InterceptedApi` is a script for a
:class:`tests.http_stub.StubServer` that can also fail on demand;
:class:`FakeServer` is a server of its own that can hold a request open, for a
worker running as a subprocess. The SDK reaches either over a real socket
(``AT_API_URL``). Both answer like the real API and record every request, so
a test can count recipients.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from tests.http_stub import Answer, Request

MESSAGING_PATH = "/version1/messaging"
"""Where the SDK sends, under ``AT_API_URL``."""
JSON = {"Content-Type": "application/json"}


def answer(form: dict[str, str], refusals: dict[str, tuple[int, str]] | None = None) -> str:
    """The JSON body Africa's Talking sends back for a bulk send.

    ``refusals`` maps a number to the ``(statusCode, status)`` it gets instead
    of ``(101, "Success")``.
    """
    refusals = refusals or {}
    recipients = []
    for number in form["to"].split(","):
        code, status = refusals.get(number, (101, "Success"))
        accepted = code == 101
        recipients.append(
            {
                "statusCode": code,
                "number": number,
                "status": status,
                "cost": "KES 0.8000" if accepted else "0",
                "messageId": f"ATXid_{uuid.uuid4().hex}" if accepted else "None",
            }
        )
    sent = sum(1 for recipient in recipients if recipient["statusCode"] == 101)
    message = f"Sent to {sent}/{len(recipients)} Total Cost: KES {0.8 * sent:.4f}"
    return json.dumps({"SMSMessageData": {"Message": message, "Recipients": recipients}})


class InterceptedApi:
    """A stub server's callback: records each request, answers or fails on demand."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.failures: list[int | Exception] = []
        """What the next requests get instead of an answer: an HTTP status or an exception."""
        self.refusals: dict[str, tuple[int, str]] = {}
        self.url = ""
        """The server's, once one answers with this script."""
        self.delay = 0.0
        """Seconds each answer takes: a real route's are 0.1 to 0.3."""
        self.connections: list[int] = []
        """The client's port of each request: one port, one connection (and one
        sending thread at a time)."""

    def callback(self, request: Request) -> Answer:
        form = dict(parse_qsl(request.body))
        self.requests.append(form)
        self.connections.append(request.client_port)
        time.sleep(self.delay)
        if self.failures:
            failure = self.failures.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return failure, {}, "Internal Server Error"
        return 201, JSON, answer(form, self.refusals)

    def recipients(self) -> list[str]:
        return [number for form in self.requests for number in form["to"].split(",")]


class FakeServer:
    """A real HTTP/1.1 server that records recipients and can hold one request open.

    It keeps connections alive as Africa's Talking does, and records the
    client's port of each request (``connections``), so a test can see requests
    share a connection.

    ``hold`` is the 1-based number of the request to keep unanswered until
    :meth:`release`: the test kills the worker while that call is in flight.
    """

    def __init__(self, hold: int | None = None) -> None:
        self.received: Counter[str] = Counter()
        self.requests: list[list[str]] = []
        self.arrivals: list[tuple[float, str, list[str]]] = []
        """(``time.monotonic()``, text, recipients) of each request, in arrival order."""
        self.connections: list[int] = []
        """The client's port of each request, in arrival order: one port, one connection."""
        self.in_flight = threading.Event()
        self._release = threading.Event()
        self._hold = hold
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False  # a kept-alive client may hold its connection
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def release(self) -> None:
        self._release.set()

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def _record(self, form: dict[str, str], port: int) -> int:
        numbers = form["to"].split(",")
        with self._lock:
            self.connections.append(port)
            self.requests.append(numbers)
            self.arrivals.append((time.monotonic(), form.get("message", ""), numbers))
            self.received.update(numbers)
            return len(self.requests)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms ACK wait

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = dict(parse_qsl(self.rfile.read(length).decode()))
                if self.path != MESSAGING_PATH or "to" not in form:
                    self.send_error(404)
                    return
                if fake._record(form, self.client_address[1]) == fake._hold:
                    fake.in_flight.set()
                    fake._release.wait(timeout=60)
                body = answer(form).encode()
                try:
                    self.send_response(201)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the worker that asked was killed meanwhile

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the test reads the records, not a request log."""

        return Handler
