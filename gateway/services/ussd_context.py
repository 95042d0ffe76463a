"""What the USSD menus need to know about a caller, loaded in a few indexed queries."""

from __future__ import annotations

import datetime as dt

from peewee import JOIN

from db.inbox import WaitingDeclaration
from db.models import Case, Declaration, Household, Team
from flows.encoding import strip_diacritics
from flows.ussd import Context
from gateway.services.callers import Caller, candidate_communes
from gateway.services.lookups import HouseholdView

PLACES = ("Ha Noi", "TP HCM", "Bac Ninh", "Hai Phong", "Bac Giang")
"""Where arrivals most often come from; "other province" and "abroad" follow."""


def load_context(caller: Caller, today: dt.date) -> Context:
    """What the menus show ``caller``: households from the row already read
    (``callers.identify``), members and strangers through the models (rarer).

    Nothing to resume is in the context yet: the service learns of an offer
    when it saves the screen (see ``ussd_sessions``).
    """
    if caller.view is not None:
        return household_context(caller.view)
    if caller.member is not None:
        return _member_context(caller, today)
    if caller.commune is None:
        communes = tuple(candidate_communes(caller.service_code))
        known = False
        teams: tuple[str, ...] = ()
    else:
        communes, known = (), True
        teams = tuple(t.name for t in Team.select(Team.name).where(Team.commune == caller.commune))
    return Context(
        caller="unknown",
        teams=teams,
        places=PLACES,
        communes=communes if len(communes) > 1 else (),
        commune_known=known,
    )


def household_context(view: HouseholdView) -> Context:
    """A household's screens, from one read (see ``lookups``)."""
    phones = []
    if view.member_phone:
        phones.append((strip_diacritics(view.member_name or ""), view.member_phone))
    if view.leader_phone and view.leader_phone != view.member_phone:
        phones.append((f"To truong {strip_diacritics(view.leader_name or '')}", view.leader_phone))
    phones.append(("Tram y te", view.station_phone))
    return Context(
        caller="household",
        language=view.language,
        household_name=view.head_name,
        team_phones=tuple(phones),
        member_name=view.member_name,
        member_phone=view.member_phone,
        places=PLACES,
    )


def _member_context(caller: Caller, today: dt.date) -> Context:
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
    waiting = _waiting_on(today, [household_id for household_id, *_ in households])
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
        not_declared=tuple(
            code for id_, code, _, seen in households if seen is None and id_ not in waiting
        ),
        own_household=caller.household is not None,
        places=PLACES,
    )


def _waiting_on(today: dt.date, household_ids: list[int]) -> set[int]:
    """Which of the households declared ``today`` on USSD, still waiting to be
    recorded (``waiting_declarations``): they have declared all the same."""
    waiting = WaitingDeclaration.select(WaitingDeclaration.household_id).where(
        WaitingDeclaration.local_date == today,
        WaitingDeclaration.household_id.in_(household_ids),
    )
    return {household_id for (household_id,) in waiting.tuples()}
