"""The daily report beyond one commune: a district's communes, totals, medians."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from db.models import Case, Declaration
from gateway.services.reports import TOTAL, daily_report, to_table, totals
from tests import factories

DAY = dt.date(2026, 11, 23)
MORNING = dt.datetime(2026, 11, 23, 2, 0)
"""09:00 in Hanoi, in naive UTC as stored."""


def district() -> None:
    """Two communes of two teams each; AB has cases acknowledged after 4, 6 and 20 minutes."""
    for code in ("AB", "CD"):
        commune = factories.commune(code)
        for name in ("Thon 1", "Thon 2"):
            team = factories.team(commune, name)
            for number in range(3):
                factories.household(team, f"{code}{name[-1]}{number}")
    households = {h.code: h for h in factories.Household.select()}
    for code, kind, minutes in (
        ("AB10", "symptoms", 4),
        ("AB11", "help", 6),
        ("AB20", "arrival", 20),
    ):
        household = households[code]
        Declaration.create(commune=household.commune, household=household, local_date=DAY,
                           kind=kind, people=2, channel="sms")  # fmt: skip
        Case.create(commune=household.commune, household=household, kind=kind, source="sms",
                    state="acknowledged", opened_at=MORNING,
                    acknowledged_at=MORNING + dt.timedelta(minutes=minutes))  # fmt: skip
    yesterday = households["CD10"]
    Case.create(commune=yesterday.commune, household=yesterday, kind="help", source="sms",
                opened_at=MORNING - dt.timedelta(days=1))  # fmt: skip


def test_a_district_report_has_every_team_and_totals_from_the_raw_numbers(app):
    district()
    rows = daily_report(DAY, ["AB", "CD"])
    assert [(r.commune, r.team) for r in rows] == [
        ("AB", "Thon 1"), ("AB", "Thon 2"), ("CD", "Thon 1"), ("CD", "Thon 2"),
    ]  # fmt: skip
    ab1 = rows[0]
    assert (ab1.declared, ab1.people_with_symptoms, ab1.cases_today) == (2, 2, 2)
    assert (ab1.cases_symptoms, ab1.cases_help, ab1.cases_acknowledged) == (1, 1, 2)
    assert ab1.median_ack_minutes == 5.0
    assert rows[1].arrivals == 2
    assert rows[2].cases_today == 0 and rows[2].open_cases == 1

    ab, cd, whole = totals(rows)
    assert (ab.commune, ab.team, ab.households, ab.cases_today) == ("AB", TOTAL, 6, 3)
    assert ab.median_ack_minutes == 6.0, "the median of 4, 6, 20; not of the teams' medians"
    assert cd.median_ack_minutes is None
    assert (whole.commune, whole.households, whole.open_cases) == (TOTAL, 12, 4)
    assert daily_report(DAY, "CD") == rows[2:]
    assert len(daily_report(DAY)) == 4


def test_the_cli_takes_several_communes_and_writes_totals(runner, tmp_path):
    district()
    table = runner.invoke(args=["report", "daily", "--date", "2026-11-23", "--commune", "AB,CD"])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].startswith("commune  team") and len(lines) == 1 + 4 + 3
    assert (
        lines[-1].startswith(f"{TOTAL}    ")
        and lines[-1] == to_table(daily_report(DAY)).splitlines()[-1]
    )

    out = tmp_path / "district.xlsx"
    args = ["report", "daily", "--date", "2026-11-23", "--commune", "AB", "--commune", "CD"]
    assert runner.invoke(args=[*args, "--format", "xlsx", "--output", str(out)]).exit_code == 0
    workbook = load_workbook(io.BytesIO(out.read_bytes()))
    assert workbook.sheetnames == ["report", "totals"]
    assert [row[:2] for row in workbook["totals"].iter_rows(min_row=2, values_only=True)] == [
        ("AB", TOTAL), ("CD", TOTAL), (TOTAL, None),
    ]  # fmt: skip

    unknown = runner.invoke(args=["report", "daily", "--commune", "AB,XX"])
    assert unknown.exit_code == 2 and "no such commune: XX" in unknown.output


def test_arrivals_reported_within_a_day_of_arriving_are_counted_apart(app):
    team = factories.team(factories.commune("AB"), "Thon 1")
    for number, days_ago in enumerate((0, 1, 3)):
        household = factories.household(team, f"H{number}")
        Declaration.create(commune=team.commune, household=household, local_date=DAY,
                           kind="arrival", people=2, arrived_days_ago=days_ago,
                           channel="ussd")  # fmt: skip
    [row] = daily_report(DAY, "AB")
    assert (row.arrivals, row.arrivals_within_24h) == (6, 4)


def _declared_at(household, hour: int, minute: int = 0, **values) -> Declaration:
    """A declaration made at a Hanoi wall-clock time of DAY (UTC+7)."""
    at = dt.datetime(2026, 11, 23, hour, minute) - dt.timedelta(hours=7)
    values = {"kind": "well", "channel": "sms", "is_current": True, **values}
    return Declaration.create(
        commune=household.commune, household=household, local_date=DAY, created_at=at, **values
    )


def test_households_declared_by_14_00_are_counted_beside_declared(app, runner):
    commune = factories.commune("AB")
    team = factories.team(commune, "Thon 1")
    early, late, corrected, pending = (
        factories.household(team, code) for code in ("A1", "A2", "A3", "A4")
    )
    factories.Household.update(state="pending").where(
        factories.Household.id == pending.id
    ).execute()
    _declared_at(early, 9)
    _declared_at(late, 14, 1)
    _declared_at(corrected, 13, 59, is_current=False)
    _declared_at(corrected, 15, 30, kind="symptoms")
    _declared_at(pending, 8)
    Declaration.create(
        commune=commune, household=early, local_date=DAY - dt.timedelta(days=1),
        kind="well", channel="sms", created_at=dt.datetime(2026, 11, 22, 1, 0),
        is_current=True,
    )  # fmt: skip

    [row] = daily_report(DAY, "AB")
    assert (row.households, row.declared, row.declared_on_time) == (3, 3, 2)

    csv_out = runner.invoke(args=["report", "daily", "--date", "2026-11-23", "--format", "csv"])
    header, line = csv_out.output.splitlines()[:2]
    columns = header.split(",")
    assert columns[:7] == [
        "commune", "team", "households", "declared", "not_declared", "people_with_symptoms",
        "open_cases",
    ]  # fmt: skip
    assert dict(zip(columns, line.split(","), strict=True))["declared_on_time"] == "2"
    table = runner.invoke(args=["report", "daily", "--date", "2026-11-23"]).output
    assert table.splitlines()[0].split()[:5] == [
        "commune",
        "team",
        "households",
        "declared",
        "declared_on_time",
    ]


def test_staff_and_member_acknowledgements_make_one_median(app):
    """Each path sets ``acknowledged_at``; the report reads the three alike."""
    from gateway.services import cases

    commune = factories.commune("AB")
    team = factories.team(commune, "Thon 1")
    member = factories.member(team, "+84988000001", "Hoa")
    household = factories.household(team, "A1", ("+84912000001",), member)
    opened = [
        Case.create(commune=commune, household=household, member=member, kind="help", source="sms")
        for _ in range(3)
    ]
    cases.acknowledge(member, opened[0].id)
    cases.staff_acknowledge(opened[1].id, "admin")
    cases.staff_resolve(opened[2].id, "admin", "da goi")
    for case, minutes in zip(opened, (10, 20, 30), strict=True):
        assert Case.get_by_id(case.id).acknowledged_at is not None
        Case.update(
            opened_at=MORNING, acknowledged_at=MORNING + dt.timedelta(minutes=minutes)
        ).where(Case.id == case.id).execute()
    [row] = daily_report(DAY, "AB")
    assert (row.cases_acknowledged, row.cases_resolved) == (2, 1)
    assert row.median_ack_minutes == 20.0
