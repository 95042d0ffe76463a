"""The Kannel adapter's own formats: what it asks ``sendsms`` for, what it makes of
Kannel's answers, and how it reads Kannel's callbacks."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest

from gateway.providers import ProviderError
from gateway.providers import kannel as kannel_module
from gateway.providers.base import REJECTED, RETRY, SENT
from gateway.providers.kannel import (
    DELIVERY_STATES,
    CallbackError,
    KannelProvider,
    delivery_report,
    incoming_sms,
)
from tests.http_stub import StubServer
from tests.kannel.intercepted import SENDSMS_PATH, InterceptedSendsms

PHONES = ["+84912345678", "+84987654321", "+84911111111"]
TOKEN = "tok&en=1"
UNUSED_URL = "http://127.0.0.1:13013/cgi-bin/sendsms"
"""For the tests that send nothing."""


@pytest.fixture
def sendsms() -> Iterator[InterceptedSendsms]:
    fake = InterceptedSendsms()
    with StubServer() as server:
        server.add_callback("GET", SENDSMS_PATH, fake.callback)
        fake.url = server.url + SENDSMS_PATH
        yield fake


def kannel(url: str = UNUSED_URL, **options) -> KannelProvider:
    return KannelProvider(
        url, "gateway", "secret", "https://gw.example.vn/", webhook_token=TOKEN, **options
    )


def test_gsm_text_goes_as_is_and_each_message_asks_for_its_own_reports(sendsms):
    results = kannel(sendsms.url, smsc="viettel").send(
        PHONES[:2], "Nhac khai bao truoc 14:00", [7, 8]
    )

    assert [r.status for r in results] == [SENT, SENT]
    assert [r["to"] for r in sendsms.requests] == PHONES[:2]
    first = sendsms.requests[0]
    assert first["text"] == "Nhac khai bao truoc 14:00"
    assert "coding" not in first
    assert (first["username"], first["password"], first["smsc"]) == ("gateway", "secret", "viettel")
    assert first["charset"] == "UTF-8"
    assert first["dlr-mask"] == "31"
    url = urlsplit(first["dlr-url"])
    assert (
        f"{url.scheme}://{url.netloc}{url.path}" == "https://gw.example.vn/webhooks/kannel/delivery"
    )
    assert dict(parse_qsl(url.query)) == {
        "id": "7",
        "status": "%d",
        "answer": "%A",
        "smsc": "%i",
        "token": TOKEN,
    }
    assert dict(parse_qsl(urlsplit(sendsms.requests[1]["dlr-url"]).query))["id"] == "8"


def test_vietnamese_with_diacritics_goes_as_ucs2(sendsms):
    kannel(sendsms.url).send([PHONES[0]], "Bạn đã khai báo. Cảm ơn!", [1])

    assert sendsms.requests[0]["coding"] == "2"
    assert sendsms.requests[0]["text"] == "Bạn đã khai báo. Cảm ơn!"
    assert "smsc" not in sendsms.requests[0]


def test_without_a_token_the_report_url_has_none():
    provider = KannelProvider(UNUSED_URL, "u", "p", "http://127.0.0.1:5000")

    assert provider.report_url(3) == (
        "http://127.0.0.1:5000/webhooks/kannel/delivery?id=3&status=%d&answer=%A&smsc=%i"
    )


def test_a_send_without_message_ids_is_refused(sendsms):
    with pytest.raises(ValueError):
        kannel(sendsms.url).send(PHONES, "Nhac")
    with pytest.raises(ValueError):
        kannel(sendsms.url).send(PHONES, "Nhac", [1])
    assert sendsms.requests == []


@pytest.mark.parametrize(
    "failure",
    [
        ConnectionAbortedError("no answer"),
        1.0,  # later than the read timeout below
        (403, "Authorization failed for sendsms"),
        (503, "Sending failed."),
    ],
)
def test_kannel_taking_nothing_is_a_provider_error(sendsms, failure, monkeypatch):
    monkeypatch.setattr(kannel_module, "TIMEOUT", (1, 0.1))
    sendsms.answers = [failure]

    with pytest.raises(ProviderError):
        kannel(sendsms.url).send(PHONES, "Nhac", [1, 2, 3])
    assert len(sendsms.requests) == 1


def test_kannel_failing_midway_keeps_what_it_took_and_retries_the_rest(sendsms):
    sendsms.answers = [(202, "0: Accepted for delivery"), ConnectionAbortedError("gone")]

    results = kannel(sendsms.url).send(PHONES, "Nhac", [1, 2, 3])

    assert [r.status for r in results] == [SENT, RETRY, RETRY]
    assert results[0].provider_id == "kannel:1"
    assert len(sendsms.requests) == 2


def test_a_refused_number_is_rejected_with_kannels_words(sendsms):
    denied = "Number(s) has/have been denied by white- and/or black-lists."
    sendsms.answers = [(400, denied), (202, "3: Queued for later delivery")]

    results = kannel(sendsms.url).send([PHONES[0], "0912", PHONES[1]], "Nhac", [1, 2, 3])

    assert [(r.status, r.error) for r in results] == [
        (REJECTED, denied),
        (REJECTED, "InvalidPhoneNumber"),
        (SENT, None),
    ]


def test_a_submit_only_route_does_not_confirm_delivery():
    assert kannel().confirms_delivery is True
    assert kannel(reports_submit_only=True).confirms_delivery is False


def test_an_incoming_sms_is_read_in_the_charset_kannel_names():
    fields = {
        "from": b"+84912345678",
        "to": b"8088",
        "text": "2 sốt khó thở".encode("utf-16-be"),
        "id": b"5f1c9a8e-3b0e-4f7e-9a57-0c2d1e8f6b3a",
        "smsc": b"viettel",
        "coding": b"2",
        "charset": b"UTF-16BE",
    }

    sms = incoming_sms(fields)

    assert (sms.sender, sms.to, sms.text, sms.network) == (
        "+84912345678",
        "8088",
        "2 sốt khó thở",
        "viettel",
    )
    assert sms.provider_id == "5f1c9a8e-3b0e-4f7e-9a57-0c2d1e8f6b3a"
    assert incoming_sms({**fields, "charset": b"UCS-2"}).text == "2 sốt khó thở"
    utf8 = {**fields, "text": "sốt\x00".encode(), "charset": b"8-BIT"}
    assert incoming_sms(utf8).text == "sốt"
    assert incoming_sms({**utf8, "charset": b"no-such-charset"}).text == "sốt"


@pytest.mark.parametrize("missing", ["from", "id", "text"])
def test_an_incoming_sms_without_a_required_field_names_it(missing):
    fields = {"from": b"+84912345678", "id": b"abc", "text": b"1"}
    del fields[missing]

    with pytest.raises(CallbackError, match=missing):
        incoming_sms(fields)


def test_every_kannel_report_value_has_a_state():
    reports = {
        code: delivery_report({"id": b"9", "status": code.encode()}) for code in DELIVERY_STATES
    }

    assert {code: r.state for code, r in reports.items()} == {
        "1": "success",
        "2": "failed",
        "4": "buffered",
        "8": "submitted",
        "16": "rejected",
    }
    assert {r.message_id for r in reports.values()} == {9}
    failed = delivery_report({"id": b"9", "status": b"2", "answer": b"NACK/0x0000000b/Invalid"})
    assert failed.reason == "NACK/0x0000000b/Invalid"


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"status": b"1"}, "id"),
        ({"id": b"1"}, "status"),
        ({"id": b"1", "status": b"3"}, "status"),
        ({"id": b"x1", "status": b"1"}, "id"),
        ({"id": b"0", "status": b"1"}, "id"),
        ({"id": b"1" * 30, "status": b"1"}, "id"),
        ({"id": "١".encode(), "status": b"1"}, "id"),
    ],
)
def test_a_report_kannel_never_sends_names_the_field(fields, named):
    with pytest.raises(CallbackError, match=named):
        delivery_report(fields)
