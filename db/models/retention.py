"""What the daily report needs of a day whose declarations were purged (``services.retention``)."""

from __future__ import annotations

from peewee import DateField, DateTimeField, ForeignKeyField, TextField

from db.base import BaseModel, utcnow
from db.models.geography import Team


class DailyTeamCount(BaseModel):
    """One team's counts for one local day, written before the day's rows are deleted.

    ``counts`` is the report row as JSON (``reports.TeamRow`` fields), so a new
    column of the report needs no migration here; old days simply lack it.
    """

    team = ForeignKeyField(Team, on_delete="CASCADE")
    local_date = DateField()
    counts = TextField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("team", "local_date"), True),)
