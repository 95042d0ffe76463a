"""The numbers of the Today page, each from one scoped query.

Team progress comes from the daily report itself, so the page and the report
a commune sends up the chain can never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, ModelSelect, fn

from db.models import Case, Declaration, Household, Member, Team
from gateway.console.scoping import commune, scoped
from gateway.services.reports import daily_report


@dataclass(frozen=True)
class TeamProgress:
    team: str
    households: int
    declared: int

    @property
    def share(self) -> int:
        return round(100 * self.declared / self.households) if self.households else 0


@dataclass(frozen=True)
class DayRate:
    day: dt.date
    declared: int
    households: int

    @property
    def share(self) -> float:
        return min(self.declared / self.households, 1.0) if self.households else 0.0


def team_progress(day: dt.date) -> list[TeamProgress]:
    return [
        TeamProgress(row.team, row.households, row.declared)
        for row in daily_report(day, commune().code)
    ]


def declared_ids(day: dt.date) -> ModelSelect:
    """Households with a current declaration that day, as a subquery."""
    return scoped(Declaration.select(Declaration.household), Declaration).where(
        Declaration.local_date == day,
        Declaration.is_current == True,  # noqa: E712
        Declaration.household.is_null(False),
    )


def not_declared(day: dt.date, limit: int = 20) -> list[Household]:
    query = (
        scoped(Household.select(Household, Team, Member), Household)
        .join(Team)
        .switch(Household)
        .join(Member, JOIN.LEFT_OUTER)
        .where(Household.state == "confirmed", Household.id.not_in(declared_ids(day)))
        .order_by(Team.name, Household.code)
    )
    return list(query.limit(limit))


def open_cases(limit: int = 50) -> list[Case]:
    """Unresolved cases, red flags and the oldest first: what to chase now."""
    query = (
        scoped(Case.select(Case, Household, Member), Case)
        .join(Household, JOIN.LEFT_OUTER)
        .switch(Case)
        .join(Member, JOIN.LEFT_OUTER, on=(Case.member == Member.id))
        .where(Case.state != "resolved")
        .order_by(Case.red_flag.desc(), Case.opened_at)
    )
    return list(query.limit(limit))


def declaration_rates(day: dt.date, days: int = 14) -> list[DayRate]:
    """Share of confirmed households that declared, for each of the last ``days``.

    The denominator is today's count of confirmed households: the commune's
    list changes slowly, and one grouped query keeps the chart cheap.
    """
    first = day - dt.timedelta(days=days - 1)
    households = scoped(Household.select(), Household).where(Household.state == "confirmed").count()
    counts = dict(
        scoped(Declaration.select(Declaration.local_date, fn.COUNT(Declaration.id)), Declaration)
        .join(Household)
        .where(
            Declaration.local_date.between(first, day),
            Declaration.is_current == True,  # noqa: E712
            Household.state == "confirmed",
        )
        .group_by(Declaration.local_date)
        .tuples()
    )
    by_day = {_as_date(key): value for key, value in counts.items()}
    return [
        DayRate(
            first + dt.timedelta(days=n), by_day.get(first + dt.timedelta(days=n), 0), households
        )
        for n in range(days)
    ]


def _as_date(value: dt.date | str) -> dt.date:
    """SQLite hands dates of a grouped query back as text."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
