"""Queue names in one place, in the order workers take them."""

from __future__ import annotations

from redis import Redis
from rq import Queue

URGENT = "urgent"
"""Cases, escalations and acknowledgements: always taken first."""
DEFAULT = "default"
"""Replies to households and housekeeping (sweeps, schedule dispatch)."""
BULK = "bulk"
"""Reminder and digest fan-out: may wait, may expire."""

QUEUE_NAMES = (URGENT, DEFAULT, BULK)


def build_queues(connection: Redis) -> dict[str, Queue]:
    return {name: Queue(name, connection=connection) for name in QUEUE_NAMES}
