"""When a reminder schedule's slots fall due: pure logic, no clock and no database.

A schedule names local times (``"07:30,12:30"``), ISO weekdays, an optional
deadline and quiet hours. Every minute the dispatcher asks :func:`due` which of
today's (and yesterday's) slots to send or to record as skipped, given the
slots already recorded. Only the latest started slot of a day is ever sent:
an earlier one still pending was missed (everything was down) and is
superseded, because two copies of the same reminder at once help nobody. A
slot whose deadline passed is skipped with the reason; one in quiet hours
waits for them to end. All times are naive local wall-clock times of the
commune: the service converts from and to UTC. What the messages say is in
:mod:`flows.reminder_texts`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

ALL_DAYS = frozenset(range(1, 8))
DEFAULT_LIFE = dt.timedelta(hours=2)
"""How long a slot's messages are worth sending when the schedule sets no later deadline."""
LOOKBACK_DAYS = 1
"""Yesterday too, so a slot missed across midnight is recorded as skipped, not forgotten."""

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$", re.ASCII)


class ScheduleError(ValueError):
    """A schedule field staff typed cannot be read; the message says which and why."""


def parse_time(raw: str | None, field: str = "time") -> dt.time | None:
    """``"7:30"`` or ``"07:30"``; empty means unset."""
    if raw is None or not raw.strip():
        return None
    match = _TIME.match(raw.strip())
    if match is None:
        raise ScheduleError(f"{field} {raw!r} is not a time like 07:30")
    return dt.time(int(match[1]), int(match[2]))


def parse_times(raw: str) -> tuple[dt.time, ...]:
    """``"07:30,12:30"`` (commas, semicolons or spaces) into sorted distinct times."""
    parts = [part for part in re.split(r"[,;\s]+", raw or "") if part]
    times = sorted({t for part in parts if (t := parse_time(part)) is not None})
    if not times:
        raise ScheduleError("at least one time like 07:30 is needed")
    return tuple(times)


def parse_weekdays(raw: str) -> frozenset[int]:
    """ISO weekday digits, ``"12345"`` (or ``"1,2,3,4,5"``) for Monday to Friday."""
    digits = re.sub(r"[,;\s]+", "", raw or "")
    if not digits or any(char not in "1234567" for char in digits):
        raise ScheduleError(f"weekdays {raw!r} must be digits 1 (Monday) to 7 (Sunday)")
    return frozenset(int(char) for char in digits)


@dataclass(frozen=True)
class Rule:
    """The timing of one schedule. ``since`` (local) hides slots from before it existed."""

    times: tuple[dt.time, ...]
    weekdays: frozenset[int] = ALL_DAYS
    deadline: dt.time | None = None
    quiet: tuple[dt.time, dt.time] | None = None
    since: dt.datetime | None = None

    @classmethod
    def parse(
        cls,
        times: str,
        weekdays: str = "1234567",
        deadline: str | None = None,
        quiet_start: str | None = None,
        quiet_end: str | None = None,
        since: dt.datetime | None = None,
    ) -> Rule:
        start, end = parse_time(quiet_start, "quiet_start"), parse_time(quiet_end, "quiet_end")
        quiet = (start, end) if start is not None and end is not None and start != end else None
        return cls(
            parse_times(times), parse_weekdays(weekdays), parse_time(deadline, "deadline"),
            quiet, since,
        )  # fmt: skip


@dataclass(frozen=True)
class Slot:
    day: dt.date
    time: dt.time

    @property
    def label(self) -> str:
        """How a slot is recorded (``ScheduleRun.slot``) and named in dedupe keys."""
        return self.time.strftime("%H:%M")

    @property
    def starts(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.time)


@dataclass(frozen=True)
class Decision:
    """Send ``slot`` now, or record it as skipped for ``reason``; a ``held`` one
    (:func:`held_back`) is neither: it is only explained."""

    slot: Slot
    send: bool
    deadline: dt.datetime
    reason: str = ""
    held: bool = False


def slots_on(rule: Rule, day: dt.date) -> list[Slot]:
    if day.isoweekday() not in rule.weekdays:
        return []
    return [Slot(day, time) for time in rule.times]


def slot_deadline(rule: Rule, slot: Slot) -> dt.datetime:
    """When the slot's messages stop being worth sending: the schedule's deadline
    (or :data:`DEFAULT_LIFE`), but never past the next slot or midnight."""
    if rule.deadline is not None and rule.deadline > slot.time:
        end = dt.datetime.combine(slot.day, rule.deadline)
    else:
        end = slot.starts + DEFAULT_LIFE
    later = [dt.datetime.combine(slot.day, t) for t in rule.times if t > slot.time]
    midnight = dt.datetime.combine(slot.day + dt.timedelta(days=1), dt.time())
    return min([end, midnight, *later[:1]])


