"""Daily declarations and the monitoring periods they start."""

from __future__ import annotations

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from db.base import BaseModel, utcnow
from db.models.geography import Commune, Member
from db.models.households import Household

CHANNELS = ("ussd", "sms", "proxy", "staff")


class Declaration(BaseModel):
    """What a household said on a local day.

    A later declaration the same day replaces the earlier one as ``current``;
    the earlier row stays for the history. ``source_ref`` (``ussd:<session>``,
    ``sms:<provider id>``) makes a repeated callback record nothing new. The
    migration adds a partial unique index so that two current declarations for
    one household and day cannot exist, whichever process writes them.
    Unknown numbers declare with no household, only their phone; with no
    commune either when theirs could not be told (see ``Case``).
    """

    # No index of its own: the (commune, local_date, is_current) index leads with
    # it, and every index is one more page written by each declaration.
    commune = ForeignKeyField(
        Commune, backref="declarations", null=True, on_delete="CASCADE", index=False
    )
    household = ForeignKeyField(Household, backref="declarations", null=True, on_delete="CASCADE")
    phone = CharField(null=True)
    local_date = DateField()
    kind = CharField()
    people = IntegerField(null=True)
    symptoms = CharField(default="")
    temperature_tenths = IntegerField(null=True)
    contact = CharField(null=True)
    arrived_from = CharField(null=True)
    arrived_days_ago = IntegerField(null=True)
    needs = CharField(default="")
    red_flag = BooleanField(default=False)
    channel = CharField()
    declared_by = ForeignKeyField(Member, null=True, on_delete="SET NULL")
    source_ref = CharField(null=True, unique=True)
    is_current = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("commune", "local_date", "is_current"), False),)


Declaration.add_index(
    Declaration.index(
        Declaration.household,
        Declaration.local_date,
        unique=True,
        name="declaration_household_day_current",
    ).where(SQL('"is_current"'))
)


class MonitoringPeriod(BaseModel):
    """Arrivals and contacts are watched for 14 days (seed 004)."""

    commune = ForeignKeyField(Commune, backref="monitoring", on_delete="CASCADE")
    household = ForeignKeyField(Household, backref="monitoring", null=True, on_delete="CASCADE")
    declaration = ForeignKeyField(Declaration, null=True, on_delete="SET NULL")
    reason = CharField()
    people = IntegerField(default=1)
    starts_on = DateField()
    ends_on = DateField(index=True)
    created_at = DateTimeField(default=utcnow)
