"""``/console/unassigned``: reports no commune could be found for, for district staff.

Not a per-commune page: these reports have no commune yet. Only district users
reach it, and see only what ``unassigned.visible_to`` gives their communes; they
place a report in one of their own communes, which starts its ladder there.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from db.models import Case, Commune
from gateway.services import unassigned

bp = Blueprint("unassigned", __name__, url_prefix="/unassigned")

PAGE = 100


def _district_only() -> None:
    if current_user.role != "district":
        abort(403)


def _communes() -> list[Commune]:
    ids = list(current_user.commune_ids)
    return list(Commune.select().where(Commune.id.in_(ids)).order_by(Commune.name))


@bp.get("/")
def index() -> str:
    _district_only()
    cases = list(unassigned.visible_to(current_user.commune_ids).limit(PAGE))
    return render_template("console/unassigned.html", cases=cases, communes=_communes())


@bp.post("/<id:case_id>/assign")
def assign(case_id: int) -> Response:
    _district_only()
    case = unassigned.visible_to(current_user.commune_ids).where(Case.id == case_id).first()
    if case is None:
        abort(404)
    code = request.form.get("commune", "")
    commune = next((c for c in _communes() if c.code == code), None)
    if commune is None:
        abort(400, description="field commune: not one of your communes")
    if unassigned.assign(case, commune, current_user.username):
        flash(_("Case %(number)s placed in %(commune)s.", number=case.id, commune=commune.name))
    else:
        flash(_("Case %(number)s was already placed.", number=case.id))
    return redirect(url_for(".index"))
