"""A household declares: the day's record, its monitoring periods, and its case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import IntegrityError

from db.models import Case, Declaration, Household, Member, MonitoringPeriod
from flows.report import Kind, Report
from gateway import metrics
from gateway.services.cases import open_case
from gateway.services.outbox import after_commit, outbox

MONITORED = {Kind.ARRIVAL: "arrival", Kind.CONTACT: "contact"}


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
    the same callback fails on its unique index, is rolled back, and returns
    what the first one recorded.
    A concurrent duplicate loses on the unique ``source_ref`` and gets the same answer.
    With no ``commune_id`` (a stranger whose commune is not known) the report is
    stored unassigned: its case waits for district staff, and no monitoring
    period starts until it has a commune.
    """
    try:
        return _record(
            report,
            commune_id,
            local_date,
            household,
            phone,
            channel,
            source_ref,
            declared_by,
            service_code,
        )
    except IntegrityError:
        existing = _recorded(source_ref) if source_ref is not None else None
        if existing is None:
            raise
        return existing


def _recorded(source_ref: str) -> Declared | None:
    """What an earlier delivery of the same callback recorded, if any."""
    existing = Declaration.get_or_none(Declaration.source_ref == source_ref)
    if existing is None:
        return None
    case = Case.select(Case.id).where(Case.declaration == existing).first()
    metrics.REPEATED.labels(channel=existing.channel).inc()
    return Declared(existing, case.id if case else None, repeated=True)


def _record(
    report: Report,
    commune_id: int | None,
    local_date: dt.date,
    household: Household | None,
    phone: str | None,
    channel: str,
    source_ref: str | None,
    declared_by: Member | None,
    service_code: str | None,
) -> Declared:
    with outbox():
        if household is not None:
            Declaration.update(is_current=False).where(
                Declaration.household == household,
                Declaration.local_date == local_date,
                Declaration.is_current == True,  # noqa: E712
            ).execute()
        declaration = Declaration.create(
            commune=commune_id,
            household=household,
            phone=phone,
            local_date=local_date,
            kind=report.kind.value,
            people=report.people,
            symptoms=",".join(str(int(s)) for s in sorted(report.symptoms)),
            temperature_tenths=report.temperature_tenths,
            contact=report.contact.value if report.contact else None,
            arrived_from=report.arrived_from,
            arrived_days_ago=report.arrived_days_ago,
            needs=",".join(sorted(n.value for n in report.needs)),
            red_flag=report.red_flag,
            channel=channel,
            declared_by=declared_by,
            source_ref=source_ref,
        )
        after_commit(metrics.DECLARATIONS.labels(channel=channel).inc)
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
                phone=phone,
                source=channel,
                declaration=declaration,
                service_code=service_code,
            )
    return Declared(declaration, case.id if case else None, repeated=False)
