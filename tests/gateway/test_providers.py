"""Providers: one contract every provider passes, then what is Africa's Talking's own.

Africa's Talking runs as its real SDK, its HTTP answered by a local stub server
(``tests.http_stub``); Kannel's ``sendsms`` is answered the same way here, and by
a real Kannel in ``tests/kannel``.
"""

from __future__ import annotations

import dataclasses
import io
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import urllib3
from requests.utils import DEFAULT_CA_BUNDLE_PATH

from gateway.config import ConfigError, Settings
from gateway.embedded_redis import free_port
from gateway.providers import ProviderError, SmsProvider, get_provider
from gateway.providers.africastalking import AfricasTalkingProvider
from gateway.providers.base import REJECTED, RETRY, SENT
from gateway.providers.console import ConsoleProvider
from gateway.providers.kannel import KannelProvider
from gateway.providers.keepalive import KeptAliveHttp
from tests.http_stub import Answer, Request, StubServer
from tests.kannel.intercepted import SENDSMS_PATH, InterceptedSendsms
from tests.workers.fake_africastalking import JSON, MESSAGING_PATH, FakeServer, InterceptedApi

PHONES = ["+84912345678", "+84987654321"]


def settings(**values: str) -> Settings:
    return Settings.from_env({"SECRET_KEY": "x", **values}, Path("/nonexistent"))


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def at(stub: StubServer, **options: str) -> AfricasTalkingProvider:
    """The SDK's provider on the sandbox account, its API at ``stub``."""
    return AfricasTalkingProvider("sandbox", "key", api_url=stub.url, **options)


KANNEL = {
    "SMS_PROVIDER": "kannel",
    "KANNEL_USERNAME": "gateway",
    "KANNEL_PASSWORD": "secret",
    "PUBLIC_URL": "https://gateway.example.vn",
}


@pytest.fixture(params=["console", "africastalking", "kannel"])
def provider(request: pytest.FixtureRequest, stub: StubServer) -> SmsProvider:
    if request.param == "console":
        return ConsoleProvider(stream=io.StringIO())
    if request.param == "kannel":
        stub.add_callback("GET", SENDSMS_PATH, InterceptedSendsms().callback)
        return get_provider(settings(**KANNEL, KANNEL_SENDSMS_URL=stub.url + SENDSMS_PATH))
    stub.add_callback("POST", MESSAGING_PATH, InterceptedApi().callback)
    return get_provider(
        settings(
            SMS_PROVIDER="africastalking",
            AT_USERNAME="sandbox",
            AT_API_KEY="key",
            AT_API_URL=stub.url,
        )
    )


def test_every_provider_sends_and_answers_per_phone_in_order(provider: SmsProvider):
    results = provider.send(
        [*PHONES, "12345", PHONES[0]], "Xin chao, day la tin thu.", [11, 12, 13, 14]
    )

    assert [result.phone for result in results] == [*PHONES, "12345", PHONES[0]]
    assert [result.status for result in results] == [SENT, SENT, REJECTED, SENT]
    assert results[2].provider_id is None and results[2].error
    ids = [result.provider_id for result in results[:2]]
    assert all(ids) and len(set(ids)) == 2
    assert provider.send([], "nothing", []) == []
    assert provider.name in ("console", "africastalking", "kannel")
    assert provider.confirms_delivery is True


def test_get_provider_follows_sms_provider():
    assert isinstance(get_provider(settings()), ConsoleProvider)
    chosen = get_provider(settings(SMS_PROVIDER="africastalking", AT_USERNAME="u", AT_API_KEY="k"))
    assert isinstance(chosen, AfricasTalkingProvider)
    missing = dataclasses.replace(settings(), sms_provider="africastalking")
    with pytest.raises(ConfigError):
        get_provider(missing)
    kannel = settings(**KANNEL, KANNEL_SENDSMS_URL="http://127.0.0.1:13013/cgi-bin/sendsms")
    assert isinstance(get_provider(kannel), KannelProvider)
    with pytest.raises(ConfigError):
        get_provider(dataclasses.replace(settings(), sms_provider="kannel"))


def test_the_console_prints_the_whole_message():
    stream = io.StringIO()
    console = ConsoleProvider(stream=stream)

    console.send([PHONES[0]], "Ca khan 12")

    assert f"SMS to {PHONES[0]}" in stream.getvalue()
    assert "Ca khan 12" in stream.getvalue()
    assert [(sms.phone, sms.text) for sms in console.sent] == [(PHONES[0], "Ca khan 12")]


