"""The inbox drain: inbound SMS handled, and USSD declarations recorded, in batches.

The webhooks only store (``gateway.services.inbound_sms``,
``gateway.services.waiting_declarations``); each worker's watch looks fifty
times a second (:class:`SettledWatch`) and queues a drain job once rows wait
and the inbox stops growing. :func:`handle_inbox` is that job: it takes the
oldest rows a batch at a time, each batch one transaction, and after
:data:`BATCHES_PER_JOB` batches hands over to a fresh job at the back of the
queue, so a lone worker sends the replies and alerts it queued meanwhile.
:func:`sweep_inbox` (cron, every minute) takes rows whose wake-up was lost:
Redis was down when they arrived, or a worker died with the job.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from flask import current_app

from db.base import database, utcnow
from db.inbox import WaitingSms, inbox_database, newest, waiting, waiting_since
from gateway import jobs
from gateway.services import waiting_declarations
from gateway.services.inbound_sms import (
    BATCH_SIZE,
    give_back_wake,
    handle_pending,
    take_wake,
    wake,
)

BATCHES_PER_JOB = 20
"""Batches one drain job handles before it hands over (1,000 SMS, a fifth to half a
second of a worker). Handling is a burst's longest road: each hand-over put it
behind the alert drains at the back of the urgent queue, where its worker sent
200 alerts before handling resumed, while the other workers send those anyway.
Measured at the harness's N=5000 (``bench/README.md``, session 26): 20 batches
instead of 4 sent the last alert 0.3-0.5 s sooner and the last reply 0.2-0.4 s
sooner. A single worker's alerts wait for at most one job."""
SETTLE_LIMIT = 1.0
"""Seconds a watch lets the inbox grow before it queues the drain anyway."""
STALE = dt.timedelta(seconds=30)
"""How long a row may wait unhandled before the sweep assumes its wake-up was lost."""


def handle_inbox(batch_size: int = BATCH_SIZE) -> int:
    """Drain up to :data:`BATCHES_PER_JOB` batches of SMS, then the declarations
    waiting; how many SMS were handled and declarations recorded.

    While it runs no other drain is queued (``jobs.wake_inbox``): the other
    workers send its replies meanwhile. If SMS still wait when it ends, it
    queues the next drain, at the back of the queue.
    """
    take_wake()
    settings = current_app.config["SETTINGS"]
    handled = 0
    try:
        with database.connection_context(), inbox_database.connection_context():
            for _ in range(BATCHES_PER_JOB):
                count = handle_pending(settings, batch_size)
                handled += count
                if count < batch_size:
                    break
            handled += _record_declarations()
    finally:
        give_back_wake()
    with inbox_database.connection_context():
        if waiting((WaitingSms,)):
            wake()
    return handled


def _record_declarations() -> int:
    """Record every declaration waiting; how many. They come in bursts too (the
    morning's "everyone is well"); one left after this waits for the watch, so a
    steady stream is recorded a second's worth at a time, not a few rows a job."""
    recorded = 0
    while (count := waiting_declarations.record_waiting()) == waiting_declarations.BATCH_SIZE:
        recorded += count
    return recorded + count


def wake_if_waiting() -> bool:
    """Queue a drain if rows wait in the inbox; whether they do. Raises Redis and
    database errors: the watch that calls this logs them and tries again."""
    with inbox_database.connection_context():
        if not waiting():
            return False
    jobs.wake_inbox()
    return True


class SettledWatch:
    """A running worker's look at the inbox, each tick: queue the drain once the
    inbox stopped growing since the last tick, or :data:`SETTLE_LIMIT` after SMS
    began to wait if it never does.

    Receiving is the promise a webhook keeps; handling can wait a moment. While
    a burst arrives, a drain would take the CPU the webhooks need, and handle
    it in small pieces; once the burst is in, every worker drains it in full
    batches. Under a steady stream a drain starts within the limit, and keeps
    going while SMS wait (:func:`handle_inbox` hands over to the next). A lone
    SMS waits one tick more than it would otherwise (``jobs.INBOX_WATCH_SECONDS``).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.newest: tuple[int | None, ...] | None = None
        self.since: float | None = None

    def __call__(self) -> bool:
        """Whether rows were waiting and a drain was queued for them now."""
        with inbox_database.connection_context():
            seen = newest()
        if seen is None:
            self.newest = self.since = None
            return False
        now = self.clock()
        if self.since is None:
            self.since = now
        settled, self.newest = seen == self.newest, seen
        if not settled and now - self.since < SETTLE_LIMIT:
            return False
        self.since = None
        jobs.wake_inbox()
        return True


def sweep_inbox(now: dt.datetime | None = None) -> int:
    """Handle every SMS and record every declaration once anything waited for
    :data:`STALE`; how many.

    Safe beside running drain jobs: a batch is recorded one transaction at a
    time, so an SMS is handled once whoever takes it. ``now`` (naive UTC) is for
    catching up by hand and for tests.
    """
    now = now or utcnow()
    settings = current_app.config["SETTINGS"]
    handled = 0
    with database.connection_context(), inbox_database.connection_context():
        if not waiting_since(now - STALE):
            return 0
        while count := handle_pending(settings) + waiting_declarations.record_waiting():
            handled += count
    return handled
