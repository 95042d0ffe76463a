"""A worker killed mid-batch neither loses nor doubles a message.

The real ``gateway worker`` runs as a subprocess against a temporary SQLite
file and an embedded Redis, sending through the real Africa's Talking SDK to a
local fake server. The fake holds the second request open; the test kills the
worker, its work horse and its scheduler with SIGKILL while that call is in
flight, then runs the sweep and a fresh worker, and counts what the fake
received: every message exactly once.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from db.base import utcnow
from db.models import OutboundMessage
from gateway.jobs import BATCH_SIZE, BULK, SEND_BATCH_JOB, enqueue_messages
from gateway.services.outbox import outbox, queue_sms
from tests.support import WAIT, Processes, kill_tree
from tests.workers.fake_africastalking import FakeServer
from workers.sweep import STUCK_SENDING, UNKNOWN_AFTER_DEATH, SweepReport, sweep_outbox

PHONES = [f"+8491{index:07d}" for index in range(2 * BATCH_SIZE + 200)]
Starter = Callable[..., subprocess.Popen[bytes]]


pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with FakeServer(hold=2) as server:
        yield server


@pytest.fixture
def start_worker(environment: dict[str, str], tmp_path: Path) -> Iterator[Starter]:
    """Start a one-process ``gateway worker`` (the scenarios follow one worker's
    requests in order); whatever is still running at the end is killed."""
    processes = Processes(environment, tmp_path, tmp_path / "worker.log")
    yield lambda *args: processes.gateway("worker", "--processes", "1", *args)
    processes.kill_all()


def kill_during_second_request(start_worker: Starter, fake: FakeServer, log: Path) -> set[str]:
    """Start a worker, SIGKILL it while the fake holds its second request; that request's phones."""
    worker = start_worker()
    assert fake.in_flight.wait(timeout=WAIT), log.read_text()
    kill_tree(worker)
    fake.release()
    return set(fake.requests[1])


def sweep_and_finish(start_worker: Starter, log: Path) -> SweepReport:
    """The sweep, as cron runs it once the dead worker's rows are stale; then a fresh worker."""
    report = sweep_outbox(utcnow() + STUCK_SENDING + dt.timedelta(minutes=1))
    assert start_worker("--burst").wait(timeout=WAIT) == 0, log.read_text()
    return report


def test_a_worker_killed_mid_batch_neither_loses_nor_doubles(
    gateway_app: Flask, start_worker: Starter, fake: FakeServer, tmp_path: Path
):
    with outbox():
        for phone in PHONES:
            queue_sms(phone, "Nhac: xin khai bao y te truoc 14:00 hom nay.", priority=BULK)

    in_flight = kill_during_second_request(start_worker, fake, tmp_path / "worker.log")
    report = sweep_and_finish(start_worker, tmp_path / "worker.log")

    assert report == SweepReport(expired=0, enqueued=0, resent=0, failed=BATCH_SIZE)
    assert sorted(fake.received) == sorted(PHONES)
    assert set(fake.received.values()) == {1}
    states = {row.phone: (row.state, row.failure_reason) for row in OutboundMessage.select()}
    assert {phone for phone, state in states.items() if state != ("sent", None)} == in_flight
    assert {states[phone] for phone in in_flight} == {("failed", UNKNOWN_AFTER_DEATH)}


def test_messages_claimed_but_not_handed_over_are_sent_after_a_worker_death(
    gateway_app: Flask, start_worker: Starter, fake: FakeServer, tmp_path: Path
):
    """The second job carries two texts, so when the first text's request is in
    flight the second text's rows are claimed but not yet handed to the provider:
    the one state in which the sweep knows a dead worker's message never left."""
    first, second, third = (
        [OutboundMessage.create(phone=phone, text=text, priority=BULK) for phone in phones]
        for phones, text in (
            (PHONES[:300], "Nhac A"),
            (PHONES[300:500], "Nhac B"),
            (PHONES[500:700], "Nhac C"),
        )
    )
    enqueue_messages(first)
    gateway_app.extensions["queues"][BULK].enqueue(
        SEND_BATCH_JOB, [row.id for row in second + third]
    )

    in_flight = kill_during_second_request(start_worker, fake, tmp_path / "worker.log")
    report = sweep_and_finish(start_worker, tmp_path / "worker.log")

    assert report == SweepReport(expired=0, enqueued=0, resent=200, failed=200)
    assert sorted(fake.received) == sorted(PHONES[:700])
    assert set(fake.received.values()) == {1}
    states = {row.phone: (row.state, row.failure_reason) for row in OutboundMessage.select()}
    assert {phone for phone, state in states.items() if state != ("sent", None)} == in_flight
    assert {states[phone] for phone in in_flight} == {("failed", UNKNOWN_AFTER_DEATH)}
