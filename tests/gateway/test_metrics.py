"""``/metrics``: guarded by ``METRICS_TOKEN``, and counting what an operator watches.

Counters live for the whole test process, so each test reads them before and after.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from rq import SimpleWorker

from db.models import Case
from gateway.embedded_redis import free_port
from gateway.jobs import QUEUE_NAMES
from gateway.redis_queues import init_app as init_redis
from gateway.services import cases, ussd_calls
from tests import factories
from tests.http_stub import StubServer
from tests.support import send_through_africastalking
from tests.workers.fake_africastalking import MESSAGING_PATH, InterceptedApi
from workers.inbox import handle_inbox

TOKEN = "metrics-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOUSEHOLD_PHONE = "+84912000001"
MEMBER_PHONE = "+84988000001"


@pytest.fixture
def metrics_app(app: Flask) -> Flask:
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], metrics_token=TOKEN)
    return app


@pytest.fixture
def commune(app: Flask) -> None:
    commune = factories.commune("MT", health_station_mobile="+84977000115")
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, MEMBER_PHONE, "Le Thi Hoa")
    factories.household(team, "MT001", (HOUSEHOLD_PHONE,), member)


def scrape(client: FlaskClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def sms(client: FlaskClient, sender: str, text: str, message_id: str):
    """Post an SMS, then handle it as the drain job the webhook queued would."""
    form = {"from": sender, "to": "8088", "text": text, "id": message_id}
    response = client.post("/webhooks/africastalking/sms", data=form)
    handle_inbox()
    return response


def test_without_a_token_metrics_are_served_only_in_debug(app: Flask):
    assert app.test_client().get("/metrics").status_code == 404
    app.debug = True
    assert app.test_client().get("/metrics").status_code == 200


@pytest.mark.parametrize("header", [None, "Bearer wrong", TOKEN, f"Basic {TOKEN}"])
def test_with_a_token_only_its_bearer_is_served(metrics_app: Flask, header: str | None):
    headers = {"Authorization": header} if header else {}
    response = metrics_app.test_client().get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.usefixtures("commune")
def test_webhook_outcomes_and_requests_are_counted(metrics_app: Flask):
    client = metrics_app.test_client()
    before = scrape(client)
    sms(client, HOUSEHOLD_PHONE, "2 13", "ATXid_m1")
    sms(client, HOUSEHOLD_PHONE, "2 13", "ATXid_m1")
    client.post("/webhooks/africastalking/ussd", data={"sessionId": "s", "phoneNumber": "x"})
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    endpoint = "/webhooks/africastalking/sms"
    sms_ok = {"endpoint": endpoint, "method": "POST", "status": "200"}
    assert delta("gateway_http_requests_total", **sms_ok) == 2
    assert delta("gateway_http_request_duration_seconds_count", endpoint=endpoint) == 2
    ussd = {"endpoint": "/webhooks/africastalking/ussd", "method": "POST", "status": "400"}
    assert delta("gateway_http_requests_total", **ussd) == 1
    assert delta("gateway_sms_received_total", outcome="handled") == 1
    assert delta("gateway_sms_received_total", outcome="duplicate") == 1
    assert delta("gateway_declarations_recorded_total", channel="sms") == 1
    assert delta("gateway_cases_opened_total", kind="symptoms") == 1


@pytest.mark.usefixtures("commune")
def test_a_request_is_timed_from_when_it_reached_the_app(
    metrics_app: Flask, monkeypatch: pytest.MonkeyPatch
):
    """Callbacks and pages alike; the clock starts before Flask's hooks and the view."""
    answer = ussd_calls.answer

    def slow_answer(*args: Any) -> ussd_calls.Answer:
        time.sleep(0.05)
        return answer(*args)

    monkeypatch.setattr(ussd_calls, "answer", slow_answer)
    client = metrics_app.test_client()
    ussd = {"endpoint": "/webhooks/africastalking/ussd"}
    page = {"endpoint": "/healthz"}
    before = scrape(client)
    form = {"sessionId": "t1", "phoneNumber": HOUSEHOLD_PHONE, "text": ""}
    assert client.post("/webhooks/africastalking/ussd", data=form).status_code == 200
    client.get("/healthz")
    after = scrape(client)

    def delta(name: str, labels: dict[str, str]) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("gateway_http_request_duration_seconds_count", ussd) == 1
    assert 0.05 <= delta("gateway_http_request_duration_seconds_sum", ussd) < 15
    assert delta("gateway_http_request_duration_seconds_count", page) == 1
    assert delta("gateway_http_requests_total", {**page, "method": "GET", "status": "200"}) == 1