def test_at_api_url_moves_the_sdk_and_the_request_is_the_sdks(stub: StubServer):
    api = InterceptedApi()
    stub.add_callback("POST", MESSAGING_PATH, api.callback)
    provider = AfricasTalkingProvider(
        "gateway", "secret", sender_id="XA-YTE", api_url=stub.url + "/"
    )

    provider.send(PHONES, "Nhac khai bao")

    assert api.requests == [
        {
            "username": "gateway",
            "to": ",".join(PHONES),
            "message": "Nhac khai bao",
            "bulkSMSMode": "1",
            "from": "XA-YTE",
        }
    ]
    [sent] = stub.calls
    assert sent.headers["apikey"] == "secret"
    assert sent.headers["accept"] == "application/json"
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"


def test_requests_to_africas_talking_share_a_kept_alive_connection():
    with FakeServer() as fake:
        provider = AfricasTalkingProvider("sandbox", "key", api_url=fake.url)

        answers = [provider.send(PHONES, f"Nhac khai bao {index}") for index in range(3)]

    assert all(result.status == SENT for results in answers for result in results)
    assert len(fake.connections) == 3
    assert len(set(fake.connections)) == 1


def test_threads_that_send_side_by_side_leave_their_connections_to_the_next():
    with FakeServer() as fake:
        provider = AfricasTalkingProvider("sandbox", "key", api_url=fake.url)

        for round_ in range(2):  # a drain's threads end with it; the next drain's are new
            with ThreadPoolExecutor(max_workers=4) as pool:
                texts = [f"Ca khan {round_}-{index}" for index in range(8)]
                list(pool.map(lambda text: provider.send(PHONES, text), texts))

    assert len(fake.connections) == 16
    assert len(set(fake.connections)) <= 4


def test_the_environments_proxy_is_read_once_and_no_proxy_is_honoured(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.vn:3128")
    monkeypatch.setenv("NO_PROXY", "kannel.internal")

    proxied = KeptAliveHttp("https://api.africastalking.com/version1")
    direct = KeptAliveHttp("https://kannel.internal:13013/cgi-bin/sendsms")
    monkeypatch.setenv("HTTPS_PROXY", "http://elsewhere.example.vn:3128")

    assert proxied.proxy == "http://proxy.example.vn:3128"
    assert direct.proxy is None


def test_the_environments_ca_bundle_checks_https_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch, tmp_path
):
    """As requests reads it; a plain-HTTP URL (a local Kannel) has no certificate to check."""
    bundle = tmp_path / "ca.pem"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert KeptAliveHttp("https://api.africastalking.com/version1").ca_certs == str(bundle)
    assert KeptAliveHttp("http://127.0.0.1:13013/cgi-bin/sendsms").ca_certs is None
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    default = KeptAliveHttp("https://api.africastalking.com/version1").ca_certs
    assert default == DEFAULT_CA_BUNDLE_PATH


