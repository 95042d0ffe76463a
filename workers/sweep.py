"""The outbox sweep: what the queue missed, the sweep finds (RQ cron, every minute).

Three things leave a message behind:

- Redis was down when its cause committed, or the enqueue was lost: the row is
  ``queued`` and no job will send it. After :data:`STALE_QUEUED` (or its
  backoff's end) the sweep enqueues it, unless a job waiting in a queue (or in
  a retry's backoff) holds it: a bulk batch naming it, or a waiting drain of
  its priority.
- Its useful life ran out while it waited: it is marked ``expired`` (never for
  urgent messages).
- A worker died while sending: the row is stuck in ``sending``. No live job
  holds a row that long (the SDK times out in seconds), so after
  :data:`STUCK_SENDING` the sweep decides.

That last decision is the honest trade-off. A row that was never handed to the
provider (no ``provider`` marker) surely did not leave, and is queued again. A
row that was handed over may or may not have reached the provider: the worker
died during the HTTP call, and only the provider knows. Urgent and default
messages are sent again, since a duplicate case alert or reply is better than
a lost one. Bulk reminders and digests are marked ``failed`` with the reason
:data:`UNKNOWN_AFTER_DEATH`, since a second copy of a reminder to a whole
commune costs money and trust, and a missing one is recovered by the next slot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from rq.job import Job

from db.base import database, utcnow
from db.models import OutboundMessage
from gateway.jobs import (
    BATCH_PREFIX,
    BULK,
    DEFAULT,
    QUEUE_NAMES,
    URGENT,
    drain_waiting,
    enqueue_drain,
    enqueue_messages,
    queues,
)
from workers.sending import expire_due

STALE_QUEUED = dt.timedelta(minutes=1)
STUCK_SENDING = dt.timedelta(minutes=5)
UNKNOWN_AFTER_DEATH = "unknown after worker death"
_FIELDS = (
    OutboundMessage.id,
    OutboundMessage.priority,
    OutboundMessage.text,
    OutboundMessage.attempts,
)


@dataclass(frozen=True)
class SweepReport:
    """What one sweep did; RQ keeps it as the job's result."""

    expired: int
    enqueued: int
    resent: int
    failed: int


def sweep_outbox(now: dt.datetime | None = None) -> SweepReport:
    """Expire, rescue and re-enqueue what the queue missed; safe to run at any time.

    ``now`` (naive UTC) is for catching up by hand and for tests.
    """

    now = now or utcnow()
    waiting = _waiting_bulk_ids()
    drains = {priority for priority in (URGENT, DEFAULT) if drain_waiting(priority)}
    with database.connection_context():
        expired = expire_due(now)
        stuck = (OutboundMessage.state == "sending") & (
            OutboundMessage.updated_at < now - STUCK_SENDING
        )
        resend = list(
            OutboundMessage.update(state="queued", provider="", updated_at=now)
            .where(stuck & ((OutboundMessage.provider == "") | (OutboundMessage.priority != BULK)))
            .returning(*_FIELDS)
            .execute()
        )
        failed = (
            OutboundMessage.update(
                state="failed", failure_reason=UNKNOWN_AFTER_DEATH, updated_at=now
            )
            .where(stuck & (OutboundMessage.priority == BULK) & (OutboundMessage.provider != ""))
            .execute()
        )
        stale = [
            row
            for row in OutboundMessage.select(*_FIELDS).where(
                OutboundMessage.state == "queued",
                OutboundMessage.updated_at < now - STALE_QUEUED,
                OutboundMessage.retry_at.is_null() | (OutboundMessage.retry_at <= now),
            )
            if row.id not in waiting and row.priority not in drains
        ]
        behind = {
            priority
            for (priority,) in OutboundMessage.select(OutboundMessage.priority)
            .where(
                OutboundMessage.state == "queued",
                OutboundMessage.priority.in_([URGENT, DEFAULT]),
                OutboundMessage.retry_at.is_null() | (OutboundMessage.retry_at <= now),
            )
            .distinct()
            .tuples()
        }
    for priority in sorted(behind - drains, key=QUEUE_NAMES.index):
        enqueue_drain(priority)  # however fresh the rows: a drain claims each row once
    enqueue_messages(resend + stale)
    return SweepReport(expired=expired, enqueued=len(stale), resent=len(resend), failed=failed)


def _waiting_bulk_ids() -> set[int]:
    """Bulk messages that a batch job waiting in its queue, or in a retry's
    backoff, will send.

    Jobs already started are left out: they claimed their rows within
    milliseconds of starting, so a row still queued under one is orphaned.
    """
    queue = queues()[BULK]
    job_ids = queue.get_job_ids() + queue.scheduled_job_registry.get_job_ids()
    batches = [job_id for job_id in job_ids if job_id.startswith(BATCH_PREFIX)]
    waiting: set[int] = set()
    for job in Job.fetch_many(batches, connection=current_app.extensions["redis"]):
        if job is not None:
            waiting.update(job.args[0])
    return waiting
