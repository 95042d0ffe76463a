"""HTTP to a provider over kept-alive connections, one pool per provider.

``requests.post`` builds a new Session for every call, so each message opened a
new connection (in production, a new TLS handshake with the provider). Here a
provider keeps one pool of connections for its whole life: the standard
library's ``http.client`` on a direct route (:mod:`gateway.providers.connections`,
which says why not urllib3), urllib3's through a proxy. What ``requests`` adds
around a request (preparing it, merging settings, building its response,
reading cookies) is nothing a provider's API needs, and it was a third of a
send's CPU. The pool is shared by the threads a drain sends from; a connection
outlives the thread that opened it. A redirect is not followed and a request is
never retried here: neither Africa's Talking's API nor Kannel's ``sendsms``
answers with a redirect, a 3xx is not a success, and whether a failed request
is tried again is the outbox's decision (``workers.sending``).

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
encode them. Answers are asked for uncompressed (``Accept-Encoding: identity``):
they are a few hundred bytes, so there is nothing to gain and nothing to decode.
"""

from __future__ import annotations

import os
import ssl
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

from gateway.providers.connections import POOL_SIZE, ConnectFailed, Connections, RequestFailed

FORM = "application/x-www-form-urlencoded"


class KeptAliveHttp:
    """Requests to one provider's URL over its own pool of kept-alive connections."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        proxies = get_environ_proxies(url)
        self.proxy: str | None = proxies.get(parts.scheme) or proxies.get("all")
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self.ca_certs = (bundle or DEFAULT_CA_BUNDLE_PATH) if parts.scheme == "https" else None
        self._manager: urllib3.ProxyManager | None = None
        self._direct: Connections | None = None
        if self.proxy:
            tls = {"cert_reqs": "CERT_REQUIRED", "ca_certs": self.ca_certs} if self.ca_certs else {}
            self._manager = _proxy_manager(self.proxy, **tls)
        else:  # every request goes to the one origin of ``url``
            origin = parts.hostname or ""
            self._direct = Connections(parts.scheme, origin, parts.port, self.ca_certs)
        self._headers = {**default_headers(), "Accept-Encoding": "identity"}

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
        body = form(data).encode() if data else None
        query = form(params)
        if query:
            url = f"{url}{'&' if urlsplit(url).query else '?'}{query}"
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        merged = self._merged(headers or {}, body is not None)
        if self._direct is not None:
            try:
                answer = self._direct.request(
                    method, _path_and_query(url), body, merged, connect, read
                )
            except (ConnectFailed, RequestFailed) as exc:
                raise _as_requests_error(exc) from exc
            return _response(answer.status, answer.reason, answer.headers, answer.body, url)
        assert self._manager is not None
        try:
            proxied = self._manager.urlopen(
                method,
                url,
                body=body,
                headers=merged,
                retries=False,
                redirect=False,
                assert_same_host=False,
                timeout=urllib3.Timeout(connect=connect, read=read),
            )
        except urllib3_errors.HTTPError as exc:
            raise _as_requests_error(exc) from exc
        fields = list(proxied.headers.items())
        return _response(proxied.status, proxied.reason or "", fields, proxied.data, url)

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


def _response(
    status: int, reason: str, headers: list[tuple[str, str]], body: bytes, url: str
) -> requests.Response:
    """An answer as the ``requests.Response`` the callers read."""
    response = requests.Response()
    response.status_code = status
    response.reason = reason
    response.headers = CaseInsensitiveDict(headers)
    response.encoding = get_encoding_from_headers(response.headers)
    response._content = body
    response.url = url
    return response


def _as_requests_error(exc: Exception) -> requests.RequestException:
    """The exception ``requests`` raises for the same failure: from urllib3 (through
    a proxy), or from a direct connection (:mod:`gateway.providers.connections`)."""
    cause = exc.__cause__
    if isinstance(exc, urllib3_errors.ConnectTimeoutError) or (
        isinstance(exc, ConnectFailed) and isinstance(cause, TimeoutError)
    ):
        return requests.ConnectTimeout(exc)
    if isinstance(exc, urllib3_errors.ReadTimeoutError) or (
        isinstance(exc, RequestFailed) and isinstance(cause, TimeoutError)
    ):
        return requests.ReadTimeout(exc)
    if isinstance(exc, urllib3_errors.ProxyError):
        return requests.exceptions.ProxyError(exc)
    if isinstance(exc, urllib3_errors.SSLError) or isinstance(cause, ssl.SSLError):
        return requests.exceptions.SSLError(exc)
    return requests.ConnectionError(exc)


def form(fields: Mapping[str, Any] | None) -> str:
    """``fields`` URL-encoded as requests encodes a dict: ``None`` left out, a list
    as one field per item, text as UTF-8."""
    pairs = [(name, value) for name, value in (fields or {}).items() if value is not None]
    return urlencode(pairs, doseq=True)
