"""Households and their phones."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from db.base import BaseModel, utcnow
from db.models.geography import Commune, Member, Team

PHONE_KINDS = ("smartphone_group", "smartphone", "basic", "landline", "none")
"""The five kinds every commune counts (seed 001)."""

HOUSEHOLD_STATES = ("pending", "confirmed")


class Household(BaseModel):
    """A household a team watches over.

    ``pending`` ones registered themselves by USSD and wait for staff; they can
    still report urgent symptoms meanwhile.
    """

    commune = ForeignKeyField(Commune, backref="households", on_delete="CASCADE")
    team = ForeignKeyField(Team, backref="households", on_delete="CASCADE")
    member = ForeignKeyField(Member, backref="households", null=True, on_delete="SET NULL")
    code = CharField()
    head_name = CharField()
    village = CharField(default="")
    people = IntegerField(default=1)
    phone_kind = CharField(default="basic")
    language = CharField(default="vi")
    opted_out = BooleanField(default=False)
    state = CharField(default="confirmed")
    visit_reason = CharField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    ussd_progress_at = DateTimeField(null=True)
    """When one of its USSD sessions last saved progress to resume; older than the
    resume window means Redis has nothing for its phones (``ussd_sessions``)."""

    class Meta:
        indexes = ((("commune", "code"), True),)


class HouseholdPhone(BaseModel):
    """One of a household's phones; a phone belongs to one household only.

    ``failures`` counts delivery failures in a row, so a phone that keeps
    failing can be flagged for a visit.
    """

    household = ForeignKeyField(Household, backref="phones", on_delete="CASCADE")
    phone = CharField(unique=True)
    kind = CharField(default="mobile")
    """``mobile`` or ``landline`` (``flows.phones.number_kind``): only mobiles get SMS."""
    failures = IntegerField(default=0)
