"""No path ever texts a landline: reminders, the ladder, replies, digests, the outbox itself.

A Bac Giang commune whose health station has only a landline (0204 3878 115)
and no duty mobile, with landline-only, mixed and phoneless households and a
group leader on a landline, goes through a day: the routine's reminder rounds,
red-flag reports (by SMS, and by a member for a household with no mobile), the
ladder to its top, staff acknowledgements, the 14:15 lists and the roll-ups.
Not one outbound row may go to a landline.
"""

from __future__ import annotations

import datetime as dt

import pytest

from db.base import utcnow
from db.models import Case, CaseEvent, Group, OutboundMessage, ScheduleRun
from flows.clock import to_local
from flows.phones import LANDLINE, number_kind
from gateway.services import cases
from gateway.services.outbox import outbox, queue_sms
from gateway.services.reminders import seed_default_schedules
from tests import factories
from workers.escalation import escalate_case
from workers.inbox import handle_inbox

STATION_LANDLINE = "+842043878115"
MEMBER, GROUP_LEADER, LEADER = "+84988000001", "+84988000002", "+84988000003"
MIXED_MOBILE = "+84912000002"
MOBILE_ONLY = "+84912000003"
DAY = to_local("Asia/Ho_Chi_Minh", utcnow()).date() + dt.timedelta(days=2)


@pytest.fixture
def commune(app):
    commune = factories.commune("BG", health_station_phone=STATION_LANDLINE)
    team = factories.team(commune, "Thon Dong")
    group = Group.create(team=team, name="Nhom A")
    member = factories.member(team, MEMBER, "Le Thi Hoa", group=group)
    factories.member(team, "+842043878116", "Nhom Truong", group=group, group_leader=True)
    factories.member(team, LEADER, "Tran Van Truong", role="leader")
    factories.household(team, "BG001", ("+842043123456",), member, phone_kind="landline")
    factories.household(team, "BG002", ("+842043123457", MIXED_MOBILE), member)
    factories.household(team, "BG003", (MOBILE_ONLY,), member)
    factories.household(team, "BG004", (), member, phone_kind="none")
    seed_default_schedules(commune)
    return commune


def sms(client, sender: str, body: str, message_id: str) -> None:
    """The webhook stores it; the inbox drain handles it, as a worker would."""
    data = {"from": sender, "to": "8088", "text": body, "id": message_id}
    assert client.post("/webhooks/africastalking/sms", data=data).status_code == 200
    handle_inbox()


def landline_rows() -> list[str]:
    return [m.phone for m in OutboundMessage.select() if number_kind(m.phone) == LANDLINE]


def test_a_day_with_landlines_never_texts_one(client, runner, commune):
    for at in ("07:30", "09:00", "12:30"):
        result = runner.invoke(args=["reminders", "run", "--at", f"{DAY.isoformat()} {at}"])
        assert result.exit_code == 0, result.output
    morning = OutboundMessage.select().where(OutboundMessage.dedupe_key.contains(":07:30:"))
    assert sorted(m.phone for m in morning) == [MIXED_MOBILE, MOBILE_ONLY]

    sms(client, MOBILE_ONLY, "2 3", "red-1")
    sms(client, MEMBER, "KB BG001 2 3", "proxy-1")
    sms(client, MEMBER, "KB BG004 4", "proxy-2")
    for case in Case.select():
        for rung in range(4):
            escalate_case(case.id, rung)
    first, by_proxy, positive = Case.select().order_by(Case.id)
    cases.staff_acknowledge(first.id, "admin")
    cases.acknowledge(factories.Member.get(factories.Member.phone == MEMBER), by_proxy.id)
    cases.staff_resolve(positive.id, "admin", "da den nha")

    for at in ("14:15", "16:00", "17:00"):
        result = runner.invoke(args=["reminders", "run", "--at", f"{DAY.isoformat()} {at}"])
        assert result.exit_code == 0, result.output

    assert landline_rows() == []
    assert OutboundMessage.select().where(OutboundMessage.phone == LEADER).exists()
    digest = OutboundMessage.get(OutboundMessage.dedupe_key.contains(":14:15:"))
    assert "BG001 goi 02043123456" in digest.text and "BG004 den nha" in digest.text
    skipped = CaseEvent.select().where(CaseEvent.action == "skipped")
    assert {(e.case_id, e.rung) for e in skipped} >= {(first.id, 3), (first.id, 1)}
    assert all(e.note for e in skipped)
    acknowledged = OutboundMessage.select().where(OutboundMessage.dedupe_key.contains("ack"))
    assert [m.phone for m in acknowledged] == [MOBILE_ONLY], "BG001 has no mobile to tell"
    assert ScheduleRun.select().where(ScheduleRun.state == "done").count() == 6


def test_the_outbox_refuses_a_landline_whoever_asks(app):
    with outbox():
        refused = queue_sms(STATION_LANDLINE, "Ca khan", priority="urgent")
        kept = queue_sms(MOBILE_ONLY, "Ca khan", priority="urgent")
    assert refused is None and kept is not None
    assert [m.phone for m in OutboundMessage.select()] == [MOBILE_ONLY]
    failures = app.extensions["redis"].hgetall("gateway:metrics:send-failures")
    assert failures == {b"landline": b"1"}
