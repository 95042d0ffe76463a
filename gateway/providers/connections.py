"""Kept-alive connections to one provider's origin, over the standard library's ``http.client``.

A drain hands a provider one request per distinct text, so a burst's tail is
thousands of small requests, and each one's CPU is the send's largest part.
urllib3's pool, measured against the harness's kind of local server, cost about
125 µs of CPU a request where ``http.client`` on the same kept-alive connection
cost about 62: urllib3 wraps it in retry, redirect, timeout and decoding
machinery that a provider's API (one origin, no redirects, no retries here)
never uses. So a direct connection is ``http.client``'s own, and a proxy, which
needs urllib3's tunnelling, still goes through urllib3
(``gateway.providers.keepalive``).

Nothing is ever sent twice from here: a request that fails on its connection
raises, whatever was or was not written, and the outbox decides what happens
to its messages. Before an idle connection is reused it is checked for the
provider having closed it meanwhile (it reads as ready with nothing to read,
as urllib3 checks it); such a connection is replaced before anything is sent.
"""

from __future__ import annotations

import http.client
import select
import socket
import ssl
import threading
import weakref
from typing import NamedTuple

POOL_SIZE = 10
"""Idle connections kept to one origin: one per request in flight, and no drain
has more than ``workers.sending.SEND_THREADS`` in flight."""


class Answer(NamedTuple):
    """A whole response, read: the connection is back in the pool or closed."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


class ConnectFailed(Exception):
    """The connection could not be opened; nothing was sent. ``__cause__`` says why."""


class RequestFailed(Exception):
    """The connection failed once the request was under way: it may have arrived.
    ``__cause__`` says why."""


class Connections:
    """Requests to one origin over connections kept open between them, shared by
    the threads of a drain; each request has a connection to itself."""

    def __init__(self, scheme: str, host: str, port: int | None, ca_certs: str | None) -> None:
        self._host, self._port = host, port
        self._https, self._ca_certs = scheme == "https", ca_certs
        self._tls: ssl.SSLContext | None = None
        """Built at the first connection, as urllib3 builds it: a bundle that cannot be
        read fails each request (a provider error), not the worker's start."""
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        weakref.finalize(self, _close_all, self._idle)

    def request(
        self,
        method: str,
        target: str,
        body: bytes | None,
        headers: dict[str, str],
        connect_timeout: float,
        read_timeout: float,
    ) -> Answer:
        """``method`` on ``target`` (path and query), the whole answer read.

        Raises :class:`ConnectFailed` or :class:`RequestFailed`, chained to the
        socket, TLS or HTTP error; the connection is closed then.
        """
        connection = self._idle_connection() or self._connect(connect_timeout)
        try:
            assert connection.sock is not None
            connection.sock.settimeout(read_timeout)
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            body_read = response.read()
            answer = Answer(response.status, response.reason, response.getheaders(), body_read)
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise RequestFailed(str(exc)) from exc
        if response.will_close:
            connection.close()
        else:
            self._keep(connection)
        return answer

    def _idle_connection(self) -> http.client.HTTPConnection | None:
        """The most recently used idle connection the origin has not closed, if any."""
        while True:
            with self._lock:
                if not self._idle:
                    return None
                connection = self._idle.pop()
            if connection.sock is not None and not _readable(connection.sock):
                return connection
            connection.close()

    def _connect(self, timeout: float) -> http.client.HTTPConnection:
        connection: http.client.HTTPConnection | None = None
        try:
            if self._https:
                self._tls = self._tls or ssl.create_default_context(cafile=self._ca_certs)
                connection = http.client.HTTPSConnection(
                    self._host, self._port, timeout=timeout, context=self._tls
                )
            else:
                connection = http.client.HTTPConnection(self._host, self._port, timeout=timeout)
            connection.connect()
        except OSError as exc:  # no bundle, refused, unreachable, timed out, TLS refused
            if connection is not None:
                connection.close()
            raise ConnectFailed(str(exc)) from exc
        return connection

    def _keep(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            if len(self._idle) < POOL_SIZE:
                self._idle.append(connection)
                return
        connection.close()


def _close_all(idle: list[http.client.HTTPConnection]) -> None:
    """Close the idle connections of a pool nobody holds any more."""
    while idle:
        idle.pop().close()


def _readable(sock: socket.socket) -> bool:
    """Whether an idle connection has something to read: the origin closed it (or
    broke the protocol), so it cannot carry a request."""
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))
