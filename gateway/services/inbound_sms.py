"""An SMS arrives: the webhook stores it; a worker understands it, acts, replies.

:func:`receive` is all a webhook does: one INSERT of the raw row (the sender
and the provider id together unique, so a provider's retry records once), and
one Redis command that wakes the workers. Everything that can wait waits:
:func:`handle_pending` takes the oldest unhandled rows in one transaction,
identifies their senders together, parses, declares, opens cases and writes the
replies to the outbox, and marks the rows handled in that same transaction. A
crash anywhere rolls the batch back whole, so each row is handled exactly once;
a row whose wake-up was lost (Redis down, a worker killed) is found by the
inbox sweep. Batches are taken in id order, one at a time, so one phone's
messages are handled in the order they arrived.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from peewee import Case as SqlCase
from peewee import IntegrityError, InterfaceError, OperationalError, PostgresqlDatabase
from redis.exceptions import RedisError

from db.base import database, utcnow
from db.models import Household, InboundMessage
from flows.effects import (
    Acknowledge,
    Declare,
    OptIn,
    OptOut,
    Problem,
    ProxyDeclare,
    Resolve,
)
from flows.phones import InvalidPhone, is_reply_address, mask, to_e164
from flows.sms import grammar, readings, replies
from flows.sms.readings import HelpRequest, Reason, Unknown
from gateway import jobs, metrics
from gateway.jobs import DEFAULT
from gateway.providers.base import IncomingSms
from gateway.services.callers import Caller, identify_many
from gateway.services.effects import Outcome, apply
from gateway.services.outbox import outbox, queue_sms, savepoint

THROTTLE_COUNT = 20
THROTTLE_WINDOW = dt.timedelta(minutes=5)
MAX_TEXT = 1600
BATCH_SIZE = 50
"""Rows handled in one transaction: enough to share the commit and the caller
look-ups, few enough that SQLite's one writer is held for a fraction of a
second (the webhooks' inserts wait for it), and that replies follow steadily."""
INBOX_LOCK = 0x1B0C5
"""PostgreSQL advisory lock that keeps drains one at a time (SQLite's single
writer already does), so batches, and one phone's messages, keep their order."""
INSERT_SQL = (
    'INSERT INTO "inbound_message" ("provider_id", "phone", "to", "text", "link_id",'
    ' "network_code", "outcome", "received_at", "handled_at") VALUES ({marks})'
)
"""The webhook's one statement, written out: building it with peewee's query
builder cost five times as much as running it."""
log = logging.getLogger(__name__)


def receive(sms: IncomingSms, settings) -> str:
    """Store one inbound SMS and wake the workers; ``received``, ``duplicate`` or ``ignored``.

    An SMS from an alphanumeric sender or a short code is stored already
    handled (``ignored``): nobody can read an answer. The row commits on its
    own (a single INSERT, autocommitted) before the workers are woken.
    """
    phone = _reply_phone(sms.sender, settings.default_region)
    now = InboundMessage.received_at.db_value(utcnow())
    values = (
        sms.provider_id,
        phone or sms.sender[:32],
        sms.to[:32],
        sms.text[:MAX_TEXT],
        sms.link_id or None,
        sms.network or None,
        "received" if phone else "ignored",
        now,
        None if phone else now,
    )
    try:
        database.execute_sql(INSERT_SQL.format(marks=", ".join([database.param] * 9)), values)
    except IntegrityError:
        return "duplicate"
    if phone is None:
        log.info("sms from non-replyable sender: ignored")
        return "ignored"
    wake()
    return "received"


def _reply_phone(sender: str, region: str) -> str | None:
    if not is_reply_address(sender):
        return None
    try:
        return to_e164(sender, region)
    except InvalidPhone:
        return None


def wake() -> None:
    """Make sure a drain job will run: one Redis command, an enqueue only when none waits.

    The flag says "a drain job is queued and has not started"; the job clears
    it before it reads the inbox, so a row committed before a webhook saw the
    flag set is always read by that job. A Redis error is logged, never raised:
    the row is stored and the sweep will hand it to the workers.
    """
    try:
        jobs.wake_inbox()
    except RedisError as exc:
        log.warning("Redis unavailable, inbound SMS left for the sweep: %s", exc)


def take_wake() -> None:
    """A drain job starting: the next SMS must wake another one."""
    jobs.inbox_drain_started()


def pending_since(before: dt.datetime) -> bool:
    """Whether a row received before ``before`` is still unhandled (the sweep's question)."""
    return (
        InboundMessage.select(InboundMessage.id)
        .where(InboundMessage.handled_at.is_null(), InboundMessage.received_at < before)
        .exists()
    )


def handle_pending(settings, limit: int = BATCH_SIZE) -> int:
    """Handle the oldest unhandled rows, up to ``limit``, in one transaction; how many.

    The rows are claimed (marked handled) by the transaction's first statement
    and their outcomes written by its last: a crash between rolls both back.
    A row that raises is rolled back to its savepoint alone and marked
    ``error``, so one bad row cannot block the inbox; a lost connection
    rolls back the whole batch, for the next drain.
    """
    with outbox():
        rows = _claim(limit)
        if not rows:
            return 0
        callers = identify_many({row.phone for row in rows})
        recent = _recent_counts(rows)
        outcomes: dict[int, str] = {}
        for row in rows:
            outcomes[row.id] = _handle_one(row, callers[row.phone], recent[row.id], settings)
        InboundMessage.update(outcome=SqlCase(InboundMessage.id, list(outcomes.items()))).where(
            InboundMessage.id.in_(list(outcomes))
        ).execute()
    for row in rows:
        metrics.SMS_RECEIVED.labels(outcome=outcomes[row.id]).inc()
        log.info("sms from %s: %s", mask(row.phone), outcomes[row.id])
    return len(rows)


def _claim(limit: int) -> list[InboundMessage]:
    if isinstance(database.obj, PostgresqlDatabase):
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (INBOX_LOCK,))
    oldest = (
        InboundMessage.select(InboundMessage.id)
        .where(InboundMessage.handled_at.is_null())
        .order_by(InboundMessage.id)
        .limit(limit)
    )
    claimed = (
        InboundMessage.update(handled_at=utcnow())
        .where(InboundMessage.id.in_(oldest))
        .returning(
            InboundMessage.id,
            InboundMessage.phone,
            InboundMessage.text,
            InboundMessage.received_at,
        )
        .execute()
    )
    return sorted(claimed, key=lambda row: row.id)


