"""Reminder dispatch against the real database: audiences, claims, catch-up, the CLI."""

from __future__ import annotations

import datetime as dt

import pytest

from db.base import utcnow
from db.models import (
    Commune,
    Declaration,
    Group,
    MonitoringPeriod,
    OutboundMessage,
    ReminderSchedule,
    ScheduleRun,
)
from flows.clock import to_local, to_utc
from flows.reminder_texts import DEFAULT_ROUTINE
from gateway.jobs import BULK
from gateway.services.reminders import dispatch, next_run_times, pending, seed_default_schedules
from gateway.services.schedule_runs import STALE_RUN
from tests import factories

ZONE = "Asia/Ho_Chi_Minh"
DAY = to_local(ZONE, utcnow()).date() + dt.timedelta(days=2)
"""Ahead of the clock, so no deadline of the day has passed for real."""
LEADER, GROUP_LEADER, MEMBER = "+84988000001", "+84988000002", "+84988000003"
LANDLINE = "+842043123456"
"""A Bac Giang landline (0204 3123 456): it is called, never texted."""


def local(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))


@pytest.fixture
def commune(app) -> Commune:
    """Team 1: a leader, a group leader and a member with four households (one
    opted out, one without a phone, one whose landline is listed before its
    mobile). Team 2: one household and nobody."""
    commune = factories.commune("C1")
    team = factories.team(commune, "Thon Dong")
    group = Group.create(team=team, name="Nhom A")
    factories.member(team, LEADER, "Truong", role="leader")
    factories.member(team, GROUP_LEADER, "Nhom Truong", group=group, group_leader=True)
    member = factories.member(team, MEMBER, "Hoa", group=group)
    factories.household(team, "H1", (LANDLINE, "+84912000001"), member)
    factories.household(team, "H2", ("+84912000002",), member, language="en")
    factories.household(team, "H3", ("+84912000003",), member, opted_out=True)
    factories.household(team, "H4", (), member, phone_kind="none")
    factories.household(factories.team(commune, "Thon Doai"), "H5", ("+84912000005",))
    return commune


def schedule(commune: Commune, audience: str, times: str = "07:30", **values) -> ReminderSchedule:
    values = {"deadline": "14:00", "template": "Nhac {household} truoc {deadline}", **values}
    return ReminderSchedule.create(
        commune=commune, name=audience, audience=audience, times=times, **values
    )


def declare(household_code: str, day: dt.date = DAY, kind: str = "well", **values) -> None:
    household = factories.Household.get(factories.Household.code == household_code)
    Declaration.create(
        commune=household.commune, household=household, local_date=day, kind=kind,
        channel="sms", **values,
    )  # fmt: skip


def sent(query=None) -> dict[str, str]:
    rows = OutboundMessage.select().order_by(OutboundMessage.id)
    return {row.phone: row.text for row in (query or rows)}


def test_a_slot_writes_one_bulk_message_per_household_mobile_and_runs_once(commune):
    morning = schedule(commune, "all")

    first = dispatch(morning, DAY, "07:30")
    again = dispatch(morning, DAY, "07:30")

    assert (first.state, first.recipients) == ("done", 3)
    assert (again.state, again.recipients) == ("already done", 3)
    assert sent() == {
        "+84912000001": "Nhac H1 truoc 14:00",
        "+84912000002": "Nhac H2 truoc 14:00",
        "+84912000005": "Nhac H5 truoc 14:00",
    }
    row = OutboundMessage.get(OutboundMessage.phone == "+84912000001")
    assert row.priority == BULK
    assert row.dedupe_key == f"rem:{morning.id}:{DAY.isoformat()}:07:30:h{row.household_id}"
    assert row.expires_at == to_utc(ZONE, local("14:00"))
    run = ScheduleRun.get()
    assert (run.state, run.recipients, run.local_date, run.slot) == ("done", 3, DAY, "07:30")


