"""Reminder schedules: list with next run times, create and edit.

The message's encoding and segment count show while staff type (the script
reads the GSM-7 alphabet from this page, so it counts as the server does), and
again on the list, because one diacritic can double what a routine costs.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import JOIN
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from db.base import utcnow
from db.models import ReminderSchedule, Team
from flows import clock
from flows.encoding import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    Measure,
    measure,
    strip_diacritics,
)
from flows.reminder_texts import PLACEHOLDERS, variants, with_samples
from flows.reminders import Rule, ScheduleError, next_runs
from gateway.console.audit_trail import audit
from gateway.console.forms import ScheduleForm
from gateway.console.scoping import admin_required, commune, get_or_404, scoped
from gateway.console.views.budget import form_estimate
from gateway.services import budgets, commune_staff, placeholder_samples

bp = Blueprint("schedules", __name__, url_prefix="/schedules")

SHOWN_RUNS = 3


def measures(
    template: str, fill: dict[str, tuple[str, str]] | None = None
) -> list[tuple[str, Measure]]:
    """Each language's text of a template, measured: a household gets one of them,
    so "en: ..." lines must not count towards the Vietnamese text's segments.

    With ``fill`` (:func:`placeholder_samples.longest_values`) each placeholder
    counts as its longest value, as console.js counts while staff type.
    """
    texts = variants(template) or {"vi": ""}
    return [
        (language, measure(with_samples(text, fill) if fill else text))
        for language, text in texts.items()
    ]


def upcoming(schedule: ReminderSchedule, now_utc: dt.datetime) -> list[dt.datetime]:
    """The next local times the dispatcher will send this schedule, by its own rules
    (:func:`flows.reminders.next_runs`: quiet hours, deadlines), so the page cannot
    promise a run the dispatcher would skip."""
    if not schedule.active:
        return []
    try:
        rule = Rule.parse(
            schedule.times,
            schedule.weekdays,
            schedule.deadline,
            schedule.quiet_start,
            schedule.quiet_end,
        )
    except ScheduleError:
        return []
    local_now = clock.to_local(commune().timezone, now_utc)
    return next_runs(rule, local_now, SHOWN_RUNS)


@bp.get("/")
def index() -> str:
    schedules = list(
        scoped(ReminderSchedule.select(ReminderSchedule, Team), ReminderSchedule)
        .join(Team, JOIN.LEFT_OUTER, on=(ReminderSchedule.team == Team.id))
        .order_by(ReminderSchedule.times, ReminderSchedule.name)
    )
    now = utcnow()
    return render_template(
        "console/schedules/index.html",
        schedules=schedules,
        runs={s.id: upcoming(s, now) for s in schedules},
        measures={s.id: measures(s.template) for s in schedules},
        spend=budgets.spend(commune()),
    )


def _form(schedule: ReminderSchedule | None) -> ScheduleForm:
    data = None
    if schedule is not None:
        data = {
            "name": schedule.name,
            "audience": schedule.audience,
            "team": schedule.team_id or 0,
            "times": schedule.times,
            "weekdays": list(schedule.weekdays),
            "template": schedule.template,
            "quiet_start": schedule.quiet_start or "",
            "quiet_end": schedule.quiet_end or "",
            "deadline": schedule.deadline or "",
            "active": schedule.active,
        }
    form = ScheduleForm(data=data)
    form.team.choices = [SelectChoice(0, "—")] + [
        SelectChoice(team.id, team.name) for team in scoped(Team.select(), Team).order_by(Team.name)
    ]
    return form


def _save(schedule: ReminderSchedule, form: ScheduleForm) -> None:
    commune_staff.save_schedule(
        schedule,
        commune().id,
        name=form.name.data.strip(),
        audience=form.audience.data,
        team=get_or_404(Team, form.team.data).id if form.audience.data == "team" else None,
        times=form.times.data,
        weekdays="".join(sorted(set(form.weekdays.data))),
        template=form.template.data.replace("\r\n", "\n").strip(),
        quiet_start=form.quiet_start.data or None,
        quiet_end=form.quiet_end.data or None,
        deadline=form.deadline.data or None,
        active=form.active.data,
    )


def as_sent(estimate: budgets.Estimate | None, template: str) -> tuple[Measure | None, str]:
    """The costliest text of a run as it goes out, measured, and the same template
    without diacritics when that would cost fewer segments ("" otherwise)."""
    if estimate is None or not estimate.longest:
        return None, ""
    sent = measure(estimate.longest)
    plain = strip_diacritics(template)
    if plain != template and measure(strip_diacritics(estimate.longest)).segments < sent.segments:
        return sent, plain
    return sent, ""


def _render(form: ScheduleForm, schedule: ReminderSchedule | None) -> str:
    template = (form.template.data or "").replace("\r\n", "\n")
    estimate = form_estimate(form)
    sent, plain = as_sent(estimate, template.strip())
    fill = placeholder_samples.longest_values(commune())
    return render_template(
        "console/schedules/form.html",
        form=form,
        schedule=schedule,
        measured=measures(template, fill),
        gsm7="".join(sorted(GSM7_BASIC)),
        gsm7_extension="".join(sorted(GSM7_EXTENSION)),
        placeholders=sorted(PLACEHOLDERS),
        estimate=estimate,
        sent=sent,
        plain=plain,
        fill=fill,
        plain_segments=measure(strip_diacritics(estimate.longest)).segments if plain else 0,
    )


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def create() -> str | Response:
    form = _form(None)
    if form.validate_on_submit() and "preview" not in request.form:
        schedule = ReminderSchedule()
        _save(schedule, form)
        audit("schedule_create", f"{schedule.id} {schedule.name}")
        flash(_("Schedule “%(name)s” created.", name=schedule.name), "success")
        return redirect(url_for(".index"))
    return _render(form, None)


@bp.route("/<id:schedule_id>", methods=["GET", "POST"])
@admin_required
def edit(schedule_id: int) -> str | Response:
    schedule = get_or_404(ReminderSchedule, schedule_id)
    form = _form(schedule)
    if form.validate_on_submit() and "preview" not in request.form:
        _save(schedule, form)
        audit("schedule_edit", f"{schedule.id} {schedule.name}")
        flash(_("Schedule “%(name)s” saved.", name=schedule.name), "success")
        return redirect(url_for(".index"))
    return _render(form, schedule)
