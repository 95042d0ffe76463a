"""Who answers for a case at each rung: member, group leader, team leader, health station.

A rung is texted only on a mobile. A health station's own number is often a
landline (``0204 3878 115``), so its alerts go to the commune's duty mobile
(``Commune.health_station_mobile``), or to the station's number when that is a
mobile itself. A rung whose person has no mobile is *unreachable*: the ladder
climbs past it as past an empty rung, and the case service records why on the
case's timeline, so staff see that the station was never texted.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.models import RUNGS, Case, Commune, Household, Member
from flows.phones import MOBILE, number_kind

HEALTH_STATION = RUNGS.index("health_station")


@dataclass(frozen=True)
class Recipient:
    """The person of one rung. ``phone`` is a mobile, or ``None`` with ``unreachable``
    saying why they cannot be texted (their number, if any, is in ``number``)."""

    rung: int
    phone: str | None
    member: Member | None
    label: str
    unreachable: str = ""
    number: str | None = None


def station_mobile(commune: Commune) -> str | None:
    """Where the station's SMS go: its duty mobile, or its own number if a mobile."""
    if commune.health_station_mobile and number_kind(commune.health_station_mobile) == MOBILE:
        return commune.health_station_mobile
    if number_kind(commune.health_station_phone) == MOBILE:
        return commune.health_station_phone
    return None


def recipient(case: Case, rung: int) -> Recipient | None:
    """The person to tell at ``rung``, or ``None`` when the team has nobody there."""
    household: Household | None = case.household
    if rung == HEALTH_STATION:
        commune: Commune = case.commune
        mobile = station_mobile(commune)
        if mobile is None:
            reason = "the health station has no duty mobile (its number is a landline)"
            return Recipient(rung, None, None, "tram y te", reason, commune.health_station_phone)
        return Recipient(rung, mobile, None, "tram y te")
    if household is None:
        return None
    member: Member | None = household.member
    if rung == 0:
        return _person(0, member) if member else None
    active = Member.select().where(Member.team == household.team_id, Member.active == True)  # noqa: E712
    if rung == 1:
        leaders = active.where(Member.group_leader == True)  # noqa: E712
        if member is not None:
            leaders = leaders.where(Member.id != member.id)
            if member.group_id is not None:
                leaders = leaders.where(Member.group == member.group_id)
        found = leaders.order_by(Member.id).first()
        return _person(1, found) if found else None
    found = active.where(Member.role == "leader").order_by(Member.id).first()
    return _person(2, found) if found else None


def _person(rung: int, member: Member) -> Recipient:
    if number_kind(member.phone) == MOBILE:
        return Recipient(rung, member.phone, member, member.name)
    reason = f"{member.name}'s phone is a landline"
    return Recipient(rung, None, member, member.name, reason, member.phone)


def climb(case: Case, after: int) -> tuple[list[Recipient], Recipient | None]:
    """The rungs above ``after`` that cannot be texted, up to the first that can.

    Returns the unreachable ones passed on the way and the one to text
    (``None`` when no rung above can be texted).
    """
    passed: list[Recipient] = []
    for rung in range(after + 1, HEALTH_STATION + 1):
        found = recipient(case, rung)
        if found is None:
            continue
        if found.phone is None:
            passed.append(found)
            continue
        return passed, found
    return passed, None


def first_recipients(case: Case) -> tuple[list[Recipient], list[Recipient]]:
    """Who hears of a new case: its lowest rung that can be texted, plus the station
    on a red flag; and, apart, the rungs that could not be texted."""
    passed, first = climb(case, -1)
    recipients = [first] if first is not None else []
    if case.red_flag and (first is None or first.rung != HEALTH_STATION):
        station = recipient(case, HEALTH_STATION)
        if station is not None and station.phone is not None:
            recipients.append(station)
        elif station is not None and station not in passed:
            passed.append(station)
    return recipients, passed
