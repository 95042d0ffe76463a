"""The Today page: progress per team, open cases, households not declared, 14 days."""

from __future__ import annotations

import datetime as dt
import re

from db.base import utcnow
from db.models import Declaration
from gateway.services.callers import local_today
from tests.console.conftest import csrf_token, open_case


def _declare(household, day: dt.date, kind: str = "well") -> Declaration:
    return Declaration.create(
        commune=household.commune_id,
        household=household,
        local_date=day,
        kind=kind,
        channel="ussd",
    )


def test_today_shows_progress_cases_and_who_has_not_declared(admin, world):
    today = local_today(world.ab, "Asia/Ho_Chi_Minh", utcnow())
    _declare(world.household, today)
    _declare(world.foreign_household, today)
    case = open_case(world.household, red_flag=True)
    case.opened_at = utcnow() - dt.timedelta(minutes=95)
    case.save()
    page = admin.get("/console/c/AB/today/").get_data(as_text=True)
    assert "1/2" in page  # one of AB's two households declared; CD's does not count
    assert 'aria-label="Thon Dong: 100%"' in page
    assert 'aria-label="Thon Doai: 0%"' in page
    assert f"/console/c/AB/cases/{case.id}" in page
    assert "nguy hiểm" in page and "Tổ viên" in page  # red flag, first rung
    assert "1 giờ 35 phút" in page
    not_declared = page.split("Hộ chưa khai báo")[1]
    assert "AB002" in not_declared and "AB001" not in not_declared


def test_the_chart_has_a_bar_per_day_for_two_weeks(admin, world):
    today = local_today(world.ab, "Asia/Ho_Chi_Minh", utcnow())
    _declare(world.household, today - dt.timedelta(days=3))
    _declare(world.quiet, today - dt.timedelta(days=3))
    _declare(world.household, today - dt.timedelta(days=20))
    page = admin.get("/console/c/AB/today/").get_data(as_text=True)
    chart = page.split("<svg")[1].split("</svg>")[0]
    assert len(re.findall(r"<rect ", chart)) == 14
    full = (today - dt.timedelta(days=3)).isoformat()
    assert f"<title>{full}: 2/2</title>" in chart
    assert f"<title>{today.isoformat()}: 0/2</title>" in chart


def test_a_replaced_declaration_counts_once(admin, world):
    today = local_today(world.ab, "Asia/Ho_Chi_Minh", utcnow())
    first = _declare(world.household, today)
    Declaration.update(is_current=False).where(Declaration.id == first.id).execute()
    _declare(world.household, today, "symptoms")
    page = admin.get("/console/c/AB/today/").get_data(as_text=True)
    assert "1/2" in page
    assert f"<title>{today.isoformat()}: 1/2</title>" in page


def test_today_is_english_after_the_switch(admin, world):
    admin.post(
        "/console/language",
        data={"lang": "en", "csrf_token": csrf_token(admin), "next": "/console/c/AB/today/"},
    )
    page = admin.get("/console/c/AB/today/").get_data(as_text=True)
    assert "Declarations by team" in page and "households declared" in page
