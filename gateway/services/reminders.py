"""Reminder slots: what is due, each slot claimed once, its messages into the outbox.

A slot is claimed by *inserting* its ``ScheduleRun`` row before anything is
written: the unique (schedule, local date, slot) index lets exactly one
process win, whether the cron job, a duplicate cron process or ``gateway
reminders run`` asked. The winner writes the outbox rows in batches, each
batch one transaction with its own dedupe keys, so workers start sending
while the rest is written. If the winner dies mid-way its run stays
``running``; after ``STALE_RUN`` another dispatch takes the run over, and
the dedupe keys keep the households already written from getting a second copy.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice

from db.base import utcnow
from db.models import AUDIENCES, Commune, OutboundMessage, ReminderSchedule, ScheduleRun
from flows.clock import to_local, to_utc
from flows.encoding import Measure, measure
from flows.reminder_texts import DEFAULT_ROUTINE
from flows.reminders import (
    LOOKBACK_DAYS,
    Decision,
    Rule,
    ScheduleError,
    due,
    held_back,
    next_runs,
    slot_deadline,
    slots_on,
)
from gateway.jobs import BULK
from gateway.services import budgets, schedule_runs
from gateway.services.outbox import after_commit, enqueue, outbox, textable
from gateway.services.reminder_audiences import Outgoing, Slot, messages
from gateway.services.schedule_runs import done_slots, run_key

log = logging.getLogger(__name__)

WRITE_BATCH = 1000
"""Outbox rows per transaction: two provider requests of identical text, committed together."""
_ENQUEUED = (
    OutboundMessage.id,
    OutboundMessage.priority,
    OutboundMessage.text,
    OutboundMessage.attempts,
)
"""What the sender needs to enqueue a row (``gateway.jobs.enqueue_messages``)."""


@dataclass
class Outcome:
    """What happened to one slot (or, with ``--dry-run``, what would)."""

    commune: str
    schedule: str
    day: dt.date
    slot: str
    state: str
    recipients: int = 0
    note: str = ""
    preview: list[Outgoing] = field(default_factory=list)


def rule_of(schedule: ReminderSchedule) -> Rule:
    """The schedule's timing; slots from before it was created are not its own."""
    since = to_local(schedule.commune.timezone, schedule.created_at)
    return Rule.parse(
        schedule.times, schedule.weekdays, schedule.deadline, schedule.quiet_start,
        schedule.quiet_end, since=since.replace(second=0, microsecond=0),
    )  # fmt: skip


def next_run_times(schedule: ReminderSchedule, count: int = 5) -> list[dt.datetime]:
    """The next local times the schedule will send, for the console."""
    now = to_local(schedule.commune.timezone, utcnow())
    return next_runs(rule_of(schedule), now, count) if schedule.active else []


def pending(
    local_now: Callable[[Commune], dt.datetime],
    commune_code: str | None = None,
    *,
    explain: bool = False,
) -> list[tuple[ReminderSchedule, Decision]]:
    """Every slot to send or to record as skipped now, in each commune's own time;
    with ``explain``, also the slots held back (:func:`flows.reminders.held_back`),
    which are only to be shown, never recorded.

    Two queries whatever the number of communes: the schedules, and their
    recent runs. A schedule whose fields cannot be read is logged and
    left out, so it never holds back the others.
    """
    schedules = list(_schedules(commune_code, active=True))
    nows = {commune.id: local_now(commune) for commune in {s.commune for s in schedules}}
    days = {
        now.date() - dt.timedelta(days=back)
        for now in nows.values()
        for back in range(LOOKBACK_DAYS + 1)
    }
    done = done_slots([s.id for s in schedules], days)
    decisions = []
    for schedule in schedules:
        try:
            rule = rule_of(schedule)
            if schedule.audience not in AUDIENCES or not schedule.template.strip():
                raise ScheduleError(f"audience {schedule.audience!r} or an empty message")
        except ScheduleError as exc:
            log.warning("schedule %d (%s) left out: %s", schedule.id, schedule.name, exc)
            continue
        now = nows[schedule.commune_id]
        decisions += [(schedule, d) for d in due(rule, now, done[schedule.id])]
        if explain:
            decisions += [(schedule, d) for d in held_back(rule, now, done[schedule.id])]
    return decisions


