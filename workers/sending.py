"""Sending outbound SMS: enqueue after commit, claim each row once, record what happened.

A message is never sent twice because a job first *claims* its rows with a
conditional UPDATE (``queued`` → ``sending``): whichever job wins the claim
sends, any duplicate job finds nothing left to claim. Job ids are derived
from the message ids and attempt counts, so enqueueing the same messages twice
makes one job, while a message put back in the queue after a failed attempt
gets a fresh one.

A claimed row records which provider it was handed to (``provider``) just
before the provider is called. The sweep reads that marker after a worker
death: without it the message surely never left; with it, nobody knows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable

from flask import current_app
from peewee import Case as SqlCase
from rq import Queue, Retry
from rq.job import Job
from rq.registry import ScheduledJobRegistry

from db.base import database, utcnow
from db.models import OutboundMessage
from gateway import metrics
from gateway.providers import ProviderError, SmsProvider, current_provider
from gateway.providers.base import RETRY, SENT, SendResult
from workers.queues import BULK, URGENT, enqueue_once

BATCH_SIZE = 500
"""Recipients per provider request; Africa's Talking takes many in one."""
RETRY_POLICY = Retry(max=5, interval=[10, 30, 60, 120, 300])
"""About ten minutes of backoff; after that the sweep enqueues the rows again."""
EXPIRED_REASON = "expired before it could be sent"
SINGLE_PREFIX = "send-sms-"
BATCH_PREFIX = "send-batch-"


def enqueue_messages(messages: Iterable[OutboundMessage]) -> None:
    """Hand committed messages to the workers, each on its priority's queue.

    Bulk messages with the same text go as batch jobs of up to
    :data:`BATCH_SIZE`, one provider request each. Raises Redis errors: the
    outbox logs them and the sweep enqueues the rows later.
    """
    queues: dict[str, Queue] = current_app.extensions["queues"]
    bulk: dict[str, list[OutboundMessage]] = defaultdict(list)
    for message in messages:
        if message.priority == BULK:
            bulk[message.text].append(message)
        else:
            job_id = f"{SINGLE_PREFIX}{message.id}-{message.attempts}"
            enqueue_once(
                queues[message.priority], send_sms, message.id, job_id=job_id, retry=RETRY_POLICY
            )
    for group in bulk.values():
        group.sort(key=lambda message: message.id)
        for start in range(0, len(group), BATCH_SIZE):
            chunk = group[start : start + BATCH_SIZE]
            key = ",".join(f"{message.id}:{message.attempts}" for message in chunk)
            job_id = BATCH_PREFIX + hashlib.sha1(key.encode()).hexdigest()
            ids = [message.id for message in chunk]
            enqueue_once(queues[BULK], send_batch, ids, job_id=job_id, retry=RETRY_POLICY)


def send_sms(message_id: int) -> int:
    """Send one message (urgent and default queues); how many the provider took."""
    return _send([message_id])


def send_batch(message_ids: list[int]) -> int:
    """Send a batch of bulk messages, one request per text; how many the provider took."""
    return _send(message_ids)


def _send(message_ids: list[int]) -> int:
    """Claim, hand over, record. On a :class:`ProviderError` the unsent rows go
    back to ``queued`` and the error propagates, so RQ retries with backoff;
    any other error leaves claimed rows ``sending`` for the sweep to judge.
    """
    provider = current_provider()
    with database.connection_context():
        now = utcnow()
        expire_due(now, message_ids)
        by_text: dict[str, list[OutboundMessage]] = defaultdict(list)
        for row in _claim(message_ids, now):
            by_text[row.text].append(row)
        texts = list(by_text)
        sent, to_retry = 0, 0
        for index, text in enumerate(texts):
            try:
                results = _hand_over(provider, text, by_text[text])
            except ProviderError:
                metrics.count_send_failures("provider_error", len(by_text[text]))
                _release([row.id for later in texts[index:] for row in by_text[later]])
                raise
            sent_now, retry_now = _record(by_text[text], results)
            sent, to_retry = sent + sent_now, to_retry + retry_now
    if to_retry:
        raise ProviderError(f"{to_retry} recipient(s) refused for now, retrying")
    return sent


