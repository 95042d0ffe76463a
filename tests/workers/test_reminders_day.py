"""A simulated day of the demo commune's routine, on real Redis with a real worker.

The clock is the cron job's argument: each tick calls ``dispatch_due_reminders``
with the UTC instant of a local time, then a real RQ worker runs what it
enqueued (the slot jobs, then the send batches) through the real Africa's
Talking SDK, intercepted at the HTTP layer. The day is two days ahead of the
real clock, so no deadline has passed for the workers either.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import Counter

import pytest

from db.base import utcnow
from db.models import (
    Case,
    Declaration,
    Household,
    HouseholdPhone,
    Member,
    MonitoringPeriod,
    OutboundMessage,
    ReminderSchedule,
    ScheduleRun,
    Team,
)
from flows.report import Kind, Report, Symptom
from gateway.jobs import HOUSEKEEPING, PERIODIC
from gateway.services.declarations import declare
from gateway.services.demo import load_demo
from gateway.services.reminders import to_local, to_utc
from workers.reminders import dispatch_due_reminders, dispatch_slot
from workers.sweep import sweep_outbox

ZONE = "Asia/Ho_Chi_Minh"
DAY = to_local(ZONE, utcnow()).date() + dt.timedelta(days=2)
OPTED_OUT = "+84912000005"
MEMBER_1 = "+84988000001"
"""The deputy of Thon Dong: AB001, AB004, ... are theirs, and they lead Nhom A."""


def local(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))


def household(code: str) -> Household:
    return Household.get(Household.code == code)


def phone_of(code: str) -> str:
    return household(code).phones.first().phone


@pytest.fixture
def day(at_app, at_api, client, work):
    """The demo, one household that texted DUNG, one arrival under monitoring."""
    load_demo(password="demo-password")
    data = {"from": OPTED_OUT, "to": "8088", "text": "DUNG", "id": "stop-1"}
    assert client.post("/webhooks/africastalking/sms", data=data).status_code == 200
    arrival = Report(Kind.ARRIVAL, people=2, arrived_days_ago=0)
    declare(**_declaring("AB003", DAY - dt.timedelta(days=2)), report=arrival)
    work()
    at_api.requests.clear()

    def tick(hhmm: str, cron_processes: int = 1) -> dict[str, str]:
        """One cron minute at local ``hhmm``, then the worker: who got what."""
        before = len(at_api.requests)
        for _ in range(cron_processes):
            dispatch_due_reminders(now=to_utc(ZONE, local(hhmm)))
        work()
        return {n: r["message"] for r in at_api.requests[before:] for n in r["to"].split(",")}

    return tick


def test_dispatch_runs_every_minute_on_the_housekeeping_queue():
    assert any(
        job.func == "workers.reminders.dispatch_due_reminders"
        and job.queue == HOUSEKEEPING
        and job.cron == "* * * * *"
        for job in PERIODIC
    )


def test_a_slot_job_for_a_schedule_turned_off_meanwhile_sends_nothing(day):
    ReminderSchedule.update(active=False).execute()
    assert dispatch_slot(ReminderSchedule.select().first().id, DAY.isoformat(), "07:30") == (
        "no such active schedule"
    )
    assert not ScheduleRun.select().exists()


def _declaring(code: str, local_date: dt.date = DAY) -> dict:
    found = household(code)
    return {"commune_id": found.commune_id, "local_date": local_date, "household": found,
            "phone": phone_of(code), "channel": "sms"}  # fmt: skip


def test_a_day_of_the_routine(day, at_api, work, runner):
    with_phones = {p.phone for p in HouseholdPhone.select().where(HouseholdPhone.kind == "mobile")}
    landlines = {p.phone for p in HouseholdPhone.select().where(HouseholdPhone.kind == "landline")}
    assert landlines, "the demo has landline-only households"

    english = {p.phone for h in Household.select().where(Household.language == "en")
               for p in h.phones}  # fmt: skip

    morning = day("07:30")
    assert set(morning) == with_phones - {OPTED_OUT}
    assert english and all(morning[phone].startswith("Good morning!") for phone in english)
    assert all(morning[phone].startswith("Chao buoi sang! Xin ca nha khai bao y te")
               for phone in with_phones - english - {OPTED_OUT})  # fmt: skip
    assert len(at_api.requests) == len(set(morning.values())), "one request per distinct text"
    assert day("08:00") == {}
    assert day("09:00") == {phone_of("AB003"): day_text(3)}

    for code in ("AB001", "AB002", "AB021"):
        declare(Report(Kind.WELL), **_declaring(code))
    declare(Report(Kind.SYMPTOMS, people=1, symptoms=frozenset({Symptom.COUGH})),
            **_declaring("AB022"))  # fmt: skip
    work()
    declared = {phone_of(code) for code in ("AB001", "AB002", "AB021", "AB022")}

    noon = day("12:30", cron_processes=2)
    assert set(noon) == with_phones - {OPTED_OUT} - declared
    assert all(
        text.startswith("We have no health" if phone in english else "Gia dinh chua khai bao")
        for phone, text in noon.items()
    )

    digests = day("14:15")
    assert len(digests) == 9
    todo = undeclared(MEMBER_1)
    assert digests[MEMBER_1] == (
        f"{len(todo)} ho chua khai bao hom nay: {', '.join(todo)}. Xin den tung nha, bao nhom"
        " truong truoc 16:00."
    )
    groups = day("16:00")
    assert len(groups) == 6
    assert groups[MEMBER_1].startswith(
        f"Nhom A {DAY:%d/%m}: 1/{len(todo) + 1} ho da khai bao (1 truoc 14h), {len(todo)}"
        f" chua: {todo[0]}"
    )
    teams = day("17:00")
    assert teams["+84988000000"] == (
        f"Thon Dong {DAY:%d/%m}: 2/20 ho khai bao (2 truoc 14h), 18 chua. 0 nguoi co trieu"
        " chung, 1 ca mo, 2 dang theo doi. Bao tram y te."
    )
    assert day("21:00") == {}

    runs = {(r.local_date, r.slot): (r.state, r.recipients) for r in ScheduleRun.select()}
    assert {slot: runs[(DAY, slot)] for slot in ("07:30", "09:00", "12:30", "14:15")} == {
        "07:30": ("done", len(morning)), "09:00": ("done", 1), "12:30": ("done", len(noon)),
        "14:15": ("done", len(digests)),
    }  # fmt: skip
    assert runs[(DAY - dt.timedelta(days=1), "07:30")][0] == "skipped", "the day before: missed"
    texted = {n for r in at_api.requests for n in r["to"].split(",")}
    assert OPTED_OUT not in texted
    assert not texted & landlines
    assert not OutboundMessage.select().where(OutboundMessage.phone.in_(landlines)).exists()

    requests = len(at_api.requests)
    assert day("12:30") == {}, "a second cron process for the same minute"
    again = runner.invoke(args=["reminders", "run", "--at", f"{DAY.isoformat()} 12:30"])
    assert f"Nhac ho chua khai bao: already done, {len(noon)} recipient(s)" in again.output
    work()
    assert len(at_api.requests) == requests
    assert not [n for n, c in Counter(m.dedupe_key for m in OutboundMessage.select()).items()
                if n and c > 1]  # fmt: skip


def undeclared(member_phone: str) -> list[str]:
    """The member's households not declared on the day, as the digest lists them."""
    mine = Household.select().join(Member).where(Member.phone == member_phone)
    declared = {d.household_id for d in Declaration.select().where(Declaration.local_date == DAY)}
    return [_listed(h) for h in mine.order_by(Household.code) if h.id not in declared]


