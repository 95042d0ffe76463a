"""Many households' own reports written together: the inbox's common case in bulk.

Almost every inbound SMS is a known household declaring for itself. Written one
by one, each costs a dozen statements built by peewee (the day's earlier
declaration replaced, the declaration, its case, the case's timeline, the
member's alert), and SQLite's one writer is held all that time. Here a run of
such reports costs a handful of statements whatever its length, with the same
rows, texts and timers as :func:`gateway.services.declarations.declare` and
:func:`gateway.services.cases.open_case` write one at a time.

:func:`prepare` (reads only, before the write transaction) keeps the reports
this path can take whole: a household's own report that starts no monitoring
period, whose case alerts can all be texted. Anything else (a rung to skip, a
member's proxy, a stranger) goes the one-by-one way, which records those.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from db.base import utcnow
from db.models import Case, CaseEvent, Commune, Declaration, Member
from flows import notices
from flows.report import Report
from gateway import metrics
from gateway.jobs import URGENT
from gateway.services import escalation_timers, ladder
from gateway.services.bulk import insert_rows
from gateway.services.callers import Caller
from gateway.services.declarations import (
    MONITORED,
    Declared,
    declaration_row,
    replace_current,
)
from gateway.services.outbox import Sms, after_commit, queue_many


@dataclass(frozen=True)
class ReadyReport:
    """One household's report on its way in: who, what, which local day, and who
    hears of the case it opens (empty when it opens none)."""

    caller: Caller
    report: Report
    local_date: dt.date
    source_ref: str
    recipients: tuple[ladder.Recipient, ...]


def communes_of(callers: list[Caller]) -> dict[int, Commune]:
    """The whole rows of the callers' communes (the station's duty mobile, the ladder's
    step), read once for a batch."""
    ids = {caller.commune.id for caller in callers if caller.commune is not None}
    return {commune.id: commune for commune in Commune.select().where(Commune.id.in_(ids))}


def prepare(
    caller: Caller,
    report: Report,
    local_date: dt.date,
    source_ref: str,
    communes: dict[int, Commune],
) -> ReadyReport | None:
    """The report ready for :func:`record`, or ``None`` if it must go one by one."""
    view, household = caller.view, caller.household
    if view is None or household is None or caller.member is not None:
        return None
    if report.kind in MONITORED:
        return None
    recipients: tuple[ladder.Recipient, ...] = ()
    if report.urgent:
        if view.member_id is not None:
            household.member = Member(
                id=view.member_id, name=view.member_name, phone=view.member_phone, team=view.team_id
            )
        commune = communes[view.commune_id]
        case = Case(commune=commune, household=household, red_flag=report.red_flag)
        found, passed = ladder.first_recipients(case)
        if passed or not found:
            return None
        recipients = tuple(found)
    return ReadyReport(caller, report, local_date, source_ref, recipients)


def record(reports: list[ReadyReport], communes: dict[int, Commune]) -> list[Declared]:
    """Write the reports, in the caller's outbox transaction; what each recorded.

    Each report replaces its household's earlier one that day; of two reports
    of one household in the batch, the later stays current, as one by one.
    """
    now = utcnow()
    _replace_earlier(reports)
    latest = {(r.caller.household.id, r.local_date): r.source_ref for r in reports}
    rows = {
        r.source_ref: declaration_row(
            r.report,
            commune_id=r.caller.commune.id,
            household_id=r.caller.household.id,
            phone=r.caller.phone,
            local_date=r.local_date,
            channel="sms",
            source_ref=r.source_ref,
            is_current=latest[(r.caller.household.id, r.local_date)] == r.source_ref,
        )
        for r in reports
    }
    written = insert_rows(Declaration, list(rows.values()), returning=("id", "source_ref"))
    declarations = {ref: Declaration(id=id_, **rows[ref]) for id_, ref in written}
    case_ids = _open_cases(
        [(r, declarations[r.source_ref]) for r in reports if r.recipients], communes, now
    )
    after_commit(partial(metrics.DECLARATIONS.labels(channel="sms").inc, len(reports)))
    return [
        Declared(
            declarations[r.source_ref], case_ids.get(declarations[r.source_ref].id), repeated=False
        )
        for r in reports
    ]


def _replace_earlier(reports: list[ReadyReport]) -> None:
    by_day: dict[dt.date, set[int]] = defaultdict(set)
    for r in reports:
        by_day[r.local_date].add(r.caller.household.id)
    for day, households in by_day.items():
        replace_current(households, day)


def _open_cases(
    opening: list[tuple[ReadyReport, Declaration]], communes: dict[int, Commune], now: dt.datetime
) -> dict[int, int]:
    """The cases, their timelines and first alerts; case ids by declaration id."""
    if not opening:
        return {}
    rungs = {r.source_ref: min(found.rung for found in r.recipients) for r, _ in opening}
    rows = []
    for r, declaration in opening:
        report, household = r.report, r.caller.household
        rows.append({
            "commune": declaration.commune_id, "household": household.id,
            "declaration": declaration.id, "member": household.member_id,
            "phone": r.caller.phone, "kind": report.kind.value, "people": report.people,
            "symptoms": declaration.symptoms, "temperature_tenths": report.temperature_tenths,
            "contact": declaration.contact, "needs": declaration.needs,
            "red_flag": report.red_flag, "source": "sms", "service_code": r.caller.service_code,
            "rung": rungs[r.source_ref], "opened_at": now,
        })  # fmt: skip
    written = {
        declaration_id: case_id
        for case_id, declaration_id in insert_rows(Case, rows, returning=("id", "declaration"))
    }
    events, alerts, timers = [], [], []
    for r, declaration in opening:
        case_id = written[declaration.id]
        events.append({"case": case_id, "at": now, "action": "opened", "phone": r.caller.phone})
        household = r.caller.household
        for found in r.recipients:
            events.append({
                "case": case_id, "at": now, "action": "notified", "rung": found.rung,
                "member": found.member.id if found.member else None, "phone": found.phone,
            })  # fmt: skip
            text = notices.case_alert(
                case_id, r.report, household.head_name, household.village, r.caller.phone
            )
            key = f"case:{case_id}:rung:{found.rung}"
            alerts.append(Sms(found.phone, text, URGENT, case_id=case_id, dedupe_key=key))
        step = communes[declaration.commune_id].escalation_seconds
        timers.append((case_id, rungs[r.source_ref], now + dt.timedelta(seconds=step)))
        after_commit(metrics.CASES_OPENED.labels(kind=r.report.kind.value).inc)
    insert_rows(CaseEvent, events)
    queue_many(alerts)
    after_commit(partial(escalation_timers.schedule_new, timers))
    return written
