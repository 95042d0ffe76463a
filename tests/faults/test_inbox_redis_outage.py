"""Redis stops in the middle of a burst of inbound SMS, and comes back empty.

A worker runs while households text their symptoms; a third of the way into
the burst Redis stops (the worker loses its queues, the webhook cannot wake
it), and two thirds in it comes back with no memory. Africa's Talking repeats
some callbacks meanwhile. Every callback gets a 200, each SMS is stored once;
once Redis is back, the inbox sweep (cron's, run here) and a worker handle
every SMS and send every reply and alert exactly once, counted at the fake
Africa's Talking.
"""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import time
from collections import Counter

from flask import Flask

from db.base import utcnow
from db.inbox import WaitingSms
from db.models import Case, Declaration, InboundMessage, OutboundMessage
from gateway.embedded_redis import EmbeddedRedis
from tests.faults import commune
from tests.support import WAIT, Processes, is_gone, process_tree
from tests.workers.fake_africastalking import FakeServer
from workers.inbox import STALE, sweep_inbox
from workers.sweep import STALE_QUEUED, sweep_outbox

MESSAGES = 45
STOP_AT, START_AT = 15, 30


def expected(count: int) -> Counter[str]:
    """Each symptom SMS: a reply to the household, alerts to its member and the station."""
    received: Counter[str] = Counter()
    for index in range(count):
        received.update([commune.phone(index), commune.MEMBER, commune.STATION])
    return received


def wait_until_gone(pids: list[int]) -> None:
    deadline = time.monotonic() + WAIT
    while not all(is_gone(pid) for pid in pids):
        assert time.monotonic() < deadline, f"worker processes {pids} still running"
        time.sleep(0.1)


def stop_gracefully(worker: subprocess.Popen[bytes], tree: list[int]) -> None:
    """Let the worker (and a job it was running) finish, as a deploy would."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    wait_until_gone(tree)


def test_every_sms_of_a_burst_is_handled_and_answered_once_across_a_redis_outage(
    gateway_app: Flask,
    private_redis: EmbeddedRedis,
    fake_at: FakeServer,
    processes: Processes,
):
    commune.seed(MESSAGES)
    client = gateway_app.test_client()
    worker = processes.gateway("worker")
    tree: list[int] = []

    for index in range(MESSAGES):
        if index == STOP_AT:
            private_redis.stop()
            tree = process_tree(worker.pid)
        if index == START_AT:
            private_redis.start()
        form = commune.sms_form(index)
        for _ in range(1 + index % 2):
            response = client.post(commune.SMS_PATH, data=form)
            assert response.status_code == 200, response.get_data(as_text=True)
    assert len(stored()) == MESSAGES

    stop_gracefully(worker, tree + process_tree(worker.pid))
    later = utcnow() + max(STALE, STALE_QUEUED) + dt.timedelta(minutes=1)
    sweep_inbox(later)
    sweep_outbox(later)
    processes.run_gateway("worker", "--burst")

    assert {row.outcome for row in InboundMessage.select()} == {"handled"}
    assert Declaration.select().count() == MESSAGES
    assert Case.select().count() == MESSAGES
    assert {row.state for row in OutboundMessage.select()} == {"sent"}
    assert fake_at.received == expected(MESSAGES)


def stored() -> set[tuple[str, str]]:
    """Every SMS stored, waiting or handled, while a worker may be moving some: the inbox
    is read first, and a row leaves it only after it is in ``inbound_message``."""
    fields = (WaitingSms.phone, WaitingSms.provider_id)
    waiting = set(WaitingSms.select(*fields).tuples())
    fields = (InboundMessage.phone, InboundMessage.provider_id)
    return waiting | set(InboundMessage.select(*fields).tuples())
