"""Communes, their teams, the groups inside teams, and the members."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from db.base import BaseModel, utcnow


class Commune(BaseModel):
    """The unit that founds the teams and answers for every urgent case.

    ``escalation_seconds`` is the ladder's step time (SPEC §6); the import file
    gives it in minutes, possibly decimal, so it is stored in whole seconds.
    """

    code = CharField(unique=True)
    name = CharField()
    timezone = CharField(default="Asia/Ho_Chi_Minh")
    health_station_phone = CharField()
    health_station_mobile = CharField(null=True)
    """The station's duty mobile: its SMS alerts go here, never to a landline."""
    escalation_seconds = IntegerField(default=15 * 60)
    ussd_code = CharField(null=True, index=True)
    district = CharField(null=True)
    """The district it belongs to, so a caller on a province's shared USSD code
    can pick their district, then their commune."""
    created_at = DateTimeField(default=utcnow)
    sms_budget_segments = IntegerField(null=True)
    """SMS segments the commune pays for per calendar month; none set means no limit."""


class Team(BaseModel):
    commune = ForeignKeyField(Commune, backref="teams", on_delete="CASCADE")
    name = CharField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("commune", "name"), True),)


class Group(BaseModel):
    """A group of 2-3 members inside a team, led by one of them (seed 004)."""

    team = ForeignKeyField(Team, backref="groups", on_delete="CASCADE")
    name = CharField()

    class Meta:
        indexes = ((("team", "name"), True),)


MEMBER_ROLES = ("leader", "deputy", "health", "police", "member")


class Member(BaseModel):
    """A volunteer of a team; the phone is how the gateway recognises them."""

    team = ForeignKeyField(Team, backref="members", on_delete="CASCADE")
    group = ForeignKeyField(Group, backref="members", null=True, on_delete="SET NULL")
    name = CharField()
    phone = CharField(unique=True)
    role = CharField(default="member")
    group_leader = BooleanField(default=False)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
