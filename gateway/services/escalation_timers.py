"""When a case's ladder timer fires, and arming it (the job checks the case then).

A timer is one job per (case, rung) with a deterministic id and a fire time
derived from when the case reached that rung, so arming it twice (a duplicate
event, the re-arm sweep) keeps one job at the same time.
"""

from __future__ import annotations

import datetime as dt

from peewee import fn

from db.base import utcnow
from db.models import Case, CaseEvent, Commune
from gateway import jobs
from gateway.services import ladder

CLIMBING = ("notified", "escalated")


def due_at(case_id: int, rung: int, step_seconds: int) -> dt.datetime:
    """When a case sitting at ``rung`` climbs: the step time after it got there."""
    reached = (
        CaseEvent.select(fn.MAX(CaseEvent.at))
        .where(CaseEvent.case == case_id, CaseEvent.rung == rung, CaseEvent.action.in_(CLIMBING))
        .scalar()
    )
    return (reached or utcnow()) + dt.timedelta(seconds=step_seconds)


def schedule(case_id: int, rung: int) -> None:
    """Arm the timer for ``case_id`` sitting at ``rung`` (nothing above the station)."""
    if rung >= ladder.HEALTH_STATION:
        return
    step = Commune.select(Commune.escalation_seconds).join(Case).where(Case.id == case_id).scalar()
    jobs.enqueue_escalation(case_id, rung, due_at(case_id, rung, step).replace(tzinfo=dt.UTC))


def schedule_new(cases: list[tuple[int, int, dt.datetime]]) -> None:
    """Arm the timers of cases just notified: (case, rung, when the climb is due, naive
    UTC), as :func:`schedule` would compute them, armed together."""
    timers = [
        (case_id, rung, due.replace(tzinfo=dt.UTC))
        for case_id, rung, due in cases
        if rung < ladder.HEALTH_STATION
    ]
    if timers:
        jobs.enqueue_escalations(timers)
