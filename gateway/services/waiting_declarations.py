"""A household's "everyone is well" on USSD: stored in the inbox, recorded by the workers.

It is most of the screens that write: every household, every morning. On
SQLite a screen that wrote the main file waited for its one writer, behind
every other web process's declaration and every worker's batch, and each
commit threw away the other processes' cached pages of that file, so their
next reads went to the disk. So this screen does what an SMS webhook does: it
stores what was said in the inbox (:mod:`db.inbox`, a small file of its own on
SQLite) with one autocommitted INSERT, and says "recorded", which it then is.
The workers' inbox drain records the waiting rows in ``declaration`` in
batches (:func:`record_waiting`), one transaction each, and deletes them.

Only this report waits. It opens no case and starts no monitoring period, so
the screen promises nothing beyond "recorded". A report that opens a case is
written at once: its screen names who will call from the case as stored.

A household's day has one current declaration: its latest. A waiting one is
recorded current unless its household's current one that day was written
after it (an urgent report, by USSD or SMS, while it waited): the latest by
``created_at`` wins, whichever way each came. A waiting one is dated when it
was said; an SMS's declaration, when a worker handled it (a second or so
later), so of an SMS and a screen within that second the SMS may win.

Each is recorded once: its ``source_ref`` (the USSD session) is unique in the
inbox and in ``declaration``; a row found recorded already (a drain died after
its commit, or the provider repeated the callback after the first was
recorded) is only deleted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from peewee import IntegrityError, PostgresqlDatabase

from db.base import database
from db.inbox import WaitingDeclaration, inbox_database
from db.models import Declaration
from flows.effects import Declare, Effect
from flows.report import Kind, Report
from gateway import metrics
from gateway.services.bulk import insert_rows, select_in
from gateway.services.callers import Caller
from gateway.services.declarations import declaration_row, replace_current

BATCH_SIZE = 500
"""Declarations recorded in one transaction: a statement or two for all of them,
and the main file's writer held for a few milliseconds."""
INBOX_LOCK = 0x1B0C6
"""PostgreSQL advisory lock that keeps recording batches one at a time, as SQLite's
single writer does, so two drains never both find a household's day without a
current declaration."""
WELL = Report(Kind.WELL)
WAIT_SQL = (
    'INSERT INTO "waiting_declaration" ("source_ref", "household_id", "commune_id", "phone",'
    ' "local_date", "declared_at") VALUES ({marks})'
)
"""The screen's one statement, written out, as the SMS webhook's."""
OLDEST_SQL = (
    'SELECT "id", "source_ref", "household_id", "commune_id", "phone", "local_date",'
    ' "declared_at" FROM "waiting_declaration" ORDER BY "id" LIMIT {p}'
)
"""Read as plain rows: peewee's models parse each date with ``strptime``, which cost
as much as recording them."""
RECORDED_SQL = 'SELECT "source_ref" FROM "declaration" WHERE "source_ref" IN ({marks})'
CURRENT_SQL = (
    'SELECT "household_id", "created_at" FROM "declaration"'
    ' WHERE "is_current" AND "local_date" = {p} AND "household_id" IN ({marks})'
)


def can_wait(effects: tuple[Effect, ...], caller: Caller) -> bool:
    """Whether a screen's effects are a household's own "everyone is well", which
    may wait in the inbox."""
    return (
        len(effects) == 1
        and isinstance(effects[0], Declare)
        and effects[0].report == WELL
        and effects[0].commune is None
        and caller.view is not None
        and caller.member is None
    )


def store(caller: Caller, source_ref: str, local_date: dt.date, now: dt.datetime) -> None:
    """Store a household's "everyone is well", said at ``now`` (naive UTC), for the
    workers (see :func:`can_wait`).

    A provider's repeat of the callback while the first still waits is already
    stored; one after it was recorded waits again, and the drain drops it.
    """
    view = caller.view
    values = (
        source_ref,
        view.id,
        view.commune_id,
        caller.phone,
        WaitingDeclaration.local_date.db_value(local_date),
        WaitingDeclaration.declared_at.db_value(now),
    )
    marks = ", ".join([inbox_database.param] * len(values))
    try:
        inbox_database.execute_sql(WAIT_SQL.format(marks=marks), values)
    except IntegrityError:
        return


class Waiting(NamedTuple):
    """A :class:`~db.inbox.WaitingDeclaration` as read by the drain."""

    id: int
    source_ref: str
    household_id: int
    commune_id: int
    phone: str
    local_date: dt.date
    declared_at: dt.datetime


def record_waiting(limit: int = BATCH_SIZE) -> int:
    """Record the oldest waiting declarations, up to ``limit``, in one transaction
    of the main database; how many were recorded now (not before)."""
    oldest = inbox_database.execute_sql(OLDEST_SQL.format(p=inbox_database.param), (limit,))
    waiting = [Waiting(*row[:5], _date(row[5]), _datetime(row[6])) for row in oldest.fetchall()]
    if not waiting:
        return 0
    with database.atomic():
        if isinstance(database.obj, PostgresqlDatabase):
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (INBOX_LOCK,))
        refs = [row.source_ref for row in waiting]
        recorded = {ref for (ref,) in select_in(RECORDED_SQL, refs)}
        new = [row for row in waiting if row.source_ref not in recorded]
        _record(new)
    WaitingDeclaration.delete().where(
        WaitingDeclaration.id.in_([row.id for row in waiting])
    ).execute()
    if new:
        metrics.DECLARATIONS.labels(channel="ussd").inc(len(new))
    return len(new)


def _record(rows: list[Waiting]) -> None:
    """Insert ``rows``, each current unless a later declaration of its household's
    day is: one written meanwhile, or a later row of the batch."""
    latest: dict[tuple[int, dt.date], Waiting] = {}
    for row in rows:
        key = (row.household_id, row.local_date)
        if key not in latest or row.declared_at >= latest[key].declared_at:
            latest[key] = row
    current: set[int] = set()
    for day, households in _by_day(latest).items():
        written = _current_since(day, households)
        ours = [
            h for h in households if h not in written or written[h] <= latest[h, day].declared_at
        ]
        if replaced := [h for h in ours if h in written]:
            replace_current(replaced, day)
        current.update(latest[h, day].id for h in ours)
    insert_rows(
        Declaration,
        [
            declaration_row(
                WELL,
                commune_id=row.commune_id,
                household_id=row.household_id,
                phone=row.phone,
                local_date=row.local_date,
                channel="ussd",
                source_ref=row.source_ref,
                is_current=row.id in current,
                created_at=row.declared_at,
            )
            for row in rows
        ],
    )


def _by_day(latest: dict[tuple[int, dt.date], Waiting]) -> dict[dt.date, list[int]]:
    days: dict[dt.date, list[int]] = defaultdict(list)
    for household, day in latest:
        days[day].append(household)
    return days


def _current_since(day: dt.date, households: list[int]) -> dict[int, dt.datetime]:
    """When each household's current declaration of ``day`` was written, if it has one."""
    sql = CURRENT_SQL.format(p=database.param, marks="{marks}")
    day_value = Declaration.local_date.db_value(day)
    return {household: _datetime(at) for household, at in select_in(sql, households, day_value)}


def _date(value: str | dt.date) -> dt.date:
    """A date as the driver returns it: text from SQLite, a date from PostgreSQL."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _datetime(value: str | dt.datetime) -> dt.datetime:
    """A naive-UTC time as the driver returns it (see :func:`_date`)."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
