"""The record of each reminder slot: claimed once, skipped with a reason, or finished.

The unique (schedule, local date, slot) index is the whole concurrency story:
inserting the row is the claim, so of two cron processes, a retried job and
an operator's ``gateway reminders run``, exactly one writes the slot's
messages. A claim that was never finished (its process died) goes stale after
:data:`STALE_RUN` and may be taken over, or recorded as skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection

from peewee import IntegrityError

from db.base import database, utcnow
from db.models import ScheduleRun

STALE_RUN = dt.timedelta(minutes=10)
"""A run still ``running`` this long after it started was interrupted (one
commune's slot takes seconds): another dispatch may resume it."""
RESUMED = "resumed after an interrupted run"


def run_key(schedule_id: int, day: dt.date, label: str):
    return (
        (ScheduleRun.schedule == schedule_id)
        & (ScheduleRun.local_date == day)
        & (ScheduleRun.slot == label)
    )


def _stale(now: dt.datetime):
    return (ScheduleRun.state == "running") & (ScheduleRun.started_at < now - STALE_RUN)


def done_slots(
    schedule_ids: Collection[int], days: Collection[dt.date]
) -> dict[int, set[tuple[dt.date, str]]]:
    """Per schedule, the (day, slot) pairs already recorded; a stale claim does not count."""
    done: dict[int, set[tuple[dt.date, str]]] = defaultdict(set)
    if not schedule_ids:
        return done
    stale = utcnow() - STALE_RUN
    runs = ScheduleRun.select().where(
        ScheduleRun.schedule.in_(list(schedule_ids)), ScheduleRun.local_date.in_(list(days))
    )
    for run in runs:
        if not (run.state == "running" and run.started_at < stale):
            done[run.schedule_id].add((run.local_date, run.slot))
    return done


def claim(schedule_id: int, day: dt.date, label: str) -> ScheduleRun | None:
    """The run row if this process won the slot: inserted now, or taken over when stale."""
    now = utcnow()
    try:
        with database.atomic():
            return ScheduleRun.create(
                schedule=schedule_id, local_date=day, slot=label, state="running", started_at=now
            )
    except IntegrityError:
        pass
    taken = ScheduleRun.update(started_at=now, note=RESUMED).where(
        run_key(schedule_id, day, label), _stale(now)
    )
    return ScheduleRun.get(run_key(schedule_id, day, label)) if taken.execute() else None


def record_skip(schedule_id: int, day: dt.date, label: str, reason: str) -> bool:
    """Record a slot that will not be sent, and why; ``False`` if it was recorded before."""
    now = utcnow()
    try:
        with database.atomic():
            ScheduleRun.create(
                schedule=schedule_id, local_date=day, slot=label, state="skipped",
                note=reason, started_at=now, finished_at=now,
            )  # fmt: skip
        return True
    except IntegrityError:
        pass
    interrupted = ScheduleRun.update(
        state="skipped", note=f"interrupted; {reason}", finished_at=now
    ).where(run_key(schedule_id, day, label), _stale(now))
    return bool(interrupted.execute())


def finish(run: ScheduleRun, state: str, note: str) -> ScheduleRun:
    ScheduleRun.update(state=state, note=note, finished_at=utcnow()).where(
        ScheduleRun.id == run.id
    ).execute()
    return ScheduleRun.get_by_id(run.id)
