"""Reminder schedules staff set, and the record of each slot that ran."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from db.base import BaseModel, utcnow
from db.models.geography import Commune, Team

AUDIENCES = (
    "all",
    "not_declared",
    "monitoring",
    "team",
    "members",
    "group_leaders",
    "team_leaders",
)


class ReminderSchedule(BaseModel):
    """When, to whom and what; ``times`` is ``"07:30,12:30"`` in the commune's time.

    ``weekdays`` uses ISO numbers, ``"1234567"`` for every day. ``deadline`` is
    the local time after which a slot's messages are no longer worth sending.
    """

    commune = ForeignKeyField(Commune, backref="schedules", on_delete="CASCADE")
    team = ForeignKeyField(Team, null=True, on_delete="CASCADE")
    name = CharField()
    audience = CharField(default="all")
    times = CharField()
    weekdays = CharField(default="1234567")
    template = TextField()
    quiet_start = CharField(null=True)
    quiet_end = CharField(null=True)
    deadline = CharField(null=True)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)


class ScheduleRun(BaseModel):
    """A (schedule, local day, slot) that ran or was skipped: at most one each."""

    schedule = ForeignKeyField(ReminderSchedule, backref="runs", on_delete="CASCADE")
    local_date = DateField()
    slot = CharField()
    state = CharField(default="running")
    recipients = IntegerField(default=0)
    note = TextField(default="")
    started_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("schedule", "local_date", "slot"), True),)
