"""The daily report of SPEC §7: one row per team, counted in a few grouped queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass, fields

from openpyxl import Workbook
from peewee import JOIN, fn
from peewee import Case as SqlCase

from db.models import PHONE_KINDS, Case, Commune, Declaration, Household, Team


@dataclass
class TeamRow:
    commune: str
    team: str
    households: int = 0
    declared: int = 0
    not_declared: int = 0
    people_with_symptoms: int = 0
    open_cases: int = 0
    phone_smartphone_group: int = 0
    phone_smartphone: int = 0
    phone_basic: int = 0
    phone_landline: int = 0
    phone_none: int = 0


COLUMNS = [f.name for f in fields(TeamRow)]


def daily_report(day: dt.date, commune_code: str | None = None) -> list[TeamRow]:
    """Households, declarations and open cases per team for one local day.

    Each number comes from one grouped query, so the cost grows with the number
    of teams, not of households.
    """
    teams = Team.select(Team, Commune).join(Commune).order_by(Commune.code, Team.name)
    if commune_code:
        teams = teams.where(Commune.code == commune_code)
    rows = {team.id: TeamRow(team.commune.code, team.name) for team in teams}
    if not rows:
        return []
    confirmed = (Household.state == "confirmed") & Household.team.in_(list(rows))

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

    declared = (
        Household.select(
            Household.team,
            fn.COUNT(Declaration.id),
            fn.SUM(SqlCase(None, [(Declaration.kind == "symptoms", Declaration.people)], 0)),
        )
        .join(Declaration)
        .where(confirmed, Declaration.local_date == day, Declaration.is_current == True)  # noqa: E712
        .group_by(Household.team)
        .tuples()
    )
    for team_id, count, symptomatic in declared:
        rows[team_id].declared = count
        rows[team_id].people_with_symptoms = int(symptomatic or 0)

    cases = (
        Household.select(Household.team, fn.COUNT(Case.id))
        .join(Case, JOIN.INNER)
        .where(Household.team.in_(list(rows)), Case.state != "resolved")
        .group_by(Household.team)
        .tuples()
    )
    for team_id, count in cases:
        rows[team_id].open_cases = count

    for row in rows.values():
        row.not_declared = row.households - row.declared
    return list(rows.values())


def to_csv(rows: list[TeamRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(asdict(row) for row in rows)
    return out.getvalue()


def to_xlsx(rows: list[TeamRow]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("report")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(list(asdict(row).values()))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_table(rows: list[TeamRow]) -> str:
    """Aligned columns for an operator's terminal."""
    shown = COLUMNS[:7]
    cells = [shown] + [[str(getattr(row, c)) for c in shown] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(shown))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in cells
    )
