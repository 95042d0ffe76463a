"""The product's periodic jobs, declared as data and run by RQ's CronScheduler."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rq.cron import CronScheduler

from workers.escalation import rearm_escalations
from workers.inbox import sweep_inbox
from workers.queues import BULK, DEFAULT, URGENT
from workers.reminders import dispatch_due_reminders
from workers.retention import purge_expired
from workers.sweep import sweep_outbox


@dataclass(frozen=True)
class Periodic:
    func: Any
    queue: str
    cron: str


PERIODIC: tuple[Periodic, ...] = (
    Periodic(sweep_outbox, DEFAULT, "* * * * *"),
    Periodic(rearm_escalations, URGENT, "* * * * *"),
    Periodic(sweep_inbox, URGENT, "* * * * *"),
    Periodic(dispatch_due_reminders, DEFAULT, "* * * * *"),
    Periodic(purge_expired, BULK, "30 3 * * *"),
)


def register_periodic_jobs(scheduler: CronScheduler) -> None:
    for job in PERIODIC:
        scheduler.register(job.func, queue_name=job.queue, cron=job.cron)