def _recent_counts(rows: list[InboundMessage]) -> dict[int, int]:
    """For each row, how many SMS its phone sent in the throttle window before it."""
    start = min(row.received_at for row in rows) - THROTTLE_WINDOW
    earlier: dict[str, list[tuple[int, dt.datetime]]] = defaultdict(list)
    for row_id, phone, received_at in (
        InboundMessage.select(InboundMessage.id, InboundMessage.phone, InboundMessage.received_at)
        .where(
            InboundMessage.phone.in_(list({row.phone for row in rows})),
            InboundMessage.received_at >= start,
            InboundMessage.id <= max(row.id for row in rows),
        )
        .tuples()
    ):
        earlier[phone].append((row_id, received_at))
    return {
        row.id: sum(
            1
            for other_id, at in earlier[row.phone]
            if other_id < row.id and at >= row.received_at - THROTTLE_WINDOW
        )
        for row in rows
    }


def _handle_one(row: InboundMessage, caller: Caller, recent: int, settings) -> str:
    try:
        with savepoint():
            return _act(Reading(caller, recent, grammar.parse(row.text)), row.id, settings)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        log.exception("inbound SMS %s could not be handled", row.id)
        return "error"


@dataclass(frozen=True)
class Reading:
    """Who sent what, and how much they sent lately."""

    caller: Caller
    recent: int
    read: readings.Reading


def _act(reading: Reading, row_id: int, settings) -> str:
    caller, read = reading.caller, reading.read
    if reading.recent >= THROTTLE_COUNT:
        if reading.recent == THROTTLE_COUNT:
            _flag(caller)
            _reply(caller, replies.throttled(caller.language))
        return "throttled"
    outcome = Outcome()
    if not isinstance(read, HelpRequest | Unknown):
        outcome = apply(read, caller, "sms", f"inbound:{row_id}", settings.timezone)
    _reply(caller, compose(read, outcome, caller))
    return "handled" if outcome.problem is None else outcome.problem.value


def compose(read: readings.Reading, outcome: Outcome, caller: Caller) -> str:
    """The one reply for what was asked and what happened."""
    lang = caller.language
    match outcome.problem:
        case Problem.UNKNOWN_HOUSEHOLD:
            return replies.unknown_household(lang, getattr(read, "household_code", ""))
        case Problem.UNKNOWN_CASE:
            return replies.unknown_case(lang, getattr(read, "case_number", 0))
        case Problem.NOT_A_MEMBER:
            return replies.not_a_member(lang)
        case Problem.NO_COMMUNE | Problem.UNKNOWN_TEAM:
            return replies.not_understood(lang)
    match read:
        case ProxyDeclare(code, _):
            return replies.declared_for(lang, code)
        case Declare(report):
            declared = outcome.declared
            if outcome.unassigned:
                case_number = declared.case_id if declared else None
                return replies.declared_unassigned(lang, case_number, report.red_flag)
            if declared is None or declared.case_id is None:
                return replies.declared_well(lang)
            member = caller.household.member if caller.household else None
            return replies.declared_urgent(
                lang,
                member.name if member else None,
                member.phone if member else None,
                report.red_flag,
                declared.case_id,
            )
        case Acknowledge(number):
            return replies.acknowledged(lang, number)
        case Resolve(number, _):
            return replies.resolved(lang, number)
        case HelpRequest():
            return replies.help_text(lang)
        case OptOut():
            return replies.stopped(lang)
        case OptIn():
            return replies.started(lang)
        case Unknown(Reason.CASE_MISSING):
            return replies.ask_case_number(lang)
    return replies.not_understood(lang)


def _reply(caller: Caller, text: str) -> None:
    queue_sms(
        caller.phone,
        text,
        priority=DEFAULT,
        household_id=caller.household.id if caller.household else None,
    )


def _flag(caller: Caller) -> None:
    """A phone sending too much is a stuck phone or a prank: its member should look."""
    if caller.household is not None:
        Household.update(visit_reason="too many SMS in 5 minutes").where(
            Household.id == caller.household.id
        ).execute()
