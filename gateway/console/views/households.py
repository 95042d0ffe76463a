"""Households: search, filter, and edit one.

An edit is written by the same :class:`Importer` a spreadsheet row goes
through, so a phone typed in the console is checked and normalised exactly as
one in a file, and the two can never disagree about what is valid.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from db.models import PHONE_KINDS, Household, Member, Team
from gateway.console.audit_trail import audit
from gateway.console.forms import HouseholdForm
from gateway.console.household_query import (
    PAGE_SIZE,
    Filters,
    households,
    phone_rows,
    phones_of,
)
from gateway.console.scoping import admin_required, commune, get_or_404, scoped, today
from gateway.services import commune_staff

bp = Blueprint("households", __name__, url_prefix="/households")


def teams() -> list[Team]:
    return list(scoped(Team.select(), Team).order_by(Team.name))


def members() -> list[Member]:
    return list(scoped(Member.select(Member, Team), Member).join(Team).order_by(Member.name))


@bp.get("/")
def index() -> str:
    filters = Filters.from_args(request.args)
    query = households(filters, today())
    total = query.count()
    rows = list(query.paginate(filters.page, PAGE_SIZE))
    return render_template(
        "console/households/index.html",
        filters=filters,
        rows=rows,
        phones=phone_rows(rows),
        total=total,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        teams=teams(),
        phone_kinds=PHONE_KINDS,
    )


def _form(household: Household) -> HouseholdForm:
    form = HouseholdForm(
        data={
            "head_name": household.head_name,
            "village": household.village,
            "people": household.people,
            "phones": "; ".join(phones_of([household])[household.id]),
            "phone_kind": household.phone_kind,
            "language": household.language,
            "team": household.team_id,
            "member": household.member_id or 0,
            "confirmed": household.state == "confirmed",
            "opted_out": household.opted_out,
        }
    )
    form.team.choices = [SelectChoice(team.id, team.name) for team in teams()]
    form.member.choices = [SelectChoice(0, _("— nobody —"))] + [
        SelectChoice(member.id, f"{member.name} · {member.team.name} · {member.phone}")
        for member in members()
    ]
    return form


def _row(household: Household, form: HouseholdForm) -> dict[str, str]:
    """The form as an import row of the current commune."""
    team = get_or_404(Team, form.team.data)
    member = get_or_404(Member, form.member.data) if form.member.data else None
    return {
        "commune_code": commune().code,
        "team": team.name,
        "household_code": household.code,
        "head_name": form.head_name.data.strip(),
        "village": (form.village.data or "").strip(),
        "phones": form.phones.data or "",
        "people": str(form.people.data),
        "phone_kind": form.phone_kind.data,
        "language": form.language.data,
        "member_phone": member.phone if member else "",
    }


@bp.route("/<id:household_id>", methods=["GET", "POST"])
@admin_required
def edit(household_id: int) -> str | Response:
    household = get_or_404(Household, household_id)
    form = _form(household)
    problems: list[str] = []
    if form.validate_on_submit():
        report = commune_staff.edit_household(
            household,
            _row(household, form),
            confirmed=form.confirmed.data,
            opted_out=form.opted_out.data,
            region=current_app.config["SETTINGS"].default_region,
        )
        if report.ok:
            audit("household_edit", household.code)
            flash(_("Household %(code)s saved.", code=household.code), "success")
            return redirect(url_for(".index", q=household.code))
        problems = [problem.render(_) for problem in report.errors]
    return render_template(
        "console/households/edit.html",
        form=form,
        household=household,
        problems=problems,
        phones=phone_rows([household])[household.id],
    )
