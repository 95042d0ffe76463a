"""The daily report of SPEC §7: one row per team, counted in a few grouped queries.

A report covers one commune, several (a district) or all; the CSV has one row
per team, while the table and the workbook add each commune's total and, for
several communes, the district's. Medians are taken over the raw durations,
never averaged from the teams' medians.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from openpyxl import Workbook
from peewee import JOIN, fn
from peewee import Case as SqlCase

from db.models import (
    CASE_STATES,
    PHONE_KINDS,
    Case,
    Commune,
    Declaration,
    Household,
    MonitoringPeriod,
    Team,
)
from flows import clock
from gateway.services import kept_counts
from gateway.services.safe_cells import neutralised

CASE_KINDS = ("symptoms", "arrival", "positive", "contact", "help")
TOTAL = "TOTAL"
DECLARATION_DEADLINE = dt.time(14, 0)
"""Households declare by 14:00 local time (seed 001): the target the teams are held to."""


@dataclass
class TeamRow:
    """``cases_*`` count the cases opened that local day, by kind and by their state now;
    ``open_cases`` every case not yet resolved, whenever it was opened.
    ``declared_on_time`` counts the households that had declared by
    :data:`DECLARATION_DEADLINE`, even if they declared again later; it comes
    after SPEC §3's seven columns so that their order never changes."""

    commune: str
    team: str
    households: int = 0
    declared: int = 0
    not_declared: int = 0
    people_with_symptoms: int = 0
    open_cases: int = 0
    declared_on_time: int = 0
    phone_smartphone_group: int = 0
    phone_smartphone: int = 0
    phone_basic: int = 0
    phone_landline: int = 0
    phone_none: int = 0
    cases_today: int = 0
    cases_symptoms: int = 0
    cases_arrival: int = 0
    cases_positive: int = 0
    cases_contact: int = 0
    cases_help: int = 0
    cases_open: int = 0
    cases_acknowledged: int = 0
    cases_resolved: int = 0
    arrivals: int = 0
    arrivals_within_24h: int = 0
    under_monitoring: int = 0
    median_ack_minutes: float | None = None
    ack_seconds: list[float] = field(default_factory=list, repr=False)


COLUMNS = [f.name for f in fields(TeamRow) if f.name != "ack_seconds"]
_SUMMED = [name for name in COLUMNS[2:] if name != "median_ack_minutes"]


def daily_report(day: dt.date, communes: str | Iterable[str] | None = None) -> list[TeamRow]:
    """Every number of SPEC §7 per team for one local day, for the given commune codes
    (one code, several for a district, ``None`` for all).

    Each number comes from one grouped query (cases: one per commune, for its
    time zone), so the cost grows with the number of teams, not of households.
    """
    codes = [communes] if isinstance(communes, str) else list(communes or [])
    teams = Team.select(Team, Commune).join(Commune).order_by(Commune.code, Team.name)
    if codes:
        teams = teams.where(Commune.code.in_(codes))
    teams = list(teams)
    rows = {team.id: TeamRow(team.commune.code, team.name) for team in teams}
    if not rows:
        return []
    # Scoped by commune, not by a list of team ids: a province's thousand teams
    # in an IN clause would cost more than the counting itself.
    commune_ids = {team.commune_id for team in teams}
    in_scope = Household.commune.in_(commune_ids) if codes else True
    confirmed = (Household.state == "confirmed") & in_scope
    _count_households(rows, confirmed)
    _count_declarations(
        rows, confirmed & (Declaration.commune.in_(commune_ids) if codes else True), day
    )
    _count_monitoring(rows, confirmed, day)
    open_cases = (
        Household.select(Household.team, fn.COUNT(Case.id))
        .join(Case, JOIN.INNER)
        .where(in_scope, Case.state != "resolved")
        .group_by(Household.team)
        .tuples()
    )
    for team_id, count in open_cases:
        rows[team_id].open_cases = count
    for commune in {team.commune.id: team.commune for team in teams}.values():
        _count_cases(rows, commune, day)
        _count_on_time(rows, commune, day)
    kept_counts.restore(rows, day)  # a day whose rows were purged (services.retention)
    for row in rows.values():
        row.not_declared = row.households - row.declared
        row.median_ack_minutes = _median_minutes(row.ack_seconds)
    return list(rows.values())


def _count_households(rows: dict[int, TeamRow], confirmed) -> None:
    kinds = (
        Household.select(Household.team, Household.phone_kind, fn.COUNT(Household.id))
        .where(confirmed)
        .group_by(Household.team, Household.phone_kind)
        .tuples()
    )
    for team_id, kind, count in kinds:
        rows[team_id].households += count
        if kind in PHONE_KINDS:
            setattr(rows[team_id], f"phone_{kind}", count)


def _people_if(kind: str) -> SqlCase:
    """People of declarations of ``kind``; a household that gave no number counts one."""
    return fn.SUM(
        SqlCase(None, [(Declaration.kind == kind, fn.COALESCE(Declaration.people, 1))], 0)
    )


def _count_declarations(rows: dict[int, TeamRow], confirmed, day: dt.date) -> None:
    """Declared households, people with symptoms, and arrivals: all of them, and those
    reported within 24 hours of arriving (the seeds' target is every one, seed 004)."""
    recent = (Declaration.kind == "arrival") & (Declaration.arrived_days_ago <= 1)
    declared = (
        Household.select(
            Household.team,
            fn.COUNT(Declaration.id),
            _people_if("symptoms"),
            _people_if("arrival"),
            fn.SUM(SqlCase(None, [(recent, fn.COALESCE(Declaration.people, 1))], 0)),
        )
        .join(Declaration)
        .where(confirmed, Declaration.local_date == day, Declaration.is_current == True)  # noqa: E712
        .group_by(Household.team)
        .tuples()
    )
    for team_id, count, symptomatic, arrived, found_soon in declared:
        rows[team_id].declared = count
        rows[team_id].people_with_symptoms = int(symptomatic or 0)
        rows[team_id].arrivals = int(arrived or 0)
        rows[team_id].arrivals_within_24h = int(found_soon or 0)


