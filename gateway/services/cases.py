"""A case's whole life, for everyone who touches it: opened, climbing, answered.

Members answer by SMS or USSD (``OK 12``, ``XONG 12``); commune staff from the
console. Both go through :func:`_acknowledge` and :func:`_resolve`, so they
leave the same marks: the same timeline actions, the same SMS to the household
(one dedupe key, so a member's ``OK`` and a staff click never both text it),
the same ``acknowledged_at`` for the report's median and the same
time-to-acknowledge metric. A staff login is named in its timeline notes.
"""

from __future__ import annotations

from functools import partial

from db.base import utcnow
from db.models import Case, CaseEvent, Declaration, Household, HouseholdPhone, Member, Team
from flows import notices
from flows.phones import MOBILE, number_kind
from flows.report import Contact, Kind, Need, Report, Symptom
from flows.sms import replies
from gateway import metrics
from gateway.jobs import URGENT
from gateway.services import escalation_timers, ladder
from gateway.services.outbox import after_commit, outbox, queue_sms


class CaseError(ValueError):
    """The case cannot be answered this way; the message says why."""


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
    """Alert the case's first rung that can be texted (and the station on a red flag),
    record the rungs that cannot, then arm the timer."""
    recipients, passed = ladder.first_recipients(case)
    record_unreachable(case, passed)
    for found in recipients:
        notify(case, report, found)
    case.rung = min((found.rung for found in recipients), default=ladder.HEALTH_STATION)
    case.save(only=[Case.rung])
    after_commit(lambda: schedule_escalation(case.id, case.rung))


def notify(
    case: Case, report: Report, found: ladder.Recipient, escalated_from: str | None = None
) -> None:
    """One alert to one rung, recorded on the timeline; written once per rung."""
    if found.phone is None:
        record_unreachable(case, [found])
        return
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


def record_unreachable(case: Case, passed: list[ladder.Recipient]) -> None:
    """A ``skipped`` line on the timeline for each rung that could not be texted, once."""
    for found in passed:
        seen = CaseEvent.select().where(
            CaseEvent.case == case.id, CaseEvent.action == "skipped", CaseEvent.rung == found.rung
        )
        if not seen.exists():
            CaseEvent.create(
                case=case, action="skipped", rung=found.rung, member=found.member,
                phone=found.number, note=found.unreachable,
            )  # fmt: skip


def schedule_escalation(case_id: int, rung: int) -> None:
    """Start the ladder's timer; the escalation job checks the case when it fires."""
    escalation_timers.schedule(case_id, rung)


def for_member(member: Member, case_number: int) -> Case:
    """A case of the member's commune by the number they typed."""
    case = Case.get_or_none(Case.id == case_number)
    if case is None or case.commune_id != member.team.commune_id:
        raise CaseError(f"no case {case_number}")
    return case


def acknowledge(member: Member, case_number: int) -> Case:
    """A member takes the case (``OK 12``, or the USSD member menu)."""
    return _acknowledge(for_member(member, case_number), member, staff=None)


def resolve(member: Member, case_number: int, note: str = "") -> Case:
    """A member closes the case (``XONG 12 note``); an open one is acknowledged by it."""
    return _resolve(for_member(member, case_number), member, note, staff=None)


def staff_acknowledge(case_id: int, staff: str) -> Case:
    """Staff take the case for its member, or for the health station when it has none."""
    case = Case.get_by_id(case_id)
    return _acknowledge(case, case.member, staff=staff)


def staff_resolve(case_id: int, staff: str, note: str = "") -> Case:
    """Staff close the case; an open one counts as acknowledged by its member then."""
    case = Case.get_by_id(case_id)
    return _resolve(case, case.member, note, staff=staff)


