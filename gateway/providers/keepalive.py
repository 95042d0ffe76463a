"""HTTP to a provider over kept-alive connections: one urllib3 pool per provider.

``requests.post`` builds a new Session for every call, so each message opened a
new connection (in production, a new TLS handshake with the provider). Here a
provider keeps one pool of connections for its whole life, and each request
goes to urllib3, the pool under ``requests``, directly: what ``requests`` adds
around it (preparing the request, merging settings, building its response,
reading cookies) is nothing a provider's API needs, and it was a third of a
send's CPU (Africa's Talking's SDK ``send`` to the harness's sink, in-process:
about 400 µs, now about 265). The pool is shared by the threads a drain sends
from; a connection outlives the thread that opened it. A redirect is not
followed and a request is never retried here: neither Africa's Talking's API
nor Kannel's ``sendsms`` answers with a redirect, a 3xx is not a success, and
whether a failed request is tried again is the outbox's decision
(``workers.sending``).

The answer is still a ``requests.Response`` and a failure still a
``requests.RequestException`` (:func:`_as_requests_error`): the Africa's Talking
SDK, which sends through this pool (``gateway.providers.africastalking``), reads
its answers as ``requests`` gives them, and the providers catch its exceptions.

What the environment says is read once, when the pool is built, as ``requests``
reads it: the proxy for the provider's URL (``HTTPS_PROXY``/``HTTP_PROXY``,
unless ``NO_PROXY`` names its host), and for an ``https`` URL the certificates
to trust (``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``, else ``requests``' own
bundle). A change to them takes effect when the worker restarts. Credentials
go in headers or parameters, never in ``~/.netrc``.

Forms and query strings are encoded here (:func:`form`), as ``requests`` would
encode them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

import requests
import urllib3
from requests.structures import CaseInsensitiveDict
from requests.utils import (
    DEFAULT_CA_BUNDLE_PATH,
    default_headers,
    get_encoding_from_headers,
    get_environ_proxies,
)
from urllib3 import exceptions as urllib3_errors

FORM = "application/x-www-form-urlencoded"
POOL_SIZE = 10
"""Connections kept open to one provider: one per request in flight, and no
drain has more than ``workers.sending.SEND_THREADS`` in flight."""


class KeptAliveHttp:
    """Requests to one provider's URL over its own pool of kept-alive connections."""

    def __init__(self, url: str) -> None:
        scheme = urlsplit(url).scheme
        proxies = get_environ_proxies(url)
        self.proxy: str | None = proxies.get(scheme) or proxies.get("all")
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self.ca_certs = (bundle or DEFAULT_CA_BUNDLE_PATH) if scheme == "https" else None
        tls = {"cert_reqs": "CERT_REQUIRED", "ca_certs": self.ca_certs} if self.ca_certs else {}
        manager = (
            _proxy_manager(self.proxy, **tls)
            if self.proxy
            else urllib3.PoolManager(num_pools=1, maxsize=POOL_SIZE, **tls)
        )
        self._manager = manager
        self._host_pool = None if self.proxy else manager.connection_from_url(url)
        """Without a proxy every request goes to the one host of ``url``: its pool
        is taken once, not looked up by URL at each request."""
        self._headers = dict(default_headers())

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
        """The answer to one request, with the headers ``requests`` would add (the
        caller's win). Raises ``requests.RequestException`` as ``requests`` would."""
        body = form(data) if data else None
        query = form(params)
        if query:
            url = f"{url}{'&' if urlsplit(url).query else '?'}{query}"
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        if self._host_pool is None:
            pool, target = self._manager, url
        else:  # the origin server is asked for the path and query alone
            pool, target = self._host_pool, _path_and_query(url)
        try:
            answer = pool.urlopen(
                method,
                target,
                body=body,
                headers=self._merged(headers or {}, body is not None),
                retries=False,
                redirect=False,
                assert_same_host=False,
                timeout=urllib3.Timeout(connect=connect, read=read),
            )
        except urllib3_errors.HTTPError as exc:
            raise _as_requests_error(exc) from exc
        return _response(answer, url)

    def _merged(self, headers: Mapping[str, str], has_form: bool) -> dict[str, str]:
        """The default headers overridden by the caller's, whatever their case, and the
        form's Content-Type unless the caller gave one."""
        given = {name.lower() for name in headers}
        merged = {name: value for name, value in self._headers.items() if name.lower() not in given}
        merged.update(headers)
        if has_form and "content-type" not in given:
            merged["Content-Type"] = FORM
        return merged


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path or '/'}{'?' if parts.query else ''}{parts.query}"


def _proxy_manager(proxy: str, **tls: Any) -> urllib3.ProxyManager:
    """A pool through ``proxy``, its credentials (if the URL has any) sent as
    ``requests`` sends them."""
    parts = urlsplit(proxy)
    proxy_headers = None
    if parts.username:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        proxy_headers = urllib3.make_headers(proxy_basic_auth=credentials)
        proxy = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()
    return urllib3.ProxyManager(
        proxy, num_pools=1, maxsize=POOL_SIZE, proxy_headers=proxy_headers, **tls
    )


def _response(answer: urllib3.BaseHTTPResponse, url: str) -> requests.Response:
    """urllib3's answer as the ``requests.Response`` the callers read."""
    response = requests.Response()
    response.status_code = answer.status
    response.reason = answer.reason or ""
    response.headers = CaseInsensitiveDict(answer.headers)
    response.encoding = get_encoding_from_headers(response.headers)
    response._content = answer.data
    response.url = url
    return response


def _as_requests_error(exc: urllib3_errors.HTTPError) -> requests.RequestException:
    """The exception ``requests`` raises for the same failure."""
    if isinstance(exc, urllib3_errors.ConnectTimeoutError):
        return requests.ConnectTimeout(exc)
    if isinstance(exc, urllib3_errors.ReadTimeoutError):
        return requests.ReadTimeout(exc)
    if isinstance(exc, urllib3_errors.ProxyError):
        return requests.exceptions.ProxyError(exc)
    if isinstance(exc, urllib3_errors.SSLError):
        return requests.exceptions.SSLError(exc)
    return requests.ConnectionError(exc)


def form(fields: Mapping[str, Any] | None) -> str:
    """``fields`` URL-encoded as requests encodes a dict: ``None`` left out, a list
    as one field per item, text as UTF-8."""
    pairs = [(name, value) for name, value in (fields or {}).items() if value is not None]
    return urlencode(pairs, doseq=True)
