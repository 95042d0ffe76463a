"""Providers: one contract every provider passes, then what is Africa's Talking's own.

Africa's Talking runs as its real SDK, its HTTP answered by ``responses``;
Kannel's ``sendsms`` is answered the same way here, and by a real Kannel in
``tests/kannel``.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import responses
from africastalking.Service import DEFAULT_TIMEOUT_S

from gateway.config import ConfigError, Settings
from gateway.providers import ProviderError, SmsProvider, get_provider
from gateway.providers.africastalking import AfricasTalkingProvider
from gateway.providers.base import REJECTED, RETRY, SENT
from gateway.providers.console import ConsoleProvider
from gateway.providers.kannel import KannelProvider
from gateway.providers.keepalive import KeptAliveHttp
from tests.kannel.intercepted import SENDSMS_URL, InterceptedSendsms
from tests.workers.fake_africastalking import JSON, SANDBOX_URL, FakeServer, InterceptedApi

PHONES = ["+84912345678", "+84987654321"]
FAKE_URL = "http://fake-africastalking.test"


def settings(**values: str) -> Settings:
    return Settings.from_env({"SECRET_KEY": "x", **values}, Path("/nonexistent"))


@pytest.fixture
def intercept() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


KANNEL = {
    "SMS_PROVIDER": "kannel",
    "KANNEL_SENDSMS_URL": SENDSMS_URL,
    "KANNEL_USERNAME": "gateway",
    "KANNEL_PASSWORD": "secret",
    "PUBLIC_URL": "https://gateway.example.vn",
}


@pytest.fixture(params=["console", "africastalking", "kannel"])
def provider(request: pytest.FixtureRequest, intercept: responses.RequestsMock) -> SmsProvider:
    if request.param == "console":
        return ConsoleProvider(stream=io.StringIO())
    if request.param == "kannel":
        intercept.add_callback(responses.GET, SENDSMS_URL, callback=InterceptedSendsms().callback)
        return get_provider(settings(**KANNEL))
    intercept.add_callback(responses.POST, SANDBOX_URL, callback=InterceptedApi().callback)
    return get_provider(
        settings(SMS_PROVIDER="africastalking", AT_USERNAME="sandbox", AT_API_KEY="key")
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
    assert isinstance(get_provider(settings(**KANNEL)), KannelProvider)
    with pytest.raises(ConfigError):
        get_provider(dataclasses.replace(settings(), sms_provider="kannel"))


def test_the_console_prints_the_whole_message():
    stream = io.StringIO()
    console = ConsoleProvider(stream=stream)

    console.send([PHONES[0]], "Ca khan 12")

    assert f"SMS to {PHONES[0]}" in stream.getvalue()
    assert "Ca khan 12" in stream.getvalue()
    assert [(sms.phone, sms.text) for sms in console.sent] == [(PHONES[0], "Ca khan 12")]


def test_at_api_url_moves_the_sdk_and_the_request_is_the_sdks(intercept: responses.RequestsMock):
    api = InterceptedApi()
    intercept.add_callback(responses.POST, f"{FAKE_URL}/version1/messaging", callback=api.callback)
    provider = AfricasTalkingProvider(
        "gateway", "secret", sender_id="XA-YTE", api_url=FAKE_URL + "/"
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
    assert intercept.calls[0].request.headers["apiKey"] == "secret"
    assert intercept.calls[0].request.req_kwargs["timeout"] == DEFAULT_TIMEOUT_S


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

    assert proxied.proxies["https"] == "http://proxy.example.vn:3128"
    assert "https" not in direct.proxies


def test_the_environments_ca_bundle_checks_https_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch, tmp_path
):
    """Given a bundle's path, requests stats it at every request: only worth it where
    there is a certificate to check."""
    bundle = tmp_path / "ca.pem"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert KeptAliveHttp("https://api.africastalking.com/version1").verify == str(bundle)
    assert KeptAliveHttp("http://127.0.0.1:13013/cgi-bin/sendsms").verify is True
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    assert KeptAliveHttp("https://api.africastalking.com/version1").verify is True


@pytest.mark.parametrize(
    "failure",
    [
        responses.Response(responses.POST, SANDBOX_URL, status=500, body="Internal error"),
        responses.Response(responses.POST, SANDBOX_URL, status=401, body="Invalid credentials"),
        responses.Response(responses.POST, SANDBOX_URL, body=requests.ConnectionError("refused")),
        responses.Response(responses.POST, SANDBOX_URL, body=requests.ReadTimeout("slow")),
    ],
)
def test_a_request_that_fails_is_a_provider_error(intercept: responses.RequestsMock, failure):
    intercept.add(failure)
    provider = AfricasTalkingProvider("sandbox", "key")

    with pytest.raises(ProviderError):
        provider.send(PHONES, "Ca khan 3")


def test_each_recipients_status_is_read(intercept: responses.RequestsMock):
    api = InterceptedApi()
    api.refusals = {
        "+84900000001": (403, "InvalidPhoneNumber"),
        "+84900000002": (406, "UserInBlacklist"),
        "+84900000003": (405, "InsufficientBalance"),
        "+84900000004": (500, "InternalServerError"),
        "+84900000005": (501, "GatewayError"),
        "+84900000006": (502, "RejectedByGateway"),
    }
    intercept.add_callback(responses.POST, SANDBOX_URL, callback=api.callback)
    phones = [*api.refusals, PHONES[0]]

    results = AfricasTalkingProvider("sandbox", "key").send(phones, "Nhac")

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


def test_a_refused_request_rejects_every_recipient_with_its_reason(
    intercept: responses.RequestsMock,
):
    body = {"SMSMessageData": {"Message": "InvalidSenderId", "Recipients": []}}
    intercept.add(responses.POST, SANDBOX_URL, json=body, status=201)

    results = AfricasTalkingProvider("sandbox", "key", sender_id="NOT-OURS").send(PHONES, "Nhac")

    assert [(r.status, r.error) for r in results] == [(REJECTED, "InvalidSenderId")] * 2


def test_an_answer_with_a_charset_is_still_read(intercept: responses.RequestsMock):
    body = {"SMSMessageData": {"Message": "Sent to 1/1", "Recipients": [
        {"statusCode": 101, "number": PHONES[0], "status": "Success", "cost": "KES 0.8000",
         "messageId": "ATPid_SampleTxnId123"},
    ]}}  # fmt: skip
    intercept.add(
        responses.POST,
        SANDBOX_URL,
        body=json.dumps(body),
        status=201,
        content_type="application/json; charset=utf-8",
    )

    [result] = AfricasTalkingProvider("sandbox", "key").send([PHONES[0]], "Nhac")

    assert (result.status, result.provider_id) == (SENT, "ATPid_SampleTxnId123")


def test_an_answer_that_is_not_africas_talkings_is_not_retried(intercept: responses.RequestsMock):
    intercept.add(responses.POST, SANDBOX_URL, body="<html>proxy page</html>", headers=JSON)

    with pytest.raises(ValueError):
        AfricasTalkingProvider("sandbox", "key").send(PHONES, "Nhac")


@pytest.mark.parametrize(
    ("params", "data"),
    [
        (None, {"username": "xã", "to": "+84912000001,+84912000002", "message": "Ca khẩn 12 & 13"}),
        ({"text": "Sốt 38,5", "dlr-url": "http://gw/dlr?id=4&status=%d", "coding": 2}, None),
        ({"to": ["+84912000001", "+84912000002"], "from": None}, {"skipped": None, "n": 3}),
        ({}, {}),
    ],
)
def test_a_request_is_encoded_as_requests_encodes_it(
    intercept: responses.RequestsMock, params, data
):
    """The pool encodes forms itself (see ``keepalive.form``): byte for byte what
    requests sends for the same dicts, Content-Type included."""
    url = "http://127.0.0.1:13013/cgi-bin/sendsms?user=gw"
    intercept.add(responses.POST, url.split("?")[0])
    expected = requests.Request("POST", url, params=params, data=data).prepare()

    KeptAliveHttp(url).request("POST", url, params=params, data=data, timeout=1)

    sent = intercept.calls[0].request
    assert sent.url == expected.url
    assert sent.body == expected.body
    assert sent.headers.get("Content-Type") == expected.headers.get("Content-Type")
