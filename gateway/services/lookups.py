"""The hot-path read for the USSD webhook, in plain SQL.

A USSD screen must answer in milliseconds, and most screens come from a
household's phone. Building this join with peewee's query builder costs more
than running it, so the one read a household's screen needs is written once as
SQL (portable between SQLite and PostgreSQL) and returns a plain tuple.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.base import database
from db.models import Household

HOUSEHOLD_SQL = """
SELECT h.id, h.head_name, h.language, c.timezone, c.health_station_phone,
       m.name, m.phone, l.name, l.phone, h.ussd_progress_at
FROM household_phone hp
JOIN household h ON h.id = hp.household_id
JOIN commune c ON c.id = h.commune_id
LEFT JOIN member m ON m.id = h.member_id
LEFT JOIN member l ON l.id = (
    SELECT x.id FROM member x
    WHERE x.team_id = h.team_id AND x.role = 'leader' AND x.active
    ORDER BY x.id LIMIT 1)
WHERE hp.phone = {param}
  AND NOT EXISTS (SELECT 1 FROM member y WHERE y.phone = hp.phone AND y.active)
"""


@dataclass(frozen=True)
class HouseholdView:
    """What a household's USSD screens show: names, phones and the commune's clock."""

    id: int
    head_name: str
    language: str
    timezone: str
    station_phone: str
    member_name: str | None
    member_phone: str | None
    leader_name: str | None
    leader_phone: str | None
    progress_at: dt.datetime | None


def _sql(template: str) -> str:
    return template.format(param=database.param)


def household_view(phone: str) -> HouseholdView | None:
    """The household behind ``phone``; ``None`` for a member's phone (they get the
    member menu even when their own household lists the same phone) or a stranger's."""
    row = database.execute_sql(_sql(HOUSEHOLD_SQL), (phone,)).fetchone()
    if row is None:
        return None
    *fields, progress_at = row
    # SQLite hands timestamps back as text: the model field reads them as the models do.
    return HouseholdView(*fields, Household.ussd_progress_at.python_value(progress_at))