def _listed(household: Household) -> str:
    """A mobile with its number; a landline to call ("goi"); no phone: visit ("den nha")."""
    phone = household.phones.first()
    if phone is None:
        return f"{household.code} den nha"
    local_number = phone.phone.replace("+84", "0")
    return f"{household.code} {'goi ' if phone.kind == 'landline' else ''}{local_number}"


def day_text(number: int) -> str:
    member = household("AB003").member.phone.replace("+84", "0")
    return (
        f"Ngay {number}/14 theo doi suc khoe. Xin nhan 1 neu ca nha khoe, 2 neu co sot, ho,"
        f" kho tho. Kho tho: goi 115. To vien: {member}"
    )


def test_a_reminder_that_waited_past_its_deadline_is_expired_not_sent(day, at_api, work, runner):
    result = runner.invoke(args=["reminders", "run", "--at", f"{DAY.isoformat()} 12:30"])
    assert "Nhac ho chua khai bao: done" in result.output
    written = OutboundMessage.select().where(OutboundMessage.dedupe_key.startswith("rem:"))
    assert written.count() > 0

    report = sweep_outbox(now=to_utc(ZONE, local("14:01")))
    work()

    assert report.expired == written.count()
    assert at_api.requests == []
    assert {m.state for m in written} == {"expired"}


