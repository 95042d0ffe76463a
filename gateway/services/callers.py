"""Who is calling: one rule, one implementation, for USSD and SMS alike.

The rule: an active member's phone is the member (with their own household
when the same phone is a household's in the member's commune); otherwise the
household whose phone it is (a phone belongs to one household); otherwise a
stranger, placed in the commune the code dialled names, or the only commune.
A stranger on a code several communes share has no commune: the USSD menu
lets them pick it, an SMS may name it (``XA <code>``), and a report whose
commune is still unknown is stored unassigned for district staff.

Households come first and in one plain read (``lookups``): they make almost
every call. Their models are built from that row, without another query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from db.models import Commune, Household, HouseholdPhone, Member, Team
from flows import clock
from gateway.services import lookups
from gateway.services.lookups import HouseholdView


@dataclass(frozen=True)
class Caller:
    phone: str
    commune: Commune | None
    household: Household | None = None
    member: Member | None = None
    view: HouseholdView | None = None
    """A household caller's row as read, with the names its screens show."""
    service_code: str | None = None
    """The USSD code (or SMS number) the caller reached: where an unassigned report came in."""
    phone_kind: str | None = None
    """The stored kind of a household's phone, when read with it (see ``outbox.textable``)."""

    @property
    def kind(self) -> str:
        if self.member is not None:
            return "member"
        return "household" if self.household is not None else "unknown"

    @property
    def language(self) -> str:
        return self.household.language if self.household is not None else "vi"


def identify(phone: str, service_code: str | None = None) -> Caller:
    """The caller behind an E.164 ``phone`` (see the module's rule)."""
    code = service_code or None
    view = lookups.household_view(phone)
    if view is not None:
        return _household_caller(phone, view, code)
    member = (
        Member.select(Member, Team, Commune)
        .join(Team)
        .join(Commune)
        .where(Member.phone == phone, Member.active == True)  # noqa: E712
        .first()
    )
    if member is not None:
        own = (
            Household.select()
            .join(HouseholdPhone)
            .where(HouseholdPhone.phone == phone, Household.commune == member.team.commune_id)
            .first()
        )
        return Caller(phone, member.team.commune, own, member, service_code=code)
    return Caller(phone, stranger_commune(code), service_code=code)


def _household_caller(
    phone: str, view: HouseholdView, code: str | None, kind: str | None = None
) -> Caller:
    """The models a household's writes need, from its row: no further query.

    Built as peewee builds a row it read (``__no_default__``): a row's fields
    are what was read, and filling in the models' defaults (creation times)
    first cost more than the rest of building them.
    """
    commune = Commune(
        __no_default__=True,
        id=view.commune_id,
        code=view.commune_code,
        name=view.commune_name,
        timezone=view.timezone,
        health_station_phone=view.station_phone,
    )
    household = Household(
        __no_default__=True,
        id=view.id,
        commune=commune,
        team=view.team_id,
        member=view.member_id,
        head_name=view.head_name,
        village=view.village,
        language=view.language,
        ussd_progress_at=view.progress_at,
    )
    return Caller(phone, commune, household, view=view, service_code=code, phone_kind=kind)


def stranger_commune(service_code: str | None) -> Commune | None:
    """The one commune on ``service_code``, or the only commune there is; else ``None``."""
    if service_code:
        on_code = list(Commune.select().where(Commune.ussd_code == service_code).limit(2))
        if len(on_code) == 1:
            return on_code[0]
        if on_code:
            return None
    communes = list(Commune.select().limit(2))
    return communes[0] if len(communes) == 1 else None


def candidate_communes(service_code: str | None) -> list[tuple[str, str, str]]:
    """(code, name, district) a stranger picks from: the code's communes, or all of them."""
    query = Commune.select(Commune.code, Commune.name, Commune.district)
    if service_code and query.where(Commune.ussd_code == service_code).exists():
        query = query.where(Commune.ussd_code == service_code)
    rows = query.order_by(Commune.district, Commune.name).tuples()
    return [(code, name, district or "") for code, name, district in rows]


def local_today(commune: Commune | None, default_zone: str, now: dt.datetime) -> dt.date:
    """The commune's calendar day for a naive-UTC ``now``: deadlines are local."""
    return clock.local_date(commune.timezone if commune is not None else default_zone, now)


def identify_many(phones: Iterable[str]) -> dict[str, Caller]:
    """:func:`identify` for each distinct phone of a batch of SMS, each looked up once.

    The households, who send almost every SMS, are read together in one
    statement; members and strangers go through :func:`identify` one by one,
    so the rule stays in one place.
    """
    distinct = list(dict.fromkeys(phones))
    views = lookups.household_views(distinct)
    return {
        phone: _household_caller(phone, views[phone][0], None, views[phone][1])
        if phone in views
        else identify(phone)
        for phone in distinct
    }
