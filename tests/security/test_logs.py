"""The logs carry no phone number, no symptom, no token (SPEC §9).

Households declare symptoms by USSD and SMS, a member acknowledges, Africa's
Talking reports a delivery, a worker sends the alerts, and a request goes
through a real werkzeug server so its access log line is written; every logger
is at DEBUG (peewee's query log included). Then the test reads everything
logged, through pytest's handler and whatever reached stdout and stderr.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import requests
from flask import Flask

from db.models import Case
from gateway.job_worker import GatewayWorker
from gateway.jobs import QUEUE_NAMES
from gateway.logging_setup import redact_text
from tests.http_stub import StubServer
from tests.security.callbacks import (
    DELIVERY,
    EVENTS,
    HOUSEHOLD_PHONE,
    KANNEL_SMS,
    MEMBER_PHONE,
    RECORDING_CALLBACKS,
    SMS,
    STATION,
    TOKEN,
    USSD,
)
from tests.support import WAIT, send_through_africastalking, serving
from tests.workers.fake_africastalking import MESSAGING_PATH, InterceptedApi

SYMPTOMS_SMS = "Sốt khó thở 2 người"
FORBIDDEN = (
    "912000001",
    "988000001",
    "2203123456",
    TOKEN,
    "Sốt",
    "sốt",
    "khó thở",
    "kho tho",
    "2*13*2*391",
)
"""Each phone's national digits (any way of writing it contains them), the
token, and what the households reported."""


@pytest.fixture
def at_app(guarded_app: Flask) -> Iterator[Flask]:
    """Sends through the real SDK to a scripted Africa's Talking on a local socket."""
    with StubServer() as server:
        server.add_callback("POST", MESSAGING_PATH, InterceptedApi().callback)
        send_through_africastalking(guarded_app, server.url)
        yield guarded_app


def post_through_a_real_server(app: Flask, path: str, form: dict[str, str]) -> int:
    """One request through werkzeug's server, which writes an access log line."""
    with serving(app) as url:
        return requests.post(f"{url}{path}?token={TOKEN}", data=form, timeout=WAIT).status_code


def drive_every_webhook(app: Flask) -> None:
    client = app.test_client()
    session = RECORDING_CALLBACKS[USSD]
    answers = session["text"].split("*")
    for step in range(len(answers) + 1):
        form = {**session, "text": "*".join(answers[:step])}
        assert client.post(f"{USSD}?token={TOKEN}", data=form).status_code == 200
    sms = {**RECORDING_CALLBACKS[SMS], "from": "0912 000 001", "text": SYMPTOMS_SMS}
    assert client.post(f"{SMS}?token={TOKEN}", data=sms).status_code == 200
    acknowledgement = {
        **RECORDING_CALLBACKS[SMS],
        "id": "ATXid_ack",
        "from": MEMBER_PHONE,
        "text": f"OK {Case.select().first().id}",
    }
    assert client.post(f"{SMS}?token={TOKEN}", data=acknowledgement).status_code == 200
    for path in (DELIVERY, EVENTS):
        response = client.post(f"{path}?token={TOKEN}", data=RECORDING_CALLBACKS[path])
        assert response.status_code == 200
    assert client.post(f"{SMS}?token=guess", data=sms).status_code == 403
    assert post_through_a_real_server(app, SMS, {**sms, "id": "ATXid_real_server"}) == 200
    kannel = {**RECORDING_CALLBACKS[KANNEL_SMS], "text": "2 kho tho", "token": TOKEN}
    with serving(app) as url:
        assert requests.get(f"{url}{KANNEL_SMS}", params=kannel, timeout=WAIT).status_code == 200
    queues = [app.extensions["queues"][name] for name in QUEUE_NAMES]
    GatewayWorker(queues, connection=app.extensions["redis"]).work(burst=True)


@pytest.mark.usefixtures("commune")
def test_nothing_private_reaches_the_logs(
    at_app: Flask, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
):
    with caplog.at_level(logging.DEBUG):
        drive_every_webhook(at_app)
    captured = capfd.readouterr()
    logged = "\n".join([caplog.text, captured.out, captured.err])

    assert "sms from +84*******001" in logged
    assert "POST /webhooks/africastalking/sms HTTP/1.1" in logged  # the path, no query string
    assert "GET /webhooks/kannel/sms HTTP/1.1" in logged
    assert "/webhooks/africastalking/sms?" not in logged and "/webhooks/kannel/sms?" not in logged
    assert "kho+tho" not in logged
    assert 'INSERT INTO "declaration"' in logged
    assert "workers.sending.drain" in logged
    for secret in FORBIDDEN:
        assert secret not in logged, secret


