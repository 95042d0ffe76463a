"""The hot-path read behind every household's call, in plain SQL.

A USSD screen must answer in milliseconds, and most screens and texts come
from a household's phone. Building this join with peewee's query builder costs
more than running it, so the one read a household needs is written once as
SQL (portable between SQLite and PostgreSQL) and returns a plain tuple.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.base import database
from db.models import Household

HOUSEHOLDS_SQL = """
SELECT hp.phone, hp.kind,
       h.id, h.commune_id, h.team_id, h.member_id, h.head_name, h.village, h.language,
       c.code, c.name, c.timezone, c.health_station_phone,
       m.name, m.phone, l.name, l.phone, h.ussd_progress_at
FROM household_phone hp
JOIN household h ON h.id = hp.household_id
JOIN commune c ON c.id = h.commune_id
LEFT JOIN member m ON m.id = h.member_id
LEFT JOIN member l ON l.id = (
    SELECT x.id FROM member x
    WHERE x.team_id = h.team_id AND x.role = 'leader' AND x.active
    ORDER BY x.id LIMIT 1)
WHERE hp.phone IN ({params})
  AND NOT EXISTS (SELECT 1 FROM member y WHERE y.phone = hp.phone AND y.active)
"""


@dataclass(frozen=True)
class HouseholdView:
    """A household as its calls need it: ids to write with, names and phones to show."""

    id: int
    commune_id: int
    team_id: int
    member_id: int | None
    head_name: str
    village: str
    language: str
    commune_code: str
    commune_name: str
    timezone: str
    station_phone: str
    member_name: str | None
    member_phone: str | None
    leader_name: str | None
    leader_phone: str | None
    progress_at: dt.datetime | None


def household_view(phone: str) -> HouseholdView | None:
    """The household behind ``phone``; ``None`` for an active member's phone (the
    member wins, see ``callers.identify``) or a stranger's."""
    found = household_views([phone]).get(phone)
    return found[0] if found else None


def household_views(phones: list[str]) -> dict[str, tuple[HouseholdView, str]]:
    """The households behind many phones in one read (a batch of SMS; one USSD caller):
    each found phone's household and the phone's stored kind (mobile or landline)."""
    if not phones:
        return {}
    params = ", ".join([database.param] * len(phones))
    cursor = database.execute_sql(HOUSEHOLDS_SQL.format(params=params), phones)
    return {phone: (_view(row), kind) for phone, kind, *row in cursor.fetchall()}


def _view(row: tuple) -> HouseholdView:
    *fields, progress_at = row
    # SQLite hands timestamps back as text: the model field reads them as the models do.
    return HouseholdView(*fields, Household.ussd_progress_at.python_value(progress_at))
