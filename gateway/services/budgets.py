"""SMS budgets: a commune pays for its segments, so staff set how many a month may cost.

The month is the commune's calendar month. What it has spent is the segments
of every outbound SMS of the commune written that month (an SMS that expired
before leaving, or that the provider rejected, cost nothing). A message's
kind comes from what wrote it: urgent ones are alerts (cases, escalations,
acknowledgements), default ones replies to households, bulk ones reminders
(to households) or digests (to members and leaders).

Only bulk reminder rounds are held by the budget, at the point they write
their messages (:class:`Allowance`, used by ``services.reminders``): a round
writes what still fits and the rest is recorded as held. Alerts and replies
always go, and count towards the spend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from peewee import JOIN, fn
from peewee import Case as SqlCase

from db.base import database, utcnow
from db.models import (
    Case,
    Commune,
    Household,
    Member,
    OutboundMessage,
    ReminderSchedule,
    ScheduleRun,
    Team,
)
from flows import clock
from flows.encoding import measure
from flows.reminders import Rule, in_quiet_hours, slot_deadline, slots_on
from gateway.services.reminder_audiences import Slot, messages

KINDS = ("reminders", "digests", "replies", "alerts")
WARN_AT = 0.8
"""Share of the budget from which the console warns."""
HELD = "held"
"""The state of a schedule run the budget stopped (``ScheduleRun.state``)."""
FREE_STATES = ("expired", "rejected")
"""Outbound states that never reached a phone and are not paid for."""
ESTIMATE_DAYS = 30


def kind_of():
    """The kind of an outbound row, as a SQL expression (see the module's docstring)."""
    return SqlCase(
        None,
        [
            (OutboundMessage.priority == "urgent", "alerts"),
            (OutboundMessage.priority == "default", "replies"),
            (OutboundMessage.household.is_null(False), "reminders"),
        ],
        "digests",
    )


def of_commune(commune_id: int):
    """Outbound rows of a commune: to its households, about its cases, or to its members."""
    households = Household.select(Household.id).where(Household.commune == commune_id)
    cases = Case.select(Case.id).where(Case.commune == commune_id)
    members = Member.select(Member.phone).join(Team).where(Team.commune == commune_id)
    return (
        OutboundMessage.household.in_(households)
        | OutboundMessage.case.in_(cases)
        | (
            OutboundMessage.household.is_null()
            & OutboundMessage.case.is_null()
            & OutboundMessage.phone.in_(members)
        )
    )


def month_start(commune: Commune, now: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """The first day of the commune's current month, and when it began in naive UTC."""
    return clock.month_start(commune.timezone, now)


@dataclass
class Spend:
    """A commune's month so far."""

    budget: int | None
    month: dt.date
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def level(self) -> str:
        """``none`` (no budget), ``ok``, ``warn`` from 80 %, ``spent`` at 100 %."""
        if not self.budget:
            return "none"
        if self.total >= self.budget:
            return "spent"
        return "warn" if self.total >= WARN_AT * self.budget else "ok"

    @property
    def remaining(self) -> int | None:
        return max(self.budget - self.total, 0) if self.budget else None


def spend(commune: Commune, now: dt.datetime | None = None) -> Spend:
    """Segments written this month, by kind; one grouped query."""
    first, start = month_start(commune, now or utcnow())
    result = Spend(commune.sms_budget_segments, first)
    kind = kind_of()
    rows = (
        OutboundMessage.select(kind, fn.SUM(OutboundMessage.segments))
        .where(
            of_commune(commune.id),
            OutboundMessage.created_at >= start,
            OutboundMessage.state.not_in(FREE_STATES),
        )
        .group_by(kind)
        .tuples()
    )
    for name, segments in rows:
        result.by_kind[name] = int(segments or 0)
    return result


def set_budget(commune_id: int, segments: int | None) -> None:
    """``None`` removes the limit."""
    with database.atomic():
        Commune.update(sms_budget_segments=segments).where(Commune.id == commune_id).execute()


class Allowance:
    """What a reminder round may still write this month; unlimited without a budget.

    Rows are taken in order while their segments fit; once one does not, the
    round stops (``held``), so a commune never pays for half a household's text.
    """

    def __init__(self, commune: Commune, now: dt.datetime | None = None) -> None:
        self.commune_id = commune.id
        self.now = now
        self.held = False

    def take(self, rows: list[dict]) -> list[dict]:
        """The prefix of ``rows`` (outbox row values with ``segments``) that fits.

        Called inside the transaction that writes them: the commune's row is
        locked first, so two rounds of one commune written at once by two
        workers count each other's messages instead of both spending the rest.
        """
        if self.held:
            return []
        commune = _locked(self.commune_id)
        remaining = spend(commune, self.now).remaining
        if remaining is None:
            return rows
        taken = []
        for row in rows:
            if row["segments"] > remaining:
                self.held = True
                break
            remaining -= row["segments"]
            taken.append(row)
        return taken

    @property
    def note(self) -> str:
        return "held by the SMS budget: the month's segments are spent"


def _locked(commune_id: int) -> Commune:
    """The commune, read afresh (staff may just have changed its budget) and locked until
    the transaction ends; SQLite's writers already take turns (``BEGIN IMMEDIATE``)."""
    query = Commune.select().where(Commune.id == commune_id)
    if database.for_update:
        query = query.for_update()
    return query.get()


@dataclass(frozen=True)
class Estimate:
    """What a schedule costs: one run's segments over its audience, times the runs."""

    recipients: int
    segments_per_run: int
    runs: int
    longest: str = ""
    """The costliest text of a run as it goes out, placeholders filled: what the
    console's segment counter shows, rather than the template with its names."""

    @property
    def monthly(self) -> int:
        return self.segments_per_run * self.runs


def estimate(schedule: ReminderSchedule, commune: Commune, today: dt.date) -> Estimate | None:
    """The schedule's cost over the next :data:`ESTIMATE_DAYS` days, at today's audience.

    Works for a schedule not saved yet (the console's form): the audience is
    built exactly as a run would build it, texts filled in, and measured.
    ``None`` when its times cannot be read.
    """
    try:
        rule = Rule.parse(
            schedule.times, schedule.weekdays, schedule.deadline,
            schedule.quiet_start, schedule.quiet_end,
        )  # fmt: skip
    except ValueError:
        return None
    days = [today + dt.timedelta(days=offset) for offset in range(ESTIMATE_DAYS)]
    slots = [s for day in days for s in slots_on(rule, day) if not in_quiet_hours(rule, s.time)]
    if not slots or not schedule.template.strip():
        return Estimate(0, 0, len(slots))
    audience = Slot(schedule, commune, today, slot_deadline(rule, slots[0]))
    recipients, segments, longest = _measure(messages(audience))
    return Estimate(recipients, segments, len(slots), longest)


def _measure(outgoing: Iterable) -> tuple[int, int, str]:
    measured: dict[str, tuple[int, int]] = {}
    recipients = segments = 0
    for message in outgoing:
        if message.text not in measured:
            size = measure(message.text)
            measured[message.text] = (size.segments, size.length)
        recipients += 1
        segments += measured[message.text][0]
    longest = max(measured, key=measured.__getitem__, default="")
    return recipients, segments, longest


def held_runs(commune: Commune, since: dt.date) -> list[ScheduleRun]:
    """This month's runs the budget stopped, newest first, for the console."""
    return list(
        ScheduleRun.select(ScheduleRun, ReminderSchedule)
        .join(ReminderSchedule, JOIN.INNER)
        .where(
            ReminderSchedule.commune == commune.id,
            ScheduleRun.state == HELD,
            ScheduleRun.local_date >= since,
        )
        .order_by(ScheduleRun.local_date.desc(), ScheduleRun.slot.desc())
    )