def test_the_report_matches_the_stored_declarations_and_cases(day, runner):
    opened = to_utc(ZONE, local("10:00"))
    for number, kind in enumerate(["well", "symptoms", "arrival", "symptoms", "help"], start=1):
        report = Report(
            Kind(kind), people=number, arrived_days_ago=0 if kind == "arrival" else None
        )
        case_id = declare(report, **_declaring(f"AB0{20 + number}")).case_id
        if case_id is not None:  # the services stamp the real clock: move it to the day
            acknowledged = opened + dt.timedelta(minutes=4 * number) if number < 4 else None
            state = "acknowledged" if acknowledged else "open"
            Case.update(opened_at=opened, acknowledged_at=acknowledged, state=state).where(
                Case.id == case_id
            ).execute()
    start, end = (to_utc(ZONE, local("00:00", d)) for d in (DAY, DAY + dt.timedelta(days=1)))

    output = runner.invoke(args=["report", "daily", "--date", DAY.isoformat(), "--format", "csv"])
    rows = {row["team"]: row for row in csv.DictReader(io.StringIO(output.output))}

    assert set(rows) == {t.name for t in Team.select()}
    for team, row in rows.items():
        mine = [h.id for h in Household.select().join(Team).where(Team.name == team)]
        current = list(Declaration.select().where(
            Declaration.household.in_(mine), Declaration.local_date == DAY,
            Declaration.is_current == True,  # noqa: E712
        ))  # fmt: skip
        cases = [c for c in Case.select().where(Case.household.in_(mine))
                 if start <= c.opened_at < end]  # fmt: skip
        watched = MonitoringPeriod.select().where(
            MonitoringPeriod.household.in_(mine), MonitoringPeriod.starts_on <= DAY,
            MonitoringPeriod.ends_on > DAY,
        )  # fmt: skip
        acks = [(c.acknowledged_at - c.opened_at).total_seconds() / 60 for c in cases
                if c.acknowledged_at]  # fmt: skip
        assert int(row["households"]) == len(mine)
        assert int(row["declared"]) == len(current)
        assert int(row["not_declared"]) == len(mine) - len(current)
        assert int(row["people_with_symptoms"]) == sum(
            d.people for d in current if d.kind == "symptoms"
        )
        assert int(row["arrivals"]) == sum(d.people for d in current if d.kind == "arrival")
        assert int(row["under_monitoring"]) == sum(p.people for p in watched)
        assert int(row["cases_today"]) == len(cases)
        for kind in ("symptoms", "arrival", "help"):
            assert int(row[f"cases_{kind}"]) == sum(c.kind == kind for c in cases)
        for state in ("open", "acknowledged"):
            assert int(row[f"cases_{state}"]) == sum(c.state == state for c in cases)
        assert row["median_ack_minutes"] == (str(statistics.median(acks)) if acks else "")
    assert (rows["Thon Doai"]["cases_today"], rows["Thon Doai"]["median_ack_minutes"]) == (
        "4", "10.0",
    )  # fmt: skip