def test_not_declared_leaves_out_the_households_that_declared_today(commune):
    declare("H1")
    declare("H2", DAY - dt.timedelta(days=1))
    noon = schedule(commune, "not_declared", "12:30")
    assert dispatch(noon, DAY, "12:30").recipients == 2
    assert set(sent()) == {"+84912000002", "+84912000005"}


def test_a_team_schedule_reaches_that_team_only(commune):
    team = commune.teams.where(factories.Team.name == "Thon Doai").get()
    dispatch(schedule(commune, "team", team=team), DAY, "07:30")
    assert set(sent()) == {"+84912000005"}


def test_check_ins_count_the_days_of_monitoring(commune):
    household = factories.Household.get(factories.Household.code == "H2")
    start = DAY - dt.timedelta(days=2)
    MonitoringPeriod.create(
        commune=commune, household=household, reason="arrival", starts_on=start,
        ends_on=start + dt.timedelta(days=14),
    )  # fmt: skip
    ended = factories.Household.get(factories.Household.code == "H1")
    MonitoringPeriod.create(
        commune=commune, household=ended, reason="arrival", starts_on=DAY - dt.timedelta(14),
        ends_on=DAY,
    )  # fmt: skip
    checkin = schedule(commune, "monitoring", template="Ngay {monitoring_day}/14")
    assert dispatch(checkin, DAY, "07:30").recipients == 1
    assert sent() == {"+84912000002": "Ngay 3/14"}


def test_members_get_their_households_to_visit_and_leaders_the_roll_ups(commune):
    declare("H2")
    seed_default_schedules(commune)
    by_audience = {s.audience: s for s in ReminderSchedule.select()}
    dispatch(by_audience["members"], DAY, "14:15")
    dispatch(by_audience["group_leaders"], DAY, "16:00")
    dispatch(by_audience["team_leaders"], DAY, "17:00")
    texts = sent()
    assert set(texts) == {MEMBER, GROUP_LEADER, LEADER}
    assert texts[MEMBER].startswith(
        "3 ho chua khai bao hom nay: H1 0912000001, H3 0912000003, H4 den nha."
    )
    assert texts[GROUP_LEADER].startswith(
        f"Nhom A {DAY:%d/%m}: 1/4 ho da khai bao (1 truoc 14h), 3 chua: H1"
    )
    assert texts[LEADER].startswith(
        f"Thon Dong {DAY:%d/%m}: 1/4 ho khai bao (1 truoc 14h), 3 chua."
    )


def test_every_mobile_of_a_household_is_texted_and_no_landline(commune):
    team = commune.teams.where(factories.Team.name == "Thon Doai").get()
    both = factories.household(team, "H6", ("+84912000006", "+84912000016", "+842043123457"))
    factories.household(team, "H7", ("+842043123458",))
    dispatch(schedule(commune, "team", team=team), DAY, "07:30")
    rows = OutboundMessage.select().order_by(OutboundMessage.id)
    assert [(row.phone, row.household_id) for row in rows] == [
        ("+84912000005", rows[0].household_id),
        ("+84912000006", both.id),
        ("+84912000016", both.id),
    ]


def test_a_members_list_says_whom_to_call_and_whom_to_visit(commune):
    member = factories.Member.get(factories.Member.phone == MEMBER)
    factories.household(member.team, "H6", ("+842043123457",), member)
    digest = next(s for s in seed_default_schedules(commune) if s.audience == "members")
    dispatch(digest, DAY, "14:15")
    assert sent()[MEMBER].startswith(
        "5 ho chua khai bao hom nay: H1 0912000001, H2 0912000002, H3 0912000003, H4 den nha,"
        " H6 goi 02043123457."
    )


def test_a_member_whose_phone_is_a_landline_gets_no_list(commune):
    factories.Member.update(phone="+842043123459").where(factories.Member.phone == MEMBER).execute()
    digest = next(s for s in seed_default_schedules(commune) if s.audience == "members")
    assert dispatch(digest, DAY, "14:15").recipients == 0
    assert not OutboundMessage.select().exists()


