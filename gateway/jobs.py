"""The job layer: the queues, and every way work is handed to the workers.

This is the one module that enqueues. Services call the ``enqueue_*``
functions below and never import ``workers/``; a job is named by its dotted
path (the ``*_JOB`` constants), which RQ resolves in the worker process, so
no package imports ``workers`` to enqueue and there is no import circle.
Jobs run in an app context that the job class pushes itself
(``gateway.job_worker``), so any RQ worker given that class runs them.

To add a job: write the function in ``workers/``, name it here with a
``*_JOB`` constant, add an ``enqueue_*`` function (or a :class:`Periodic`
entry for a cron job), and call that from the service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, NamedTuple

from flask import current_app
from redis import Redis
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError
from rq.job import Job, JobStatus

from db.models import OutboundMessage

URGENT = "urgent"
"""Case alerts, escalation timers, acknowledgements: always taken first."""
HOUSEKEEPING = "housekeeping"
"""Recovery and schedule jobs (sweeps, re-arms, reminder dispatch): after urgent,
before the backlog, so an outage never makes alerts wait behind replies."""
DEFAULT = "default"
"""Replies to households."""
BULK = "bulk"
"""Reminder and digest fan-out: may wait, may expire."""

QUEUE_NAMES = (URGENT, HOUSEKEEPING, DEFAULT, BULK)
"""In the order every worker takes them."""
PRIORITIES = (URGENT, DEFAULT, BULK)
"""The queues an outbound message can go on (its ``priority``)."""

DRAIN_JOB = "workers.sending.drain"
SEND_BATCH_JOB = "workers.sending.send_batch"
ESCALATE_JOB = "workers.escalation.escalate_case"
ESCALATE_MANY_JOB = "workers.escalation.escalate_cases"
REMINDER_SLOT_JOB = "workers.reminders.dispatch_slot"
INBOX_JOB = "workers.inbox.handle_inbox"
INBOX_WATCH = "workers.inbox.SettledWatch"
"""What a running worker's inbox watch calls each tick, an instance of it
(``gateway.job_worker.InboxWatch``): wakes the drain once the inbox stops growing."""
INBOX_LOOK = "workers.inbox.wake_if_waiting"
"""What a burst worker calls before each pass: wakes the drain if anything waits."""
INBOX_WATCH_SECONDS = 0.02
"""How often each worker looks at the inbox (one statement on its small tables): a
burst's drain starts within two looks of its last SMS, and so does a lone SMS's."""
INBOX_WAKE_KEY = "gateway:inbox:wake"
INBOX_WAKE_SECONDS = 5
"""How long a wake-up stands for an inbox drain not yet started. If its enqueue was
lost, the next SMS after this wakes the workers again (the sweep catches the rest)."""

DRAIN_PREFIX = "drain-"
BATCH_PREFIX = "send-batch-"
BATCH_SIZE = 500
"""Recipients per bulk provider request; Africa's Talking takes many in one."""
RETRY_INTERVALS = (10, 30, 60, 120, 300)
"""Seconds between attempts after a provider error: about ten minutes in all."""
RETRY_POLICY = Retry(max=len(RETRY_INTERVALS), interval=list(RETRY_INTERVALS))
SLOT_TIMEOUT = 600
"""Seconds one reminder slot's job may take: a 5,000-household commune needs a few."""


@dataclass(frozen=True)
class Periodic:
    """A cron job: ``func`` by dotted path, resolved by ``gateway cron``."""

    func: str
    queue: str
    cron: str


SWEEP_JOB = "workers.sweep.sweep_outbox"
REARM_JOB = "workers.escalation.rearm_escalations"
DISPATCH_REMINDERS_JOB = "workers.reminders.dispatch_due_reminders"
INBOX_SWEEP_JOB = "workers.inbox.sweep_inbox"

PERIODIC: tuple[Periodic, ...] = (
    Periodic(SWEEP_JOB, HOUSEKEEPING, "* * * * *"),
    Periodic(INBOX_SWEEP_JOB, HOUSEKEEPING, "* * * * *"),
    Periodic(REARM_JOB, HOUSEKEEPING, "* * * * *"),
    Periodic(DISPATCH_REMINDERS_JOB, HOUSEKEEPING, "* * * * *"),
    Periodic("workers.retention.purge_expired", BULK, "30 3 * * *"),
)
RECOVERY = (SWEEP_JOB, REARM_JOB, INBOX_SWEEP_JOB)
"""What a worker enqueues as soon as Redis is back: a restarted Redis may have
lost every job, and waiting for cron's next minute would keep alerts waiting."""


def build_queues(connection: Redis) -> dict[str, Queue]:
    return {name: Queue(name, connection=connection) for name in QUEUE_NAMES}


def queues() -> dict[str, Queue]:
    return current_app.extensions["queues"]


SETTLED = frozenset({JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED})


def enqueue_once(queue: Queue, func: str, *args: Any, job_id: str, **options: Any) -> None:
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


class Queued(NamedTuple):
    """What :func:`enqueue_messages` needs of an outbox row written in bulk: no model
    built for each (``outbox.queue_many``)."""

    id: int
    priority: str
    text: str
    attempts: int = 0


