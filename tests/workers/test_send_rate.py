"""The send-rate cap holds across worker processes, counted at the provider.

Two ``gateway worker`` processes drain the same backlog with a tiny cap; the
fake Africa's Talking records when each request arrived. Every message is a
request of its own (distinct texts), so no second-long window of arrivals may
hold more than the cap. The windows start half a slot before the first
arrival, so a few milliseconds of scheduling jitter cannot move a request
across a window's edge.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from flask import Flask

from db.models import OutboundMessage
from gateway.jobs import DEFAULT, URGENT
from gateway.services.outbox import outbox, queue_sms
from tests.support import WAIT, Processes
from tests.workers.fake_africastalking import FakeServer

CAP = 5
MESSAGES = 6 * CAP


@pytest.fixture
def environment(environment: dict[str, str]) -> dict[str, str]:
    return {**environment, "SMS_RATE_LIMIT": str(CAP)}


def per_second(arrivals: list[tuple[float, str, list[str]]]) -> list[int]:
    """Recipients per one-second window, windows starting half a slot before the first."""
    start = arrivals[0][0] - 0.5 / CAP
    counts: Counter[int] = Counter()
    for at, _text, recipients in arrivals:
        counts[int((at - start) // 1)] += len(recipients)
    return [counts[second] for second in range(max(counts) + 1)]


def test_two_workers_together_stay_under_the_routes_cap(
    gateway_app: Flask, processes: Processes, fake: FakeServer
):
    phones = [f"+8491{index:07d}" for index in range(MESSAGES)]
    with outbox():
        for index, phone in enumerate(phones):
            priority = URGENT if index % 3 == 0 else DEFAULT
            queue_sms(phone, f"Da nhan khai bao cua ho {index}", priority=priority)

    workers = [processes.gateway("worker", "--processes", "1", "--burst") for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=WAIT) == 0, processes.log.read_text()

    assert sorted(fake.received) == sorted(phones)
    assert set(fake.received.values()) == {1}
    assert {row.state for row in OutboundMessage.select()} == {"sent"}
    windows = per_second(fake.arrivals)
    print(f"recipients per second at a cap of {CAP}: {windows}")
    assert max(windows) <= CAP
    assert len(windows) >= MESSAGES // CAP  # the cap was reached, not merely respected
    log = processes.log.read_text()
    assert len(set(re.findall(r"Worker (\w+): \w+: Job OK", log))) == 2, log  # both sent
