"""The ladder with a real RQ worker and scheduler: time is moved by the commune's step setting."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from rq import SimpleWorker
from rq.registry import ScheduledJobRegistry

from db.models import Case, CaseEvent, Commune, Group, OutboundMessage
from gateway.jobs import QUEUE_NAMES, URGENT
from tests import factories
from workers import escalation
from workers.escalation import escalate_case, rearm_escalations
from workers.inbox import handle_inbox

HOUSEHOLD = "+84912000001"
MEMBER, GROUP_LEADER, TEAM_LEADER = "+84988000001", "+84988000002", "+84988000003"
STATION = "+84977000115"
"""The station's duty mobile: its own number, a landline, never gets an SMS."""


@pytest.fixture
def ladder(app: Flask):
    commune = factories.commune("AB", health_station_mobile=STATION, escalation_seconds=0)
    team = factories.team(commune, "Thon Dong")
    group = Group.create(team=team, name="Nhom A")
    member = factories.member(team, MEMBER, "Le Thi Hoa", group=group)
    factories.member(team, GROUP_LEADER, "Pham Van Nhom", group=group, group_leader=True)
    factories.member(team, TEAM_LEADER, "Tran Van Truong", role="leader")
    factories.household(team, "AB001", (HOUSEHOLD,), member)
    factories.household(team, "AB002", ("+84912000002",), None)
    return commune


def tick(app: Flask) -> None:
    """One pass of a real worker with RQ's scheduler: due timers move, jobs run."""
    queues = [app.extensions["queues"][name] for name in QUEUE_NAMES]
    SimpleWorker(queues, connection=app.extensions["redis"]).work(burst=True, with_scheduler=True)


def report(client, phone: str, body: str, message_id: str) -> Case:
    data = {"from": phone, "to": "8088", "text": body, "id": message_id}
    assert client.post("/webhooks/africastalking/sms", data=data).status_code == 200
    handle_inbox()
    return Case.select().order_by(Case.id.desc()).get()


def alerted(case: Case) -> list[str]:
    query = OutboundMessage.select().where(
        OutboundMessage.case == case, OutboundMessage.priority == URGENT
    )
    return [m.phone for m in query.order_by(OutboundMessage.id)]


def timeline(case: Case) -> list[tuple[str, int | None, str | None]]:
    events = CaseEvent.select().where(CaseEvent.case == case).order_by(CaseEvent.id)
    return [(e.action, e.rung, e.phone) for e in events]


def test_the_whole_ladder_one_step_at_a_time(app, client, ladder):
    case = report(client, HOUSEHOLD, "2 2", "m1")
    assert alerted(case) == [MEMBER]
    for expected in ([MEMBER, GROUP_LEADER], [MEMBER, GROUP_LEADER, TEAM_LEADER]):
        tick(app)
        assert alerted(case) == expected
    tick(app)
    assert alerted(case) == [MEMBER, GROUP_LEADER, TEAM_LEADER, STATION]
    tick(app)
    assert alerted(case) == [MEMBER, GROUP_LEADER, TEAM_LEADER, STATION]
    assert timeline(case) == [
        ("opened", None, HOUSEHOLD),
        ("notified", 0, MEMBER),
        ("escalated", 1, GROUP_LEADER),
        ("escalated", 2, TEAM_LEADER),
        ("escalated", 3, STATION),
    ]
    sent = OutboundMessage.select().where(OutboundMessage.case == case)
    assert {m.state for m in sent} == {"sent"}
    assert "Chua ai nhan" in OutboundMessage.get(OutboundMessage.phone == GROUP_LEADER).text


def test_each_step_waits_for_the_communes_step_time(app, client, ladder, redis_client):
    Commune.update(escalation_seconds=600).execute()
    case = report(client, HOUSEHOLD, "2 2", "m1")
    tick(app)
    assert alerted(case) == [MEMBER]
    registry = ScheduledJobRegistry(URGENT, connection=redis_client)
    [job_id] = registry.get_job_ids()
    notified = CaseEvent.get(CaseEvent.case == case, CaseEvent.action == "notified").at
    fires = registry.get_scheduled_time(job_id).replace(tzinfo=None)
    assert abs((fires - notified).total_seconds() - 600) < 1
    _quarter_hour_passes()
    assert rearm_escalations() == 1
    tick(app)
    assert alerted(case) == [MEMBER, GROUP_LEADER]


def _quarter_hour_passes() -> None:
    """Move the case's clock instead of the test's: its timeline is what the timer reads."""
    for event in CaseEvent.select():
        CaseEvent.update(at=event.at - dt.timedelta(minutes=15)).where(
            CaseEvent.id == event.id
        ).execute()


