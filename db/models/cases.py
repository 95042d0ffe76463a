"""Urgent reports and the ladder they climb."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from db.base import BaseModel, utcnow
from db.models.declarations import Declaration
from db.models.geography import Commune, Member
from db.models.households import Household

CASE_STATES = ("open", "acknowledged", "resolved")

RUNGS = ("member", "group_leader", "team_leader", "health_station")
"""The escalation ladder of SPEC §6, lowest first; ``Case.rung`` indexes it."""


class Case(BaseModel):
    """An urgent report; its id is the case number people type (``OK 123``).

    A stranger's report whose commune could not be told (a province's shared
    USSD code, an SMS without ``XA <code>``) is stored with no commune: it is
    *unassigned*, has no ladder, and district staff see it by ``service_code``,
    the USSD code or number the caller reached, until they assign it.
    """

    commune = ForeignKeyField(Commune, backref="cases", null=True, on_delete="CASCADE")
    household = ForeignKeyField(Household, backref="cases", null=True, on_delete="SET NULL")
    declaration = ForeignKeyField(Declaration, null=True, on_delete="SET NULL")
    member = ForeignKeyField(Member, backref="cases", null=True, on_delete="SET NULL")
    phone = CharField(null=True)
    kind = CharField()
    people = IntegerField(null=True)
    symptoms = CharField(default="")
    temperature_tenths = IntegerField(null=True)
    contact = CharField(null=True)
    needs = CharField(default="")
    red_flag = BooleanField(default=False)
    source = CharField()
    service_code = CharField(null=True)
    state = CharField(default="open")
    rung = IntegerField(default=0)
    opened_at = DateTimeField(default=utcnow)
    acknowledged_at = DateTimeField(null=True)
    acknowledged_by = ForeignKeyField(
        Member, null=True, on_delete="SET NULL", backref="acknowledged_cases"
    )
    resolved_at = DateTimeField(null=True)
    resolution_note = TextField(default="")

    class Meta:
        indexes = ((("commune", "state"), False),)


class CaseEvent(BaseModel):
    """One line of a case's timeline: who was told, who answered, and when."""

    case = ForeignKeyField(Case, backref="events", on_delete="CASCADE")
    at = DateTimeField(default=utcnow)
    action = CharField()
    rung = IntegerField(null=True)
    member = ForeignKeyField(Member, null=True, on_delete="SET NULL")
    phone = CharField(null=True)
    note = TextField(default="")

    class Meta:
        indexes = ((("case", "action", "rung"), False),)
