"""A commune's SMS budget: a schedule that would overspend writes what fits and is held;
alerts and replies go whatever the budget says."""

from __future__ import annotations

import datetime as dt

from peewee import fn

from db.base import utcnow
from db.models import Commune, Household, OutboundMessage, ScheduleRun
from flows.clock import to_local
from gateway.services import budgets
from gateway.services.reminders import dispatch
from tests.faults import commune as fault_commune
from tests.gateway.test_reminders import schedule
from workers.inbox import handle_inbox

DAY = to_local("Asia/Ho_Chi_Minh", utcnow()).date() + dt.timedelta(days=2)
HOUSEHOLDS = 10
ACCENTED = (
    "Nhắc hộ {household}: xin khai báo sức khỏe hôm nay trước {deadline}, bấm *384*123# để khai."
)


def segments(priority: str | None = None) -> int:
    query = OutboundMessage.select(fn.SUM(OutboundMessage.segments))
    if priority:
        query = query.where(OutboundMessage.priority == priority)
    return int(query.scalar() or 0)


def declare_by_sms(client, index: int) -> None:
    """Stored by the webhook, handled by the inbox drain as a worker would."""
    form = fault_commune.sms_form(index)
    assert client.post(fault_commune.SMS_PATH, data=form).status_code == 200
    handle_inbox()


def test_a_schedule_that_would_overspend_is_held_and_urgent_messages_still_go(app, client):
    fault_commune.seed(HOUSEHOLDS)
    commune = Commune.get(Commune.code == "FT")
    declare_by_sms(client, 0)  # an alert to the member and the station, a reply to the household
    before = budgets.spend(commune)
    assert before.by_kind == {
        "reminders": 0, "digests": 0, "replies": segments("default"), "alerts": segments("urgent"),
    }  # fmt: skip
    assert before.level == "none" and before.by_kind["alerts"] >= 2

    Household.update(language="vi-accents").execute()
    morning = schedule(commune, "all", template=ACCENTED)
    estimate = budgets.estimate(morning, commune, DAY)
    per_text = estimate.segments_per_run // HOUSEHOLDS
    assert per_text == 2, "95 characters with diacritics take two UCS-2 segments"
    assert (estimate.recipients, estimate.runs) == (HOUSEHOLDS, budgets.ESTIMATE_DAYS)
    assert estimate.monthly == HOUSEHOLDS * per_text * budgets.ESTIMATE_DAYS

    budgets.set_budget(commune.id, before.total + 4 * per_text + 1)
    commune = Commune.get_by_id(commune.id)
    assert estimate.monthly > commune.sms_budget_segments

    outcome = dispatch(morning, DAY, "07:30")

    assert (outcome.state, outcome.recipients) == (budgets.HELD, 4)
    run = ScheduleRun.get()
    assert (run.state, run.recipients) == (budgets.HELD, 4)
    assert run.note.startswith("held by the SMS budget")
    assert OutboundMessage.select().where(OutboundMessage.priority == "bulk").count() == 4
    after = budgets.spend(commune)
    assert after.by_kind["reminders"] == 4 * per_text
    assert after.total == commune.sms_budget_segments - 1 and after.level == "warn"
    assert [r.id for r in budgets.held_runs(commune, after.month)] == [run.id]

    declare_by_sms(client, 2)  # past the budget: the alert and the reply are written all the same
    spent = budgets.spend(commune)
    urgent = OutboundMessage.select().where(OutboundMessage.priority == "urgent")
    assert urgent.count() == 4 and spent.by_kind["alerts"] == segments("urgent")
    replies = OutboundMessage.select().where(OutboundMessage.priority == "default")
    assert replies.count() == 2 and spent.by_kind["replies"] == segments("default")
    assert spent.level == "spent" and spent.total > commune.sms_budget_segments

    next_day = dispatch(morning, DAY + dt.timedelta(days=1), "07:30")
    assert (next_day.state, next_day.recipients) == (budgets.HELD, 0)
    assert OutboundMessage.select().where(OutboundMessage.priority == "bulk").count() == 4


def test_no_budget_means_no_limit_and_what_never_left_costs_nothing(app):
    fault_commune.seed(3)
    commune = Commune.get(Commune.code == "FT")
    morning = schedule(commune, "all")
    assert dispatch(morning, DAY, "07:30").state == "done"
    spent = budgets.spend(commune)
    assert spent.by_kind["reminders"] == 3 and spent.level == "none"
    OutboundMessage.update(state="expired").where(OutboundMessage.phone.endswith("1")).execute()
    assert budgets.spend(commune).by_kind["reminders"] == 2


def test_the_month_is_the_communes_own(app):
    fault_commune.seed(1)
    commune = Commune.get(Commune.code == "FT")
    # 20:00 UTC on 31 October is already 1 November in Vietnam.
    first, start = budgets.month_start(commune, dt.datetime(2026, 10, 31, 20, 0))
    assert first == dt.date(2026, 11, 1) and start == dt.datetime(2026, 10, 31, 17, 0)
