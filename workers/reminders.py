"""Reminder dispatch on RQ: a cron job every minute, one job per due slot.

``dispatch_due_reminders`` only decides: it reads the schedules and their runs
in each commune's time zone, records the slots to skip, and enqueues one
``dispatch_slot`` job per slot to send. Fanning out per slot keeps each job
to one commune's households (a few thousand rows, well inside RQ's timeout)
and lets every worker take a share when a whole province's 07:30 falls due
at once. Neither job trusts that it runs once: the slot's claim in the
database decides who sends, so a second cron process, a retried job or a
manual ``gateway reminders run`` changes nothing.
"""

from __future__ import annotations

import datetime as dt

from db.base import database, utcnow
from db.models import Commune, ReminderSchedule
from flows.clock import to_local
from gateway.jobs import enqueue_reminder_slot
from gateway.services.reminders import dispatch, pending, record_skip


def dispatch_due_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    """Find the slots due at ``now`` (naive UTC; the clock by default) in every commune.

    Returns how many slots were enqueued and skipped, kept by RQ as the job's result.
    """
    now = now or utcnow()
    enqueued = skipped = 0
    with database.connection_context():
        for schedule, decision in pending(lambda commune: to_local(commune.timezone, now)):
            if decision.send:
                enqueue_reminder_slot(schedule.id, decision.slot.day, decision.slot.label)
                enqueued += 1
            elif record_skip(schedule, decision):
                skipped += 1
    return {"enqueued": enqueued, "skipped": skipped}


def dispatch_slot(schedule_id: int, day: str, slot: str) -> str:
    """Send one slot (``day`` ISO, ``slot`` ``"HH:MM"``); says what happened."""
    with database.connection_context():
        schedule = (
            ReminderSchedule.select(ReminderSchedule, Commune)
            .join(Commune)
            .where(ReminderSchedule.id == schedule_id, ReminderSchedule.active == True)  # noqa: E712
            .first()
        )
        if schedule is None:
            return "no such active schedule"
        outcome = dispatch(schedule, dt.date.fromisoformat(day), slot)
    return f"{outcome.state}: {outcome.recipients} recipient(s) {outcome.note}".strip()
