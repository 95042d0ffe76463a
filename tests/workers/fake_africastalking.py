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
import ssl
import threading
import time
import uuid
from collections import Counter
from urllib.parse import parse_qsl

from tests.http_stub import Answer, Request, StubServer

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


class FakeServer(StubServer):
    """A stub server that answers every send like Africa's Talking, records recipients and
    can hold one request open.

    It keeps connections alive as Africa's Talking does, and records the
    client's port of each request (``connections``), so a test can see requests
    share a connection.

    ``hold`` is the 1-based number of the request to keep unanswered until
    :meth:`release`: the test kills the worker while that call is in flight.
    """

    def __init__(self, hold: int | None = None, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(tls)
        self.received: Counter[str] = Counter()
        self.requests: list[list[str]] = []
        self.arrivals: list[tuple[float, str, list[str]]] = []
        """(``time.monotonic()``, text, recipients) of each request, in arrival order."""
        self.connections: list[int] = []
        """The client's port of each request, in arrival order: one port, one connection."""
        self.in_flight = threading.Event()
        self._release = threading.Event()
        self._hold = hold
        self._records = threading.Lock()
        self.add_callback("POST", MESSAGING_PATH, self._send)

    def release(self) -> None:
        self._release.set()

    def __exit__(self, *exc_info: object) -> None:
        self.release()
        super().__exit__(*exc_info)

    def _send(self, request: Request) -> Answer:
        form = dict(parse_qsl(request.body))
        if "to" not in form:
            return 400, {"Content-Type": "text/plain"}, "to: missing"
        if self._record(form, request.client_port) == self._hold:
            self.in_flight.set()
            self._release.wait(timeout=60)
        return 201, JSON, answer(form)

    def _record(self, form: dict[str, str], port: int) -> int:
        numbers = form["to"].split(",")
        with self._records:
            self.connections.append(port)
            self.requests.append(numbers)
            self.arrivals.append((time.monotonic(), form.get("message", ""), numbers))
            self.received.update(numbers)
            return len(self.requests)
