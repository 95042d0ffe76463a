"""An SMS arrives: the webhook stores it; a worker understands it, acts, replies.

:func:`receive` is all a webhook does: one INSERT into the inbox
(:mod:`db.inbox`; the sender and the provider id together unique, so a
provider's retry waits once), which on SQLite is a file of its own, so a
webhook never waits for a worker's transaction. The workers watch the inbox
(``db.inbox.newest``, fifty times a second) and wake a drain when SMS wait,
so the webhook needs neither Redis nor anything else that can be down or slow.
Everything that can wait waits: :func:`handle_pending` takes the oldest waiting
rows, identifies their senders together, parses, and in one transaction of
the main database records them in ``inbound_message``, declares, opens cases
and writes the replies to the outbox; then it deletes them from the inbox. A
crash before the commit leaves them waiting; a crash after it leaves rows
that are already recorded, which the next drain deletes without handling them
again: each SMS is handled exactly once. A row whose wake-up was lost (Redis
down, a worker killed) is found by the inbox sweep. Batches are taken in
arrival order, one at a time, so one phone's messages are handled in the order
they arrived.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import NamedTuple

from peewee import IntegrityError, InterfaceError, OperationalError, PostgresqlDatabase
from redis.exceptions import RedisError

from db.base import database, utcnow
from db.inbox import WaitingSms, inbox_database
from db.models import Commune, Household, InboundMessage
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
from gateway.providers import current_provider
from gateway.providers.base import IncomingSms
from gateway.services import report_batches
from gateway.services.callers import Caller, identify_many, local_today
from gateway.services.delivery import confirm_by_reply
from gateway.services.effects import Outcome, apply
from gateway.services.outbox import Sms, outbox, queue_many, queue_sms, savepoint

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
RECORD_SQL = (
    'INSERT INTO "inbound_message" ("provider_id", "phone", "to", "text", "link_id",'
    ' "network_code", "outcome", "received_at", "handled_at") VALUES {rows}'
    ' ON CONFLICT ("phone", "provider_id") DO NOTHING RETURNING "id", "phone", "provider_id"'
)
"""SMS recorded as handled (or ignored); the rows it returns are the ones not recorded before."""
RECENT_SQL = (
    'SELECT "phone", "received_at" FROM "inbound_message"'
    ' WHERE "received_at" >= {p} AND "phone" IN ({marks})'
)
"""A batch's senders' SMS of the throttle window already handled: one read, written out."""
OUTCOME_SQL = 'UPDATE "inbound_message" SET "outcome" = {p} WHERE "id" IN ({marks})'
WAIT_SQL = (
    'INSERT INTO "waiting_sms" ("provider_id", "phone", "to", "text", "link_id",'
    ' "network_code", "received_at") VALUES ({marks})'
)
"""The webhook's one statement, written out: building it with peewee's query
builder cost five times as much as running it."""
SEEN_SQL = 'SELECT 1 FROM "inbound_message" WHERE "phone" = {p} AND "provider_id" = {p}'
log = logging.getLogger(__name__)


def receive(sms: IncomingSms, settings) -> str:
    """Store one inbound SMS for the workers; ``received``, ``duplicate`` or ``ignored``.

    The row waits in the inbox (one autocommitted INSERT); the workers' watch
    finds it. A provider's retry of an SMS already handled is found by one
    indexed read of ``inbound_message``, which takes no lock. An SMS from an
    alphanumeric sender or a short code is recorded at once as ``ignored``:
    nobody can read an answer.
    """
    phone = _reply_phone(sms.sender, settings.default_region)
    now = InboundMessage.received_at.db_value(utcnow())
    fields = (
        sms.provider_id,
        phone or sms.sender[:32],
        sms.to[:32],
        sms.text[:MAX_TEXT],
        sms.link_id or None,
        sms.network or None,
    )
    if phone is None:
        if not _record([(*fields, "ignored", now, now)]):
            return "duplicate"
        log.info("sms from non-replyable sender: ignored")
        return "ignored"
    seen = database.execute_sql(SEEN_SQL.format(p=database.param), (phone, sms.provider_id))
    if seen.fetchone() is not None:
        return "duplicate"
    marks = ", ".join([inbox_database.param] * (len(fields) + 1))
    try:
        inbox_database.execute_sql(WAIT_SQL.format(marks=marks), (*fields, now))
    except IntegrityError:
        return "duplicate"
    return "received"


def _record(rows: list[tuple]) -> list[tuple[int, str, str]]:
    """Insert ``rows`` (the columns of :data:`RECORD_SQL`) into ``inbound_message``;
    ``(id, phone, provider_id)`` of each not recorded before."""
    marks = "(" + ", ".join([database.param] * len(rows[0])) + ")"
    sql = RECORD_SQL.format(rows=", ".join([marks] * len(rows)))
    return database.execute_sql(sql, [value for row in rows for value in row]).fetchall()


def _reply_phone(sender: str, region: str) -> str | None:
    if not is_reply_address(sender):
        return None
    try:
        return to_e164(sender, region)
    except InvalidPhone:
        return None


def wake() -> None:
    """Make sure a drain job will run (see ``jobs.wake_inbox``).

    A Redis error is logged, never raised: the rows are stored, and the
    workers' watch or the sweep will hand them to a drain.
    """
    try:
        jobs.wake_inbox()
    except RedisError as exc:
        log.warning("Redis unavailable, inbound SMS left for the sweep: %s", exc)


def take_wake() -> None:
    """A drain job starting: no other is queued while it runs."""
    jobs.inbox_drain_started()


def give_back_wake() -> None:
    """A drain job ending: the next SMS must wake another one. A Redis error is
    logged, never raised: the flag expires on its own."""
    try:
        jobs.inbox_drain_ended()
    except RedisError as exc:
        log.warning("Redis unavailable, the inbox drain's flag left to expire: %s", exc)


def handle_pending(settings, limit: int = BATCH_SIZE) -> int:
    """Handle the oldest waiting SMS, up to ``limit``, in one transaction; how many.

    What can be read is read first, outside the write transaction (senders,
    their recent counts, the texts parsed, who hears of each case), so the
    main database's writer is held only for the writes. The transaction's first
    statement records the rows in ``inbound_message`` (:func:`_move`) and its
    last writes their outcomes: a crash between rolls both back. Runs of
    households' own reports are written together
    (:mod:`gateway.services.report_batches`); anything else one by one. A row
    that raises is rolled back alone and marked ``error``, so one bad row
    cannot block the inbox; a lost connection rolls back the whole batch, for
    the next drain. The rows leave the inbox once the transaction committed.
    """
    while waiting_rows := _oldest(limit):
        callers = identify_many(row.phone for row in waiting_rows)
        recent = _recent_counts(waiting_rows)
        communes = report_batches.communes_of(list(callers.values()))
        readings = [
            (row, Reading(callers[row.phone], recent[row.id], grammar.parse(row.text)))
            for row in waiting_rows
        ]
        ready = {row.id: _ready(row, reading, communes, settings) for row, reading in readings}
        with outbox():
            moved = _move(waiting_rows)
            rows = [(moved[row.id], reading) for row, reading in readings if row.id in moved]
            if not current_provider().confirms_delivery:
                _confirm_by_replies([row for row, _ in rows])
            outcomes = _handle_all(rows, _renamed(ready, moved), communes, settings)
            _record_outcomes(outcomes)
        _leave_inbox(waiting_rows)
        if not outcomes:
            continue  # all recorded before (a drain crashed after its commit): the next ones
        for row, _ in rows:
            metrics.SMS_RECEIVED.labels(outcome=outcomes[row.id]).inc()
            log.info("sms from %s: %s", mask(row.phone), outcomes[row.id])
        return len(outcomes)
    return 0


def _oldest(limit: int) -> list[WaitingSms]:
    return list(WaitingSms.select().order_by(WaitingSms.id).limit(limit))


class Recorded(NamedTuple):
    """An SMS as :func:`_move` recorded it in ``inbound_message``: what handling needs."""

    id: int
    phone: str
    received_at: dt.datetime


def _move(waiting_rows: list[WaitingSms]) -> dict[int, Recorded]:
    """Record the rows in ``inbound_message``, handled, in the transaction that handles
    them; the ones not recorded before, by their inbox id, as recorded."""
    if isinstance(database.obj, PostgresqlDatabase):
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (INBOX_LOCK,))
    now = InboundMessage.handled_at.db_value(utcnow())
    received = InboundMessage.received_at
    values = [
        (
            row.provider_id,
            row.phone,
            row.to,
            row.text,
            row.link_id,
            row.network_code,
            "received",
            received.db_value(row.received_at),
            now,
        )
        for row in waiting_rows
    ]
    recorded = {(phone, provider_id): id_ for id_, phone, provider_id in _record(values)}
    return {
        row.id: Recorded(recorded[(row.phone, row.provider_id)], row.phone, row.received_at)
        for row in waiting_rows
        if (row.phone, row.provider_id) in recorded
    }


def _renamed(
    ready: dict[int, report_batches.ReadyReport | None], moved: dict[int, Recorded]
) -> dict[int, report_batches.ReadyReport | None]:
    """The ready reports by their ``inbound_message`` id, their source named by it too."""
    renamed: dict[int, report_batches.ReadyReport | None] = {}
    for waiting_id, row in moved.items():
        report = ready[waiting_id]
        renamed[row.id] = report and replace(report, source_ref=f"inbound:{row.id}")
    return renamed


def _leave_inbox(waiting_rows: list[WaitingSms]) -> None:
    """Delete the rows now recorded; a crash before this leaves them to be deleted
    by the next drain, which finds them recorded."""
    WaitingSms.delete().where(WaitingSms.id.in_([row.id for row in waiting_rows])).execute()


def _confirm_by_replies(rows: list[Recorded]) -> None:
    """On a route whose reports stop at the operator, a text proves the sender's
    phone got what we sent it before (``delivery.confirm_by_reply``)."""
    latest = {row.phone: row.received_at for row in rows}
    for phone, received_at in latest.items():
        confirm_by_reply(phone, received_at)


def _record_outcomes(outcomes: dict[int, str]) -> None:
    """One UPDATE per distinct outcome (most batches: one, ``handled``)."""
    by_outcome: dict[str, list[int]] = defaultdict(list)
    for row_id, outcome in outcomes.items():
        by_outcome[outcome].append(row_id)
    for outcome, ids in by_outcome.items():
        marks = ", ".join([database.param] * len(ids))
        database.execute_sql(OUTCOME_SQL.format(p=database.param, marks=marks), [outcome, *ids])


def _ready(
    row: WaitingSms, reading: Reading, communes: dict[int, Commune], settings
) -> report_batches.ReadyReport | None:
    """A household's own report, ready to be written with others; else ``None``."""
    read, caller = reading.read, reading.caller
    if reading.recent >= THROTTLE_COUNT or not isinstance(read, Declare):
        return None
    today = local_today(caller.commune, settings.timezone, utcnow())
    return report_batches.prepare(caller, read.report, today, f"inbound:{row.id}", communes)


