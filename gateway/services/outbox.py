"""The one path every outbound SMS takes: a row first, then the queue.

A service writes its outbound messages with :func:`queue_sms` inside an
:func:`outbox` block, in the same transaction as what caused them (the
declaration, the case, the escalation step). Only after that transaction
commits are the send jobs enqueued; if Redis is down then, the rows stay
``queued`` and the sweep enqueues them later. So a message is never lost, and
never sent for something that was rolled back.

It is also the last guard before a provider: a landline never gets an SMS (it
costs money and reaches no one). The services pick mobiles; :func:`textable`
refuses whatever slips through, so a mistake upstream is a log line and a
counted refusal, never a text to a fixed line.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

from peewee import IntegrityError
from redis.exceptions import RedisError

from db.base import database, utcnow
from db.models import OutboundMessage
from flows.encoding import measure
from flows.phones import MOBILE, mask, number_kind
from gateway import metrics
from gateway.jobs import PRIORITIES, Queued, enqueue_messages
from gateway.services.bulk import insert_rows

log = logging.getLogger(__name__)

_pending: ContextVar[list[OutboundMessage | Queued] | None] = ContextVar(
    "outbox_pending", default=None
)
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
    """Write one outbound message; ``None`` when ``dedupe_key`` was written before,
    or when ``phone`` is a landline (refused, see :func:`textable`)."""
    pending = _pending.get()
    if pending is None:
        raise RuntimeError("queue_sms must be called inside an outbox() block")
    if priority not in PRIORITIES:
        raise ValueError(f"unknown priority {priority!r}")
    if not textable(phone):
        return None
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


@dataclass(frozen=True)
class Sms:
    """One message of :func:`queue_many`: :func:`queue_sms`'s arguments, as data."""

    phone: str
    text: str
    priority: str
    household_id: int | None = None
    case_id: int | None = None
    dedupe_key: str | None = None
    phone_kind: str | None = None
    """The stored kind of ``phone`` when the caller read it (see :func:`textable`)."""


def queue_many(messages: list[Sms]) -> int:
    """Write many outbound messages in one statement; how many (landlines refused).

    For a batch whose dedupe keys are new (the inbox's fresh cases): a key
    written before fails the whole statement, as a bug should.
    """
    pending = _pending.get()
    if pending is None:
        raise RuntimeError("queue_many must be called inside an outbox() block")
    now = utcnow()
    rows = []
    for sms in messages:
        if sms.priority not in PRIORITIES:
            raise ValueError(f"unknown priority {sms.priority!r}")
        if not textable(sms.phone, sms.phone_kind):
            continue
        measured = measure(sms.text)
        rows.append({
            "phone": sms.phone, "text": sms.text, "priority": sms.priority,
            "encoding": measured.encoding, "segments": measured.segments,
            "dedupe_key": sms.dedupe_key, "household": sms.household_id, "case": sms.case_id,
            "created_at": now, "updated_at": now,
        })  # fmt: skip
    written = insert_rows(OutboundMessage, rows, returning=("id", "priority", "text"))
    pending.extend(Queued(id_, priority, text) for id_, priority, text in written)
    return len(written)


def textable(phone: str, kind: str | None = None) -> bool:
    """Whether an SMS may be written to ``phone``; a refusal is logged and counted.

    ``kind`` is the stored kind (``HouseholdPhone.kind``) when the caller read
    it with the phone: a reminder round then costs no parsing per household.
    Refusals are counted as ``gateway_send_failures_total{kind="landline"}``
    once the transaction commits; any there means a path that picks recipients
    forgot to ask for a mobile.
    """
    if (kind or number_kind(phone)) == MOBILE:
        return True
    log.warning("refused an SMS to a landline %s", mask(phone))
    after_commit(partial(metrics.count_send_failures, "landline"))
    return False


@contextmanager
def outbox() -> Iterator[None]:
    """A transaction whose outbound messages are enqueued once it has committed."""
    if _pending.get() is not None:
        with database.atomic():
            yield
        return
    pending: list[OutboundMessage | Queued] = []
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


def enqueue(messages: list[OutboundMessage | Queued]) -> None:
    """Hand committed messages to the workers; on a Redis error the sweep will."""
    if not messages:
        return
    try:
        enqueue_messages(messages)
    except RedisError as exc:
        log.warning("Redis unavailable, %d message(s) left for the sweep: %s", len(messages), exc)
