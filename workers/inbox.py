"""The inbox drain: inbound SMS handled in batches by the workers.

The webhook only stores an SMS (``gateway.services.inbound_sms``); each
worker's watch calls :func:`wake_if_waiting` a few times a second, which queues
a drain job when rows wait. :func:`handle_inbox` is that job: it takes
the oldest unhandled rows a batch at a time, each batch one transaction, and
after a few batches hands over to a fresh job at the back of the queue, so the
replies and alerts it queued meanwhile get a worker's turn. :func:`sweep_inbox`
(cron, every minute) handles rows whose wake-up was lost: Redis was down when
they arrived, or a worker died with the job.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app

from db.base import database, utcnow
from db.inbox import inbox_database
from gateway import jobs
from gateway.services.inbound_sms import (
    BATCH_SIZE,
    handle_pending,
    pending_since,
    take_wake,
    waiting,
    wake,
)

BATCHES_PER_JOB = 4
STALE = dt.timedelta(seconds=30)
"""How long a row may wait unhandled before the sweep assumes its wake-up was lost."""


def handle_inbox(batch_size: int = BATCH_SIZE) -> int:
    """Drain up to :data:`BATCHES_PER_JOB` batches; how many SMS were handled."""
    take_wake()
    settings = current_app.config["SETTINGS"]
    handled = 0
    with database.connection_context(), inbox_database.connection_context():
        for _ in range(BATCHES_PER_JOB):
            count = handle_pending(settings, batch_size)
            handled += count
            if count < batch_size:
                return handled
    wake()
    return handled


def wake_if_waiting() -> bool:
    """Queue a drain if SMS wait unhandled; whether they do. Raises Redis and
    database errors: the watch that calls this logs them and tries again."""
    with inbox_database.connection_context():
        if not waiting():
            return False
    jobs.wake_inbox()
    return True


def sweep_inbox(now: dt.datetime | None = None) -> int:
    """Handle every SMS left waiting for :data:`STALE`; how many were handled.

    Safe beside running drain jobs: a batch is recorded one transaction at a
    time, so an SMS is handled once whoever takes it. ``now`` (naive UTC) is for
    catching up by hand and for tests.
    """
    now = now or utcnow()
    settings = current_app.config["SETTINGS"]
    handled = 0
    with database.connection_context(), inbox_database.connection_context():
        if not pending_since(now - STALE):
            return 0
        while count := handle_pending(settings):
            handled += count
    return handled
