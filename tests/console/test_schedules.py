"""Reminder schedules: create, edit, next run times, encoding and segments."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from db.base import utcnow
from db.models import OutboundMessage, ReminderSchedule
from flows.encoding import measure, strip_diacritics
from flows.reminders import Rule, next_runs
from gateway.services import reminders
from gateway.services.callers import local_today
from tests.console.conftest import post

FORM = {
    "name": "Nhac buoi sang",
    "audience": "all",
    "team": "0",
    "times": "12:30, 07:30",
    "weekdays": ["1", "2", "3", "4", "5"],
    "template": "Nho khai bao suc khoe truoc 14:00. Bam *384*123#",
    "active": "y",
}


def test_create_a_schedule_and_see_it_listed(admin, world):
    response = post(admin, "/console/c/AB/schedules/new", FORM)
    assert response.status_code == 302
    schedule = ReminderSchedule.get()
    assert (schedule.commune_id, schedule.times, schedule.weekdays) == (
        world.ab.id,
        "07:30,12:30",
        "12345",
    )
    page = admin.get("/console/c/AB/schedules/").get_data(as_text=True)
    assert "Nhac buoi sang" in page and "GSM-7 · 1 tin" in page
    assert page.count('class="nowrap"') >= 3  # next run times


def test_invalid_schedules_say_why(admin, world):
    bad = {**FORM, "times": "7h30", "audience": "team", "weekdays": [], "quiet_start": "22:00"}
    page = post(admin, "/console/c/AB/schedules/new", bad).get_data(as_text=True)
    assert "HH:MM" in page
    assert "Hãy chọn tổ." in page
    assert "giờ yên lặng" in page
    assert not ReminderSchedule.select().exists()


def test_a_team_schedule_takes_a_team_of_this_commune_only(admin, world):
    one_team = {**FORM, "audience": "team", "team": str(world.other_team.id)}
    assert post(admin, "/console/c/AB/schedules/new", one_team).status_code == 302
    assert ReminderSchedule.get().team_id == world.other_team.id
    foreign = {**FORM, "audience": "team", "team": str(world.foreign_team.id)}
    assert post(admin, "/console/c/AB/schedules/new", foreign).status_code == 200
    assert ReminderSchedule.select().count() == 1


def test_each_language_of_a_template_is_counted_on_its_own(admin, world):
    template = "Nho khai bao truoc {deadline}.\nen: Please declare by {deadline}."
    post(admin, "/console/c/AB/schedules/new", {**FORM, "template": template})
    page = admin.get("/console/c/AB/schedules/").get_data(as_text=True)
    assert "vi: GSM-7 · 1 tin" in page and "en: GSM-7 · 1 tin" in page
    edit = admin.get(f"/console/c/AB/schedules/{ReminderSchedule.get().id}")
    # {deadline} counts as its longest value, 23:59, not as its name.
    assert "vi: GSM-7 · 25 ký tự · 1 tin | en: GSM-7 · 24 ký tự · 1 tin" in edit.get_data(
        as_text=True
    )


def test_edit_shows_the_messages_encoding(admin, world):
    post(admin, "/console/c/AB/schedules/new", FORM)
    schedule = ReminderSchedule.get()
    accented = {**FORM, "template": "Nhớ khai báo sức khỏe trước 14:00", "active": ""}
    post(admin, f"/console/c/AB/schedules/{schedule.id}", accented)
    schedule = ReminderSchedule.get_by_id(schedule.id)
    assert not schedule.active
    page = admin.get(f"/console/c/AB/schedules/{schedule.id}").get_data(as_text=True)
    assert "UCS-2 · 33 ký tự · 1 tin" in page
    assert 'data-sms-counter="counter"' in page and "data-gsm7=" in page


def test_the_list_shows_the_dispatchers_next_runs(admin, world):
    schedule = ReminderSchedule.create(
        commune=world.ab, name="Moi ngay", times="06:00,18:00", template="Nho khai bao"
    )
    local_now = utcnow().replace(tzinfo=dt.UTC).astimezone(ZoneInfo(world.ab.timezone))
    expected = next_runs(Rule.parse("06:00,18:00"), local_now.replace(tzinfo=None), 3)
    page = admin.get("/console/c/AB/schedules/").get_data(as_text=True)
    for run in expected:
        assert run.strftime("%d/%m %H:%M") in page
    schedule.active = False
    schedule.save()
    paused = admin.get("/console/c/AB/schedules/").get_data(as_text=True)
    assert expected[0].strftime("%d/%m %H:%M") not in paused


def test_times_are_read_as_the_dispatcher_reads_them(admin, world):
    loose = {**FORM, "times": "7:30; 12:30 7:30", "quiet_start": "21:00", "quiet_end": "6:00"}
    assert post(admin, "/console/c/AB/schedules/new", loose).status_code == 302
    schedule = ReminderSchedule.get()
    assert (schedule.times, schedule.quiet_end) == ("07:30,12:30", "06:00")


def test_unknown_placeholders_are_pointed_out(admin, world):
    typo = {**FORM, "template": "Han chot {dealine}, goi {team_leader_phone}"}
    page = post(admin, "/console/c/AB/schedules/new", typo).get_data(as_text=True)
    assert '<small class="error">Không nhận ra chỗ điền: {dealine}</small>' in page
    assert not ReminderSchedule.select().exists()


def test_the_counter_counts_the_text_as_sent_and_matches_the_logged_segments(app, admin, world):
    text = "Nhớ khai báo sức khỏe hôm nay nhé, có gì gọi tổ trưởng: {team_leader_phone}"
    assert measure(text).segments == 2  # counted by the placeholder's name
    form = {**FORM, "times": "00:01", "weekdays": list("1234567"), "template": text}
    post(admin, "/console/c/AB/schedules/new", {**form, "deadline": "23:59"})
    schedule = ReminderSchedule.get()
    page = admin.get(f"/console/c/AB/schedules/{schedule.id}").get_data(as_text=True)
    shown = int(re.search(r'id="as-sent" data-segments="(\d+)"', page)[1])
    counter = page[page.index('id="counter"') : page.index("</output>")]
    sent = re.search(r"UCS-2 · (\d+) ký tự · 1 tin", page[page.index("as-sent") :])
    assert sent and f"UCS-2 · {sent[1]} ký tự · 1 tin" in counter
    day = local_today(world.ab, "Asia/Ho_Chi_Minh", utcnow())
    with app.app_context():
        assert reminders.dispatch(schedule, day, "00:01").state == "done"
    logged = list(OutboundMessage.select().where(OutboundMessage.text.contains("khai báo")))
    assert logged and {row.segments for row in logged} == {shown} == {1}


def test_the_counter_offers_the_text_without_diacritics_when_it_saves_segments(admin, world):
    text = "Nhớ khai báo sức khỏe hôm nay trước 14:00 nhé, có gì cần giúp xin gọi tổ trưởng ạ."
    post(admin, "/console/c/AB/schedules/new", {**FORM, "template": text})
    page = admin.get(f"/console/c/AB/schedules/{ReminderSchedule.get().id}").get_data(as_text=True)
    assert "chỉ tốn 1 tin thay vì 2" in page
    assert f'data-plain-text="{strip_diacritics(text)}"' in page
    assert "70 ký tự một tin" in page