@pytest.mark.usefixtures("commune")
def test_a_traceback_is_masked_too(
    guarded_app: Flask, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
):
    def fail(*_args: object) -> None:
        raise RuntimeError(f"could not reach {HOUSEHOLD_PHONE} or {STATION}")

    monkeypatch.setattr("gateway.services.delivery.record", fail)
    guarded_app.testing = False
    with caplog.at_level(logging.ERROR):
        response = guarded_app.test_client().post(
            f"{DELIVERY}?token={TOKEN}", data=RECORDING_CALLBACKS[DELIVERY]
        )
    assert response.status_code == 500
    assert "RuntimeError: could not reach +84*******001 or +84*******456" in caplog.text
    assert "912000001" not in caplog.text and "2203123456" not in caplog.text


@pytest.mark.parametrize(
    ("line", "redacted"),
    [
        ("sms from +84912345678: handled", "sms from +84*******678: handled"),
        ("call 0912 345 678 now", "call +84*******678 now"),
        ("call (024) 3825-1234", "call +84*******234"),
        ('"POST /sms?token=abc&x=1 HTTP/1.1" 200', '"POST /sms?token=***&x=1 HTTP/1.1" 200'),
        ("GET /metrics?api_key=k1&token=k2", "GET /metrics?api_key=***&token=***"),
        ("slot 2026-11-23 07:30 ran", "slot 2026-11-23 07:30 ran"),
        ("from 192.168.100.200 at 12:00:01", "from 192.168.100.200 at 12:00:01"),
        ("job send-sms-42-1 and ATXid_1234567890", "job send-sms-42-1 and ATXid_1234567890"),
        ("id 12345678901234567", "id ***"),
        (
            "GET /console/c/AB/households?q=0912+000+002 HTTP/1.1",
            "GET /console/c/AB/households?q=+84*******002 HTTP/1.1",
        ),
        ("GET /messages?phone=%2B84912000002", "GET /messages?phone=+84*******002"),
        (
            "GET /webhooks/kannel/sms?from=%2B84912345678&text=2+s%E1%BB%91t&id=k1 HTTP/1.1",
            "GET /webhooks/kannel/sms HTTP/1.1",
        ),
        ("GET /dlr?id=7&status=2&answer=NACK%2F0x0b", "GET /dlr?id=7&status=2&answer=***"),
        (
            "GET /cgi-bin/sendsms?to=%2B84912345678&text=2+s%E1%BB%91t",
            "GET /cgi-bin/sendsms?to=+84*******678&text=***",
        ),
        ("from \u200f+84912345678", "from \u200f+84*******678"),
        ("\u200e0912 345 678\u200f says", "\u200e+84*******678\u200f says"),
        ("call tel:+84912345678", "call tel:+84*******678"),
        ("href=tel%3A%2B84912345678", "href=tel%3A+84*******678"),
        ("rtl %E2%80%8F0912345678", "rtl %E2%80%8F+84*******678"),
        ("call 0912.345.678 or +84.912.345.679", "call +84*******678 or +84*******679"),
        ("took 1234.5678 ms on 2026.11.23", "took 1234.5678 ms on 2026.11.23"),
        (
            "job 12345678-1234-4567-8901-234567890123 ok",
            "job 12345678-1234-4567-8901-234567890123 ok",
        ),
        ("job reminder-7-2026-11-23-0730 started", "job reminder-7-2026-11-23-0730 started"),
        ("worker 4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c", "worker 4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"),
        (
            "rq:job:0b7c7b2e-1234-4567-8901-234567890123",
            "rq:job:0b7c7b2e-1234-4567-8901-234567890123",
        ),
        (
            '"GET /webhooks/kannel/sms?from=%2B84912345678&text=ho&token=k HTTP/1.1" 200',
            '"GET /webhooks/kannel/sms HTTP/1.1" 200',
        ),
        (
            '"POST /webhooks/africastalking/sms?token=k HTTP/1.1" 200',
            '"POST /webhooks/africastalking/sms HTTP/1.1" 200',
        ),
    ],
)
def test_what_is_masked_and_what_is_kept(line: str, redacted: str):
    assert redact_text(line) == redacted
