"""Carrying out what a flow asked for, the same way for USSD and SMS."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from db.base import utcnow
from db.models import Case, Commune, Household, HouseholdPhone, Team
from flows.effects import (
    Acknowledge,
    Declare,
    Effect,
    OptIn,
    OptOut,
    Problem,
    ProxyDeclare,
    Register,
    Resolve,
    SetLanguage,
)
from flows.phones import number_kind
from gateway.services import cases
from gateway.services.callers import Caller, local_today
from gateway.services.declarations import Declared, declare


@dataclass(frozen=True)
class Outcome:
    """What happened, for the reply: the case opened, or why nothing was done."""

    declared: Declared | None = None
    case: Case | None = None
    problem: Problem | None = None

    @property
    def unassigned(self) -> bool:
        """A report stored with no commune: district staff place it (``Case``)."""
        return self.declared is not None and self.declared.commune_id is None


def apply(
    effect: Effect, caller: Caller, channel: str, source_ref: str | None, default_zone: str
) -> Outcome:
    """Run one effect for ``caller``; the caller's transaction holds it (``outbox()``).

    A declaration is always stored: a stranger's whose commune is not known
    (neither from the code reached nor named) is stored unassigned.
    """
    today = local_today(caller.commune, default_zone, utcnow())
    match effect:
        case Declare(report, named):
            commune = caller.commune or _named_commune(named)
            if commune is not caller.commune:
                today = local_today(commune, default_zone, utcnow())
            return Outcome(
                declared=declare(
                    report,
                    commune_id=commune.id if commune is not None else None,
                    local_date=today,
                    household=caller.household,
                    phone=caller.phone,
                    channel=channel,
                    source_ref=source_ref,
                    service_code=caller.service_code,
                )
            )
        case ProxyDeclare(code, report):
            household = _member_household(caller, code)
            if household is None:
                return Outcome(problem=Problem.UNKNOWN_HOUSEHOLD)
            return Outcome(
                declared=declare(
                    report,
                    commune_id=household.commune_id,
                    local_date=today,
                    household=household,
                    phone=None,
                    channel="proxy",
                    source_ref=source_ref,
                    declared_by=caller.member,
                )
            )
        case Acknowledge(number) | Resolve(number, _):
            if caller.member is None:
                return Outcome(problem=Problem.NOT_A_MEMBER)
            try:
                if isinstance(effect, Acknowledge):
                    return Outcome(case=cases.acknowledge(caller.member, number))
                return Outcome(case=cases.resolve(caller.member, number, effect.note))
            except cases.CaseError:
                return Outcome(problem=Problem.UNKNOWN_CASE)
        case Register(team_name, people):
            return _register(caller, team_name, people)
        case SetLanguage(language):
            _update_household(caller, language=language)
        case OptOut():
            _update_household(caller, opted_out=True)
        case OptIn():
            _update_household(caller, opted_out=False)
    return Outcome()


def _named_commune(code: str | None) -> Commune | None:
    """The commune a stranger named; an unknown code leaves the report unassigned."""
    if not code:
        return None
    return Commune.get_or_none(fn.UPPER(Commune.code) == code.strip().upper())


def _member_household(caller: Caller, code: str) -> Household | None:
    if caller.member is None:
        return None
    return (
        Household.select()
        .where(
            Household.commune == caller.member.team.commune_id,
            fn.LOWER(Household.code) == code.strip().lower(),
        )
        .first()
    )


def _update_household(caller: Caller, **values: object) -> None:
    if caller.household is not None:
        Household.update(updated_at=utcnow(), **values).where(
            Household.id == caller.household.id
        ).execute()


def _register(caller: Caller, team_name: str, people: int) -> Outcome:
    """A stranger's household, pending until staff confirm it; registering twice is one."""
    if caller.household is not None:
        return Outcome()
    if caller.commune is None:
        return Outcome(problem=Problem.NO_COMMUNE)
    team = Team.get_or_none(Team.commune == caller.commune, Team.name == team_name)
    if team is None:
        return Outcome(problem=Problem.UNKNOWN_TEAM)
    household = Household.create(
        commune=caller.commune,
        team=team,
        code=f"P{caller.phone.lstrip('+')}",
        head_name=caller.phone,
        village=team.name,
        people=people,
        state="pending",
        phone_kind="basic",
    )
    HouseholdPhone.create(household=household, phone=caller.phone, kind=number_kind(caller.phone))
    return Outcome()
