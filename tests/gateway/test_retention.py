"""Retention: what is past it goes, nothing younger is touched, and the daily report of
an old day reads the same after the purge as before (on SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from db.base import utcnow
from db.models import Case, CaseEvent, Declaration, InboundMessage, MonitoringPeriod
from flows.clock import to_local, to_utc
from gateway.jobs import PERIODIC
from gateway.services.reports import daily_report
from gateway.services.retention import PurgeReport, purge
from tests import factories
from workers.retention import purge_expired

ZONE = "Asia/Ho_Chi_Minh"
DAYS = 90
OLD, WATCHED, YOUNG = "+84912000001", "+84912000002", "+84912000003"


@dataclasses.dataclass
class Rows:
    today: dt.date
    doomed: dict[str, set[int]]
    kept: dict[str, set[int]]


def ago(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


def at(day: dt.date, hhmm: str = "09:00") -> dt.datetime:
    return to_utc(ZONE, dt.datetime.combine(day, dt.time.fromisoformat(hhmm)))


@pytest.fixture
def rows(app) -> Rows:
    """Rows on both sides of the line: ``doomed`` must go, ``kept`` must stay, by model."""
    today = to_local(ZONE, utcnow()).date()
    commune = factories.commune("RT")
    team = factories.team(commune, "Thon Dong")
    old = factories.household(team, "RT1", (OLD,))
    watched = factories.household(team, "RT2", (WATCHED,))
    factories.household(team, "RT3", (YOUNG,))
    doomed: dict[str, set[int]] = {"declaration": set(), "case": set(), "event": set()}
    kept: dict[str, set[int]] = {"declaration": set(), "case": set(), "event": set()}
    doomed |= {"period": set(), "inbound": set()}
    kept |= {"period": set(), "inbound": set()}

    def declare(household, days: int, into: dict, **values) -> None:
        values = {"kind": "symptoms", "people": 2, "symptoms": "1", **values}
        row = Declaration.create(
            commune=commune, household=household, local_date=ago(today, days), channel="sms",
            **values,
        )  # fmt: skip
        into["declaration"].add(row.id)

    def case(household, opened: int, into: dict, resolved: int | None) -> None:
        row = Case.create(
            commune=commune, household=household, kind="symptoms", source="sms",
            state="resolved" if resolved is not None else "open",
            opened_at=at(ago(today, opened)),
            acknowledged_at=at(ago(today, opened), "09:20"),
            resolved_at=at(ago(today, resolved)) if resolved is not None else None,
        )  # fmt: skip
        into["case"].add(row.id)
        into["event"].add(CaseEvent.create(case=row, action="opened").id)

    def period(household, starts: int, ends: int, into: dict) -> None:
        row = MonitoringPeriod.create(
            commune=commune, household=household, reason="arrival",
            starts_on=ago(today, starts), ends_on=ago(today, ends), people=3,
        )  # fmt: skip
        into["period"].add(row.id)

    def inbound(phone: str, days: int, into: dict) -> None:
        received = utcnow() - dt.timedelta(days=days)
        into["inbound"].add(InboundMessage.create(phone=phone, text="2", received_at=received).id)

    declare(old, 100, doomed)
    declare(old, 91, doomed, kind="arrival", arrived_days_ago=1)
    declare(None, 100, doomed, phone="+84912999999")
    declare(old, 90, kept)  # the first kept day
    declare(old, 5, kept)
    declare(watched, 100, kept)  # its monitoring ended 30 days ago: kept 90 days after
    case(old, 100, doomed, resolved=99)
    case(old, 100, kept, resolved=None)  # open cases are never purged
    case(old, 12, kept, resolved=10)
    case(watched, 100, kept, resolved=99)
    period(old, 105, 91, doomed)  # covered day -100: the report must still count it
    period(watched, 44, 30, kept)
    inbound(OLD, 100, doomed)
    inbound("+84912999999", 95, doomed)
    inbound(WATCHED, 100, kept)
    inbound(YOUNG, 89, kept)
    return Rows(today, doomed, kept)


def left(model, ids: set[int]) -> set[int]:
    return {row.id for row in model.select(model.id).where(model.id.in_(list(ids)))}


MODELS = {
    "declaration": Declaration,
    "case": Case,
    "event": CaseEvent,
    "period": MonitoringPeriod,
    "inbound": InboundMessage,
}
EXPECTED = PurgeReport(
    declarations=3, monitoring_periods=1, cases=1, case_events=1, inbound_messages=2
)


def test_a_dry_run_counts_and_deletes_nothing(rows: Rows):
    assert purge(DAYS, dry_run=True) == EXPECTED
    for name, model in MODELS.items():
        assert (
            left(model, rows.doomed[name] | rows.kept[name]) == rows.doomed[name] | rows.kept[name]
        )


def test_the_purge_deletes_what_is_past_retention_and_nothing_younger(rows: Rows):
    days = [ago(rows.today, n) for n in (105, 100, 99, 92, 91, 90, 5)]
    before = {day: [dataclasses.asdict(r) for r in daily_report(day, "RT")] for day in days}
    hundred = before[ago(rows.today, 100)][0]
    assert hundred["people_with_symptoms"] == 4  # RT1 and RT2, two each
    assert hundred["under_monitoring"] == 3 and hundred["cases_today"] == 3

    report = purge(DAYS)

    # Kept: the 14 days the purged period covered (-105 to -92), and day -91's declaration.
    assert report == dataclasses.replace(EXPECTED, days_kept=15)
    for name, model in MODELS.items():
        assert left(model, rows.doomed[name]) == set(), name
        assert left(model, rows.kept[name]) == rows.kept[name], name
    after = {day: [dataclasses.asdict(r) for r in daily_report(day, "RT")] for day in days}
    assert after == before
    assert purge(DAYS) == PurgeReport(), "a second run finds nothing more"


def test_gateway_purge_on_the_command_line(rows: Rows, runner):
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "kept 90 days; would delete: 3 declarations, 1 monitoring periods" in dry.output
    assert left(Declaration, rows.doomed["declaration"]) == rows.doomed["declaration"]
    assert runner.invoke(args=["purge", "--days", "0"]).exit_code == 2
    done = runner.invoke(args=["purge", "--days", "200"])
    assert done.exit_code == 0 and "deleted: 0 declarations" in done.output
    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0 and "deleted: 3 declarations" in done.output
    assert left(Declaration, rows.kept["declaration"]) == rows.kept["declaration"]


def test_the_daily_job_purges_with_the_setting(rows: Rows):
    assert any(
        job.func == "workers.retention.purge_expired" and job.cron == "30 3 * * *"
        for job in PERIODIC
    )
    assert purge_expired() == dataclasses.asdict(dataclasses.replace(EXPECTED, days_kept=15))
    assert left(Declaration, rows.kept["declaration"]) == rows.kept["declaration"]
