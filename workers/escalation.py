"""The escalation ladder's timers: jobs that check the case when they fire.

Arming a timer (``gateway.services.escalation_timers``) keeps one job per
(case, rung); the job climbs only if the case is still open at that rung, so a
duplicate or late job sends nothing. If Redis was down when a case opened,
the re-arm sweep sets the timer once Redis is back.
"""

from __future__ import annotations

import datetime as dt
import logging

from db.base import database, utcnow
from db.models import RUNGS, Case, Commune
from gateway.services import cases, ladder
from gateway.services.escalation_timers import due_at, schedule
from gateway.services.outbox import after_commit, outbox

log = logging.getLogger(__name__)

GRACE = dt.timedelta(minutes=1)
"""How late a timer may be before the sweep assumes it was lost."""


def escalate_cases(timers: list[tuple[int, int]]) -> list[str]:
    """The timers of a batch of cases that fell due together: each as :func:`escalate_case`.

    One case that fails does not keep the others waiting; the job then fails
    for the record, and the re-arm sweep sets that case's timer again.
    """
    done, failed = [], []
    for case_id, rung in timers:
        try:
            done.append(escalate_case(case_id, rung))
        except Exception:
            log.exception("escalation of case %s failed", case_id)
            failed.append(case_id)
    if failed:
        raise RuntimeError(f"escalation failed for cases {failed}; the re-arm sweep will retry")
    return done


def escalate_case(case_id: int, rung: int) -> str:
    """Tell the next rung if nobody has answered; returns what it did, for the job's result."""
    with database.connection_context():
        case = Case.get_or_none(Case.id == case_id)
        if case is None or case.state != "open" or case.rung != rung:
            return "nothing to do"
        passed, found = ladder.climb(case, rung)
        if found is None:
            with outbox():
                cases.record_unreachable(case, passed)
            return "top of the ladder"
        with outbox():
            claimed = (
                Case.update(rung=found.rung)
                .where(Case.id == case_id, Case.state == "open", Case.rung == rung)
                .execute()
            )
            if not claimed:
                return "nothing to do"
            cases.record_unreachable(case, passed)
            cases.notify(case, cases.report_of(case), found, escalated_from=RUNGS[rung])
            after_commit(lambda: schedule(case_id, found.rung))
        return f"escalated to {RUNGS[found.rung]}"


def rearm_escalations() -> int:
    """Re-arm the timers of open cases that are overdue: their timer was lost.

    Returns how many were re-armed. Arming is idempotent, so a timer that was
    merely late is not doubled.
    """
    now = utcnow()
    rearmed = 0
    with database.connection_context():
        overdue = (
            Case.select(Case.id, Case.rung, Commune.escalation_seconds)
            .join(Commune)
            .where(
                Case.state == "open",
                Case.rung < ladder.HEALTH_STATION,
                Case.opened_at >= now - dt.timedelta(days=7),
            )
            .tuples()
        )
        for case_id, rung, step in overdue:
            if due_at(case_id, rung, step) + GRACE < now:
                schedule(case_id, rung)
                rearmed += 1
    return rearmed
