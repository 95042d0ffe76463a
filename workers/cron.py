"""The product's periodic jobs, declared as data and run by RQ's CronScheduler."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rq.cron import CronScheduler

from workers.queues import DEFAULT


@dataclass(frozen=True)
class Periodic:
    func: Any
    queue: str
    cron: str


PERIODIC: tuple[Periodic, ...] = ()


def register_periodic_jobs(scheduler: CronScheduler) -> None:
    for job in PERIODIC:
        scheduler.register(job.func, queue_name=job.queue, cron=job.cron)


__all__ = ["DEFAULT", "PERIODIC", "Periodic", "register_periodic_jobs"]
