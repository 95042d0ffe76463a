"""Who one reminder slot goes to, and the text each of them gets.

Households get one SMS on each of their mobiles (see the README: a reminder
reaches whoever holds a phone that day), never on a landline, and never when
they said ``DUNG`` (opted out). Households with no mobile are never texted:
their member's list marks them "goi" (call the landline) or "den nha" (visit:
no phone at all). Members get their own list of households not declared;
group and team leaders a roll-up of their group or team, with how many
declared by the 14:00 deadline. Members whose own phone is a landline get
nothing (the outbox would refuse it anyway). Each audience is a
handful of indexed queries for the whole commune, whatever its size, and the
texts are rendered once per distinct set of values, so identical texts are
the same string and the sender batches them into one provider request.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from peewee import JOIN

from db.models import (
    Commune,
    Declaration,
    Household,
    HouseholdPhone,
    Member,
    MonitoringPeriod,
    ReminderSchedule,
    Team,
)
from flows.phones import LANDLINE, MOBILE, number_kind
from flows.reminder_texts import CALL, VISIT, local_phone, render
from gateway.services.reports import daily_report, on_time_ids

DIGEST_SEGMENTS = 3
"""A member's list may take three SMS: 20-30 households with phones do not fit one."""
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Outgoing:
    """One message of a slot; ``key`` ends its dedupe key (``h12``, ``m3``)."""

    key: str
    phone: str
    text: str
    label: str
    household_id: int | None = None
    kind: str = ""
    """The phone's stored kind when the audience read it; empty: the outbox parses it."""


@dataclass(frozen=True)
class Slot:
    """What the texts of one slot share."""

    schedule: ReminderSchedule
    commune: Commune
    day: dt.date
    deadline: dt.datetime

    @property
    def common(self) -> dict[str, object]:
        return {
            "deadline": f"{self.deadline:%H:%M}",
            "date": f"{self.day:%d/%m}",
            "commune": self.commune.name,
            "health_station_phone": local_phone(self.commune.health_station_phone),
        }


@dataclass(frozen=True)
class Census:
    """A confirmed household as the digests need it: the phone to reach it by
    (its first mobile, else its first landline), and whether it declared."""

    id: int
    code: str
    team_id: int
    member_id: int | None
    phone: str | None
    kind: str | None
    declared: bool
    on_time: bool = False

    @property
    def listed(self) -> str:
        """``HG01 0912345678``; ``HG02 goi 02043123456`` (landline: call);
        ``HG03 den nha`` (no phone: visit)."""
        if self.phone is None:
            return f"{self.code} {VISIT}"
        if self.kind == LANDLINE:
            return f"{self.code} {CALL} {local_phone(self.phone)}"
        return f"{self.code} {local_phone(self.phone)}"


def messages(slot: Slot) -> Iterator[Outgoing]:
    """Every message of the slot, for its schedule's audience."""
    builders: dict[str, Callable[[Slot], Iterable[Outgoing]]] = {
        "all": _households,
        "team": _households,
        "not_declared": lambda s: _households(s, only=_not_declared(s)),
        "monitoring": _monitored,
        "members": _member_digests,
        "group_leaders": _group_rollups,
        "team_leaders": _team_rollups,
    }
    builder = builders.get(slot.schedule.audience)
    if builder is None:
        raise ValueError(f"unknown audience {slot.schedule.audience!r}")
    yield from builder(slot)


