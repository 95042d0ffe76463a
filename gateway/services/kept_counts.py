"""The daily report's counts of a day whose declarations and cases were purged.

:mod:`gateway.services.retention` writes each team's report row here before
it deletes a day's rows; the report puts the kept numbers back for that day,
so an old day reads the same after the purge as before. Only the numbers of
the day itself come back: households, phone kinds and open cases are always
counted as they are now.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from db.models import DailyTeamCount

DAY_FIELDS = (
    "declared",
    "declared_on_time",
    "people_with_symptoms",
    "cases_today",
    "cases_symptoms",
    "cases_arrival",
    "cases_positive",
    "cases_contact",
    "cases_help",
    "cases_open",
    "cases_acknowledged",
    "cases_resolved",
    "arrivals",
    "arrivals_within_24h",
    "under_monitoring",
    "ack_seconds",
)


def keep(team_id: int, day: dt.date, row: Any) -> bool:
    """Store ``row`` (a ``reports.TeamRow``) unless the day was kept before; ``True`` if stored.

    The first copy wins: it was taken while every row of the day still existed.
    """
    counts = {name: value for name, value in dataclasses.asdict(row).items() if name in DAY_FIELDS}
    inserted = (
        DailyTeamCount.insert(team=team_id, local_date=day, counts=json.dumps(counts))
        .on_conflict_ignore()
        .execute()
    )
    return bool(inserted)


def restore(rows: dict[int, Any], day: dt.date) -> None:
    """Put the kept numbers of ``day`` back into the report's rows (by team id)."""
    kept = DailyTeamCount.select().where(
        DailyTeamCount.local_date == day, DailyTeamCount.team.in_(list(rows))
    )
    for entry in kept:
        row = rows[entry.team_id]
        for name, value in json.loads(entry.counts).items():
            if name in DAY_FIELDS and hasattr(row, name):
                setattr(row, name, value)
