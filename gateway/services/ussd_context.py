"""What the USSD menus need to know about a caller, loaded in a few indexed queries."""

from __future__ import annotations

import datetime as dt

from peewee import JOIN

from db.models import Case, Declaration, Household, Member, Team
from flows.encoding import strip_diacritics
from flows.ussd import Context
from gateway.services.callers import Caller

PLACES = ("Ha Noi", "TP HCM", "Bac Ninh", "Hai Phong", "Bac Giang")
"""Where arrivals most often come from; "other province" and "abroad" follow."""


def context_for(caller: Caller, today: dt.date, resumable: tuple[str, ...]) -> Context:
    if caller.member is not None:
        return _member_context(caller, today, resumable)
    if caller.household is not None:
        return _household_context(caller, resumable)
    teams: tuple[str, ...] = ()
    if caller.commune is not None:
        teams = tuple(t.name for t in Team.select(Team.name).where(Team.commune == caller.commune))
    return Context(caller="unknown", teams=teams, places=PLACES, resumable=resumable)


def _household_context(caller: Caller, resumable: tuple[str, ...]) -> Context:
    household = caller.household
    member = household.member
    phones = []
    if member is not None:
        phones.append((strip_diacritics(member.name), member.phone))
    leader = (
        Member.select(Member.name, Member.phone)
        .where(Member.team == household.team_id, Member.role == "leader")
        .first()
    )
    if leader is not None and (member is None or leader.phone != member.phone):
        phones.append((f"To truong {strip_diacritics(leader.name)}", leader.phone))
    phones.append(("Tram y te", caller.commune.health_station_phone))
    return Context(
        caller="household",
        language=household.language,
        household_name=household.head_name,
        team_phones=tuple(phones),
        member_name=member.name if member else None,
        member_phone=member.phone if member else None,
        places=PLACES,
        resumable=resumable,
    )


def _member_context(caller: Caller, today: dt.date, resumable: tuple[str, ...]) -> Context:
    member = caller.member
    declared = Declaration.select(Declaration.household).where(
        Declaration.local_date == today,
        Declaration.is_current == True,  # noqa: E712
    )
    households = list(
        Household.select(Household.id, Household.code, Household.head_name, declared.c.household_id)
        .join(declared, JOIN.LEFT_OUTER, on=(declared.c.household_id == Household.id))
        .where(Household.member == member)
        .order_by(Household.code)
        .tuples()
    )
    open_cases = (
        Case.select(Case.id, Household.code, Case.kind)
        .join(Household, JOIN.LEFT_OUTER)
        .where(
            Case.commune == member.team.commune_id,
            Case.state == "open",
            (Case.member == member) | (Household.team == member.team_id),
        )
        .order_by(Case.id.desc())
        .limit(20)
        .tuples()
    )
    return Context(
        caller="member",
        language="vi",
        member_name=member.name,
        member_phone=member.phone,
        member_households=tuple((code, head) for _, code, head, _ in households),
        open_cases=tuple((number, code or "?", kind) for number, code, kind in open_cases),
        not_declared=tuple(code for _, code, _, seen in households if seen is None),
        own_household=caller.household is not None,
        places=PLACES,
        resumable=resumable,
    )
