"""Small functions that build domain rows for tests."""

from __future__ import annotations

from db.models import Commune, Household, HouseholdPhone, Member, Team
from flows.phones import number_kind


def commune(code: str = "C1", **values) -> Commune:
    values = {"name": f"Commune {code}", "health_station_phone": "+842203123456", **values}
    return Commune.create(code=code, **values)


def team(commune_: Commune, name: str = "Team 1") -> Team:
    return Team.create(commune=commune_, name=name)


def member(team_: Team, phone: str, name: str = "Member", **values) -> Member:
    return Member.create(team=team_, phone=phone, name=name, **values)


def household(
    team_: Team, code: str, phones: tuple[str, ...] = (), member_: Member | None = None, **values
) -> Household:
    row = Household.create(
        commune=team_.commune, team=team_, code=code, head_name=f"Head {code}",
        member=member_, **values,
    )  # fmt: skip
    for phone in phones:
        HouseholdPhone.create(household=row, phone=phone, kind=number_kind(phone))
    return row
