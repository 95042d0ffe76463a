"""Today: who has declared, which cases are open, and the last two weeks."""

from __future__ import annotations

from flask import Blueprint, render_template

from db.models import Household
from gateway.console import charts, dashboard
from gateway.console.scoping import commune, scoped, today
from gateway.services import ladder, sms_reach

bp = Blueprint("today", __name__, url_prefix="/today")


@bp.get("/")
def index() -> str:
    day = today()
    progress = dashboard.team_progress(day)
    rates = dashboard.declaration_rates(day)
    unreachable = scoped(sms_reach.unreachable(commune().id), Household)
    return render_template(
        "console/today.html",
        day=day,
        progress=progress,
        households=sum(row.households for row in progress),
        declared=sum(row.declared for row in progress),
        cases=dashboard.open_cases(),
        not_declared=dashboard.not_declared(day),
        chart=charts.rate_chart(rates),
        station_mobile=ladder.station_mobile(commune()),
        unreachable=list(unreachable.order_by(Household.code).limit(20)),
        unreachable_count=unreachable.count(),
    )
