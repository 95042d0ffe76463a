"""HTTP to a provider over kept-alive connections: one pool per provider, no Session.

``requests.post`` builds a new Session for every call, so each message opened a
new connection (in production, a new TLS handshake with the provider). Here a
provider keeps one connection pool (a ``requests`` ``HTTPAdapter``) for its
whole life, and each request is prepared and handed to it directly: a
Session's own work per request (merging settings, cookies, hooks, redirects)
cost a third of a request's CPU, and a provider's API needs none of it. The
adapter is shared by the threads a drain sends from; a connection outlives the
thread that opened it. A redirect is not followed: neither Africa's Talking's
API nor Kannel's ``sendsms`` answers with one, and a 3xx is not a success.

What the environment says is read once, when the pool is built: the proxy for
the provider's URL (``HTTPS_PROXY``/``HTTP_PROXY``, unless ``NO_PROXY`` names
its host) and ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``, for an ``https`` URL
only: given a bundle's path, requests looks on the disk at every request
whether it is a file or a folder, and a plain-HTTP URL (a local Kannel) has no
certificate to check. A change to them takes effect when the worker restarts.
Credentials go in headers or parameters, never in ``~/.netrc``.

Forms and query strings are encoded here (:func:`form`), as requests would
encode them: handed a dict, requests 2.34 first asks whether it is a file
(``isinstance`` against a runtime-checked ``Protocol``), which on Python 3.11
cost a sixth of a request's CPU (measured with the SDK's ``send``: 415 -> 284 µs).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import default_headers, get_environ_proxies

FORM = "application/x-www-form-urlencoded"
POOL_SIZE = 10
"""Connections kept open to one provider: one per request in flight, and no
drain has more than ``workers.sending.SEND_THREADS`` in flight."""


class KeptAliveHttp:
    """Requests to one provider's URL over its own pool of kept-alive connections."""

    def __init__(self, url: str) -> None:
        self._adapter = HTTPAdapter(pool_maxsize=POOL_SIZE)
        self.proxies: dict[str, str] = get_environ_proxies(url)
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self.verify: bool | str = (bundle if url.startswith("https:") else None) or True
        self._headers = default_headers()

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        timeout: float | tuple[float, float],
    ) -> requests.Response:
        """The answer to one request, with the headers a Session would add (the
        caller's win). Raises ``requests.RequestException`` as a Session would."""
        sent_headers = CaseInsensitiveDict(self._headers)
        sent_headers.update(headers or {})
        if data:
            sent_headers.setdefault("Content-Type", FORM)
        prepared = requests.Request(
            method, url, headers=sent_headers, params=form(params), data=form(data)
        ).prepare()
        return self._adapter.send(
            prepared, timeout=timeout, verify=self.verify, proxies=self.proxies
        )


def form(fields: Mapping[str, Any] | None) -> str:
    """``fields`` URL-encoded as requests encodes a dict: ``None`` left out, a list
    as one field per item, text as UTF-8."""
    pairs = [(name, value) for name, value in (fields or {}).items() if value is not None]
    return urlencode(pairs, doseq=True)
