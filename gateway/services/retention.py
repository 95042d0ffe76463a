"""Retention: health declarations are personal data, kept only as long as they serve.

A declaration, an inbound text and a case's timeline are kept ``days`` days
(``RETENTION_DAYS``, 90 by default) in the commune's own calendar, and for a
household under monitoring ``days`` days after its last monitoring period
ends. What is older is deleted by ``gateway purge`` and the daily cron job.
Open cases are never deleted, whatever their age.

The daily report of an old day must still show its numbers, so before a
day's rows go, each team's report row for that day is written to
:mod:`gateway.services.kept_counts` (once: the first copy is the complete one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from db.base import database, utcnow
from db.models import (
    Case,
    CaseEvent,
    Commune,
    DailyTeamCount,
    Declaration,
    HouseholdPhone,
    InboundMessage,
    MonitoringPeriod,
    Team,
)
from flows import clock
from gateway.services import kept_counts
from gateway.services.reports import daily_report


@dataclass
class PurgeReport:
    """What was deleted (or, with ``dry_run``, would be); ``days_kept`` report days stored."""

    declarations: int = 0
    monitoring_periods: int = 0
    cases: int = 0
    case_events: int = 0
    inbound_messages: int = 0
    days_kept: int = 0

    def add(self, other: PurgeReport) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def cutoff(commune: Commune, days: int, now: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """The commune's first kept local day, and when it began in naive UTC."""
    first = clock.local_date(commune.timezone, now) - dt.timedelta(days=days)
    return first, clock.at(commune.timezone, first)


def _watched(commune: Commune, first: dt.date):
    """Households whose last monitoring period ended less than the retention ago."""
    return MonitoringPeriod.select(MonitoringPeriod.household).where(
        MonitoringPeriod.commune == commune.id,
        MonitoringPeriod.ends_on >= first,
        MonitoringPeriod.household.is_null(False),
    )


def purge(days: int, now: dt.datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete what every commune no longer keeps; each commune in its own transaction."""
    now = now or utcnow()
    report = PurgeReport()
    for commune in Commune.select().order_by(Commune.id):
        report.add(_purge_commune(commune, days, now, dry_run))
    report.inbound_messages = _purge_inbound(days, now, dry_run)
    return report


def _purge_commune(commune: Commune, days: int, now: dt.datetime, dry_run: bool) -> PurgeReport:
    first, start = cutoff(commune, days, now)
    watched = _watched(commune, first)
    declarations = (
        (Declaration.commune == commune.id)
        & (Declaration.local_date < first)
        & (Declaration.household.is_null() | Declaration.household.not_in(watched))
    )
    cases = (
        (Case.commune == commune.id)
        & (Case.state == "resolved")
        & (Case.resolved_at < start)
        & (Case.household.is_null() | Case.household.not_in(watched))
    )
    periods = (MonitoringPeriod.commune == commune.id) & (MonitoringPeriod.ends_on < first)
    report = PurgeReport(
        declarations=Declaration.select().where(declarations).count(),
        monitoring_periods=MonitoringPeriod.select().where(periods).count(),
        cases=Case.select().where(cases).count(),
        case_events=CaseEvent.select()
        .where(CaseEvent.case.in_(Case.select(Case.id).where(cases)))
        .count(),
    )
    if dry_run or not (report.declarations or report.cases or report.monitoring_periods):
        return report
    with database.atomic():
        report.days_kept = _keep_days(commune, _days_of(commune, declarations, cases, periods))
        Declaration.delete().where(declarations).execute()
        Case.delete().where(cases).execute()  # their timelines go with them (ON DELETE CASCADE)
        MonitoringPeriod.delete().where(periods).execute()
    return report


def _days_of(commune: Commune, declarations, cases, periods) -> set[dt.date]:
    """The local days whose rows are about to go, and every day a deleted monitoring
    period covered (the report counts the people watched that day): kept first."""
    found = {
        row.local_date
        for row in Declaration.select(Declaration.local_date).where(declarations).distinct()
    }
    opened = Case.select(Case.opened_at).where(cases)
    found |= {clock.local_date(commune.timezone, o.opened_at) for o in opened}
    spans = MonitoringPeriod.select(MonitoringPeriod.starts_on, MonitoringPeriod.ends_on)
    for span in spans.where(periods).distinct():
        length = (span.ends_on - span.starts_on).days
        found |= {span.starts_on + dt.timedelta(days=n) for n in range(max(length, 0))}
    return found


def _keep_days(commune: Commune, days: Iterable[dt.date]) -> int:
    """Each team's report row for each day not kept before; the number of days stored."""
    teams = {team.name: team.id for team in Team.select().where(Team.commune == commune.id)}
    kept = {
        row.local_date
        for row in DailyTeamCount.select(DailyTeamCount.local_date)
        .where(DailyTeamCount.team.in_(list(teams.values())))
        .distinct()
    }
    stored = 0
    for day in sorted(set(days) - kept):
        for row in daily_report(day, commune.code):
            kept_counts.keep(teams[row.team], day, row)
        stored += 1
    return stored


def _purge_inbound(days: int, now: dt.datetime, dry_run: bool) -> int:
    """Inbound texts are not tied to a commune: the oldest zone's cutoff, kept longer for
    the phones of households under monitoring anywhere."""
    communes = list(Commune.select())
    if communes:
        start = min(cutoff(commune, days, now)[1] for commune in communes)
        first = min(cutoff(commune, days, now)[0] for commune in communes)
    else:
        start, first = now - dt.timedelta(days=days), (now - dt.timedelta(days=days)).date()
    watched = MonitoringPeriod.select(MonitoringPeriod.household).where(
        MonitoringPeriod.ends_on >= first, MonitoringPeriod.household.is_null(False)
    )
    watched_phones = HouseholdPhone.select(HouseholdPhone.phone).where(
        HouseholdPhone.household.in_(watched)
    )
    old = (InboundMessage.received_at < start) & InboundMessage.phone.not_in(watched_phones)
    if dry_run:
        return InboundMessage.select().where(old).count()
    with database.atomic():
        return InboundMessage.delete().where(old).execute()
