"""``/console/``: straight to the commune, or for a district user each commune's day."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from db.base import utcnow
from db.models import Commune
from gateway.services.callers import local_today
from gateway.services.reports import daily_report

bp = Blueprint("home", __name__)


@dataclass(frozen=True)
class CommuneDay:
    commune: Commune
    households: int
    declared: int
    open_cases: int


def _summary(commune: Commune) -> CommuneDay:
    """The commune's day from the daily report, so the district sees what the commune sends up."""
    day = local_today(commune, current_app.config["SETTINGS"].timezone, utcnow())
    rows = daily_report(day, commune.code)
    return CommuneDay(
        commune,
        sum(row.households for row in rows),
        sum(row.declared for row in rows),
        sum(row.open_cases for row in rows),
    )


@bp.get("/")
def index() -> str | Response:
    communes = list(
        Commune.select()
        .where(Commune.id.in_(list(current_user.commune_ids)))
        .order_by(Commune.code)
    )
    if len(communes) == 1:
        return redirect(url_for("console.commune.today.index", commune=communes[0].code))
    return render_template("console/home.html", days=[_summary(c) for c in communes])