def _handle_all(
    readings: list[tuple[Recorded, Reading]],
    ready: dict[int, report_batches.ReadyReport | None],
    communes: dict[int, Commune],
    settings,
) -> dict[int, str]:
    """Each row's outcome, in arrival order: runs of ready reports together, the rest alone."""
    outcomes: dict[int, str] = {}
    run: list[tuple[Recorded, Reading]] = []
    for row, reading in readings:
        if ready[row.id] is not None:
            run.append((row, reading))
            continue
        outcomes.update(_handle_run(run, ready, communes, settings))
        run = []
        outcomes[row.id] = _handle_one(row, reading, settings)
    outcomes.update(_handle_run(run, ready, communes, settings))
    return outcomes


def _handle_run(
    run: list[tuple[Recorded, Reading]],
    ready: dict[int, report_batches.ReadyReport | None],
    communes: dict[int, Commune],
    settings,
) -> dict[int, str]:
    """Write a run of reports together; if that raises, one by one, so a bad row is
    set aside alone."""
    if not run:
        return {}
    try:
        with savepoint():
            recorded = report_batches.record([ready[row.id] for row, _ in run], communes)
            replies = []
            for (_, reading), declared in zip(run, recorded, strict=True):
                caller = reading.caller
                text = compose(reading.read, Outcome(declared=declared), caller)
                kind, household_id = caller.phone_kind, caller.household.id
                replies.append(Sms(caller.phone, text, DEFAULT, household_id, phone_kind=kind))
            queue_many(replies)
            return dict.fromkeys((row.id for row, _ in run), "handled")
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        log.exception("a run of %d inbound SMS failed together; handling them one by one", len(run))
    return {row.id: _handle_one(row, reading, settings) for row, reading in run}


def _recent_counts(rows: list[WaitingSms]) -> dict[int, int]:
    """For each row, how many SMS its phone sent in the throttle window before it:
    those handled already, and the batch's earlier ones."""
    phones = list({row.phone for row in rows})
    start = min(row.received_at for row in rows) - THROTTLE_WINDOW
    sql = RECENT_SQL.format(p=database.param, marks=", ".join([database.param] * len(phones)))
    received = InboundMessage.received_at
    earlier: dict[str, list[dt.datetime]] = defaultdict(list)
    for phone, received_at in database.execute_sql(sql, [received.db_value(start), *phones]):
        earlier[phone].append(received.python_value(received_at))
    counts = {}
    for row in rows:
        since = row.received_at - THROTTLE_WINDOW
        counts[row.id] = sum(1 for at in earlier[row.phone] if at >= since)
        earlier[row.phone].append(row.received_at)
    return counts


def _handle_one(row: Recorded, reading: Reading, settings) -> str:
    try:
        with savepoint():
            return _act(reading, row.id, settings)
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