def test_an_interrupted_run_is_resumed_without_a_second_copy(commune):
    morning = schedule(commune, "all")
    dispatch(morning, DAY, "07:30")
    OutboundMessage.delete().where(OutboundMessage.phone == "+84912000005").execute()
    ScheduleRun.update(
        state="running", recipients=2, started_at=utcnow() - STALE_RUN - dt.timedelta(minutes=1)
    ).execute()

    resumed = dispatch(morning, DAY, "07:30")

    assert (resumed.state, resumed.recipients) == ("done", 3)
    assert resumed.note == "resumed after an interrupted run"
    assert OutboundMessage.select().count() == 3


def test_a_running_run_that_is_alive_is_left_alone(commune):
    morning = schedule(commune, "all")
    ScheduleRun.create(schedule=morning, local_date=DAY, slot="07:30", state="running")
    assert dispatch(morning, DAY, "07:30").state == "already running"
    assert OutboundMessage.select().count() == 0


def test_a_slot_whose_deadline_passed_by_the_clock_is_skipped_and_writes_nothing(commune):
    yesterday = to_local(ZONE, utcnow()).date() - dt.timedelta(days=1)
    morning = schedule(commune, "all")
    ReminderSchedule.update(created_at=dt.datetime(2020, 1, 1)).execute()
    outcome = dispatch(ReminderSchedule.get_by_id(morning.id), yesterday, "07:30")
    assert (outcome.state, outcome.note) == ("skipped", "deadline 14:00 passed before it could run")
    assert OutboundMessage.select().count() == 0


def test_pending_catches_up_before_the_deadline_and_skips_after(commune):
    seed_default_schedules(commune)
    at_noon = {(s.name, d.slot.label, d.send) for s, d in pending(lambda c: local("12:45"))}
    assert ("Nhac khai bao buoi sang", "07:30", True) in at_noon
    assert ("Nhac ho chua khai bao", "12:30", True) in at_noon
    at_three = {(s.name, d.slot.label, d.send) for s, d in pending(lambda c: local("15:00"))}
    assert ("Nhac ho chua khai bao", "12:30", False) in at_three
    assert ("Danh sach ho can den", "14:15", True) in at_three


def test_a_new_commune_gets_the_seeds_routine_once(commune):
    created = seed_default_schedules(commune)
    assert [s.times for s in created] == [seed.times for seed in DEFAULT_ROUTINE]
    assert seed_default_schedules(commune) == []
    assert len(next_run_times(created[0], 3)) == 3


