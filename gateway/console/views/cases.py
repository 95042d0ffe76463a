"""Cases: the list, one case's timeline, and the staff's answers to it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from db.models import CASE_STATES, Case, CaseEvent, Household, Member, OutboundMessage, Team
from gateway.console.audit_trail import audit
from gateway.console.forms import ReassignForm, ResolveForm
from gateway.console.scoping import get_or_404, scoped
from gateway.services import cases as case_service

bp = Blueprint("cases", __name__, url_prefix="/cases")

PAGE = 100
SHOWN = ("active", *CASE_STATES, "all")


@bp.get("/")
def index() -> str:
    shown = request.args.get("state", "active")
    shown = shown if shown in SHOWN else "active"
    query = (
        scoped(Case.select(Case, Household, Member), Case)
        .join(Household, JOIN.LEFT_OUTER)
        .switch(Case)
        .join(Member, JOIN.LEFT_OUTER, on=(Case.member == Member.id))
        .order_by(Case.opened_at.desc())
    )
    if shown == "active":
        query = query.where(Case.state != "resolved")
    elif shown != "all":
        query = query.where(Case.state == shown)
    audit("cases_list", shown)
    return render_template(
        "console/cases/index.html", cases=list(query.limit(PAGE)), shown=shown, states=SHOWN
    )


def _reassign_form(case: Case) -> ReassignForm:
    form = ReassignForm()
    form.member.choices = [
        SelectChoice(member.id, f"{member.name} · {member.team.name} · {member.phone}")
        for member in scoped(Member.select(Member, Team), Member)
        .join(Team)
        .where(Member.active == True)  # noqa: E712
        .order_by(Team.name, Member.name)
    ]
    return form


@bp.get("/<id:case_id>")
def show(case_id: int) -> str:
    case = get_or_404(Case, case_id)
    events = (
        scoped(CaseEvent.select(CaseEvent, Member), CaseEvent)
        .join(Member, JOIN.LEFT_OUTER)
        .where(CaseEvent.case == case.id)
        .order_by(CaseEvent.at, CaseEvent.id)
    )
    messages = scoped(OutboundMessage.select(), OutboundMessage).where(
        OutboundMessage.case == case.id
    )
    return render_template(
        "console/cases/show.html",
        case=case,
        events=list(events),
        messages=list(messages.order_by(OutboundMessage.created_at)),
        resolve_form=ResolveForm(),
        reassign_form=_reassign_form(case),
    )


@bp.post("/<id:case_id>/acknowledge")
def acknowledge(case_id: int) -> Response:
    """A button with nothing to fill in: the console checks its CSRF token before any view."""
    case = get_or_404(Case, case_id)
    case_service.staff_acknowledge(case.id, current_user.username)
    audit("case_acknowledge", f"case {case.id}")
    flash(_("Case %(n)d acknowledged; the household is told who is coming.", n=case.id), "success")
    return redirect(url_for(".show", case_id=case.id))


@bp.post("/<id:case_id>/resolve")
def resolve(case_id: int) -> Response:
    case = get_or_404(Case, case_id)
    form = ResolveForm()
    if form.validate_on_submit():
        case_service.staff_resolve(case.id, current_user.username, form.note.data or "")
        audit("case_resolve", f"case {case.id}")
        flash(_("Case %(n)d resolved.", n=case.id), "success")
    return redirect(url_for(".show", case_id=case.id))


@bp.post("/<id:case_id>/reassign")
def reassign(case_id: int) -> Response:
    case = get_or_404(Case, case_id)
    form = _reassign_form(case)
    if form.validate_on_submit():
        member = get_or_404(Member, form.member.data)
        try:
            case_service.reassign(
                case.id, member.id, current_user.username, form.household_too.data
            )
        except case_service.CaseError:
            flash(_("A resolved case cannot be reassigned."), "error")
        else:
            audit("case_reassign", f"case {case.id} to {member.name} ({member.phone})")
            flash(_("Case %(n)d reassigned to %(name)s.", n=case.id, name=member.name), "success")
    return redirect(url_for(".show", case_id=case.id))
