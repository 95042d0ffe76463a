"""One call per audited console action: who (the logged-in staff user), where (the
commune of the URL) and from which address are filled in here."""

from __future__ import annotations

from flask import g, request
from flask_login import current_user

from db.models import StaffUser
from gateway.services import audit as audit_service


def audit(action: str, detail: str = "") -> None:
    """Record ``action`` by the current staff user in the current commune, if any."""
    commune = g.get("commune")
    audit_service.record(
        action,
        username=current_user.username,
        staff_id=current_user.user_id,
        commune_id=commune.id if commune is not None else None,
        detail=detail,
        address=request.remote_addr or "",
    )


def audit_failed_login(username: str) -> None:
    """A refused login: no one is logged in, so the typed name is what is known.

    When it names a login, the line is tied to it, so the admins of that
    login's communes see the attempts on their trail.
    """
    user = StaffUser.get_or_none(StaffUser.username == username)
    audit_service.record(
        "login_failed",
        username=username,
        staff_id=user.id if user is not None else None,
        address=request.remote_addr or "",
    )
