"""Texts to team members and the health station: case alerts and acknowledgements.

Members are volunteers reading on basic phones, so alerts are Vietnamese
without diacritics (GSM-7) and fit one 160-character segment: every word that
does not help them act is left out.
"""

from __future__ import annotations

from flows.encoding import strip_diacritics
from flows.report import Contact, Kind, Need, Report, Symptom

SEGMENT = 160

SYMPTOM_WORDS = {
    Symptom.FEVER: "sot",
    Symptom.COUGH: "ho",
    Symptom.SHORT_OF_BREATH: "kho tho",
    Symptom.SORE_THROAT: "dau hong",
    Symptom.LOST_TASTE_SMELL: "mat vi/khu giac",
    Symptom.TIRED_ACHING: "met moi",
}
NEED_WORDS = {Need.FOOD: "luong thuc", Need.MEDICINE: "thuoc", Need.OTHER: "khac"}
KIND_WORDS = {
    Kind.SYMPTOMS: "trieu chung",
    Kind.ARRIVAL: "nguoi moi ve",
    Kind.POSITIVE: "F0 duong tinh",
    Kind.CONTACT: "tiep xuc",
    Kind.HELP: "can ho tro",
    Kind.WELL: "binh thuong",
}

RUNG_WORDS = {
    "member": "to vien",
    "group_leader": "nhom truong",
    "team_leader": "to truong",
    "health_station": "tram y te",
}
"""Who was alerted before and did not answer, as the next rung reads it."""


def describe(report: Report) -> str:
    """What was reported, in as few plain words as possible."""
    parts = [KIND_WORDS[report.kind]]
    if report.symptoms:
        parts = [", ".join(SYMPTOM_WORDS[s] for s in sorted(report.symptoms))]
    if report.kind is Kind.CONTACT and report.contact is not Contact.F0 and report.contact:
        parts = [f"tiep xuc {report.contact.value}"]
    if report.needs:
        parts.append("can " + ", ".join(NEED_WORDS[n] for n in sorted(report.needs)))
    if report.arrived_from:
        parts.append(f"tu {report.arrived_from}")
    if report.people:
        parts.append(f"{report.people} nguoi")
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
    head = "KHAN! " if report.red_flag else ""
    if escalated_from:
        head += f"Chua ai nhan ({RUNG_WORDS.get(escalated_from, escalated_from)}). "
    where = ", ".join(part for part in (household, village) if part)
    tail = f" Tra loi: OK {case_number}"
    body = f"{head}Ca {case_number}: {where} {phone}: {describe(report)}."
    return _fit(strip_diacritics(body), tail)


def _fit(body: str, tail: str) -> str:
    room = SEGMENT - len(tail)
    if len(body) > room:
        body = body[: room - 3].rstrip() + "..."
    return body + tail
