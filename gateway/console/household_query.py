"""The household list's search and filters, shared by the page and its export."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from peewee import JOIN, Expression, ModelSelect
from werkzeug.datastructures import MultiDict

from db.models import HOUSEHOLD_STATES, PHONE_KINDS, Household, HouseholdPhone, Member, Team
from db.search import fold, folded
from gateway.console import params
from gateway.console.dashboard import declared_ids
from gateway.console.scoping import scoped

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    """What the staff typed or picked; anything unknown is ignored, never an error."""

    q: str = ""
    team: int | None = None
    declared: str = ""
    phone_kind: str = ""
    state: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> Filters:
        return cls(
            q=params.text(args, "q", 100),
            team=params.integer(args, "team"),
            declared=args.get("declared", "") if args.get("declared") in ("yes", "no") else "",
            phone_kind=args.get("phone_kind", "") if args.get("phone_kind") in PHONE_KINDS else "",
            state=args.get("state", "") if args.get("state") in HOUSEHOLD_STATES else "",
            page=params.page(args),
        )

    def args(self, **changes: object) -> dict[str, object]:
        """The filters as query arguments, for links to other pages and the export."""
        values = {
            "q": self.q,
            "team": self.team,
            "declared": self.declared,
            "phone_kind": self.phone_kind,
            "state": self.state,
            **changes,
        }
        return {key: value for key, value in values.items() if value}


def households(filters: Filters, day: dt.date) -> ModelSelect:
    """Households of the commune matching ``filters``, with team and member joined."""
    query = (
        scoped(Household.select(Household, Team, Member), Household)
        .join(Team)
        .switch(Household)
        .join(Member, JOIN.LEFT_OUTER)
        .order_by(Team.name, Household.code)
    )
    if filters.q:
        query = query.where(matches(filters.q))
    if filters.team:
        query = query.where(Household.team == filters.team)
    if filters.phone_kind:
        query = query.where(Household.phone_kind == filters.phone_kind)
    if filters.state:
        query = query.where(Household.state == filters.state)
    if filters.declared == "yes":
        query = query.where(Household.id.in_(declared_ids(day)))
    elif filters.declared == "no":
        query = query.where(Household.id.not_in(declared_ids(day)))
    return query


def matches(q: str) -> Expression:
    """Households whose code, head's name or village holds ``q``, diacritics and case
    ignored, or with a phone holding its digits (three or more)."""
    typed = fold(q)
    text = (
        folded(Household.code).contains(typed)
        | folded(Household.head_name).contains(typed)
        | folded(Household.village).contains(typed)
    )
    digits = re.sub(r"\D", "", q).lstrip("0")
    if len(digits) >= 3:
        phones = HouseholdPhone.select(HouseholdPhone.household).where(
            HouseholdPhone.phone.contains(digits)
        )
        text = text | Household.id.in_(phones)
    return text


def phones_of(rows: list[Household]) -> dict[int, list[str]]:
    """Every phone of these households in one query."""
    phones: dict[int, list[str]] = {row.id: [] for row in rows}
    if rows:
        found = scoped(HouseholdPhone.select(), HouseholdPhone).where(
            HouseholdPhone.household.in_(list(phones))
        )
        for phone in found.order_by(HouseholdPhone.id):
            phones[phone.household_id].append(phone.phone)
    return phones


def phone_rows(rows: list[Household]) -> dict[int, list[HouseholdPhone]]:
    """Every phone of these households with its kind (mobile or landline), in one query."""
    phones: dict[int, list[HouseholdPhone]] = {row.id: [] for row in rows}
    if rows:
        found = scoped(HouseholdPhone.select(), HouseholdPhone).where(
            HouseholdPhone.household.in_(list(phones))
        )
        for phone in found.order_by(HouseholdPhone.id):
            phones[phone.household_id].append(phone)
    return phones
