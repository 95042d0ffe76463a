"""Teams and members, and giving households to a member in bulk.

Seed 001 asks every commune to name a member for each household that cannot
use the team's chat group; doing it one household at a time for a village of
60 is where staff give up, hence the bulk form.
"""

from __future__ import annotations

import dataclasses

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import JOIN, fn
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from db.models import Group, Household, Member, Team
from gateway.console.audit_trail import audit
from gateway.console.forms import AssignForm
from gateway.console.household_query import Filters, households, phones_of
from gateway.console.scoping import get_or_404, scoped, today
from gateway.services import commune_staff

bp = Blueprint("teams", __name__, url_prefix="/teams")


@bp.get("/")
def index() -> str:
    counts = dict(
        scoped(Household.select(Household.team, fn.COUNT(Household.id)), Household)
        .group_by(Household.team)
        .tuples()
    )
    teams = list(scoped(Team.select(), Team).order_by(Team.name))
    members = (
        scoped(Member.select(Member, Group), Member)
        .join(Group, JOIN.LEFT_OUTER)
        .order_by(Member.role != "leader", Member.name)
    )
    by_team: dict[int, list[Member]] = {team.id: [] for team in teams}
    for member in members:
        by_team[member.team_id].append(member)
    return render_template("console/teams/index.html", teams=teams, members=by_team, counts=counts)


TEAM_PAGE_SIZE = 100
"""Households per page of the bulk form: a commune of 5,000 in one team stays a light page."""


def _assign_form(team: Team) -> AssignForm:
    """The member picker of this team; household ticks are checked against the team
    when assigning, so the form never has to list the team's every household."""
    form = AssignForm()
    form.member.choices = [
        SelectChoice(member.id, f"{member.name} · {member.phone}")
        for member in scoped(Member.select(), Member)
        .where(Member.team == team.id, Member.active == True)  # noqa: E712
        .order_by(Member.name)
    ]
    return form


@bp.get("/<id:team_id>")
def show(team_id: int) -> str:
    """One page of the team's households, searchable, with each member's load."""
    team = get_or_404(Team, team_id)
    filters = dataclasses.replace(Filters.from_args(request.args), team=team.id)
    query = households(filters, today())
    total = query.count()
    rows = list(query.paginate(filters.page, TEAM_PAGE_SIZE))
    members = list(scoped(Member.select(), Member).where(Member.team == team.id))
    load = dict(
        scoped(Household.select(Household.member, fn.COUNT(Household.id)), Household)
        .where(Household.team == team.id, Household.member.is_null(False))
        .group_by(Household.member)
        .tuples()
    )
    return render_template(
        "console/teams/show.html",
        team=team,
        form=_assign_form(team),
        households=rows,
        phones=phones_of(rows),
        members=members,
        load=load,
        filters=filters,
        total=total,
        pages=max((total + TEAM_PAGE_SIZE - 1) // TEAM_PAGE_SIZE, 1),
        pager_args={"team_id": team.id, **filters.args(team=None)},
    )


@bp.post("/<id:team_id>/assign")
def assign(team_id: int) -> Response:
    """Give the ticked households of this team to one of its members."""
    team = get_or_404(Team, team_id)
    form = _assign_form(team)
    # A page shows at most TEAM_PAGE_SIZE ticks; more cannot come from the page.
    ticked = [int(v) for v in request.form.getlist("households")[:TEAM_PAGE_SIZE] if v.isdigit()]
    form.households.choices = [
        SelectChoice(household_id, str(household_id))
        for (household_id,) in scoped(Household.select(Household.id), Household)
        .where(Household.team == team.id, Household.id.in_(ticked))
        .tuples()
        .iterator()
    ]
    if not form.validate_on_submit():
        flash(_("Tick at least one household and choose a member of this team."), "error")
        return redirect(url_for(".show", team_id=team.id))
    member = get_or_404(Member, form.member.data)
    changed = commune_staff.assign_households(member, form.households.data)
    audit("households_assign", f"{changed} to {member.name} ({member.phone})")
    flash(
        _("%(n)d households assigned to %(name)s.", n=changed, name=member.name),
        "success",
    )
    return redirect(url_for(".show", team_id=team.id))
