"""The audit trail: who on the staff read or changed what, when, in which commune."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from db.base import BaseModel, utcnow
from db.models.geography import Commune
from db.models.staff import StaffUser


class AuditEntry(BaseModel):
    """One staff action. ``username`` is copied so the line survives the login's removal;
    ``commune`` is empty for actions outside any commune (logging in)."""

    at = DateTimeField(default=utcnow)
    staff = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
    username = CharField()
    commune = ForeignKeyField(Commune, null=True, on_delete="CASCADE")
    action = CharField()
    detail = TextField(default="")
    address = CharField(default="")

    class Meta:
        indexes = ((("commune", "at"), False),)
