"""Local time, in one place: "today", deadlines and schedules are the commune's.

Rows store naive UTC; people live by their commune's wall clock. Every
conversion between the two goes through here, so a day boundary or a deadline
means the same thing in the report, the reminders, the console and the SMS path.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def to_local(zone: str, utc: dt.datetime) -> dt.datetime:
    """Naive UTC (as stored) to the zone's naive wall-clock time."""
    return utc.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def to_utc(zone: str, local: dt.datetime) -> dt.datetime:
    """The zone's naive wall-clock time to naive UTC (as stored)."""
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC).replace(tzinfo=None)


def local_date(zone: str, utc: dt.datetime) -> dt.date:
    """The zone's calendar day at a naive-UTC moment."""
    return to_local(zone, utc).date()


def at(zone: str, day: dt.date, time: dt.time = dt.time()) -> dt.datetime:
    """When ``day`` at local ``time`` happens, in naive UTC: a day's start, a deadline."""
    return to_utc(zone, dt.datetime.combine(day, time))


def month_start(zone: str, utc: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """The first day of the zone's month at ``utc``, and when it began in naive UTC."""
    first = local_date(zone, utc).replace(day=1)
    return first, at(zone, first)
