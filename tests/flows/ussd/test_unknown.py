"""An unknown number: an urgent report is never turned away, and it can register."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows.effects import Acknowledge, Declare, Register, SetLanguage
from flows.report import Kind, Report, Symptom
from flows.ussd import Stored, after_store, step
from tests.flows.ussd.contexts import NO_COMMUNE, SHARED_CODE, UNKNOWN

STATION = "Tram y te xa se goi cho ban."


def test_main_menu() -> None:
    assert step("", UNKNOWN).text == (
        "So nay chua dang ky.\n1 Bao trieu chung\n2 Dang ky ho gia dinh\n3 Ngon ngu/Language"
    )


@pytest.mark.parametrize(
    ("text", "report", "confirmation"),
    [
        (
            "1*2*1*0",
            Report(Kind.SYMPTOMS, people=1, symptoms=frozenset({Symptom.COUGH})),
            f"Da ghi. {STATION}",
        ),
        (
            "1*35*2*401",
            Report(
                Kind.SYMPTOMS,
                people=2,
                symptoms=frozenset({Symptom.SHORT_OF_BREATH, Symptom.LOST_TASTE_SMELL}),
                temperature_tenths=401,
            ),
            f"Dau hieu nang: neu kho tho, goi 115 ngay. Da ghi. {STATION}",
        ),
    ],
)
def test_symptoms_go_to_the_health_station(text: str, report: Report, confirmation: str) -> None:
    screen = step(text, UNKNOWN)

    assert screen.end
    assert screen.effects == (Declare(report),)
    assert screen.text == confirmation


@pytest.mark.parametrize(
    ("text", "effect"),
    [
        ("2*1*4", Register("Thôn Đông", 4)),
        ("2*3*12", Register("Tổ dân phố 3", 12)),
    ],
)
def test_register(text: str, effect: Register) -> None:
    screen = step(text, UNKNOWN)

    assert screen.end
    assert screen.effects == (effect,)
    assert screen.text.startswith("Cam on! Da gui dang ky:")
    assert screen.text.endswith("Can bo xa se xac nhan.")


def test_register_screens() -> None:
    assert step("2", UNKNOWN).text == (
        "Ho thuoc thon/to nao?\n1 Thon Dong\n2 Thon Tay\n3 To dan pho 3\n0 Lui 00 Menu"
    )
    assert step("2*2", UNKNOWN).text == "Ho co bao nhieu nguoi?\n0 Lui 00 Menu"


def test_many_teams_are_paged_with_9_for_more() -> None:
    teams = tuple(f"Thon so {n}" for n in range(1, 31))
    context = replace(UNKNOWN, teams=teams)
    seen: list[str] = []
    text = "2"
    while True:
        screen = step(text, context)
        lines = screen.text.split("\n")
        seen += [line.split(" ", 1)[1] for line in lines[1:] if line[0] in "12345678"]
        if "9 Them" not in lines:
            break
        text += "*9"

    assert seen == list(teams)
    second_on_third_page = step("2*9*9", context).text.split("\n")[2].split(" ", 1)[1]
    assert step("2*9*9*2*3", context).effects == (Register(second_on_third_page, 3),)


def test_without_teams_registration_points_to_the_health_station() -> None:
    screen = step("2", replace(UNKNOWN, teams=()))

    assert screen.end
    assert screen.effects == ()
    assert "tram y te xa" in screen.text


def test_language() -> None:
    assert step("3*2", UNKNOWN).effects == (SetLanguage("en"),)
    assert step("", replace(UNKNOWN, language="en")).text.startswith(
        "This number is not registered.\n1 Report symptoms\n2 Register my household\n"
    )


SHARED = replace(
    SHARED_CODE,
    communes=(
        ("RL01", "Xã Lục Sơn", "Lục Nam"),
        ("RL02", "Xã Bình Sơn", "Lục Nam"),
        ("YD01", "Thị trấn Neo", "Yên Dũng"),
    ),
)
COUGH = Report(Kind.SYMPTOMS, people=1, symptoms=frozenset({Symptom.COUGH}))
DISTRICT = "Chua ro xa cua ban: can bo huyen se xem va goi lai."


def test_on_a_shared_code_the_caller_picks_district_then_commune() -> None:
    assert step("1", SHARED).text == (
        "Ban o huyen nao?\n1 Luc Nam\n2 Yen Dung\n3 Khong co trong danh sach\n0 Lui 00 Menu"
    )
    assert step("1*1", SHARED).text.startswith(
        "Ban o xa/phuong nao?\n1 Xa Luc Son\n2 Xa Binh Son\n3 Khong co trong danh sach"
    )
    screen = step("1*1*2*2*1*0", SHARED)
    assert screen.effects == (Declare(COUGH, "RL02"),)
    assert screen.text == f"Da ghi. {STATION}"


def test_one_district_goes_straight_to_its_communes() -> None:
    assert step("1", SHARED_CODE).text.startswith("Ban o xa/phuong nao?\n1 Xa Luc Son\n")


@pytest.mark.parametrize("text", ["1*3*2*1*0", "1*1*3*2*1*0", "1*2*2*2*1*0"])
def test_not_on_the_list_still_records_for_district_staff(text: str) -> None:
    """At the district list, and at the end of each district's communes."""
    screen = step(text, SHARED)
    assert screen.effects == (Declare(COUGH, None),)
    assert screen.text == f"Da ghi. {DISTRICT}"


def test_no_commune_at_all_still_records_for_district_staff() -> None:
    screen = step("1*2*1*0", NO_COMMUNE)
    assert screen.effects == (Declare(COUGH),)
    assert screen.text == f"Da ghi. {DISTRICT}"
    assert (
        step("2", NO_COMMUNE).text == "Chua dang ky qua dien thoai duoc. Xin lien he tram y te xa."
    )


def test_a_confirmation_never_claims_what_was_not_stored() -> None:
    for effect in (Declare(COUGH), Register("Thon Dong", 4), Acknowledge(7)):
        for language in ("vi", "en"):
            text = after_store(effect, Stored(recorded=False), language)
            assert "115" in text and "Cam on" not in text and "Thank" not in text
    assert after_store(Declare(COUGH), Stored(unassigned=True), "en").endswith(
        "district staff will see it and call you."
    )
    assert after_store(Declare(COUGH), Stored(member=("Lê Hoa", "+84988000001")), "vi") == (
        "Da ghi. Le Hoa (+84988000001) se lien lac voi ban."
    )