def in_quiet_hours(rule: Rule, moment: dt.time) -> bool:
    """Quiet hours may wrap midnight (21:00-06:00); their end is not quiet."""
    if rule.quiet is None:
        return False
    start, end = rule.quiet
    return start <= moment < end if start < end else moment >= start or moment < end


def due(rule: Rule, now: dt.datetime, done: Collection[tuple[dt.date, str]]) -> list[Decision]:
    """What to do at ``now`` with the slots not in ``done`` (``(day, label)`` pairs).

    Never returns a slot that is in ``done`` or twice; a slot in quiet hours
    gets no decision yet, so it goes when they end if still before its deadline.
    """
    decisions = []
    for back in range(LOOKBACK_DAYS, -1, -1):
        started = [
            slot
            for slot in slots_on(rule, now.date() - dt.timedelta(days=back))
            if slot.starts <= now and (rule.since is None or slot.starts >= rule.since)
        ]
        for slot in started:
            if (slot.day, slot.label) in done:
                continue
            deadline = slot_deadline(rule, slot)
            if slot is not started[-1]:
                reason = f"superseded by {started[-1].label}"
                decisions.append(Decision(slot, False, deadline, reason))
            elif now >= deadline:
                reason = f"missed: deadline {deadline:%H:%M} passed"
                decisions.append(Decision(slot, False, deadline, reason))
            elif not in_quiet_hours(rule, now.time()):
                decisions.append(Decision(slot, True, deadline))
    return decisions


def held_back(
    rule: Rule, now: dt.datetime, done: Collection[tuple[dt.date, str]]
) -> list[Decision]:
    """The slots :func:`due` says nothing about at ``now``, and why, for an operator.

    A slot starting exactly at ``now`` from before the schedule existed is not
    its own; the latest started slot in quiet hours waits for them to end. Both
    are explained (``send`` is false), never recorded: the second may still go.
    """
    held = []
    for slot in slots_on(rule, now.date()):
        if slot.starts == now and rule.since is not None and slot.starts < rule.since:
            reason = f"the schedule was created after this slot (at {rule.since:%Y-%m-%d %H:%M})"
            held.append(Decision(slot, False, slot_deadline(rule, slot), reason, held=True))
    if rule.quiet is not None and in_quiet_hours(rule, now.time()):
        start, end = rule.quiet
        for decision in _started_latest(rule, now, done):
            reason = (
                f"quiet hours {start:%H:%M}-{end:%H:%M}: it goes when they end,"
                f" if before its deadline {decision.deadline:%H:%M}"
            )
            held.append(Decision(decision.slot, False, decision.deadline, reason, held=True))
    return held


def _started_latest(
    rule: Rule, now: dt.datetime, done: Collection[tuple[dt.date, str]]
) -> list[Decision]:
    """The latest started slot of each day looked at, not recorded and not past its deadline."""
    latest = []
    for back in range(LOOKBACK_DAYS, -1, -1):
        started = [
            slot
            for slot in slots_on(rule, now.date() - dt.timedelta(days=back))
            if slot.starts <= now and (rule.since is None or slot.starts >= rule.since)
        ]
        if not started or (started[-1].day, started[-1].label) in done:
            continue
        deadline = slot_deadline(rule, started[-1])
        if now < deadline:
            latest.append(Decision(started[-1], False, deadline))
    return latest


def next_runs(rule: Rule, now: dt.datetime, count: int = 5) -> list[dt.datetime]:
    """When the next ``count`` slots will go, for the console; quiet hours delay a slot
    to their end, and a slot that would reach its deadline first is left out."""
    runs: list[dt.datetime] = []
    for offset in range(8 * max(1, count)):
        for slot in slots_on(rule, now.date() + dt.timedelta(days=offset)):
            at = slot.starts
            if rule.quiet is not None and in_quiet_hours(rule, at.time()):
                end = dt.datetime.combine(at.date(), rule.quiet[1])
                at = end if end > at else end + dt.timedelta(days=1)
            fresh = rule.since is None or slot.starts >= rule.since
            if fresh and now < at < slot_deadline(rule, slot):
                runs.append(at)
            if len(runs) == count:
                return runs
    return runs