def _acknowledge(case: Case, member: Member | None, staff: str | None) -> Case:
    """Stop the ladder and tell the household who is coming; twice changes nothing.

    ``member`` is who comes (``None``: the commune health station).
    """
    with outbox():
        now = utcnow()
        claimed = (
            Case.update(state="acknowledged", acknowledged_at=now, acknowledged_by=member)
            .where(Case.id == case.id, Case.state == "open")
            .execute()
        )
        if not claimed:
            return Case.get_by_id(case.id)
        after_commit(partial(metrics.observe_acknowledgement, case, now))
        CaseEvent.create(
            case=case, action="acknowledged", member=member,
            phone=member.phone if member else None, note=_note(staff),
        )  # fmt: skip
        household: Household | None = case.household
        language = household.language if household else "vi"
        name, phone = (member.name, member.phone) if member else (None, None)
        text = replies.member_coming(language, name, phone, case.id)
        for reply_to in _household_mobiles(case):
            queue_sms(
                reply_to,
                text,
                priority=URGENT,
                household_id=household.id if household else None,
                case_id=case.id,
                dedupe_key=f"case:{case.id}:acknowledged:{reply_to}",
            )
    return Case.get_by_id(case.id)


def _resolve(case: Case, member: Member | None, note: str, staff: str | None) -> Case:
    """Close the case once; an open one is acknowledged at the same moment, and counted so."""
    with outbox():
        now = utcnow()
        closed = (
            Case.update(
                state="resolved",
                resolved_at=now,
                resolution_note=note[:500],
                acknowledged_at=case.acknowledged_at or now,
                acknowledged_by=case.acknowledged_by_id or (member.id if member else None),
            )
            .where(Case.id == case.id, Case.state != "resolved")
            .execute()
        )
        if not closed:
            return Case.get_by_id(case.id)
        if case.acknowledged_at is None:
            after_commit(partial(metrics.observe_acknowledgement, case, now))
        CaseEvent.create(
            case=case, action="resolved", member=member if staff is None else None,
            phone=member.phone if member and staff is None else None,
            note=_note(staff, note[:500]),
        )  # fmt: skip
    return Case.get_by_id(case.id)


def reassign(case_id: int, member_id: int, staff: str, household_too: bool = False) -> Case:
    """Staff give the case to another member of its commune, who is texted the alert.

    With ``household_too`` the household's own member changes as well, so
    its next case goes straight to the new member.
    """
    case = Case.get_by_id(case_id)
    member = Member.select(Member, Team).join(Team).where(Member.id == member_id).first()
    if member is None or member.team.commune_id != case.commune_id:
        raise CaseError("the member is not in the case's commune")
    if case.state == "resolved":
        raise CaseError("the case is resolved")
    with outbox():
        Case.update(member=member.id).where(Case.id == case.id).execute()
        if household_too and case.household_id:
            Household.update(member=member.id, updated_at=utcnow()).where(
                Household.id == case.household_id
            ).execute()
        event = CaseEvent.create(
            case=case, action="reassigned", member=member, phone=member.phone, note=_note(staff)
        )
        household: Household | None = case.household
        text = notices.case_alert(
            case.id,
            report_of(case),
            household.head_name if household else "",
            household.village if household else "",
            case.phone or "",
        )
        queue_sms(
            member.phone,
            text,
            priority=URGENT,
            case_id=case.id,
            dedupe_key=f"case:{case.id}:reassigned:{event.id}",
        )
    return Case.get_by_id(case.id)


def _household_mobiles(case: Case) -> list[str]:
    """Where the household hears back: the phone that reported, or every mobile it has."""
    if case.phone and number_kind(case.phone) == MOBILE:
        return [case.phone]
    if case.household_id is None:
        return []
    phones = HouseholdPhone.select(HouseholdPhone.phone).where(
        HouseholdPhone.household == case.household_id, HouseholdPhone.kind == MOBILE
    )
    return [phone for (phone,) in phones.order_by(HouseholdPhone.id).tuples()]


def _note(staff: str | None, note: str = "") -> str:
    return f"[{staff}] {note}".strip() if staff else note


def report_of(case: Case) -> Report:
    """The report a case was opened for, rebuilt from its row for later alerts."""
    return Report(
        kind=Kind(case.kind),
        people=case.people,
        symptoms=frozenset(Symptom(int(s)) for s in case.symptoms.split(",") if s),
        temperature_tenths=case.temperature_tenths,
        contact=Contact(case.contact) if case.contact else None,
        needs=frozenset(Need(n) for n in case.needs.split(",") if n),
    )