def deadline_utc(commune: Commune, day: dt.date) -> dt.datetime:
    """The commune's declaration deadline of ``day``, as the naive UTC the rows store."""
    return clock.at(commune.timezone, day, DECLARATION_DEADLINE)


def on_time_ids(commune: Commune, day: dt.date):
    """Households of the commune that declared ``day`` before its deadline, as a subquery.

    Any declaration counts, current or replaced: a household that declared at
    10:00 and corrected itself at 15:00 met the deadline.
    """
    return (
        Declaration.select(Declaration.household)
        .where(
            Declaration.commune == commune.id,
            Declaration.local_date == day,
            Declaration.household.is_null(False),
            Declaration.created_at < deadline_utc(commune, day),
        )
        .distinct()
    )


def _count_on_time(rows: dict[int, TeamRow], commune: Commune, day: dt.date) -> None:
    counted = (
        Household.select(Household.team, fn.COUNT(Household.id))
        .where(
            Household.commune == commune.id,
            Household.state == "confirmed",
            Household.id.in_(on_time_ids(commune, day)),
        )
        .group_by(Household.team)
        .tuples()
    )
    for team_id, count in counted:
        if team_id in rows:
            rows[team_id].declared_on_time = count


def _count_monitoring(rows: dict[int, TeamRow], confirmed, day: dt.date) -> None:
    """People in a 14-day monitoring period that covers ``day`` (it ends on ``ends_on``)."""
    watched = (
        Household.select(Household.team, fn.SUM(MonitoringPeriod.people))
        .join(MonitoringPeriod)
        .where(confirmed, MonitoringPeriod.starts_on <= day, MonitoringPeriod.ends_on > day)
        .group_by(Household.team)
        .tuples()
    )
    for team_id, people in watched:
        rows[team_id].under_monitoring = int(people or 0)


def _count_cases(rows: dict[int, TeamRow], commune: Commune, day: dt.date) -> None:
    """Cases opened during the commune's local day, which is a UTC range."""
    start, end = (clock.at(commune.timezone, d) for d in (day, day + dt.timedelta(days=1)))
    cases = (
        Case.select(Household.team, Case.kind, Case.state, Case.opened_at, Case.acknowledged_at)
        .join(Household)
        .where(Case.commune == commune, Case.opened_at >= start, Case.opened_at < end)
        .tuples()
    )
    for team_id, kind, state, opened_at, acknowledged_at in cases:
        row = rows.get(team_id)
        if row is None:
            continue
        row.cases_today += 1
        if kind in CASE_KINDS:
            setattr(row, f"cases_{kind}", getattr(row, f"cases_{kind}") + 1)
        if state in CASE_STATES:
            setattr(row, f"cases_{state}", getattr(row, f"cases_{state}") + 1)
        if acknowledged_at is not None:
            row.ack_seconds.append((acknowledged_at - opened_at).total_seconds())


def _median_minutes(seconds: list[float]) -> float | None:
    return round(statistics.median(seconds) / 60, 1) if seconds else None


def totals(rows: list[TeamRow]) -> list[TeamRow]:
    """Each commune's total, then the district's when there are several communes."""
    by_commune: dict[str, list[TeamRow]] = {}
    for row in rows:
        by_commune.setdefault(row.commune, []).append(row)
    sums = [_sum(code, TOTAL, teams) for code, teams in by_commune.items()]
    return [*sums, _sum(TOTAL, "", rows)] if len(sums) > 1 else sums


def _sum(commune: str, team: str, rows: list[TeamRow]) -> TeamRow:
    total = TeamRow(commune, team)
    for name in _SUMMED:
        setattr(total, name, sum(getattr(row, name) for row in rows))
    total.ack_seconds = [seconds for row in rows for seconds in row.ack_seconds]
    total.median_ack_minutes = _median_minutes(total.ack_seconds)
    return total


def _values(row: TeamRow) -> list[object]:
    """The row's cells as exports write them: team names never run as formulas."""
    return neutralised(getattr(row, name) for name in COLUMNS)


def to_csv(rows: list[TeamRow]) -> str:
    """One row per team, as SPEC §3 promises: totals are the sums of the rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(["" if v is None else v for v in _values(row)] for row in rows)
    return out.getvalue()


def to_xlsx(rows: list[TeamRow]) -> bytes:
    """The teams on the first sheet, as in the CSV; the totals on a second one."""
    workbook = Workbook(write_only=True)
    for title, sheet_rows in (("report", rows), ("totals", totals(rows))):
        sheet = workbook.create_sheet(title)
        sheet.append(COLUMNS)
        for row in sheet_rows:
            sheet.append(_values(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


TABLE_COLUMNS = [
    *COLUMNS[:4], "declared_on_time", *COLUMNS[4:7], "cases_today", "arrivals",
    "under_monitoring", "median_ack_minutes",
]  # fmt: skip


def to_table(rows: list[TeamRow]) -> str:
    """Aligned columns for an operator's terminal, the totals last."""
    shown = [*rows, *totals(rows)]
    cells = [TABLE_COLUMNS] + [
        ["-" if (v := getattr(row, c)) is None else str(v) for c in TABLE_COLUMNS] for row in shown
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(TABLE_COLUMNS))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cells
    )
