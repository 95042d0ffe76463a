"""Kannel: SMPP routes to Vietnam's operators, spoken to over Kannel's HTTP interfaces.

Kannel holds the SMPP binds, windows, reconnects, throughput caps and the
splitting of long texts; the gateway only talks HTTP to it, in both directions,
and this module owns every Kannel format:

- outbound through ``sendsms``: GSM-7 text as is, anything else as UCS-2
  (``coding=2``), each message asking for delivery reports at a ``dlr-url``
  that carries the gateway's own message id;
- inbound from an ``sms-service`` (``get-url``/``post-url``): :func:`incoming_sms`;
- delivery reports at the ``dlr-url``: :func:`delivery_report`.

Kannel's ``to`` takes several numbers, but they then share one ``dlr-url``, and
a report must name its message: so each message is its own request, over
kept-alive connections (:mod:`gateway.providers.keepalive`). Kannel queues them
and paces them to the route's cap.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from urllib.parse import quote, urlencode

import requests

from flows.encoding import UCS2, measure
from gateway.providers.base import (
    REJECTED,
    RETRY,
    SENT,
    DeliveryReport,
    IncomingSms,
    ProviderError,
    SendResult,
    is_e164,
)
from gateway.providers.keepalive import KeptAliveHttp

DELIVERY_STATES = {
    "1": "success",
    "2": "failed",
    "4": "buffered",
    "8": "submitted",
    "16": "rejected",
}
"""Kannel's ``%d`` (delivered, failed, buffered, submitted to the SMSC, rejected
by the SMSC), as the outbox's states."""
DLR_MASK = 1 | 2 | 4 | 8 | 16
"""Every report Kannel can give; a route that only has ``8`` sends only that."""
DELIVERY_PATH = "/webhooks/kannel/delivery"
TIMEOUT = (5, 30)
"""Seconds to connect to Kannel and to wait for its answer."""
MAX_ID = 2**63 - 1
CHARSETS = {"8-BIT": "utf-8", "UCS-2": "utf-16-be", "UNICODE": "utf-16-be"}
"""Kannel's names that Python's codecs do not know. ``8-BIT`` is what Kannel
says of an 8-bit message; phones and aggregators that send one send UTF-8."""


class CallbackError(ValueError):
    """A Kannel callback is missing a field or has a value Kannel never sends."""