def test_importing_a_commune_seeds_its_routine(runner, tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text("commune_code,commune_name,health_station_phone\nAB,Xa An Binh,0220 3123 456\n")
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    assert ReminderSchedule.select().count() == len(DEFAULT_ROUTINE)


def test_cli_dry_run_prints_and_sends_nothing(commune, runner):
    schedule(commune, "all")
    at = f"{DAY.isoformat()} 07:30"
    preview = runner.invoke(args=["reminders", "run", "--at", at, "--dry-run"])
    assert preview.exit_code == 0, preview.output
    assert "would send, 3 recipient(s)" in preview.output
    assert "+84912000002   H2" in preview.output
    assert OutboundMessage.select().count() == ScheduleRun.select().count() == 0

    first = runner.invoke(args=["reminders", "run", "--at", at, "--commune", "C1"])
    assert "all: done, 3 recipient(s)" in first.output
    second = runner.invoke(args=["reminders", "run", "--at", at])
    assert "all: already done, 3 recipient(s)" in second.output
    assert OutboundMessage.select().count() == 3


def test_cli_rejects_an_unknown_commune_and_a_bad_time(commune, runner):
    nope = runner.invoke(args=["reminders", "run", "--at", "2026-11-23 07:30", "--commune", "X"])
    assert nope.exit_code == 2 and "no such commune: X" in nope.output
    bad = runner.invoke(args=["reminders", "run", "--at", "23/11 7h30"])
    assert bad.exit_code == 2


def test_a_schedule_that_cannot_be_read_is_left_out_and_holds_back_no_other(commune, caplog):
    schedule(commune, "all", times="7h30")
    schedule(commune, "nobody")
    good = schedule(commune, "all")
    assert {s.id for s, _ in pending(lambda c: local("08:00"))} == {good.id}
    assert caplog.text.count("left out") == 2


def _run(runner, at: str, *extra: str) -> str:
    result = runner.invoke(args=["reminders", "run", "--at", at, *extra])
    assert result.exit_code == 0, result.output
    return result.output


def _reasons(output: str) -> list[str]:
    """Each slot line without its state, which is the only word --dry-run changes."""
    return [line.split(": ", 1)[1].split(", ", 1)[1] for line in output.splitlines()]


def test_cli_explains_a_slot_from_before_the_schedule_was_created(commune, runner):
    created = to_utc(ZONE, local("08:10"))
    morning = schedule(commune, "all")
    ReminderSchedule.update(created_at=created).where(ReminderSchedule.id == morning.id).execute()
    at = f"{DAY.isoformat()} 07:30"
    preview, real = _run(runner, at, "--dry-run"), _run(runner, at)
    expected = (
        "all: not sent, 0 recipient(s)"
        f" (the schedule was created after this slot (at {DAY.isoformat()} 08:10))"
    )
    assert expected in preview and expected in real
    assert _reasons(preview) == _reasons(real)
    assert not OutboundMessage.select().exists() and not ScheduleRun.select().exists()


def test_cli_explains_quiet_hours_and_leaves_the_slot_for_later(commune, runner):
    schedule(
        commune, "all", times="21:30", deadline="23:00", quiet_start="21:00", quiet_end="06:00"
    )
    at = f"{DAY.isoformat()} 21:30"
    preview, real = _run(runner, at, "--dry-run"), _run(runner, at)
    expected = (
        "not sent, 0 recipient(s)"
        " (quiet hours 21:00-06:00: it goes when they end, if before its deadline 23:00)"
    )
    assert expected in preview and expected in real
    assert _reasons(preview) == _reasons(real)
    recorded = ScheduleRun.select().where(ScheduleRun.local_date == DAY)
    assert not recorded.exists(), "held back, not recorded: it may still go"


def test_cli_explains_a_deadline_passed_in_the_same_words_with_dry_run(commune, runner):
    yesterday = to_local(ZONE, utcnow()).date() - dt.timedelta(days=1)
    schedule(commune, "all")
    ReminderSchedule.update(created_at=dt.datetime(2020, 1, 1)).execute()
    at = f"{yesterday.isoformat()} 07:30"
    preview, real = _run(runner, at, "--dry-run"), _run(runner, at)
    assert "all: would skip, 0 recipient(s) (deadline 14:00 passed before it could run)" in preview
    assert "all: skipped, 0 recipient(s) (deadline 14:00 passed before it could run)" in real
    assert _reasons(preview) == _reasons(real)
    assert not OutboundMessage.select().exists()


def test_cli_explains_missed_and_already_run_slots_and_schedules_turned_off(commune, runner):
    morning = schedule(commune, "all")
    ReminderSchedule.update(created_at=dt.datetime(2020, 1, 1)).execute()
    schedule(commune, "team", active=False)
    _run(runner, f"{DAY.isoformat()} 07:30")
    again = f"{DAY.isoformat()} 07:30"
    preview, real = _run(runner, again, "--dry-run"), _run(runner, again)
    for output in (preview, real):
        assert "all: already done, 3 recipient(s)" in output
        assert "team: not sent, 0 recipient(s) (the schedule is turned off)" in output
    assert _reasons(preview) == _reasons(real)
    ScheduleRun.delete().execute()
    late = _run(runner, f"{DAY.isoformat()} 15:00", "--dry-run")
    assert f"{DAY} 07:30  all: would skip, 0 recipient(s) (missed: deadline 14:00 passed)" in late
    assert ScheduleRun.select().where(ScheduleRun.schedule == morning.id).count() == 0
