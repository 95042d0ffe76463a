"""The longest real value of each reminder placeholder in a commune.

The schedule form counts segments while staff type; counting ``{team_leader_phone}``
by its 19-character name misleads, so the page fills each placeholder with the
longest value it can take in this commune, in the form a run writes it.
"""

from __future__ import annotations

from peewee import fn

from db.models import Commune, Group, Household, Member, Team
from flows.reminder_texts import PLACEHOLDERS, as_filled, local_phone

FIXED = {"deadline": "23:59", "date": "31/12", "monitoring_day": "14"}
"""Placeholders whose longest value does not depend on the commune."""
COUNTS = ("count", "households", "declared", "symptoms", "open_cases", "monitoring")


def _longest(query) -> str:
    values = [value for (value,) in query.tuples() if value]
    return max(values, key=len, default="")


def longest_values(commune: Commune) -> dict[str, tuple[str, str]]:
    """Each placeholder's longest value, as filled into a GSM-7 and into a UCS-2 text.

    ``codes`` is left out: a run shortens its list to fit the segments.
    """
    households = Household.select().where(Household.commune == commune.id)
    teams = Team.select().where(Team.commune == commune.id)
    members = Member.select(Member.phone).join(Team).where(Team.commune == commune.id)
    phones = [local_phone(p) for (p,) in members.tuples()]
    phones.append(local_phone(commune.health_station_phone))
    longest_phone = max(phones, key=len)
    size = str(households.count())
    values: dict[str, str] = {
        **FIXED,
        "commune": commune.name,
        "team": _longest(teams.select(Team.name)),
        "group": _longest(Group.select(Group.name).join(Team).where(Team.commune == commune.id)),
        "household": _longest(
            households.select(Household.code).order_by(fn.LENGTH(Household.code).desc()).limit(1)
        ),
        "head": _longest(
            households.select(Household.head_name)
            .order_by(fn.LENGTH(Household.head_name).desc())
            .limit(1)
        ),
        "team_leader_phone": longest_phone,
        "member_phone": longest_phone,
        "health_station_phone": local_phone(commune.health_station_phone),
        **dict.fromkeys(COUNTS, size),
    }
    return {
        name: (as_filled(value, gsm=True), as_filled(value, gsm=False))
        for name, value in values.items()
        if name in PLACEHOLDERS
    }
