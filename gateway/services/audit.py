"""The audit trail: every staff action that changes something, or reads health data in bulk.

One line per action, written in its own short transaction after the action
itself, so a failed action is not recorded as done; the views call
:func:`gateway.console.audit_trail.audit`, which fills in who, where and from
which address.
"""

from __future__ import annotations

from db.base import database
from db.models import AuditEntry, StaffCommune

ACTIONS = (
    "login",
    "login_failed",
    "household_edit",
    "household_import",
    "household_export",
    "households_assign",
    "case_acknowledge",
    "case_resolve",
    "case_reassign",
    "cases_list",
    "schedule_create",
    "schedule_edit",
    "budget_edit",
    "report_view",
    "report_export",
    "messages_view",
)
"""What can be recorded; the console labels each one (``console.labels``)."""
DETAIL_LIMIT = 500


def record(
    action: str,
    *,
    username: str,
    staff_id: int | None = None,
    commune_id: int | None = None,
    detail: str = "",
    address: str = "",
) -> AuditEntry:
    """Write one line of the trail; an unknown action is a programming error."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with database.atomic():
        return AuditEntry.create(
            action=action,
            username=username[:80],
            staff=staff_id,
            commune=commune_id,
            detail=detail[:DETAIL_LIMIT],
            address=address[:64],
        )


def in_commune(commune_id: int):
    """A commune's trail (the rule ``console.scoping.RULES`` applies): what was done in
    it, and the logins of the staff who can reach it (a login belongs to no one commune)."""
    reach = StaffCommune.select(StaffCommune.user).where(StaffCommune.commune == commune_id)
    return (AuditEntry.commune == commune_id) | (
        AuditEntry.commune.is_null() & AuditEntry.staff.in_(reach)
    )
