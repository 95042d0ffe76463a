"""A provider's kept-alive connections (``gateway.providers.connections``), against a
real local server: reused while they live, replaced before use when the provider
closed them, never used to send a request twice, and checked when they are HTTPS.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterator

import pytest
import requests
import trustme

from gateway.providers import ProviderError
from gateway.providers.africastalking import AfricasTalkingProvider
from gateway.providers.base import SENT
from gateway.providers.keepalive import KeptAliveHttp
from tests.http_stub import Request, StubServer
from tests.workers.fake_africastalking import FakeServer

PHONES = ["+84912345678"]


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        server.add("GET", "/", 200, "ok")
        yield server


def dropped(_request: Request) -> tuple[int, dict[str, str], str]:
    raise ConnectionAbortedError("the stub hangs up without answering")


def ports(stub: StubServer) -> list[int]:
    return [call.client_port for call in stub.calls]


def test_an_idle_connection_the_provider_closed_is_replaced_before_anything_is_sent(
    stub: StubServer,
):
    http = KeptAliveHttp(stub.url)
    stub.hang_up_after_answer = True
    assert http.request("GET", f"{stub.url}/", timeout=1).text == "ok"
    time.sleep(0.2)  # the provider's close reaches the idle connection

    assert http.request("GET", f"{stub.url}/", timeout=1).text == "ok"

    assert len(stub.calls) == 2
    assert len(set(ports(stub))) == 2


def test_a_request_whose_connection_dies_is_not_sent_again(stub: StubServer):
    """The provider may have taken it: whether to try again is the outbox's call."""
    stub.add_callback("POST", "/drop", dropped)
    http = KeptAliveHttp(stub.url)
    http.request("GET", f"{stub.url}/", timeout=1)  # a kept-alive connection to reuse

    with pytest.raises(requests.ConnectionError):
        http.request("POST", f"{stub.url}/drop", data={"to": "+84912345678"}, timeout=1)

    assert [call.url.rsplit("/", 1)[1] for call in stub.calls] == ["", "drop"]
    assert http.request("GET", f"{stub.url}/", timeout=1).text == "ok"
    assert len(set(ports(stub))) == 2  # the dead connection was not taken back


def test_an_answer_that_closes_its_connection_leaves_it_out_of_the_pool(stub: StubServer):
    stub.add("GET", "/last", 200, "bye", Connection="close")
    http = KeptAliveHttp(stub.url)

    http.request("GET", f"{stub.url}/last", timeout=1)
    http.request("GET", f"{stub.url}/", timeout=1)
    http.request("GET", f"{stub.url}/", timeout=1)

    first, second, third = ports(stub)
    assert first != second == third


def test_answers_are_asked_for_uncompressed(stub: StubServer):
    KeptAliveHttp(stub.url).request("GET", f"{stub.url}/", timeout=1)

    assert stub.calls[0].headers["accept-encoding"] == "identity"


@pytest.fixture
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def https_provider(authority: trustme.CA) -> Iterator[FakeServer]:
    """Africa's Talking's stand-in on HTTPS, its certificate for 127.0.0.1 from ``authority``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with FakeServer(tls=context) as server:
        yield server


def test_https_goes_to_a_provider_whose_certificate_the_bundle_trusts(
    https_provider: FakeServer, authority: trustme.CA, monkeypatch: pytest.MonkeyPatch, tmp_path
):
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    provider = AfricasTalkingProvider("sandbox", "key", api_url=https_provider.url)

    results = [provider.send(PHONES, f"Nhac khai bao {index}") for index in range(2)]

    assert [result.status for batch in results for result in batch] == [SENT, SENT]
    assert len(set(https_provider.connections)) == 1


def test_a_certificate_the_bundle_does_not_trust_is_a_provider_error_before_sending(
    https_provider: FakeServer, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    provider = AfricasTalkingProvider("sandbox", "key", api_url=https_provider.url)

    with pytest.raises(ProviderError, match="unreachable"):
        provider.send(PHONES, "Ca khan 3")
    with pytest.raises(requests.exceptions.SSLError):
        KeptAliveHttp(https_provider.url).request("GET", f"{https_provider.url}/", timeout=1)

    assert https_provider.calls == []


def test_a_bundle_that_cannot_be_read_fails_each_request_not_the_start(
    https_provider: FakeServer, monkeypatch: pytest.MonkeyPatch, tmp_path
):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
    provider = AfricasTalkingProvider("sandbox", "key", api_url=https_provider.url)

    with pytest.raises(ProviderError):
        provider.send(PHONES, "Ca khan 3")
    assert https_provider.calls == []
