"""The commune's audit trail, for its admins and for the district users who oversee it.

Viewers only read; who read or changed what is for those who answer for it.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from db.models import AuditEntry
from gateway.console import params
from gateway.console.scoping import scoped
from gateway.services.audit import ACTIONS

bp = Blueprint("audit", __name__, url_prefix="/audit")

PAGE = 100
READERS = ("admin", "district")
ACTION_LABELS = {
    "login": _l("Logged in"),
    "login_failed": _l("Login refused"),
    "household_edit": _l("Edited a household"),
    "household_import": _l("Imported households"),
    "household_export": _l("Exported households"),
    "households_assign": _l("Assigned households to a member"),
    "case_acknowledge": _l("Acknowledged a case"),
    "case_resolve": _l("Resolved a case"),
    "case_reassign": _l("Reassigned a case"),
    "cases_list": _l("Listed cases"),
    "schedule_create": _l("Created a schedule"),
    "schedule_edit": _l("Changed a schedule"),
    "budget_edit": _l("Changed the SMS budget"),
    "report_view": _l("Read the daily report"),
    "report_export": _l("Downloaded the daily report"),
    "messages_view": _l("Read the message log"),
}


@bp.get("/")
def index() -> str:
    if current_user.role not in READERS:
        abort(403)
    action = request.args.get("action", "")
    action = action if action in ACTIONS else ""
    page = params.page(request.args)
    query = scoped(AuditEntry.select(), AuditEntry).order_by(
        AuditEntry.at.desc(), AuditEntry.id.desc()
    )
    if action:
        query = query.where(AuditEntry.action == action)
    rows = list(query.offset((page - 1) * PAGE).limit(PAGE + 1))
    return render_template(
        "console/audit.html",
        rows=rows[:PAGE],
        more=len(rows) > PAGE,
        page=page,
        action=action,
        labels=ACTION_LABELS,
    )
