"""Opening a case, and the member's answers to it: acknowledge and resolve."""

from __future__ import annotations

from db.base import utcnow
from db.models import Case, CaseEvent, Declaration, Household, Member
from flows import notices
from flows.report import Report
from flows.sms import replies
from gateway import metrics
from gateway.services import ladder
from gateway.services.outbox import after_commit, queue_sms
from workers.queues import URGENT


class CaseError(ValueError):
    """The case cannot be answered by this member; the message says why."""


def open_case(
    report: Report,
    *,
    commune_id: int | None,
    household: Household | None,
    phone: str | None,
    source: str,
    declaration: Declaration | None = None,
    service_code: str | None = None,
) -> Case:
    """Store the case and write the alerts to its first rung, in the caller's outbox.

    A case with no commune (unassigned) has no ladder yet: it waits, listed for
    district staff, until they assign it (``unassigned.assign``).
    """
    case = Case.create(
        commune=commune_id,
        household=household,
        declaration=declaration,
        member=household.member_id if household else None,
        phone=phone,
        kind=report.kind.value,
        people=report.people,
        symptoms=",".join(str(int(s)) for s in sorted(report.symptoms)),
        temperature_tenths=report.temperature_tenths,
        contact=report.contact.value if report.contact else None,
        needs=",".join(sorted(n.value for n in report.needs)),
        red_flag=report.red_flag,
        source=source,
        service_code=service_code,
    )
    CaseEvent.create(case=case, action="opened", phone=phone)
    after_commit(metrics.CASES_OPENED.labels(kind=case.kind).inc)
    if commune_id is not None:
        start_ladder(case, report)
    return case


def start_ladder(case: Case, report: Report) -> None:
    """Alert the case's first rung (and the station on a red flag), then arm the timer."""
    recipients = ladder.first_recipients(case)
    for found in recipients:
        notify(case, report, found)
    case.rung = min((found.rung for found in recipients), default=ladder.HEALTH_STATION)
    case.save(only=[Case.rung])
    after_commit(lambda: schedule_escalation(case.id, case.rung))


def notify(
    case: Case, report: Report, found: ladder.Recipient, escalated_from: str | None = None
) -> None:
    """One alert to one rung, recorded on the timeline; written once per rung."""
    household = case.household
    text = notices.case_alert(
        case.id,
        report,
        household.head_name if household else "",
        household.village if household else "",
        case.phone or "",
        escalated_from,
    )
    message = queue_sms(
        found.phone,
        text,
        priority=URGENT,
        case_id=case.id,
        dedupe_key=f"case:{case.id}:rung:{found.rung}",
    )
    if message is not None:
        CaseEvent.create(
            case=case,
            action="escalated" if escalated_from else "notified",
            rung=found.rung,
            member=found.member,
            phone=found.phone,
        )


def schedule_escalation(case_id: int, rung: int) -> None:
    """Start the ladder's timer; the escalation job checks the case when it fires."""
    from workers.escalation import schedule

    schedule(case_id, rung)


def _case_for(member: Member, case_number: int) -> Case:
    case = Case.get_or_none(Case.id == case_number)
    if case is None or case.commune_id != member.team.commune_id:
        raise CaseError(f"no case {case_number}")
    return case


def acknowledge(member: Member, case_number: int) -> Case:
    """The member takes the case: the ladder stops and the household hears who comes.

    A second acknowledgement changes nothing and sends nothing.
    """
    case = _case_for(member, case_number)
    if case.state != "open":
        return case
    now = utcnow()
    updated = (
        Case.update(state="acknowledged", acknowledged_at=now, acknowledged_by=member)
        .where(Case.id == case.id, Case.state == "open")
        .execute()
    )
    if not updated:
        return case
    metrics.observe_acknowledgement(case, now)
    CaseEvent.create(case=case, action="acknowledged", member=member, phone=member.phone)
    household = case.household
    reply_to = case.phone or (household.phones.first().phone if household else None)
    if reply_to:
        language = household.language if household else "vi"
        queue_sms(
            reply_to,
            replies.member_coming(language, member.name, member.phone, case.id),
            priority=URGENT,
            household_id=household.id if household else None,
            case_id=case.id,
            dedupe_key=f"case:{case.id}:acknowledged",
        )
    return Case.get_by_id(case.id)


def resolve(member: Member, case_number: int, note: str = "") -> Case:
    """Close the case; an open one is acknowledged by the same act."""
    case = _case_for(member, case_number)
    if case.state == "resolved":
        return case
    now = utcnow()
    if case.acknowledged_at is None:
        metrics.observe_acknowledgement(case, now)
    Case.update(
        state="resolved",
        resolved_at=now,
        resolution_note=note[:500],
        acknowledged_at=case.acknowledged_at or now,
        acknowledged_by=case.acknowledged_by_id or member.id,
    ).where(Case.id == case.id).execute()
    CaseEvent.create(case=case, action="resolved", member=member, phone=member.phone, note=note)
    return Case.get_by_id(case.id)


def report_of(case: Case) -> Report:
    """The report a case was opened for, rebuilt from its row for later alerts."""
    from flows.report import Contact, Kind, Need, Symptom

    return Report(
        kind=Kind(case.kind),
        people=case.people,
        symptoms=frozenset(Symptom(int(s)) for s in case.symptoms.split(",") if s),
        temperature_tenths=case.temperature_tenths,
        contact=Contact(case.contact) if case.contact else None,
        needs=frozenset(Need(n) for n in case.needs.split(",") if n),
    )
