"""Africa's Talking through its own SDK, one request for many recipients.

The SDK is used as it ships; two things are changed under it. Its base URL
moves when ``AT_API_URL`` points it at a local fake server (benchmarks,
staging): ``AT_API_URL`` stands for the SDK's ``https://api.africastalking.com``,
so the SDK's own path follows it: ``{AT_API_URL}/version1/messaging``. And its
HTTP goes over kept-alive connections (:mod:`gateway.providers.keepalive`),
where the SDK's ``requests.post`` opened one, and a TLS handshake, per message.

Each provider object has its own SDK service instead of the SDK's
``africastalking.initialize()`` module globals, so two apps in one process (the
test suite) never share credentials or URLs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import requests
from africastalking import SMSService
from africastalking.Service import DEFAULT_TIMEOUT_S, AfricasTalkingException

from gateway.providers.base import (
    REJECTED,
    RETRY,
    SENT,
    ProviderError,
    SendResult,
    is_e164,
)
from gateway.providers.keepalive import KeptAliveHttp

ACCEPTED_CODES = frozenset({100, 101, 102})
"""Processed, Sent, Queued: the provider took the message."""
RETRY_CODES = frozenset({405, 500, 501, 502})
"""InsufficientBalance, InternalServerError, GatewayError, RejectedByGateway: not
this number's fault (502 is an operator's gateway turning the message away for
the moment). An urgent alert waits for the operator to top up or the route to
recover rather than being dropped."""
DELIVERY_STATES = {
    "Sent": "sent",
    "Submitted": "submitted",
    "Buffered": "buffered",
    "Success": "success",
    "Failed": "failed",
    "Rejected": "rejected",
    "Expired": "expired",
}
"""The ``status`` of Africa's Talking's delivery reports, as the outbox's states."""


class _SMSService(SMSService):
    """The SDK's SMS service, with its base URL moved when ``api_url`` is set and
    its requests on kept-alive connections.

    ``_init_service`` is where each SDK service sets its own URLs. The SDK's
    ``Service._make_request`` sends through two private static methods that
    call ``requests.get``/``requests.post``; their mangled names are overridden
    here, so every request still goes through the SDK's own ``send`` and
    ``_make_request`` (its form, headers, timeouts and answer handling) and
    only the client under them changes.
    """

    def __init__(self, username: str, api_key: str, api_url: str | None) -> None:
        self._api_url = api_url
        super().__init__(username, api_key)
        self._http = KeptAliveHttp(self._baseUrl)

    def _init_service(self) -> None:
        super()._init_service()
        if self._api_url:
            self._baseUrl = self._api_url.rstrip("/") + "/version1"

    # The SDK's own signatures: (url, headers, data, params, callback=None, timeout=...).
    def _Service__make_get_request(self, *args: Any, **kwargs: Any) -> requests.Response | None:
        return self._kept_alive("GET", *args, **kwargs)

    def _Service__make_post_request(self, *args: Any, **kwargs: Any) -> requests.Response | None:
        return self._kept_alive("POST", *args, **kwargs)

    def _kept_alive(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        data: dict[str, Any] | None,
        params: dict[str, Any] | None,
        callback: Callable[[requests.Response], None] | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT_S,
    ) -> requests.Response | None:
        """The SDK's request over the kept-alive pool: the response, or, as the
        SDK's own methods do for its asynchronous calls, handed to ``callback``."""
        response = self._http.request(
            method, url, headers=headers, params=params, data=data, timeout=timeout
        )
        if not callback:
            return response
        callback(response)
        return None


class AfricasTalkingProvider:
    """Bulk SMS: one text, up to several hundred recipients per request."""

    name = "africastalking"
    confirms_delivery = True

    def __init__(
        self,
        username: str,
        api_key: str,
        sender_id: str | None = None,
        api_url: str | None = None,
    ) -> None:
        self._sms = _SMSService(username, api_key, api_url)
        self._sender_id = sender_id

    def send(
        self, phones: list[str], text: str, message_ids: list[int] | None = None
    ) -> list[SendResult]:
        """Send ``text`` to every valid phone in one request.

        Refusals of the whole request, network errors and timeouts are
        :class:`ProviderError`, so the job is retried. A read timeout may hide a
        request the provider did take; that rare case costs a duplicate, which
        beats losing a case alert. A 2xx answer that is not Africa's Talking's
        raises ``ValueError``: the messages may have left, so they are not
        retried but left to the sweep's judgement.
        """
        recipients = [phone for phone in dict.fromkeys(phones) if is_e164(phone)]
        answered: dict[str, dict[str, Any]] = {}
        summary = ""
        if recipients:
            try:
                answer = self._sms.send(text, recipients, sender_id=self._sender_id)
            except AfricasTalkingException as exc:
                raise ProviderError(f"Africa's Talking refused the request: {exc}"[:300]) from exc
            except requests.JSONDecodeError:
                raise  # a 2xx answer we cannot read: it may have been sent, so no retry
            except requests.RequestException as exc:
                raise ProviderError(f"Africa's Talking unreachable: {type(exc).__name__}") from exc
            data = _message_data(answer)
            summary = str(data.get("Message", ""))
            answered = {str(r.get("number")): r for r in data.get("Recipients") or []}
        return [_result(phone, answered.get(phone), summary) for phone in phones]


def _message_data(answer: str | dict[str, Any]) -> dict[str, Any]:
    """The ``SMSMessageData`` of an answer.

    The SDK decodes JSON only when the content type is exactly
    ``application/json``; a ``; charset=...`` suffix hands us the text.
    """
    decoded = json.loads(answer) if isinstance(answer, str) else answer
    data = decoded.get("SMSMessageData") if isinstance(decoded, dict) else None
    if not isinstance(data, dict):
        raise ValueError("Africa's Talking answered without SMSMessageData")
    return data


def _result(phone: str, recipient: dict[str, Any] | None, summary: str) -> SendResult:
    if not is_e164(phone):
        return SendResult(phone, None, REJECTED, error="InvalidPhoneNumber")
    if recipient is None:
        # Left out of the answer: the whole request was refused, e.g. InvalidSenderId.
        return SendResult(phone, None, REJECTED, error=summary or "not in the answer")
    code = int(recipient.get("statusCode", 0))
    status = str(recipient.get("status", ""))
    if code in ACCEPTED_CODES:
        return SendResult(phone, str(recipient["messageId"]), SENT, cost=recipient.get("cost"))
    return SendResult(phone, None, RETRY if code in RETRY_CODES else REJECTED, error=status)
