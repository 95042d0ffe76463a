"""One commune whose households declare symptoms through both webhooks.

Even households text ``2 13 2 385`` (a red flag: an alert to their member and
to the health station, and a reply to them); odd ones dial the USSD menu
(cough, one person, not measured: an alert to their member only). So every
household's declaration opens one case, and the outbound SMS it causes are
known in advance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from tests import factories

MEMBER = "+84988000001"
STATION = "+84977000115"
"""The station's number is a mobile here, so it is texted without a duty mobile."""
SMS_TEXT = "2 13 2 385"
USSD_ANSWERS = ("2", "2", "1", "0")
SMS_PATH = "/webhooks/africastalking/sms"
USSD_PATH = "/webhooks/africastalking/ussd"


def phone(index: int) -> str:
    return f"+8491200{index:04d}"


def by_sms(index: int) -> bool:
    return index % 2 == 0


def seed(households: int) -> None:
    """The commune, its team and member, and ``households`` households with a phone."""
    commune = factories.commune("FT", health_station_phone=STATION)
    team = factories.team(commune, "Thon Dong")
    member = factories.member(team, MEMBER, "Le Thi Hoa")
    for index in range(households):
        factories.household(team, f"FT{index:04d}", (phone(index),), member)


def sms_form(index: int) -> dict[str, str]:
    """The callback of household ``index``'s SMS; its id is what a retry repeats."""
    return {
        "from": phone(index),
        "to": "8088",
        "text": SMS_TEXT,
        "date": "2026-11-23 08:00:00",
        "id": f"ATXid_fault_{index}",
        "linkId": "",
        "networkCode": "45204",
    }


def ussd_forms(index: int) -> list[dict[str, str]]:
    """Household ``index``'s USSD session, one callback per screen, the last one recording."""
    answers = ["", *("*".join(USSD_ANSWERS[: step + 1]) for step in range(len(USSD_ANSWERS)))]
    return [
        {
            "sessionId": f"ATUid_fault_{index}",
            "serviceCode": "*384*123#",
            "phoneNumber": phone(index),
            "text": text,
            "networkCode": "45204",
        }
        for text in answers
    ]


def expected_outbound(households: Iterable[int]) -> Counter[str]:
    """How many SMS each phone must receive once ``households`` have declared."""
    expected: Counter[str] = Counter()
    for index in households:
        expected[MEMBER] += 1
        if by_sms(index):
            expected.update([STATION, phone(index)])
    return expected


def callbacks(index: int) -> tuple[str, list[dict[str, str]]]:
    """The path and callbacks of household ``index``'s declaration; the last one records."""
    if by_sms(index):
        return SMS_PATH, [sms_form(index)]
    return USSD_PATH, ussd_forms(index)