@pytest.mark.parametrize("rungs_before_ack", [0, 1, 2])
def test_an_acknowledgement_at_any_rung_stops_the_climb(app, client, ladder, rungs_before_ack):
    case = report(client, HOUSEHOLD, "2 2", "m1")
    for _ in range(rungs_before_ack):
        tick(app)
    before = alerted(case)
    report(client, MEMBER, f"OK {case.id}", "ack")
    for _ in range(3):
        tick(app)
    assert alerted(case) == [*before, HOUSEHOLD]
    assert Case.get_by_id(case.id).state == "acknowledged"


def test_a_red_flag_alerts_member_and_station_at_once(app, client, ladder):
    case = report(client, HOUSEHOLD, "2 3", "m1")
    assert alerted(case) == [MEMBER, STATION]
    assert OutboundMessage.get(OutboundMessage.phone == MEMBER).text.startswith("KHAN!")
    for _ in range(4):
        tick(app)
    assert sorted(alerted(case)) == sorted([MEMBER, STATION, GROUP_LEADER, TEAM_LEADER])


def test_a_household_without_a_member_starts_one_rung_up(app, client, ladder):
    case = report(client, "+84912000002", "2 2", "m1")
    assert alerted(case) == [GROUP_LEADER]
    assert timeline(case)[1] == ("notified", 1, GROUP_LEADER)


def test_duplicate_timers_and_a_restarted_worker_send_nothing_twice(app, client, ladder):
    case = report(client, HOUSEHOLD, "2 2", "m1")
    queue = app.extensions["queues"][URGENT]
    for job_id in ("dup-a", "dup-b"):
        queue.enqueue(escalate_case, case.id, 0, job_id=job_id)
    tick(app)
    tick(app)
    assert alerted(case) == [MEMBER, GROUP_LEADER, TEAM_LEADER]
    assert escalate_case(case.id, 0) == "nothing to do"
    assert escalate_case(case.id, 1) == "nothing to do"
    assert alerted(case) == [MEMBER, GROUP_LEADER, TEAM_LEADER]
    sent = OutboundMessage.select().where(OutboundMessage.case == case)
    assert len({m.phone for m in sent}) == sent.count()


def test_a_timer_lost_while_redis_was_down_is_rearmed(app, client, ladder, redis_client):
    case = report(client, HOUSEHOLD, "2 2", "m1")
    redis_client.delete(*redis_client.keys("rq:*"))
    _quarter_hour_passes()
    tick(app)
    assert alerted(case) == [MEMBER]
    assert rearm_escalations() == 1
    tick(app)
    assert alerted(case) == [MEMBER, GROUP_LEADER]
    assert rearm_escalations() == 0


def _landline_station() -> None:
    Commune.update(health_station_mobile=None, health_station_phone="+842043878115").execute()


def test_a_station_with_only_a_landline_is_skipped_with_the_reason(app, client, ladder):
    _landline_station()
    case = report(client, HOUSEHOLD, "2 3", "m1")
    assert alerted(case) == [MEMBER]
    for _ in range(4):
        tick(app)
    assert alerted(case) == [MEMBER, GROUP_LEADER, TEAM_LEADER]
    skipped = [event for event in timeline(case) if event[0] == "skipped"]
    assert skipped == [("skipped", 3, "+842043878115")]
    note = CaseEvent.get(CaseEvent.action == "skipped").note
    assert "no duty mobile" in note
    assert not OutboundMessage.select().where(OutboundMessage.phone == "+842043878115").exists()


def test_a_station_whose_own_number_is_a_mobile_needs_no_duty_mobile(app, client, ladder):
    Commune.update(health_station_mobile=None, health_station_phone="+84977000116").execute()
    case = report(client, HOUSEHOLD, "2 3", "m1")
    assert alerted(case) == [MEMBER, "+84977000116"]


def test_a_member_on_a_landline_is_passed_over_at_once(app, client, ladder):
    from db.models import Member

    Member.update(phone="+842043878116").where(Member.phone == MEMBER).execute()
    case = report(client, HOUSEHOLD, "2 2", "m1")
    assert alerted(case) == [GROUP_LEADER]
    assert timeline(case)[1:] == [("skipped", 0, "+842043878116"), ("notified", 1, GROUP_LEADER)]
    assert Case.get_by_id(case.id).rung == 1


def test_one_case_of_a_batchs_timer_failing_does_not_hold_the_others(monkeypatch):
    """Cases opened together share one timer job; each climbs on its own."""
    real, seen = escalation.escalate_case, []

    def flaky(case_id: int, rung: int) -> str:
        seen.append(case_id)
        if case_id == 2:
            raise RuntimeError("a bug")
        return real(case_id, rung)

    monkeypatch.setattr(escalation, "escalate_case", flaky)
    with pytest.raises(RuntimeError, match=r"cases \[2\]"):
        escalation.escalate_cases([(1, 0), (2, 0), (3, 0)])
    assert seen == [1, 2, 3]
