"""A household declares: the day's record, its monitoring periods, and its case.

A declaration is the one write of most USSD screens and SMS, and SQLite lets
one writer in at a time, so the write is kept short: its row is built before
the transaction starts, and its two statements (the day's earlier declaration
replaced, the new one inserted) are plain SQL, since peewee building them cost
more than running them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from peewee import IntegrityError

from db.base import database, utcnow
from db.models import Case, Declaration, Household, Member, MonitoringPeriod
from flows.report import Kind, Report
from gateway import metrics
from gateway.services import outbox as outboxes
from gateway.services.cases import open_case
from gateway.services.outbox import after_commit, outbox

MONITORED = {Kind.ARRIVAL: "arrival", Kind.CONTACT: "contact"}

REPLACED_SQL = (
    'UPDATE "declaration" SET "is_current" = FALSE'
    ' WHERE "local_date" = {p} AND "is_current" AND "household_id" IN ({ids})'
)
COLUMNS = (
    "commune", "household", "phone", "local_date", "kind", "people", "symptoms",
    "temperature_tenths", "contact", "arrived_from", "arrived_days_ago", "needs", "red_flag",
    "channel", "declared_by", "source_ref", "is_current", "created_at",
)  # fmt: skip


@dataclass(frozen=True)
class Declared:
    declaration: Declaration
    case_id: int | None
    repeated: bool

    @property
    def commune_id(self) -> int | None:
        """``None``: stored unassigned, for district staff to place."""
        return self.declaration.commune_id


def declare(
    report: Report,
    *,
    commune_id: int | None,
    local_date: dt.date,
    household: Household | None,
    phone: str | None,
    channel: str,
    source_ref: str | None = None,
    declared_by: Member | None = None,
    service_code: str | None = None,
) -> Declared:
    """Record the declaration, replacing the day's earlier one, and open its case.

    ``source_ref`` identifies the callback (USSD session, SMS id): a repeat of
    the same callback fails on its unique index. Inside the caller's
    ``outbox()`` the error reaches the caller, whose whole transaction rolls
    back and who answers from :func:`recorded` (the USSD and SMS services do);
    called on its own, the declaration's transaction rolls back here and what
    the first delivery recorded comes back. With no ``commune_id`` (a stranger
    whose commune is not known) the report is stored unassigned: its case waits
    for district staff, and no monitoring period starts until it has a commune.
    """
    row = declaration_row(
        report,
        commune_id=commune_id,
        household_id=household.id if household is not None else None,
        phone=phone,
        local_date=local_date,
        channel=channel,
        source_ref=source_ref,
        declared_by_id=declared_by.id if declared_by is not None else None,
    )
    insert = _insert_statement(row)
    if outboxes.active():
        return _record(report, row, insert, household, local_date, service_code)
    try:
        with outbox():
            return _record(report, row, insert, household, local_date, service_code)
    except IntegrityError:
        existing = recorded(source_ref) if source_ref is not None else None
        if existing is None:
            raise
        return existing


def declaration_row(
    report: Report,
    *,
    commune_id: int | None,
    household_id: int | None,
    phone: str | None,
    local_date: dt.date,
    channel: str,
    source_ref: str | None,
    declared_by_id: int | None = None,
    is_current: bool = True,
    created_at: dt.datetime | None = None,
) -> dict[str, object]:
    """A declaration's values by field name (:data:`COLUMNS`), as the models store them;
    written now unless ``created_at`` says when it was said."""
    return {
        "commune": commune_id,
        "household": household_id,
        "phone": phone,
        "local_date": local_date,
        "kind": report.kind.value,
        "people": report.people,
        "symptoms": ",".join(str(int(s)) for s in sorted(report.symptoms)),
        "temperature_tenths": report.temperature_tenths,
        "contact": report.contact.value if report.contact else None,
        "arrived_from": report.arrived_from,
        "arrived_days_ago": report.arrived_days_ago,
        "needs": ",".join(sorted(n.value for n in report.needs)),
        "red_flag": report.red_flag,
        "channel": channel,
        "declared_by": declared_by_id,
        "source_ref": source_ref,
        "is_current": is_current,
        "created_at": created_at or utcnow(),
    }


def replace_current(household_ids: Collection[int], local_date: dt.date) -> None:
    """The households' current declarations of ``local_date`` stop being current (a new
    one is about to be written for each)."""
    ids = ", ".join([database.param] * len(household_ids))
    sql = REPLACED_SQL.format(p=database.param, ids=ids)
    database.execute_sql(sql, [Declaration.local_date.db_value(local_date), *household_ids])


def recorded(source_ref: str) -> Declared | None:
    """What an earlier delivery of the same callback recorded, if any."""
    existing = Declaration.get_or_none(Declaration.source_ref == source_ref)
    if existing is None:
        return None
    case = Case.select(Case.id).where(Case.declaration == existing).first()
    metrics.REPEATED.labels(channel=existing.channel).inc()
    return Declared(existing, case.id if case else None, repeated=True)


def _insert_statement(row: dict[str, object]) -> tuple[str, list[object]]:
    fields = Declaration._meta.fields
    columns = ", ".join(f'"{fields[name].column_name}"' for name in COLUMNS)
    marks = ", ".join([database.param] * len(COLUMNS))
    sql = f'INSERT INTO "declaration" ({columns}) VALUES ({marks})'

    if database.returning_clause:
        sql += ' RETURNING "id"'
    return sql, [fields[name].db_value(row[name]) for name in COLUMNS]


def _record(
    report: Report,
    row: dict[str, object],
    insert: tuple[str, list[object]],
    household: Household | None,
    local_date: dt.date,
    service_code: str | None,
) -> Declared:
    """The write itself, in the caller's transaction: two statements for most reports."""
    if household is not None:
        replace_current([household.id], local_date)
    cursor = database.execute_sql(*insert)
    new_id = cursor.fetchone()[0] if database.returning_clause else cursor.lastrowid
    declaration = Declaration(id=new_id, **row)
    commune_id = declaration.commune_id
    after_commit(metrics.DECLARATIONS.labels(channel=declaration.channel).inc)
    if report.kind in MONITORED and commune_id is not None:
        start = local_date - dt.timedelta(days=report.arrived_days_ago or 0)
        MonitoringPeriod.create(
            commune=commune_id,
            household=household,
            declaration=declaration,
            reason=MONITORED[report.kind],
            people=report.people or 1,
            starts_on=start,
            ends_on=start + dt.timedelta(days=report.monitoring_days),
        )
    case = None
    if report.urgent:
        case = open_case(
            report,
            commune_id=commune_id,
            household=household,
            phone=declaration.phone,
            source=declaration.channel,
            declaration=declaration,
            service_code=service_code,
        )
    return Declared(declaration, case.id if case else None, repeated=False)
