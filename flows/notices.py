"""Texts to team members and the health station: case alerts and acknowledgements.

Members are volunteers reading on basic phones, so alerts are Vietnamese
without diacritics (GSM-7) and fit one 160-character segment: every word that
does not help them act is left out. The words are in :mod:`flows.sms.texts`
with the households' replies; this module puts them together and fits them.
"""

from __future__ import annotations

from flows.encoding import strip_diacritics
from flows.report import Contact, Kind, Report
from flows.sms.texts import (
    ALERT,
    ALERT_ANSWER,
    ALERT_CONTACT,
    ALERT_FROM,
    ALERT_NEEDS,
    ALERT_PEOPLE,
    ALERT_RED_FLAG,
    ALERT_UNANSWERED,
    KIND_WORDS,
    NEED_WORDS,
    RUNG_WORDS,
    SYMPTOM_WORDS,
)

__all__ = ["RUNG_WORDS", "case_alert", "describe"]

SEGMENT = 160


def describe(report: Report) -> str:
    """What was reported, in as few plain words as possible."""
    parts = [KIND_WORDS[report.kind]]
    if report.symptoms:
        parts = [", ".join(SYMPTOM_WORDS[s] for s in sorted(report.symptoms))]
    if report.kind is Kind.CONTACT and report.contact is not Contact.F0 and report.contact:
        parts = [ALERT_CONTACT.format(contact=report.contact.value)]
    if report.needs:
        parts.append(
            ALERT_NEEDS.format(needs=", ".join(NEED_WORDS[n] for n in sorted(report.needs)))
        )
    if report.arrived_from:
        parts.append(ALERT_FROM.format(place=report.arrived_from))
    if report.people:
        parts.append(ALERT_PEOPLE.format(people=report.people))
    if report.temperature_tenths:
        parts.append(f"{report.temperature_tenths / 10:.1f}C")
    return "; ".join(parts)


def case_alert(
    case_number: int,
    report: Report,
    household: str,
    village: str,
    phone: str,
    escalated_from: str | None = None,
) -> str:
    """The SMS that makes a member's phone buzz: who, where, what, and how to answer.

    ``escalated_from`` is the rung code (``member``...) that did not answer.
    """
    head = ALERT_RED_FLAG if report.red_flag else ""
    if escalated_from:
        head += ALERT_UNANSWERED.format(rung=RUNG_WORDS.get(escalated_from, escalated_from))
    where = ", ".join(part for part in (household, village) if part)
    tail = ALERT_ANSWER.format(case=case_number)
    body = head + ALERT.format(case=case_number, where=where, phone=phone, what=describe(report))
    return _fit(strip_diacritics(body), tail)


def _fit(body: str, tail: str) -> str:
    room = SEGMENT - len(tail)
    if len(body) > room:
        body = body[: room - 3].rstrip() + "..."
    return body + tail
