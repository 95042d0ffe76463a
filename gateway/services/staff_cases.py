"""What commune staff do to a case from the console: acknowledge, resolve, reassign.

Staff are not team members, so these are not :mod:`gateway.services.cases`'s
member answers, but they leave the same marks: the same timeline actions, the
same household SMS on acknowledgement (same dedupe key, so a member's ``OK``
and a staff click never both text the household), sent through the outbox.
The staff login is named in each timeline note.
"""

from __future__ import annotations

from db.base import utcnow
from db.models import Case, CaseEvent, Household, Member, Team
from flows import notices
from flows.sms import replies
from gateway import metrics
from gateway.services.cases import report_of
from gateway.services.outbox import outbox, queue_sms
from workers.queues import URGENT


class StaffCaseError(ValueError):
    """The action does not fit this case; the message says why."""


def _note(staff: str, note: str = "") -> str:
    return f"[{staff}] {note}".strip()


def acknowledge(case_id: int, staff: str) -> Case:
    """Stop the ladder and tell the household who is coming.

    That is the case's member, or the commune health station when the case has
    none. Acknowledging twice changes nothing and texts nobody again.
    """
    with outbox():
        case = Case.get_by_id(case_id)
        member: Member | None = case.member
        now = utcnow()
        claimed = (
            Case.update(state="acknowledged", acknowledged_at=now, acknowledged_by=member)
            .where(Case.id == case.id, Case.state == "open")
            .execute()
        )
        if not claimed:
            return case
        metrics.observe_acknowledgement(case, now)
        CaseEvent.create(
            case=case,
            action="acknowledged",
            member=member,
            phone=member.phone if member else None,
            note=_note(staff),
        )
        household: Household | None = case.household
        first_phone = household.phones.first() if household else None
        reply_to = case.phone or (first_phone.phone if first_phone else None)
        if reply_to:
            language = household.language if household else "vi"
            name, phone = (member.name, member.phone) if member else (None, None)
            queue_sms(
                reply_to,
                replies.member_coming(language, name, phone, case.id),
                priority=URGENT,
                household_id=household.id if household else None,
                case_id=case.id,
                dedupe_key=f"case:{case.id}:acknowledged",
            )
    return Case.get_by_id(case.id)


def resolve(case_id: int, staff: str, note: str = "") -> Case:
    """Close the case; an open one counts as acknowledged at the same moment."""
    case = Case.get_by_id(case_id)
    if case.state == "resolved":
        return case
    now = utcnow()
    with outbox():
        Case.update(
            state="resolved",
            resolved_at=now,
            resolution_note=note[:500],
            acknowledged_at=case.acknowledged_at or now,
        ).where(Case.id == case.id).execute()
        CaseEvent.create(case=case, action="resolved", note=_note(staff, note[:500]))
    return Case.get_by_id(case.id)


def reassign(case_id: int, member_id: int, staff: str, household_too: bool = False) -> Case:
    """Give the case to another member of its commune and text them the alert.

    With ``household_too`` the household's own member changes as well, so
    its next case goes straight to the new member.
    """
    case = Case.get_by_id(case_id)
    member = Member.select(Member, Team).join(Team).where(Member.id == member_id).first()
    if member is None or member.team.commune_id != case.commune_id:
        raise StaffCaseError("the member is not in the case's commune")
    if case.state == "resolved":
        raise StaffCaseError("the case is resolved")
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