class _Texts:
    """Renders the slot's template once per distinct set of the values it uses."""

    def __init__(self, slot: Slot, max_segments: int = 1) -> None:
        self.template = slot.schedule.template
        self.used = frozenset(_PLACEHOLDER.findall(self.template))
        self.common = slot.common
        self.max_segments = max_segments
        self._cache: dict[tuple, str] = {}

    def __call__(self, language: str, values: dict[str, object]) -> str:
        values = {k: v for k, v in {**self.common, **values}.items() if k in self.used}
        key = (language, *((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items()))
        if key not in self._cache:
            self._cache[key] = render(self.template, language, values, self.max_segments)
        return self._cache[key]


def _scoped(query, slot: Slot, team_field):
    """The schedule's commune, or only its team when it names one."""
    if slot.schedule.team_id is not None:
        return query.where(team_field == slot.schedule.team_id)
    return query


def _members(slot: Slot):
    query = Member.select(Member, Team).join(Team)
    query = query.where(Team.commune == slot.commune.id, Member.active == True)  # noqa: E712
    return _scoped(query, slot, Member.team)


def _texted(members: Iterable[Member]) -> Iterator[Member]:
    """The members whose phone can read an SMS."""
    return (member for member in members if number_kind(member.phone) == MOBILE)


def _team_leader_phones(slot: Slot) -> dict[int, str]:
    """The first leader of each team, as the case ladder picks them."""
    leaders = _members(slot).where(Member.role == "leader").order_by(Member.id.desc())
    return {member.team_id: member.phone for member in leaders}


def _not_declared(slot: Slot):
    declared = Declaration.select(Declaration.household).where(
        Declaration.commune == slot.commune.id,
        Declaration.local_date == slot.day,
        Declaration.is_current == True,  # noqa: E712
        Declaration.household.is_null(False),
    )
    return Household.id.not_in(declared)


def _households(slot: Slot, only=None, extra=None) -> Iterator[Outgoing]:
    """One message per household with a phone, in team order so equal texts cluster."""
    texts = _Texts(slot)
    station = slot.commune.health_station_phone
    leaders = _team_leader_phones(slot)
    member_phones = {m.id: m.phone for m in _members(slot)}
    query = (
        Household.select(
            Household.id, Household.code, Household.head_name, Household.language,
            Household.team, Household.member, HouseholdPhone.id, HouseholdPhone.phone,
        )
        .join(HouseholdPhone)
        .where(
            Household.commune == slot.commune.id,
            Household.state == "confirmed",
            Household.opted_out == False,  # noqa: E712
            HouseholdPhone.kind == MOBILE,
        )
        .order_by(Household.team, Household.id, HouseholdPhone.id)
        .tuples()
    )  # fmt: skip
    query = _scoped(query, slot, Household.team)
    if only is not None:
        query = query.where(only)
    previous = None
    for household_id, code, head, language, team_id, member_id, phone_id, phone in list(query):
        # The first mobile keeps the plain key, as when a household had one phone.
        key = f"h{household_id}" if household_id != previous else f"h{household_id}p{phone_id}"
        previous = household_id
        values: dict[str, object] = {
            "household": code,
            "head": head,
            "team_leader_phone": local_phone(leaders.get(team_id, station)),
            "member_phone": local_phone(member_phones.get(member_id, station)),
            **(extra(household_id) if extra else {}),
        }
        yield Outgoing(key, phone, texts(language, values), code, household_id, MOBILE)


def _monitored(slot: Slot) -> Iterator[Outgoing]:
    """A daily check-in while a period covers the day; the latest period counts the days."""
    started: dict[int, dt.date] = {}
    periods = MonitoringPeriod.select(MonitoringPeriod.household, MonitoringPeriod.starts_on).where(
        MonitoringPeriod.commune == slot.commune.id,
        MonitoringPeriod.starts_on <= slot.day,
        MonitoringPeriod.ends_on > slot.day,
        MonitoringPeriod.household.is_null(False),
    )
    for household_id, starts_on in periods.tuples():
        started[household_id] = max(starts_on, started.get(household_id, starts_on))
    if not started:
        return iter(())
    day_of = {h: (slot.day - start).days + 1 for h, start in started.items()}
    only = Household.id.in_(list(started))
    return _households(slot, only=only, extra=lambda h: {"monitoring_day": day_of[h]})


def _census(slot: Slot) -> list[Census]:
    """Every confirmed household of the scope with the phone to reach it by, whether
    it declared, and whether it did by the deadline."""
    declared = {
        household_id
        for (household_id,) in Declaration.select(Declaration.household)
        .where(
            Declaration.commune == slot.commune.id,
            Declaration.local_date == slot.day,
            Declaration.is_current == True,  # noqa: E712
        )
        .tuples()
    }
    on_time = {household_id for (household_id,) in on_time_ids(slot.commune, slot.day).tuples()}
    query = (
        Household.select(
            Household.id, Household.code, Household.team, Household.member,
            HouseholdPhone.phone, HouseholdPhone.kind,
        )
        .join(HouseholdPhone, JOIN.LEFT_OUTER)
        .where(Household.commune == slot.commune.id, Household.state == "confirmed")
        .order_by(Household.code, HouseholdPhone.id)
        .tuples()
    )  # fmt: skip
    census: dict[int, Census] = {}
    for row in _scoped(query, slot, Household.team):
        known = census.get(row[0])
        # A mobile wins over a landline listed before it: it is what the member texts.
        if known is None or (known.kind != MOBILE and row[5] == MOBILE):
            census[row[0]] = Census(*row, declared=row[0] in declared, on_time=row[0] in on_time)
    return list(census.values())


def _member_digests(slot: Slot) -> Iterator[Outgoing]:
    """Each member's households not declared, with phones, to knock on doors."""
    texts = _Texts(slot, DIGEST_SEGMENTS)
    todo: dict[int, list[Census]] = defaultdict(list)
    for household in _census(slot):
        if not household.declared and household.member_id is not None:
            todo[household.member_id].append(household)
    for member in _texted(_members(slot).where(Member.id.in_(list(todo))).order_by(Member.id)):
        mine = todo[member.id]
        values = {"count": len(mine), "codes": [h.listed for h in mine], "team": member.team.name}
        yield Outgoing(f"m{member.id}", member.phone, texts("vi", values), member.name)


def _group_rollups(slot: Slot) -> Iterator[Outgoing]:
    """Each group leader: their group's households (the team's when they have no group)."""
    texts = _Texts(slot, DIGEST_SEGMENTS)
    members = list(_members(slot))
    group_of = {member.id: member.group_id for member in members}
    census = _census(slot)
    for leader in _texted(m for m in members if m.group_leader):
        if leader.group_id is not None:
            mine = [h for h in census if group_of.get(h.member_id) == leader.group_id]
            name = leader.group.name
        else:
            mine = [h for h in census if h.team_id == leader.team_id]
            name = leader.team.name
        yield Outgoing(f"m{leader.id}", leader.phone, texts("vi", _rollup(name, mine)), leader.name)


def _rollup(name: str, households: list[Census]) -> dict[str, object]:
    missing = [h.listed for h in households if not h.declared]
    return {
        "group": name,
        "households": len(households),
        "declared": len(households) - len(missing),
        "on_time": sum(1 for h in households if h.on_time),
        "count": len(missing),
        "codes": missing,
    }


def _team_rollups(slot: Slot) -> Iterator[Outgoing]:
    """Each team leader: the team's line of the daily report, as the health station reads it."""
    texts = _Texts(slot)
    report = {row.team: row for row in daily_report(slot.day, slot.commune.code)}
    for leader in _texted(_members(slot).where(Member.role == "leader").order_by(Member.id)):
        row = report.get(leader.team.name)
        if row is None:
            continue
        values = {
            "team": row.team,
            "households": row.households,
            "declared": row.declared,
            "on_time": row.declared_on_time,
            "count": row.not_declared,
            "symptoms": row.people_with_symptoms,
            "open_cases": row.open_cases,
            "monitoring": row.under_monitoring,
        }
        yield Outgoing(f"m{leader.id}", leader.phone, texts("vi", values), leader.name)
