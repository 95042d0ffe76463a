"""Sending outbound SMS: claim each row once, hand it over, record what happened.

Urgent and default messages are sent by :func:`drain`: one job per queue and
generation (see :func:`gateway.jobs.enqueue_drain`) that claims what is queued
in batches, sends identical texts in one provider request, and enqueues its
own continuation when rows remain, so a worker takes the urgent queue again
between batches. Bulk messages go as :func:`send_batch` jobs of explicit ids.
Both run in a long-lived worker with no fork per message.

A message is never sent twice because a job first *claims* its rows with a
conditional UPDATE (``queued`` → ``sending``): whichever job wins the claim
sends, any other job finds nothing left to claim.

A claimed row records which provider it was handed to (``provider``) just
before the provider is called. The sweep reads that marker after a worker
death: without it the message surely never left; with it, nobody knows.

Every provider request books its messages on the route's send-rate cap
(:mod:`gateway.send_rate`) first, so all workers together stay under it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from flask import current_app
from redis.exceptions import RedisError

from db.base import database, utcnow
from db.models import OutboundMessage
from gateway import metrics
from gateway.jobs import (
    RETRY_INTERVALS,
    URGENT,
    drain_generation_key,
    enqueue_drain,
    enqueue_drain_at,
)
from gateway.providers import ProviderError, SmsProvider, current_provider
from gateway.providers.base import SendResult
from gateway.redis_queues import redis
from gateway.send_rate import SendRate
from workers.outcomes import record

log = logging.getLogger(__name__)

DRAIN_BATCH = 200
"""Rows one drain claims at most (and at most a second of the route's cap), so
a worker is back at the urgent queue within about a second."""
EXPIRED_REASON = "expired before it could be sent"
SEND_THREADS = 8
"""A drain's provider requests in flight at once, at most: each waits on the network."""


def drain(priority: str) -> int:
    """Send a batch of what is queued at ``priority``; how many the provider took.

    Raises :class:`ProviderError` when the provider could not take some rows
    now: they are back in the queue with a backoff, and a drain is scheduled
    for when it ends.
    """
    redis().incr(drain_generation_key(priority))
    rate = send_rate()
    limit = rate.chunk(DRAIN_BATCH)
    with database.connection_context():
        now = utcnow()
        expire_due(now, priority=priority)
        due = (
            OutboundMessage.select(OutboundMessage.id)
            .where(
                OutboundMessage.state == "queued",
                OutboundMessage.priority == priority,
                OutboundMessage.retry_at.is_null() | (OutboundMessage.retry_at <= now),
            )
            .order_by(OutboundMessage.id)
            .limit(limit)
        )
        ids = [row.id for row in due]
        # Marked handed over as they are claimed: the sweep sends an urgent or
        # default row stuck in ``sending`` again either way, so a marker per
        # request would cost a write per message and change nothing.
        rows = _claim(ids, now, current_provider().name)
    if len(ids) == limit:
        _continue(priority)
    sent, unsent = _send(rows, rate, marked=True)
    if unsent:
        _back_off(priority, unsent)
        raise ProviderError(f"{len(unsent)} message(s) not taken for now, retrying later")
    return sent


def send_batch(message_ids: list[int]) -> int:
    """Send a batch of bulk messages, one request per text; how many the provider took.

    On a :class:`ProviderError` the unsent rows go back to ``queued`` and the
    error propagates, so RQ retries the job with backoff.
    """
    with database.connection_context():
        now = utcnow()
        expire_due(now, message_ids)
        rows = _claim(message_ids, now)
    sent, unsent = _send(rows, send_rate())
    if unsent:
        _release(unsent)
        raise ProviderError(f"{len(unsent)} message(s) not taken for now, retrying")
    return sent


def send_rate() -> SendRate:
    """The cap of the current provider's route, from ``SMS_RATE_LIMIT``."""
    settings = current_app.config["SETTINGS"]
    route = current_provider().name
    return SendRate(redis(), route=route, per_second=settings.sms_rate_limit)


def _continue(priority: str) -> None:
    """More may be queued: the next drain, behind whatever urgent work arrived."""
    try:
        enqueue_drain(priority)
    except RedisError as exc:
        log.warning("could not enqueue the next %s drain, left for the sweep: %s", priority, exc)


def _send(
    rows: list[OutboundMessage], rate: SendRate, marked: bool = False
) -> tuple[int, list[int]]:
    """Hand claimed rows over, a request per text; (how many sent, ids not taken).

    Rows of a request the provider refused as a whole (:class:`ProviderError`)
    are returned as not taken. Any other error is raised once the requests that
    did go through are recorded, leaving the rest ``sending`` for the sweep.
    """
    provider = current_provider()
    by_text: dict[str, list[OutboundMessage]] = defaultdict(list)
    for row in rows:
        by_text[row.text].append(row)
    requests = [
        group[start : start + rate.chunk(len(group))]
        for group in by_text.values()
        for start in range(0, len(group), rate.chunk(len(group)))
    ]
    if marked:
        answers = _hand_over_together(provider, requests, rate)
    else:
        answers = _hand_over_in_turn(provider, requests, rate)
    outcomes: list[tuple[int, SendResult]] = []
    unsent: list[int] = []
    failure: BaseException | None = None
    for request, answer in zip(requests, answers, strict=True):
        if isinstance(answer, ProviderError):
            metrics.count_send_failures("provider_error", len(request))
            unsent += [row.id for row in request]
        elif isinstance(answer, BaseException):
            failure = failure or answer
        else:
            by_phone = {result.phone: result for result in answer}
            outcomes += [(row.id, by_phone[row.phone]) for row in request]
    with database.connection_context():
        sent, to_retry = record(outcomes)
    if failure is not None:
        raise failure
    return sent, unsent + to_retry


Answer = list[SendResult] | BaseException


def _hand_over_together(
    provider: SmsProvider, requests: list[list[OutboundMessage]], rate: SendRate
) -> list[Answer]:
    """Rows already marked handed over: their requests go out side by side, as
    many at once as the provider's answer time needs.

    A real route answers in 100-300 ms, so a drain of many distinct texts (a
    case number in each reply and alert) is not one round trip after another.
    A provider that answers at once (a local Kannel, a fake) gets its requests
    from this thread alone: threads would only fight over the GIL. The first
    request says which: see :func:`threads_needed`. The database is not touched
    here: results are recorded by the caller, in its own thread.
    """

    def attempt(request: list[OutboundMessage]) -> Answer:
        try:
            return _hand_over(provider, request[0].text, request, rate, marked=True)
        except Exception as exc:  # recorded per request by the caller
            return exc

    if not requests:
        return []
    started, cpu_started = time.perf_counter(), time.thread_time()
    answers = [attempt(requests[0])]
    threads = threads_needed(
        time.perf_counter() - started, time.thread_time() - cpu_started, len(requests) - 1
    )
    if threads <= 1:
        return answers + [attempt(request) for request in requests[1:]]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return answers + list(pool.map(attempt, requests[1:]))


def threads_needed(seconds: float, cpu_seconds: float, requests: int) -> int:
    """Threads to send ``requests`` more requests like one that took ``seconds``,
    ``cpu_seconds`` of them on this thread's CPU.

    By Little's law, ``seconds / cpu_seconds`` requests in flight keep this
    thread's share of the CPU busy while the others wait on the network; fewer
    leave it idle, more only queue for the GIL. At most :data:`SEND_THREADS`,
    and no more than there are requests.
    """
    in_flight = int(seconds / max(cpu_seconds, 1e-6))
    return max(1, min(SEND_THREADS, requests, in_flight))


def _hand_over_in_turn(
    provider: SmsProvider, requests: list[list[OutboundMessage]], rate: SendRate
) -> list[Answer]:
    """Each request marked handed over just before it goes, one after another.

    After a :class:`ProviderError` the provider is not asked again: the later
    requests are answered with the same error, never marked, never sent.
    """
    answers: list[Answer] = []
    with database.connection_context():
        for request in requests:
            if answers and isinstance(answers[-1], ProviderError):
                answers.append(answers[-1])
                continue
            try:
                answers.append(_hand_over(provider, request[0].text, request, rate, False))
            except Exception as exc:  # recorded per request by the caller
                answers.append(exc)
                if not isinstance(exc, ProviderError):
                    answers += [exc] * (len(requests) - len(answers))
                    break
    return answers


def _claim(message_ids: list[int], now: dt.datetime, provider: str = "") -> list[OutboundMessage]:
    """Take the rows still ``queued``; a row another job took is not returned."""
    if not message_ids:
        return []
    query = (
        OutboundMessage.update(
            state="sending",
            provider=provider,
            attempts=OutboundMessage.attempts + 1,
            updated_at=now,
        )
        .where(OutboundMessage.id.in_(message_ids), OutboundMessage.state == "queued")
        .returning(
            OutboundMessage.id,
            OutboundMessage.phone,
            OutboundMessage.text,
            OutboundMessage.attempts,
        )
    )
    return sorted(query.execute(), key=lambda row: row.id)


def _hand_over(
    provider: SmsProvider, text: str, rows: list[OutboundMessage], rate: SendRate, marked: bool
) -> list[SendResult]:
    """Wait for the route, mark the rows as handed to ``provider``, then send:
    one SMS per distinct phone.

    The same text twice to one phone in one batch is a duplicate by definition;
    both rows get the one SMS's result, sent under the first row's id (the id
    Kannel's delivery reports name).
    """
    phones = list(dict.fromkeys(row.phone for row in rows))
    rate.wait_for(len(phones))
    if not marked:
        OutboundMessage.update(provider=provider.name).where(
            OutboundMessage.id.in_([row.id for row in rows])
        ).execute()
    first: dict[str, int] = {}
    for row in rows:
        first.setdefault(row.phone, row.id)
    return provider.send(list(first), text, list(first.values()))


def _release(message_ids: list[int], retry_at: dt.datetime | None = None) -> None:
    """Put claimed rows back in the queue, as never handed to any provider."""
    if message_ids:
        with database.connection_context():
            OutboundMessage.update(
                state="queued", provider="", retry_at=retry_at, updated_at=utcnow()
            ).where(
                OutboundMessage.id.in_(message_ids), OutboundMessage.state == "sending"
            ).execute()


def _back_off(priority: str, message_ids: list[int]) -> None:
    """Release rows the provider could not take, to be tried after a backoff
    that grows with their attempts; a drain is scheduled for that time."""
    with database.connection_context():
        attempts = (
            OutboundMessage.select(OutboundMessage.attempts)
            .where(OutboundMessage.id.in_(message_ids))
            .scalar()
        ) or 1
    delay = RETRY_INTERVALS[min(attempts, len(RETRY_INTERVALS)) - 1]
    retry_at = utcnow() + dt.timedelta(seconds=delay)
    _release(message_ids, retry_at)
    try:
        enqueue_drain_at(priority, retry_at.replace(tzinfo=dt.UTC))
    except RedisError as exc:
        log.warning("could not schedule the %s retry, left for the sweep: %s", priority, exc)


def expire_due(
    now: dt.datetime, message_ids: list[int] | None = None, priority: str | None = None
) -> int:
    """Mark queued messages past their useful life ``expired``; how many.

    Urgent messages never expire silently (SPEC §7), whatever their ``expires_at``.
    """
    if priority == URGENT:
        return 0
    query = OutboundMessage.update(
        state="expired", failure_reason=EXPIRED_REASON, updated_at=now
    ).where(
        OutboundMessage.state == "queued",
        OutboundMessage.expires_at < now,
        OutboundMessage.priority != URGENT,
    )
    if message_ids is not None:
        query = query.where(OutboundMessage.id.in_(message_ids))
    if priority is not None:
        query = query.where(OutboundMessage.priority == priority)
    return query.execute()
