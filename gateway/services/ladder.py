"""Who answers for a case at each rung: member, group leader, team leader, health station."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import RUNGS, Case, Commune, Household, Member

HEALTH_STATION = RUNGS.index("health_station")


@dataclass(frozen=True)
class Recipient:
    rung: int
    phone: str
    member: Member | None
    label: str


def recipient(case: Case, rung: int) -> Recipient | None:
    """The person to tell at ``rung``, or ``None`` when the team has nobody there."""
    household: Household | None = case.household
    if rung == HEALTH_STATION:
        commune: Commune = case.commune
        return Recipient(rung, commune.health_station_phone, None, "tram y te")
    if household is None:
        return None
    member: Member | None = household.member
    if rung == 0:
        return Recipient(0, member.phone, member, member.name) if member else None
    active = Member.select().where(Member.team == household.team_id, Member.active == True)  # noqa: E712
    if rung == 1:
        leaders = active.where(Member.group_leader == True)  # noqa: E712
        if member is not None:
            leaders = leaders.where(Member.id != member.id)
            if member.group_id is not None:
                leaders = leaders.where(Member.group == member.group_id)
        found = leaders.order_by(Member.id).first()
        return Recipient(1, found.phone, found, found.name) if found else None
    found = active.where(Member.role == "leader").order_by(Member.id).first()
    return Recipient(2, found.phone, found, found.name) if found else None


def next_recipient(case: Case, after: int) -> Recipient | None:
    """The first rung above ``after`` that has someone; the health station always does."""
    for rung in range(after + 1, HEALTH_STATION + 1):
        found = recipient(case, rung)
        if found is not None:
            return found
    return None


def first_recipients(case: Case) -> list[Recipient]:
    """Who hears of a new case: its lowest staffed rung, plus the station on a red flag."""
    first = next_recipient(case, -1)
    recipients = [first] if first is not None else []
    if case.red_flag and (first is None or first.rung != HEALTH_STATION):
        recipients.append(recipient(case, HEALTH_STATION))
    return recipients