@pytest.mark.usefixtures("commune")
def test_queue_depth_and_waiting_outbox_rows_are_read_at_scrape_time(metrics_app: Flask):
    client = metrics_app.test_client()
    sms(client, HOUSEHOLD_PHONE, "2 13", "ATXid_m2")
    samples = scrape(client)
    # One drain for the two alerts (the webhook queues nothing: the inbox was handled above).
    assert value(samples, "gateway_queue_jobs", queue="urgent", state="queued") == 1
    assert value(samples, "gateway_queue_jobs", queue="default", state="queued") == 1
    assert value(samples, "gateway_outbox_messages", state="queued", priority="urgent") == 2
    assert value(samples, "gateway_outbox_oldest_seconds", state="queued", priority="urgent") >= 0
    assert value(samples, "gateway_part_up", part="redis") == 1
    assert value(samples, "gateway_part_up", part="db") == 1


@pytest.mark.usefixtures("commune")
def test_time_to_acknowledge_is_observed(metrics_app: Flask):
    client = metrics_app.test_client()
    sms(client, HOUSEHOLD_PHONE, "2 2", "ATXid_m3")
    before = value(scrape(client), "gateway_case_acknowledge_seconds_count", rung="member")
    sms(client, MEMBER_PHONE, f"OK {Case.get().id}", "ATXid_m4")
    sms(client, MEMBER_PHONE, f"OK {Case.get().id}", "ATXid_m5")
    after = value(scrape(client), "gateway_case_acknowledge_seconds_count", rung="member")
    assert after - before == 1


@pytest.mark.usefixtures("commune")
def test_staff_answers_feed_the_same_time_to_acknowledge(metrics_app: Flask):
    """A case staff acknowledge and one staff resolve unanswered count like a member's OK."""
    client = metrics_app.test_client()
    sms(client, HOUSEHOLD_PHONE, "2 2", "ATXid_m6")
    before = value(scrape(client), "gateway_case_acknowledge_seconds_count", rung="member")
    cases.staff_acknowledge(Case.get().id, "admin")
    cases.staff_acknowledge(Case.get().id, "admin")
    sms(client, HOUSEHOLD_PHONE, "2 1", "ATXid_m7")
    second = Case.select().order_by(Case.id.desc()).get()
    cases.staff_resolve(second.id, "admin", "da goi")
    cases.staff_resolve(second.id, "admin", "again")
    after = value(scrape(client), "gateway_case_acknowledge_seconds_count", rung="member")
    assert after - before == 2
    assert Case.get_by_id(second.id).acknowledged_at is not None


@pytest.fixture
def refusing_api(metrics_app: Flask) -> Iterator[InterceptedApi]:
    """Africa's Talking refusing the household's number, through the real SDK."""
    api = InterceptedApi()
    api.refusals[HOUSEHOLD_PHONE] = (406, "UserInBlacklist")
    with StubServer() as server:
        server.add_callback("POST", MESSAGING_PATH, api.callback)
        send_through_africastalking(metrics_app, server.url)
        yield api


@pytest.mark.usefixtures("commune")
def test_send_failures_counted_by_the_jobs_reach_the_web_process(
    metrics_app: Flask, refusing_api: InterceptedApi
):
    client = metrics_app.test_client()
    before = value(scrape(client), "gateway_send_failures_total", kind="rejected")
    sms(client, HOUSEHOLD_PHONE, "1", "ATXid_m6")
    queues = [metrics_app.extensions["queues"][name] for name in QUEUE_NAMES]
    SimpleWorker(queues, connection=metrics_app.extensions["redis"]).work(burst=True)
    assert refusing_api.recipients() == [HOUSEHOLD_PHONE]
    assert value(scrape(client), "gateway_send_failures_total", kind="rejected") - before == 1


def test_a_scrape_with_redis_down_still_answers(metrics_app: Flask):
    metrics_app.config["SETTINGS"] = dataclasses.replace(
        metrics_app.config["SETTINGS"], redis_url=f"redis://127.0.0.1:{free_port()}/0"
    )
    init_redis(metrics_app)
    samples = scrape(metrics_app.test_client())
    assert value(samples, "gateway_part_up", part="redis") == 0
    assert value(samples, "gateway_part_up", part="db") == 1