def record_skip(schedule: ReminderSchedule, decision: Decision) -> bool:
    """Record a slot that will not be sent, and why; ``False`` if it was recorded before."""
    slot = decision.slot
    return schedule_runs.record_skip(schedule.id, slot.day, slot.label, decision.reason)


def dispatch(
    schedule: ReminderSchedule, day: dt.date, label: str, *, dry_run: bool = False
) -> Outcome:
    """Send one slot: claim it, write its messages, record how many.

    A slot already claimed sends nothing. A slot whose deadline has passed by
    the clock (a job that waited, a catch-up typed too late) is recorded as
    skipped instead of writing messages that could only expire.
    """
    commune: Commune = schedule.commune
    outcome = Outcome(commune.code, schedule.name, day, label, "")
    rule = rule_of(schedule)
    slot = next((s for s in slots_on(rule, day) if s.label == label), None)
    if slot is None:
        outcome.state, outcome.note = "not a slot", f"the schedule has no {label} on {day}"
        return outcome
    deadline = slot_deadline(rule, slot)
    audience = Slot(schedule, commune, day, deadline)
    existing = ScheduleRun.get_or_none(run_key(schedule.id, day, label))
    expires_at = to_utc(commune.timezone, deadline)
    late = f"deadline {deadline:%H:%M} passed before it could run"
    if dry_run:
        if existing is not None:
            return _already(outcome, existing)
        if utcnow() >= expires_at:
            outcome.state, outcome.note = "would skip", late
            return outcome
        outcome.preview = list(messages(audience))
        outcome.state, outcome.recipients = "would send", len(outcome.preview)
        return outcome
    fresh = existing is None or existing.state == "running"
    run = schedule_runs.claim(schedule.id, day, label) if fresh else None
    if run is None:
        return _already(outcome, existing or ScheduleRun.get(run_key(schedule.id, day, label)))
    if utcnow() >= expires_at:
        return _finish(outcome, run, "skipped", late)
    prefix = f"rem:{schedule.id}:{day.isoformat()}:{label}:"
    allowance = budgets.Allowance(commune)
    _write(run, prefix, messages(audience), expires_at, allowance)
    if allowance.held:
        return _finish(outcome, run, budgets.HELD, allowance.note)
    return _finish(outcome, run, "done", run.note)


def run_due(
    at: dt.datetime, commune_code: str | None = None, dry_run: bool = False
) -> list[Outcome]:
    """``gateway reminders run``: what the cron job would do at local time ``at``,
    done here and now. Every slot it does not send is listed with the reason, in
    the same words with ``dry_run``: already run, superseded or missed, its
    deadline passed by the clock, in quiet hours, from before the schedule was
    created, or of a schedule turned off."""
    label = f"{at:%H:%M}"
    earlier = (
        ScheduleRun.select(ScheduleRun, ReminderSchedule, Commune)
        .join(ReminderSchedule)
        .join(Commune)
        .where(ScheduleRun.local_date == at.date(), ScheduleRun.slot == label)
    )
    if commune_code:
        earlier = earlier.where(Commune.code == commune_code)
    outcomes = [
        _already(Outcome(r.schedule.commune.code, r.schedule.name, r.local_date, r.slot, ""), r)
        for r in earlier
    ]
    for schedule, decision in pending(lambda _commune: at, commune_code, explain=True):
        slot = decision.slot
        if decision.send:
            outcomes.append(dispatch(schedule, slot.day, slot.label, dry_run=dry_run))
            continue
        outcome = Outcome(schedule.commune.code, schedule.name, slot.day, slot.label, "")
        outcome.note = decision.reason
        if decision.held:
            outcome.state = NOT_SENT
        elif dry_run:
            outcome.state = "would skip"
        else:
            record_skip(schedule, decision)
            outcome.state = "skipped"
        outcomes.append(outcome)
    return outcomes + _turned_off(at, commune_code)


