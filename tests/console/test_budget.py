"""The SMS budget in the console: set by admins, a schedule's monthly cost shown before
it is saved, the month's spend by kind, warnings, and the rounds the budget held."""

from __future__ import annotations

import datetime as dt

from db.base import utcnow
from db.models import Commune, OutboundMessage, ReminderSchedule, ScheduleRun
from gateway.services.budgets import ESTIMATE_DAYS, HELD
from gateway.services.reminders import to_local
from tests.console.conftest import post
from tests.console.test_schedules import FORM


def test_admins_set_the_budget_and_others_cannot(admin, as_user, world):
    assert post(admin, "/console/c/AB/budget/", {"segments": "1200"}).status_code == 302
    assert Commune.get_by_id(world.ab.id).sms_budget_segments == 1200
    page = admin.get("/console/c/AB/budget/").get_data(as_text=True)
    assert "Đã dùng 0 trên 1200 tin (0%)." in page
    bad = post(admin, "/console/c/AB/budget/", {"segments": "-5"})
    assert bad.status_code == 400 and "Ngân sách tháng" in bad.get_data(as_text=True)
    assert post(admin, "/console/c/AB/budget/", {"segments": ""}).status_code == 302
    assert Commune.get_by_id(world.ab.id).sms_budget_segments is None
    viewer = as_user("viewer")
    assert post(viewer, "/console/c/AB/budget/", {"segments": "1"}).status_code == 403
    page = viewer.get("/console/c/AB/budget/").get_data(as_text=True)
    assert "Đã dùng 0 tin; chưa đặt ngân sách." in page


def test_a_schedules_monthly_cost_shows_before_it_is_saved(admin, world):
    page = post(admin, "/console/c/AB/schedules/new", {**FORM, "preview": "1"})
    assert page.status_code == 200 and ReminderSchedule.select().count() == 0
    today = to_local(world.ab.timezone, utcnow()).date()
    weekdays = sum((today + dt.timedelta(days=d)).isoweekday() <= 5 for d in range(ESTIMATE_DAYS))
    runs = 2 * weekdays  # two times a day, Monday to Friday
    recipients = 2  # AB001 and AB002 have a phone
    expected = f"khoảng {recipients * runs} tin ({recipients} tin × {runs} lần gửi"
    assert expected in page.get_data(as_text=True)
    assert post(admin, "/console/c/AB/schedules/new", FORM).status_code == 302
    assert ReminderSchedule.select().count() == 1
    budget_page = admin.get("/console/c/AB/budget/").get_data(as_text=True)
    assert f"<td>{FORM['name']}</td><td>2</td><td>2</td><td>{runs}</td>" in budget_page


def test_spend_by_kind_the_warning_and_held_rounds(admin, world):
    Commune.update(sms_budget_segments=10).where(Commune.id == world.ab.id).execute()
    household = world.household
    for priority, count in (("bulk", 5), ("urgent", 2), ("default", 1)):
        for n in range(count):
            OutboundMessage.create(
                phone="+84912000001", text="x", priority=priority, household=household,
                dedupe_key=f"{priority}{n}",
            )  # fmt: skip
    OutboundMessage.create(phone=world.member.phone, text="digest", priority="bulk")
    OutboundMessage.create(phone="+84912000101", text="other commune", priority="bulk")
    schedule = ReminderSchedule.create(
        commune=world.ab, name="Nhac sang", times="07:30", template="Nhac"
    )
    ScheduleRun.create(
        schedule=schedule, local_date=to_local(world.ab.timezone, utcnow()).date(),
        slot="07:30", state=HELD, recipients=3, note="held by the SMS budget",
    )  # fmt: skip

    page = admin.get("/console/c/AB/budget/").get_data(as_text=True)
    assert "Đã dùng 9 trên 10 tin (90%)." in page
    for name, spent in (("Nhắc hộ gia đình", 5), ("Danh sách gửi thành viên", 1),
                        ("Trả lời hộ gia đình", 1), ("Báo động, chuyển cấp", 2)):  # fmt: skip
        assert name in page and f"</td><td>{spent}</td></tr>" in page.split(name, 1)[1][:120]
    assert "Đã dùng 90% ngân sách SMS tháng này." in page
    assert "<td>07:30</td><td>Nhac sang</td><td>3</td>" in page
    schedules = admin.get("/console/c/AB/schedules/").get_data(as_text=True)
    assert "Đã dùng 90% ngân sách SMS tháng này." in schedules

    OutboundMessage.create(phone="+84912000001", text="x", priority="urgent", household=household)
    spent = admin.get("/console/c/AB/schedules/").get_data(as_text=True)
    assert "Đã dùng hết ngân sách SMS tháng này" in spent


def test_the_cost_of_a_form_that_cannot_run_is_not_guessed(admin, world):
    for bad in (
        {"times": "25:99"},
        {"template": "Xin chao {nobody}"},
        {"audience": "team", "team": "0"},
        {"audience": "team", "team": str(world.foreign_team.id)},
        {"weekdays": []},
    ):
        page = post(admin, "/console/c/AB/schedules/new", {**FORM, **bad, "preview": "1"})
        assert page.status_code == 200, bad
        assert "bấm “Xem chi phí”" in page.get_data(as_text=True), bad
    assert ReminderSchedule.select().count() == 0
    one_team = {**FORM, "audience": "team", "team": str(world.team.id), "preview": "1"}
    page = post(admin, "/console/c/AB/schedules/new", one_team).get_data(as_text=True)
    assert "hôm nay 1 người nhận" in page  # only AB001 is in Thon Dong
