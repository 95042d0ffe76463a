"""The one path every outbound SMS takes: a row first, then the queue.

A service writes its outbound messages with :func:`queue_sms` inside an
:func:`outbox` block, in the same transaction as what caused them (the
declaration, the case, the escalation step). Only after that transaction
commits are the send jobs enqueued; if Redis is down then, the rows stay
``queued`` and the sweep enqueues them later. So a message is never lost, and
never sent for something that was rolled back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from peewee import IntegrityError
from redis.exceptions import RedisError

from db.base import database
from db.models import OutboundMessage
from flows.encoding import measure
from workers.queues import QUEUE_NAMES

log = logging.getLogger(__name__)

_pending: ContextVar[list[OutboundMessage] | None] = ContextVar("outbox_pending", default=None)
_after: ContextVar[list[Callable[[], None]] | None] = ContextVar("outbox_after", default=None)


def queue_sms(
    phone: str,
    text: str,
    *,
    priority: str = "default",
    household_id: int | None = None,
    case_id: int | None = None,
    dedupe_key: str | None = None,
    expires_at: dt.datetime | None = None,
) -> OutboundMessage | None:
    """Write one outbound message; ``None`` when ``dedupe_key`` was written before."""
    pending = _pending.get()
    if pending is None:
        raise RuntimeError("queue_sms must be called inside an outbox() block")
    if priority not in QUEUE_NAMES:
        raise ValueError(f"unknown priority {priority!r}")
    measured = measure(text)
    values = {
        "phone": phone,
        "text": text,
        "priority": priority,
        "encoding": measured.encoding,
        "segments": measured.segments,
        "household": household_id,
        "case": case_id,
        "dedupe_key": dedupe_key,
        "expires_at": expires_at,
    }
    if dedupe_key is None:
        message = OutboundMessage.create(**values)
    else:
        try:
            with database.atomic():
                message = OutboundMessage.create(**values)
        except IntegrityError:
            return None
    pending.append(message)
    return message


@contextmanager
def outbox() -> Iterator[None]:
    """A transaction whose outbound messages are enqueued once it has committed."""
    if _pending.get() is not None:
        with database.atomic():
            yield
        return
    pending: list[OutboundMessage] = []
    callbacks: list[Callable[[], None]] = []
    token, after_token = _pending.set(pending), _after.set(callbacks)
    try:
        with database.atomic():
            yield
    finally:
        _pending.reset(token)
        _after.reset(after_token)
    enqueue(pending)
    for callback in callbacks:
        try:
            callback()
        except RedisError as exc:
            log.warning("Redis unavailable after commit, left for the sweep: %s", exc)


def active() -> bool:
    """Whether an ``outbox()`` transaction is open: a service called inside one
    writes in it, and leaves its errors to the caller that owns it."""
    return _pending.get() is not None


@contextmanager
def savepoint() -> Iterator[None]:
    """A nested transaction inside an :func:`outbox` block, all or nothing on its own.

    If it rolls back, the messages it wrote and the callbacks it registered go
    with it, so nothing is enqueued or scheduled for a cause that was undone.
    """
    pending, callbacks = _pending.get(), _after.get()
    if pending is None or callbacks is None:
        raise RuntimeError("savepoint must be used inside an outbox() block")
    marks = len(pending), len(callbacks)
    try:
        with database.atomic():
            yield
    except BaseException:
        del pending[marks[0] :]
        del callbacks[marks[1] :]
        raise


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current outbox transaction has committed.

    For work that must not happen for a rolled-back cause, such as scheduling
    a case's escalation timer. Redis errors are logged: the sweeps catch up.
    """
    callbacks = _after.get()
    if callbacks is None:
        raise RuntimeError("after_commit must be called inside an outbox() block")
    callbacks.append(callback)


def enqueue(messages: list[OutboundMessage]) -> None:
    """Hand committed messages to the workers; on a Redis error the sweep will."""
    if not messages:
        return
    from workers.sending import enqueue_messages

    try:
        enqueue_messages(messages)
    except RedisError as exc:
        log.warning("Redis unavailable, %d message(s) left for the sweep: %s", len(messages), exc)
