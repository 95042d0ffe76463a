"""Queue names in one place, in the order workers take them."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from redis import Redis
from rq import Queue
from rq.exceptions import DuplicateJobError
from rq.job import JobStatus

URGENT = "urgent"
"""Cases, escalations and acknowledgements: always taken first."""
DEFAULT = "default"
"""Replies to households and housekeeping (sweeps, schedule dispatch)."""
BULK = "bulk"
"""Reminder and digest fan-out: may wait, may expire."""

QUEUE_NAMES = (URGENT, DEFAULT, BULK)


def build_queues(connection: Redis) -> dict[str, Queue]:
    return {name: Queue(name, connection=connection) for name in QUEUE_NAMES}


SETTLED = frozenset({JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED})


def enqueue_once(queue: Queue, func: Any, *args: Any, job_id: str, **options: Any) -> None:
    """Enqueue unless the job of that id is already waiting or running.

    A settled job of the same id (finished, or failed after its retries, say
    while the database was down) is replaced, so its work is done again.
    """
    try:
        queue.enqueue(func, *args, job_id=job_id, unique=True, **options)
        return
    except DuplicateJobError:
        existing = queue.fetch_job(job_id)
        if existing is not None and existing.get_status() not in SETTLED:
            return
        if existing is not None:
            existing.delete()
    with suppress(DuplicateJobError):  # another process enqueued it meanwhile
        queue.enqueue(func, *args, job_id=job_id, unique=True, **options)
