"""HTTP to a provider over kept-alive connections: one pool per provider, a Session per thread.

``requests.post`` builds a new Session for every call, so each message opened a
new connection (in production, a new TLS handshake with the provider). Here a
provider keeps one connection pool for its whole life; each thread that sends
(the drain sends requests side by side) gets its own ``requests.Session`` over
that pool, so no Session is shared between threads and a connection outlives
the thread that opened it.

``trust_env`` is off: left on, requests reads the proxy variables, ``NO_PROXY``,
``~/.netrc`` and the CA bundle variables again on every request, a third of a
request's CPU. What the environment says is read once instead, when the pool
is built: the proxy for the provider's URL (``HTTPS_PROXY``/``HTTP_PROXY``,
unless ``NO_PROXY`` names its host) and ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``,
for an ``https`` URL only: given a bundle's path, requests looks on the disk at
every request whether it is a file or a folder, and a plain-HTTP URL (a local
Kannel) has no certificate to check. A change to them takes effect when the
worker restarts. Credentials go in headers or parameters, never in ``~/.netrc``.
"""

from __future__ import annotations

import os
import threading

import requests
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies

POOL_SIZE = 10
"""Connections kept open to one provider: one per request in flight, and no
drain has more than ``workers.sending.SEND_THREADS`` in flight."""


class KeptAliveHttp:
    """Sessions for one provider's URL; ``.session()`` is the calling thread's."""

    def __init__(self, url: str) -> None:
        self._adapter = HTTPAdapter(pool_maxsize=POOL_SIZE)
        self._proxies = get_environ_proxies(url)
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self._verify: bool | str = (bundle if url.startswith("https:") else None) or True
        self._local = threading.local()

    def session(self) -> requests.Session:
        """This thread's Session, built on its first request."""
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False
            session.proxies.update(self._proxies)
            session.verify = self._verify
            session.mount("http://", self._adapter)
            session.mount("https://", self._adapter)
            self._local.session = session
        return session
