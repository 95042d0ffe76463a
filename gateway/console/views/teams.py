"""Teams and members, and giving households to a member in bulk.

Seed 001 asks every commune to name a member for each household that cannot
use the team's chat group; doing it one household at a time for a village of
60 is where staff give up, hence the bulk form.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from peewee import JOIN, fn
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from db.base import utcnow
from db.models import Group, Household, Member, Team
from gateway.console.audit_trail import audit
from gateway.console.forms import AssignForm
from gateway.console.household_query import phones_of
from gateway.console.scoping import get_or_404, scoped

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


def _assign_form(team: Team) -> tuple[AssignForm, list[Household]]:
    households = list(
        scoped(Household.select(Household, Member), Household)
        .join(Member, JOIN.LEFT_OUTER)
        .where(Household.team == team.id)
        .order_by(Household.code)
    )
    form = AssignForm()
    form.member.choices = [
        SelectChoice(member.id, f"{member.name} · {member.phone}")
        for member in scoped(Member.select(), Member)
        .where(Member.team == team.id, Member.active == True)  # noqa: E712
        .order_by(Member.name)
    ]
    form.households.choices = [SelectChoice(row.id, row.code) for row in households]
    return form, households


@bp.get("/<int:team_id>")
def show(team_id: int) -> str:
    team = get_or_404(Team, team_id)
    form, households = _assign_form(team)
    members = list(scoped(Member.select(), Member).where(Member.team == team.id))
    load = {member.id: 0 for member in members}
    for row in households:
        if row.member_id in load:
            load[row.member_id] += 1
    return render_template(
        "console/teams/show.html",
        team=team,
        form=form,
        households=households,
        phones=phones_of(households),
        members=members,
        load=load,
    )


@bp.post("/<int:team_id>/assign")
def assign(team_id: int) -> Response:
    """Give the ticked households of this team to one of its members."""
    team = get_or_404(Team, team_id)
    form, _households = _assign_form(team)
    if not form.validate_on_submit():
        flash(_("Tick at least one household and choose a member of this team."), "error")
        return redirect(url_for(".show", team_id=team.id))
    member = get_or_404(Member, form.member.data)
    changed = (
        scoped(Household.update(member=member.id, updated_at=utcnow()), Household)
        .where(Household.id.in_(form.households.data), Household.team == team.id)
        .execute()
    )
    audit("households_assign", f"{changed} to {member.name} ({member.phone})")
    flash(
        _("%(n)d households assigned to %(name)s.", n=changed, name=member.name),
        "success",
    )
    return redirect(url_for(".show", team_id=team.id))
