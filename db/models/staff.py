"""Console logins and the communes each may reach."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from db.base import BaseModel, utcnow
from db.models.geography import Commune

STAFF_ROLES = ("admin", "viewer", "district")


class StaffUser(BaseModel):
    username = CharField(unique=True)
    password_hash = CharField()
    role = CharField(default="viewer")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    session_version = IntegerField(default=0)
    """Part of every console session of this user: logging out or a new password
    bumps it, and every cookie issued before, copied or not, stops opening pages."""


class StaffCommune(BaseModel):
    """Scoping: a staff user reaches exactly the communes listed here."""

    user = ForeignKeyField(StaffUser, backref="communes", on_delete="CASCADE")
    commune = ForeignKeyField(Commune, on_delete="CASCADE")

    class Meta:
        indexes = ((("user", "commune"), True),)