def enqueue_messages(
    messages: Iterable[OutboundMessage | Queued], batch_size: int = BATCH_SIZE
) -> None:
    """Hand committed messages to the workers, each on its priority's queue.

    Urgent and default messages wake that queue's drain, which claims whatever
    is queued in batches. Bulk messages with the same text go as batch jobs of
    up to ``batch_size``, one provider request each. Raises Redis errors: the
    outbox logs them and the sweep enqueues the rows later.
    """
    bulk: dict[str, list[OutboundMessage | Queued]] = defaultdict(list)
    drains: set[str] = set()
    for message in messages:
        if message.priority == BULK:
            bulk[message.text].append(message)
        else:
            drains.add(message.priority)
    for priority in sorted(drains, key=QUEUE_NAMES.index):
        enqueue_drain(priority)
    for group in bulk.values():
        group.sort(key=lambda message: message.id)
        for start in range(0, len(group), batch_size):
            chunk = group[start : start + batch_size]
            key = ",".join(f"{message.id}:{message.attempts}" for message in chunk)
            job_id = BATCH_PREFIX + hashlib.sha1(key.encode()).hexdigest()
            ids = [message.id for message in chunk]
            enqueue_once(queues()[BULK], SEND_BATCH_JOB, ids, job_id=job_id, retry=RETRY_POLICY)


def drain_generation_key(priority: str) -> str:
    return f"gateway:drain:{priority}:generation"


def enqueue_drain(priority: str) -> None:
    """Make sure a drain of ``priority`` will run after this call's commit.

    The drain job's id carries a generation that each drain bumps as it
    starts, before it claims anything. So if the job of the current
    generation is waiting, it will see our rows; if it has already started, it
    bumped the generation first and so claims after our commit; once it has
    finished, it is replaced. Either way one drain per generation, not one job
    per message.

    Most calls find that job waiting or running: one read of its status says
    so, where an enqueue would build and serialize a job to be told it exists.
    """
    queue = queues()[priority]
    generation = int(queue.connection.get(drain_generation_key(priority)) or 0)
    job_id = f"{DRAIN_PREFIX}{priority}-{generation}"
    status = queue.connection.hget(Job.key_for(job_id), "status")
    if status is not None and status.decode() not in SETTLED:
        return
    enqueue_once(queue, DRAIN_JOB, priority, job_id=job_id)


def enqueue_drain_at(priority: str, at: dt.datetime) -> None:
    """Wake the drain of ``priority`` at ``at`` (aware UTC): a backoff has passed."""
    job_id = f"{DRAIN_PREFIX}{priority}-at-{int(at.timestamp())}"
    with suppress(DuplicateJobError):
        queues()[priority].enqueue_at(at, DRAIN_JOB, priority, job_id=job_id, unique=True)


def drain_waiting(priority: str) -> bool:
    """Whether a drain of ``priority`` is in its queue, waiting to start."""
    return any(job_id.startswith(DRAIN_PREFIX) for job_id in queues()[priority].get_job_ids())


def enqueue_recovery(connection: Redis) -> None:
    """Run the recovery jobs now, once (a worker calls this; it may have no app)."""
    queue = Queue(HOUSEKEEPING, connection=connection)
    for func in RECOVERY:
        enqueue_once(queue, func, job_id=f"recover-{func.rsplit('.', 1)[1]}")


def wake_inbox() -> None:
    """Make sure an inbox drain will run: one Redis command, an enqueue only when
    no drain is queued or running.

    The flag says "a drain is queued or running". Drains take batches one at
    a time, so a second one would only wait for the first, in a worker that
    could be sending its replies meanwhile. The drain clears the flag when it
    ends (:func:`inbox_drain_ended`) and then looks at the inbox once more, so
    a row committed while the flag was set is read by that drain or the next.
    The flag expires after :data:`INBOX_WAKE_SECONDS`, in case its drain died.
    On the urgent queue: what an SMS says may be a red flag. Raises Redis errors.
    """
    queue = queues()[URGENT]
    if queue.connection.set(INBOX_WAKE_KEY, 1, nx=True, ex=INBOX_WAKE_SECONDS):
        queue.enqueue(INBOX_JOB, result_ttl=60, failure_ttl=3600)


def inbox_drain_started() -> None:
    """An inbox drain starting: the flag now says it runs, for another
    :data:`INBOX_WAKE_SECONDS`."""
    queues()[URGENT].connection.set(INBOX_WAKE_KEY, 1, ex=INBOX_WAKE_SECONDS)


def inbox_drain_ended() -> None:
    """An inbox drain ending: the next SMS must wake another one."""
    queues()[URGENT].connection.delete(INBOX_WAKE_KEY)


def enqueue_escalation(case_id: int, rung: int, at: dt.datetime) -> None:
    """The ladder's timer for a case sitting at ``rung``; one job per (case, rung)."""
    queues()[URGENT].enqueue_at(
        at, ESCALATE_JOB, case_id, rung, job_id=f"escalate-{case_id}-{rung}"
    )


def enqueue_escalations(timers: list[tuple[int, int, dt.datetime]]) -> None:
    """The timers of cases opened together (case, rung, aware UTC time): one job per
    time they fall due, not one per case (an RQ job costs more than the case's rows)."""
    due: dict[dt.datetime, list[tuple[int, int]]] = defaultdict(list)
    for case_id, rung, at in timers:
        due[at].append((case_id, rung))
    queue = queues()[URGENT]
    for at, cases in due.items():
        key = ",".join(f"{case_id}:{rung}" for case_id, rung in cases)
        job_id = "escalate-many-" + hashlib.sha1(key.encode()).hexdigest()
        queue.enqueue_at(at, ESCALATE_MANY_JOB, cases, job_id=job_id)


def enqueue_reminder_slot(schedule_id: int, day: dt.date, slot: str) -> None:
    """One job per slot: a job still waiting is kept, a settled one replaced."""
    job_id = f"reminder-{schedule_id}-{day.isoformat()}-{slot.replace(':', '')}"
    args = (schedule_id, day.isoformat(), slot)
    enqueue_once(
        queues()[HOUSEKEEPING], REMINDER_SLOT_JOB, *args, job_id=job_id, job_timeout=SLOT_TIMEOUT
    )