def _claim(message_ids: list[int], now: dt.datetime) -> list[OutboundMessage]:
    """Take the rows still ``queued``; a row another job took is not returned."""
    query = (
        OutboundMessage.update(
            state="sending", provider="", attempts=OutboundMessage.attempts + 1, updated_at=now
        )
        .where(OutboundMessage.id.in_(message_ids), OutboundMessage.state == "queued")
        .returning(OutboundMessage.id, OutboundMessage.phone, OutboundMessage.text)
    )
    return list(query.execute())


def _hand_over(provider: SmsProvider, text: str, rows: list[OutboundMessage]) -> list[SendResult]:
    """Mark the rows as handed to ``provider``, then send: one SMS per distinct phone.

    The same text twice to one phone in one batch is a duplicate by definition;
    both rows get the one SMS's result, sent under the first row's id (the id
    Kannel's delivery reports name).
    """
    OutboundMessage.update(provider=provider.name).where(
        OutboundMessage.id.in_([row.id for row in rows])
    ).execute()
    first: dict[str, int] = {}
    for row in rows:
        first.setdefault(row.phone, row.id)
    return provider.send(list(first), text, list(first.values()))


def _record(rows: list[OutboundMessage], results: list[SendResult]) -> tuple[int, int]:
    """Write each row's outcome; rows the provider could not take now are released.

    The sent rows of a batch are written by one UPDATE (their provider ids in a
    CASE), not one per row: a 500-recipient batch would otherwise spend most of
    its time here.
    """
    by_phone = {result.phone: result for result in results}
    now = utcnow()
    sent: list[tuple[int, SendResult]] = []
    to_retry: list[int] = []
    with database.atomic():
        for row in rows:
            result = by_phone[row.phone]
            if result.status == RETRY:
                to_retry.append(row.id)
            elif result.status == SENT:
                sent.append((row.id, result))
            else:
                metrics.count_send_failures("rejected")
                OutboundMessage.update(
                    state=result.status,
                    provider_id=result.provider_id,
                    cost=result.cost,
                    failure_reason=(result.error or "rejected")[:255],
                    updated_at=now,
                ).where(OutboundMessage.id == row.id, OutboundMessage.state == "sending").execute()
        if sent:
            OutboundMessage.update(
                state=SENT,
                sent_at=now,
                updated_at=now,
                provider_id=SqlCase(OutboundMessage.id, [(i, r.provider_id) for i, r in sent]),
                cost=SqlCase(OutboundMessage.id, [(i, r.cost) for i, r in sent]),
            ).where(
                OutboundMessage.id.in_([i for i, _ in sent]), OutboundMessage.state == "sending"
            ).execute()
        _release(to_retry)
    return len(sent), len(to_retry)


def _release(message_ids: list[int]) -> None:
    """Put claimed rows back in the queue, as never handed to any provider."""
    if message_ids:
        OutboundMessage.update(state="queued", provider="", updated_at=utcnow()).where(
            OutboundMessage.id.in_(message_ids), OutboundMessage.state == "sending"
        ).execute()


def expire_due(now: dt.datetime, message_ids: list[int] | None = None) -> int:
    """Mark queued messages past their useful life ``expired``; how many.

    Urgent messages never expire silently (SPEC §7), whatever their ``expires_at``.
    """
    query = OutboundMessage.update(
        state="expired", failure_reason=EXPIRED_REASON, updated_at=now
    ).where(
        OutboundMessage.state == "queued",
        OutboundMessage.expires_at < now,
        OutboundMessage.priority != URGENT,
    )
    if message_ids is not None:
        query = query.where(OutboundMessage.id.in_(message_ids))
    return query.execute()


def waiting_message_ids() -> set[int]:
    """Messages that a job waiting in a queue, or in a retry's backoff, will send.

    Jobs already started are left out: they claimed their rows within
    milliseconds of starting, so a row still queued under one is orphaned.
    """
    waiting: set[int] = set()
    batch_job_ids: list[str] = []
    for queue in current_app.extensions["queues"].values():
        job_ids = queue.get_job_ids() + ScheduledJobRegistry(queue=queue).get_job_ids()
        for job_id in job_ids:
            if job_id.startswith(SINGLE_PREFIX):
                waiting.add(int(job_id.removeprefix(SINGLE_PREFIX).split("-")[0]))
            elif job_id.startswith(BATCH_PREFIX):
                batch_job_ids.append(job_id)
    connection = current_app.extensions["redis"]
    for job in Job.fetch_many(batch_job_ids, connection=connection):
        if job is not None:
            waiting.update(job.args[0])
    return waiting
