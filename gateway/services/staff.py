"""Console logins."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from db.base import database
from db.models import STAFF_ROLES, Commune, StaffCommune, StaffUser

MIN_PASSWORD = 8


class StaffError(ValueError):
    pass


def create_staff(username: str, password: str, commune_codes: list[str], role: str) -> StaffUser:
    """Create the login, or reset its password, role and communes if it exists.

    Re-running the command is how an operator resets a forgotten password.
    """
    if role not in STAFF_ROLES:
        raise StaffError(f"role must be one of {', '.join(STAFF_ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"the password needs at least {MIN_PASSWORD} characters")
    communes = list(Commune.select().where(Commune.code.in_(commune_codes)))
    missing = set(commune_codes) - {c.code for c in communes}
    if missing:
        raise StaffError(f"no such commune: {', '.join(sorted(missing))}")
    with database.atomic():
        user = StaffUser.get_or_none(StaffUser.username == username)
        if user is None:
            user = StaffUser(username=username)
        else:
            user.session_version += 1  # a reset password ends every session of the old one
        user.password_hash = generate_password_hash(password)
        user.role = role
        user.active = True
        user.save()
        StaffCommune.delete().where(StaffCommune.user == user).execute()
        for commune in communes:
            StaffCommune.create(user=user, commune=commune)
    return user


def verify_password(user: StaffUser, password: str) -> bool:
    return check_password_hash(user.password_hash, password)