def test_a_proxys_credentials_go_in_its_own_header(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://gw%40xa:s%3Acret@proxy.example.vn:3128")

    http = KeptAliveHttp("https://api.africastalking.com/version1")

    assert http.proxy == "http://gw%40xa:s%3Acret@proxy.example.vn:3128"
    assert http._manager.proxy_headers == urllib3.make_headers(proxy_basic_auth="gw@xa:s:cret")
    assert http._manager.proxy.host == "proxy.example.vn"


def dropped(_request: Request) -> Answer:
    raise ConnectionAbortedError("the stub hangs up without answering")


@pytest.mark.parametrize(
    "failure",
    [
        lambda _request: (500, {}, "Internal error"),
        lambda _request: (401, {}, "Invalid credentials"),
        dropped,
    ],
)
def test_a_request_that_fails_is_a_provider_error(stub: StubServer, failure):
    stub.add_callback("POST", MESSAGING_PATH, failure)

    with pytest.raises(ProviderError):
        at(stub).send(PHONES, "Ca khan 3")


def test_an_unreachable_provider_is_a_provider_error():
    closed = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(ProviderError):
        AfricasTalkingProvider("sandbox", "key", api_url=closed).send(PHONES, "Ca khan 3")


def test_network_failures_are_the_exceptions_requests_raises(stub: StubServer):
    """The SDK and the providers catch ``requests``' exceptions: the pool's failures reach
    them as those."""
    stub.add_callback("GET", "/slow", lambda _request: (time.sleep(1), (200, {}, "late"))[1])
    stub.add_callback("GET", "/dropped", dropped)
    http = KeptAliveHttp(stub.url)

    with pytest.raises(requests.ReadTimeout):
        http.request("GET", f"{stub.url}/slow", timeout=(1, 0.1))
    with pytest.raises(requests.ConnectionError):
        http.request("GET", f"{stub.url}/dropped", timeout=1)
    with pytest.raises(requests.ConnectionError):
        closed = f"http://127.0.0.1:{free_port()}"
        KeptAliveHttp(closed).request("GET", f"{closed}/", timeout=1)
    answer = http.request("GET", f"{stub.url}/nowhere", timeout=1)
    assert (answer.status_code, answer.ok, answer.text) == (404, False, "no such route")


def test_each_recipients_status_is_read(stub: StubServer):
    api = InterceptedApi()
    api.refusals = {
        "+84900000001": (403, "InvalidPhoneNumber"),
        "+84900000002": (406, "UserInBlacklist"),
        "+84900000003": (405, "InsufficientBalance"),
        "+84900000004": (500, "InternalServerError"),
        "+84900000005": (501, "GatewayError"),
        "+84900000006": (502, "RejectedByGateway"),
    }
    stub.add_callback("POST", MESSAGING_PATH, api.callback)
    phones = [*api.refusals, PHONES[0]]

    results = at(stub).send(phones, "Nhac")

    assert [(r.status, r.error) for r in results] == [
        (REJECTED, "InvalidPhoneNumber"),
        (REJECTED, "UserInBlacklist"),
        (RETRY, "InsufficientBalance"),
        (RETRY, "InternalServerError"),
        (RETRY, "GatewayError"),
        (RETRY, "RejectedByGateway"),
        (SENT, None),
    ]
    assert results[-1].cost == "KES 0.8000"


def test_a_refused_request_rejects_every_recipient_with_its_reason(stub: StubServer):
    body = {"SMSMessageData": {"Message": "InvalidSenderId", "Recipients": []}}
    stub.add("POST", MESSAGING_PATH, 201, json.dumps(body), **JSON)

    results = at(stub, sender_id="NOT-OURS").send(PHONES, "Nhac")

    assert [(r.status, r.error) for r in results] == [(REJECTED, "InvalidSenderId")] * 2


def test_an_answer_with_a_charset_is_still_read(stub: StubServer):
    body = {"SMSMessageData": {"Message": "Sent to 1/1", "Recipients": [
        {"statusCode": 101, "number": PHONES[0], "status": "Success", "cost": "KES 0.8000",
         "messageId": "ATPid_SampleTxnId123"},
    ]}}  # fmt: skip
    stub.add(
        "POST",
        MESSAGING_PATH,
        201,
        json.dumps(body),
        Content_Type="application/json; charset=utf-8",
    )

    [result] = at(stub).send([PHONES[0]], "Nhac")

    assert (result.status, result.provider_id) == (SENT, "ATPid_SampleTxnId123")


def test_an_answer_that_is_not_africas_talkings_is_not_retried(stub: StubServer):
    stub.add("POST", MESSAGING_PATH, 201, "<html>proxy page</html>", **JSON)

    with pytest.raises(ValueError):
        at(stub).send(PHONES, "Nhac")


@pytest.mark.parametrize(
    ("params", "data"),
    [
        (None, {"username": "xã", "to": "+84912000001,+84912000002", "message": "Ca khẩn 12 & 13"}),
        ({"text": "Sốt 38,5", "dlr-url": "http://gw/dlr?id=4&status=%d", "coding": 2}, None),
        ({"to": ["+84912000001", "+84912000002"], "from": None}, {"skipped": None, "n": 3}),
        ({}, {}),
    ],
)
def test_a_request_is_encoded_as_requests_encodes_it(stub: StubServer, params, data):
    """The pool encodes forms itself (see ``keepalive.form``): byte for byte what
    requests sends for the same dicts, Content-Type included."""
    url = f"{stub.url}/cgi-bin/sendsms?user=gw"
    stub.add("POST", "/cgi-bin/sendsms")
    expected = requests.Request("POST", url, params=params, data=data).prepare()

    KeptAliveHttp(url).request("POST", url, params=params, data=data, timeout=1)

    [sent] = stub.calls
    assert sent.url == expected.url
    assert sent.body == (expected.body or "")
    assert sent.headers.get("content-type") == expected.headers.get("Content-Type")