class KannelProvider:
    """``sendsms`` of one Kannel ``smsbox``, one request per message."""

    name = "kannel"

    def __init__(
        self,
        sendsms_url: str,
        username: str,
        password: str,
        public_url: str,
        *,
        smsc: str | None = None,
        webhook_token: str | None = None,
        reports_submit_only: bool = False,
    ) -> None:
        self._url = sendsms_url
        self._credentials = {"username": username, "password": password}
        self._smsc = smsc
        self._report_url = public_url.rstrip("/") + DELIVERY_PATH
        self._token = webhook_token
        self.confirms_delivery = not reports_submit_only
        self._http = KeptAliveHttp(sendsms_url)

    def send(
        self, phones: list[str], text: str, message_ids: list[int] | None = None
    ) -> list[SendResult]:
        """Hand each message to Kannel; one result per phone, in order.

        Kannel unreachable, refusing our credentials or failing (5xx) before it
        took anything is a :class:`ProviderError`: the job is retried. Once it
        has taken some, the rest are ``RETRY`` so the taken ones are recorded
        and never sent twice. A read timeout may hide a message Kannel took;
        like Africa's Talking's, that rare case costs a duplicate, not a loss.
        """
        if message_ids is None or len(message_ids) != len(phones):
            raise ValueError("Kannel needs the gateway's message id of every phone")
        results: list[SendResult] = []
        failure: str | None = None
        for phone, message_id in zip(phones, message_ids, strict=True):
            if not is_e164(phone):
                results.append(SendResult(phone, None, REJECTED, error="InvalidPhoneNumber"))
            elif failure is not None:
                results.append(SendResult(phone, None, RETRY, error=failure))
            else:
                result = self._send_one(phone, text, message_id)
                if result.status == RETRY:
                    failure = result.error
                    if not any(earlier.status == SENT for earlier in results):
                        raise ProviderError(f"Kannel did not take the message: {failure}"[:300])
                results.append(result)
        return results

    def _send_one(self, phone: str, text: str, message_id: int) -> SendResult:
        params = {**self._credentials, "to": phone, "text": text, "charset": "UTF-8"}
        if measure(text).encoding == UCS2:
            params["coding"] = "2"
        if self._smsc:
            params["smsc"] = self._smsc
        params["dlr-mask"] = str(DLR_MASK)
        params["dlr-url"] = self.report_url(message_id)
        try:
            answer = self._http.request("GET", self._url, params=params, timeout=TIMEOUT)
        except requests.RequestException as exc:
            return SendResult(phone, None, RETRY, error=f"Kannel unreachable: {type(exc).__name__}")
        said = answer.text.strip()[:200]
        if answer.ok:
            return SendResult(phone, f"kannel:{message_id}", SENT)
        if answer.status_code == 403 or answer.status_code >= 500:
            return SendResult(phone, None, RETRY, error=f"{answer.status_code} {said}")
        return SendResult(phone, None, REJECTED, error=said or str(answer.status_code))

    def report_url(self, message_id: int) -> str:
        """The ``dlr-url`` of one message: Kannel fills in the ``%`` escapes."""
        query = urlencode({"id": message_id}) + "&status=%d&answer=%A&smsc=%i"
        if self._token:
            query += "&token=" + quote(self._token, safe="")
        return f"{self._report_url}?{query}"


def incoming_sms(fields: Mapping[str, bytes]) -> IncomingSms:
    """An SMS from Kannel's ``sms-service``: ``from`` (``%p``), ``to`` (``%P``),
    ``text`` (``%a`` or the body, in the charset ``%C`` names), ``id`` (``%I``),
    ``smsc`` (``%i``), ``coding`` (``%c``), ``charset`` (``%C``).
    """
    for name in ("from", "id"):
        if not fields.get(name, b"").strip():
            raise CallbackError(f"missing field: {name}")
    if "text" not in fields:
        raise CallbackError("missing field: text")
    charset = _plain(fields, "charset")
    return IncomingSms(
        sender=_plain(fields, "from"),
        text=_decode(fields["text"], charset),
        provider_id=_plain(fields, "id"),
        to=_plain(fields, "to"),
        network=_plain(fields, "smsc"),
    )


def delivery_report(fields: Mapping[str, bytes]) -> DeliveryReport:
    """A report at a message's ``dlr-url``: ``id`` (ours), ``status`` (``%d``),
    ``answer`` (``%A``, the SMSC's words), ``smsc`` (``%i``)."""
    for name in ("id", "status"):
        if not fields.get(name, b"").strip():
            raise CallbackError(f"missing field: {name}")
    state = DELIVERY_STATES.get(_plain(fields, "status"))
    if state is None:
        raise CallbackError("unknown value of field: status")
    given = _plain(fields, "id")
    if not (given.isascii() and given.isdigit()) or not 0 < int(given) <= MAX_ID:
        raise CallbackError("not a message id: id")
    return DeliveryReport(state, message_id=int(given), reason=_plain(fields, "answer") or None)


def _plain(fields: Mapping[str, bytes], name: str) -> str:
    return fields.get(name, b"").decode("utf-8", "replace").replace("\x00", "").strip()


def _decode(raw: bytes, charset: str) -> str:
    """Text in the charset Kannel named; unknown or wrong, read as UTF-8 where it can be.

    NUL characters are dropped: no phone sends them, and PostgreSQL cannot store them.
    """
    name = CHARSETS.get(charset.upper(), charset or "utf-8")
    try:
        codecs.lookup(name)
    except LookupError:
        name = "utf-8"
    return raw.decode(name, "replace").replace("\x00", "")