NOT_SENT = "not sent"
"""A slot ``gateway reminders run`` leaves alone and does not record."""


def _turned_off(at: dt.datetime, commune_code: str | None) -> list[Outcome]:
    """The slots at ``at`` of schedules staff turned off: listed, so none goes unexplained."""
    label = f"{at:%H:%M}"
    outcomes = []
    for schedule in _schedules(commune_code, active=False):
        try:
            rule = rule_of(schedule)
        except ScheduleError:
            continue
        if any(slot.label == label for slot in slots_on(rule, at.date())):
            outcome = Outcome(schedule.commune.code, schedule.name, at.date(), label, NOT_SENT)
            outcome.note = "the schedule is turned off"
            outcomes.append(outcome)
    return outcomes


def seed_default_schedules(commune: Commune) -> list[ReminderSchedule]:
    """The seeds' routine (SPEC §7) for a commune that has no schedule yet."""
    if ReminderSchedule.select().where(ReminderSchedule.commune == commune).exists():
        return []
    return [
        ReminderSchedule.create(
            commune=commune, name=seed.name, audience=seed.audience, times=seed.times,
            deadline=seed.deadline, template=seed.template, quiet_start=seed.quiet_start,
            quiet_end=seed.quiet_end,
        )
        for seed in DEFAULT_ROUTINE
    ]  # fmt: skip


def _write(
    run: ScheduleRun,
    prefix: str,
    outgoing: Iterable[Outgoing],
    expires_at,
    allowance: budgets.Allowance,
) -> None:
    """Batches of outbox rows, each one INSERT that skips dedupe keys already written.

    ``queue_sms`` writes a row at a time, each in a savepoint for its dedupe
    check: about a millisecond a row, minutes for a district's round. A batch
    keeps its guarantees: the rows commit together with the run's recipient
    count, the outbox enqueues them only after that commit (the sweep catches
    an enqueue that Redis lost), and the outbox's landline guard
    (:func:`~gateway.services.outbox.textable`) sees every row.
    """
    measured: dict[str, Measure] = {}
    items: Iterator[Outgoing] = iter(outgoing)
    while batch := list(islice(items, WRITE_BATCH)):
        now = utcnow()
        for message in batch:
            if message.text not in measured:
                measured[message.text] = measure(message.text)
        with outbox():
            rows = [
                {
                    "phone": m.phone, "text": m.text, "priority": BULK, "state": "queued",
                    "encoding": measured[m.text].encoding, "segments": measured[m.text].segments,
                    "household": m.household_id, "dedupe_key": prefix + m.key,
                    "expires_at": expires_at, "created_at": now, "updated_at": now,
                }
                for m in batch
                if textable(m.phone, m.kind or None)
            ]  # fmt: skip
            if not rows:
                continue  # landlines only: the outbox's guard refused every one
            rows = allowance.take(rows)  # the commune's SMS budget: what no longer fits is held
            if not rows:
                return
            insert = OutboundMessage.insert_many(rows).on_conflict_ignore().returning(*_ENQUEUED)
            written = list(insert.execute())
            ScheduleRun.update(recipients=ScheduleRun.recipients + len(written)).where(
                ScheduleRun.id == run.id
            ).execute()
            after_commit(partial(enqueue, written))


def _finish(outcome: Outcome, run: ScheduleRun, state: str, note: str) -> Outcome:
    return _already(outcome, schedule_runs.finish(run, state, note), state)


def _already(outcome: Outcome, run: ScheduleRun, state: str | None = None) -> Outcome:
    outcome.state = state or f"already {run.state}"
    outcome.recipients, outcome.note = run.recipients, run.note
    return outcome


def _schedules(commune_code: str | None, *, active: bool):
    """The schedules turned on (or off), with their communes, in a stable order."""
    query = (
        ReminderSchedule.select(ReminderSchedule, Commune)
        .join(Commune)
        .where(ReminderSchedule.active == active)
        .order_by(Commune.code, ReminderSchedule.id)
    )
    if commune_code:
        query = query.where(Commune.code == commune_code)
    return query
