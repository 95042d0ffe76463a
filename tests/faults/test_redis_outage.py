"""Redis stops in the middle of a burst of declarations, and comes back empty.

Households declare through the SMS and USSD webhooks in three waves: before
the outage (a worker sends their messages), while Redis is stopped (Africa's
Talking retries some callbacks), and after it restarted with no memory of its
queues. Nothing may answer 500 meanwhile; afterwards every declaration and
case is stored once, and the sweeps (the inbox's for the SMS stored while Redis
was down, the outbox's for the messages queued then) and a worker send every
outbound SMS exactly once, counted at the fake Africa's Talking.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from db.base import utcnow
from db.models import Case, Declaration, InboundMessage, OutboundMessage
from gateway.embedded_redis import EmbeddedRedis
from tests.faults import commune
from tests.support import Processes
from tests.workers.fake_africastalking import FakeServer
from workers.inbox import STALE, sweep_inbox
from workers.sweep import STALE_QUEUED, sweep_outbox

HOUSEHOLDS = 12
WAVES = (range(0, 4), range(4, 8), range(8, 12))


def declare(client: FlaskClient, index: int, retries: int = 0) -> None:
    """One household declares; Africa's Talking delivers its recording callback
    ``1 + retries`` times. Every answer must be a 200 a phone can show."""
    path, forms = commune.callbacks(index)
    for form in forms + forms[-1:] * retries:
        response = client.post(path, data=form)
        assert response.status_code == 200, response.get_data(as_text=True)
        if path == commune.USSD_PATH:
            assert response.get_data(as_text=True).startswith(("CON ", "END "))


def test_a_redis_outage_neither_loses_nor_doubles_a_declaration_or_an_sms(
    gateway_app: Flask,
    private_redis: EmbeddedRedis,
    fake_at: FakeServer,
    processes: Processes,
):
    commune.seed(HOUSEHOLDS)
    client = gateway_app.test_client()

    for index in WAVES[0]:
        declare(client, index)
    processes.run_gateway("worker", "--burst")
    assert fake_at.received == commune.expected_outbound(WAVES[0])

    private_redis.stop()
    for index in WAVES[1]:
        declare(client, index, retries=1)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json["redis"].startswith("error")
    private_redis.start()

    report = sweep_outbox(utcnow() + STALE_QUEUED + dt.timedelta(minutes=1))
    by_ussd = [index for index in WAVES[1] if not commune.by_sms(index)]
    assert report.enqueued == commune.expected_outbound(by_ussd).total()

    stored_during = [index for index in WAVES[1] if commune.by_sms(index)]
    assert sweep_inbox(utcnow() + STALE + dt.timedelta(seconds=1)) == len(stored_during)
    for index in WAVES[2]:
        declare(client, index, retries=1)
    processes.run_gateway("worker", "--burst")

    assert InboundMessage.select().count() == HOUSEHOLDS // 2
    assert Declaration.select().count() == HOUSEHOLDS
    assert Case.select().count() == HOUSEHOLDS
    assert {row.state for row in OutboundMessage.select()} == {"sent"}
    assert fake_at.received == commune.expected_outbound(range(HOUSEHOLDS))
