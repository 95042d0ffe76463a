"""Redis stops for 30 s under load, with no supervisor: worker and cron ride it out.

``gateway worker`` and ``gateway cron`` are started once, as an operator
would, and nothing restarts them. A backlog of replies is draining at the
route's cap when Redis stops; households keep declaring meanwhile (their
alerts commit, their enqueues fail); Redis comes back empty. Afterwards both
processes are still running, every message reached the fake Africa's
Talking exactly once, and the alerts written during the outage left before
any more of the backlog: recovery jumps the queue.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from db.models import OutboundMessage
from gateway.embedded_redis import EmbeddedRedis
from gateway.jobs import DEFAULT, URGENT
from gateway.services.outbox import outbox, queue_sms
from tests.faults import commune
from tests.support import WAIT, Processes, gateway_environment
from tests.workers.fake_africastalking import FakeServer

OUTAGE = 30
"""Seconds Redis stays down: the scenario, not an assertion."""
RATE = 100
BACKLOG = [f"+8497{index:07d}" for index in range(20 * RATE)]
BEFORE, DURING = range(0, 10), range(10, 20)
ALERTED = {commune.MEMBER, commune.STATION}


@pytest.fixture
def environment(
    fault_database: str, private_redis: EmbeddedRedis, fake_at: FakeServer
) -> dict[str, str]:
    environment = gateway_environment(fault_database, private_redis.url, fake_at.url)
    return {**environment, "SMS_RATE_LIMIT": str(RATE)}


def declare(client: FlaskClient, households: range) -> None:
    for index in households:
        path, forms = commune.callbacks(index)
        for form in forms:
            assert client.post(path, data=form).status_code == 200


def wait_until(done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not done():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.2)


def unsent(priority: str | None = None) -> int:
    query = OutboundMessage.select().where(OutboundMessage.state.in_(("queued", "sending")))
    if priority:
        query = query.where(OutboundMessage.priority == priority)
    return query.count()


def test_worker_and_cron_outlive_a_redis_restart_and_alerts_jump_the_backlog(
    gateway_app: Flask, private_redis: EmbeddedRedis, fake_at: FakeServer, processes: Processes
):
    commune.seed(len(BEFORE) + len(DURING))
    client = gateway_app.test_client()
    with outbox():
        for index, phone in enumerate(BACKLOG):
            queue_sms(phone, f"Da nhan khai bao so {index // 10}", priority=DEFAULT)
    # One worker process: the order things leave in is one worker's queue order (a pool's
    # second process would send replies beside the first one's alerts).
    worker, cron = processes.gateway("worker", "--processes", "1"), processes.gateway("cron")
    declare(client, BEFORE)
    wait_until(lambda: unsent(URGENT) == 0)

    private_redis.stop()
    declare(client, DURING)
    time.sleep(OUTAGE)
    private_redis.start()
    back = time.monotonic()
    backlog_left = unsent(DEFAULT)
    wait_until(lambda: unsent() == 0)

    assert (worker.poll(), cron.poll()) == (None, None), processes.log.read_text()
    expected = commune.expected_outbound(range(len(BEFORE) + len(DURING))) + Counter(BACKLOG)
    assert fake_at.received == expected
    assert {row.state for row in OutboundMessage.select()} == {"sent"}
    after = [recipients for at, _text, recipients in fake_at.arrivals if at >= back]
    last_alert = max(i for i, recipients in enumerate(after) if ALERTED & set(recipients))
    ahead = [phone for recipients in after[: last_alert + 1] for phone in recipients]
    assert set(ahead) <= ALERTED, "a reply left before an alert written during the outage"
    alerts_at = max(at for at, _text, to in fake_at.arrivals if at >= back and ALERTED & set(to))
    print(
        f"\nRedis down {OUTAGE} s; {backlog_left} replies still queued on its return; "
        f"last alert {alerts_at - back:.1f} s after, last reply "
        f"{fake_at.arrivals[-1][0] - back:.1f} s after"
    )
