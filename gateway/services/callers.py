"""Who is calling: a household's phone, a team member's phone, or a stranger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from peewee import JOIN

from db.models import Commune, Household, HouseholdPhone, Member, Team


@dataclass(frozen=True)
class Caller:
    phone: str
    commune: Commune | None
    household: Household | None = None
    member: Member | None = None

    @property
    def kind(self) -> str:
        if self.member is not None:
            return "member"
        return "household" if self.household is not None else "unknown"

    @property
    def language(self) -> str:
        return self.household.language if self.household is not None else "vi"


def identify(phone: str, service_code: str | None = None) -> Caller:
    """One indexed query per kind; a member's phone wins over a household's.

    A stranger is placed in the commune whose USSD code they dialled, or the
    only commune when there is one, so their report still reaches a health station.
    """
    member = (
        Member.select(Member, Team, Commune)
        .join(Team)
        .join(Commune)
        .where(Member.phone == phone, Member.active == True)  # noqa: E712
        .first()
    )
    household = (
        Household.select(Household, Commune, Member)
        .join(HouseholdPhone)
        .switch(Household)
        .join(Commune)
        .switch(Household)
        .join(Member, JOIN.LEFT_OUTER)
        .where(HouseholdPhone.phone == phone)
        .first()
    )
    if member is not None:
        own = household if household and household.commune_id == member.team.commune_id else None
        return Caller(phone, member.team.commune, own, member)
    if household is not None:
        return Caller(phone, household.commune, household)
    return Caller(phone, stranger_commune(service_code))


def stranger_commune(service_code: str | None) -> Commune | None:
    if service_code:
        commune = Commune.get_or_none(Commune.ussd_code == service_code)
        if commune is not None:
            return commune
    communes = list(Commune.select().limit(2))
    return communes[0] if len(communes) == 1 else None


def local_today(commune: Commune | None, default_zone: str, now: dt.datetime) -> dt.date:
    """The commune's calendar day for a naive-UTC ``now``: deadlines are local."""
    zone = ZoneInfo(commune.timezone if commune is not None else default_zone)
    return now.replace(tzinfo=dt.UTC).astimezone(zone).date()
