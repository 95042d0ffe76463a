"""The commune's SMS budget: what it may spend a month, what it has spent, what each
schedule will cost, and which reminder rounds the budget held."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from db.models import ReminderSchedule, Team
from gateway.console.audit_trail import audit
from gateway.console.forms import ConsoleForm
from gateway.console.scoping import admin_required, commune, scoped, today
from gateway.services import budgets

bp = Blueprint("budget", __name__, url_prefix="/budget")

KIND_LABELS = {
    "reminders": _l("Reminders to households"),
    "digests": _l("Digests to members and leaders"),
    "replies": _l("Replies to households"),
    "alerts": _l("Alerts, escalations, acknowledgements"),
}


class BudgetForm(ConsoleForm):
    segments = IntegerField(
        _l("Monthly budget (SMS segments; empty for no limit)"),
        validators=[Optional(), NumberRange(1, 100_000_000)],
    )


def form_estimate(form: FlaskForm) -> budgets.Estimate | None:
    """What the schedule on the form would cost a month, before it is saved.

    Built from the form's fields into a schedule that is never saved; ``None``
    while a field is missing or was refused: no guess for what could not be saved.
    """
    if form.errors or not (form.times.data and form.template.data and form.weekdays.data):
        return None
    team = None
    if form.audience.data == "team":
        team = scoped(Team.select(), Team).where(Team.id == (form.team.data or 0)).first()
        if team is None:
            return None
    schedule = ReminderSchedule(
        commune=commune(),
        team=team,
        audience=form.audience.data,
        times=form.times.data,
        weekdays="".join(sorted(set(form.weekdays.data))),
        template=form.template.data.replace("\r\n", "\n").strip(),
        quiet_start=form.quiet_start.data or None,
        quiet_end=form.quiet_end.data or None,
        deadline=form.deadline.data or None,
    )
    return budgets.estimate(schedule, commune(), today())


def _page(form: BudgetForm, status: int = 200) -> tuple[str, int]:
    current = budgets.spend(commune())
    schedules = list(
        scoped(ReminderSchedule.select(), ReminderSchedule)
        .where(ReminderSchedule.active == True)  # noqa: E712
        .order_by(ReminderSchedule.times, ReminderSchedule.name)
    )
    day = today()
    estimates = {s.id: budgets.estimate(s, commune(), day) for s in schedules}
    return render_template(
        "console/budget/index.html",
        form=form,
        spend=current,
        kinds=KIND_LABELS,
        schedules=schedules,
        estimates=estimates,
        planned=sum(e.monthly for e in estimates.values() if e is not None),
        held=budgets.held_runs(commune(), current.month),
    ), status


@bp.get("/")
def index() -> tuple[str, int]:
    return _page(BudgetForm(data={"segments": commune().sms_budget_segments}))


@bp.post("/")
@admin_required
def update() -> Response | tuple[str, int]:
    form = BudgetForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    budgets.set_budget(commune().id, form.segments.data)
    audit("budget_edit", str(form.segments.data or "no limit"))
    flash(_("SMS budget saved."), "success")
    return redirect(url_for(".index"))
