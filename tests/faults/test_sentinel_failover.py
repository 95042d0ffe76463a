"""The Redis master dies in the middle of a burst of declarations; its Sentinels fail over.

The gateway knows Redis only through three Sentinels (``REDIS_SENTINELS``).
Households declare through the SMS and USSD webhooks while a worker runs:
before the master dies, right after (the Sentinels have not yet noticed),
and once the replica has been promoted. Jobs the dead master held and never
passed to its replica are gone; the outbox sweep enqueues their messages
again. Afterwards every inbound SMS is stored once, every declaration and
case once, and the provider got every outbound SMS exactly once.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from db.base import utcnow
from db.models import Case, Declaration, InboundMessage, OutboundMessage
from tests.faults import commune
from tests.faults.test_redis_outage import declare
from tests.sentinels import MASTER_NAME, SentinelGroup
from tests.support import WAIT, Processes, gateway_environment, migrated_app
from tests.workers.fake_africastalking import FakeServer
from workers.sweep import STALE_QUEUED, sweep_outbox

HOUSEHOLDS = 18
WAVES = (range(0, 6), range(6, 12), range(12, 18))


@pytest.fixture
def sentinel_group() -> Iterator[SentinelGroup]:
    with SentinelGroup() as group:
        yield group


def wait_until_sent(fake_at: FakeServer, expected, processes: Processes) -> None:
    """The worker is running: wait (never a timed assertion) until it has sent ``expected``."""
    deadline = time.monotonic() + WAIT
    while fake_at.received != expected:
        assert time.monotonic() < deadline, (fake_at.received, processes.log.read_text())
        assert all(p.poll() is None for p in processes.started), processes.log.read_text()
        time.sleep(0.1)


def test_a_sentinel_failover_neither_loses_nor_doubles_a_declaration_or_an_sms(
    fault_database: str, fake_at: FakeServer, sentinel_group: SentinelGroup, tmp_path
):
    environment = {
        **gateway_environment(fault_database, "redis://", fake_at.url),
        "REDIS_SENTINELS": sentinel_group.sentinels,
        "REDIS_SENTINEL_MASTER": MASTER_NAME,
    }
    processes = Processes(environment, tmp_path, tmp_path / "processes.log")
    try:
        with migrated_app(environment) as app:
            commune.seed(HOUSEHOLDS)
            client: FlaskClient = app.test_client()
            processes.gateway("worker")

            for index in WAVES[0]:
                declare(client, index)
            wait_until_sent(fake_at, commune.expected_outbound(WAVES[0]), processes)

            sentinel_group.stop_master()
            for index in WAVES[1]:
                declare(client, index, retries=1)
            sentinel_group.wait_for_failover()
            assert client.get("/healthz").json == {"db": "ok", "redis": "ok"}

            for index in WAVES[2]:
                declare(client, index, retries=1)
            sweep_outbox(utcnow() + STALE_QUEUED + dt.timedelta(minutes=1))
            wait_until_sent(fake_at, commune.expected_outbound(range(HOUSEHOLDS)), processes)

            late = sweep_outbox(utcnow() + STALE_QUEUED + dt.timedelta(minutes=1))
            assert (late.enqueued, late.resent, late.failed) == (0, 0, 0)
            assert sentinel_group.master_port_now() == sentinel_group.replica_port
            assert InboundMessage.select().count() == HOUSEHOLDS // 2
            assert Declaration.select().count() == HOUSEHOLDS
            assert Case.select().count() == HOUSEHOLDS
            assert {row.state for row in OutboundMessage.select()} == {"sent"}
            assert fake_at.received == commune.expected_outbound(range(HOUSEHOLDS))
    finally:
        processes.kill_all()
