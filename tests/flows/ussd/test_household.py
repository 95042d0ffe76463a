"""Every path of a registered household's menu, with the exact report it records."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows.effects import Declare, SetLanguage
from flows.report import Contact, Kind, Need, Report, Symptom
from flows.ussd import ABROAD, OTHER_PROVINCE, step
from tests.flows.ussd.contexts import HOUSEHOLD

MEMBER_CALLS = "Tran Thi Binh (+84912345678) se lien lac voi ban."


def symptoms(*numbers: int) -> frozenset[Symptom]:
    return frozenset(Symptom(number) for number in numbers)


RECORDING_PATHS = [
    ("1", Report(Kind.WELL)),
    ("2*1*1*0", Report(Kind.SYMPTOMS, people=1, symptoms=symptoms(1))),
    (
        "2*13*2*385",
        Report(Kind.SYMPTOMS, people=2, symptoms=symptoms(1, 3), temperature_tenths=385),
    ),
    (
        "2*1 3*2*38.5",
        Report(Kind.SYMPTOMS, people=2, symptoms=symptoms(1, 3), temperature_tenths=385),
    ),
    (
        "2*1,2*1*38",
        Report(Kind.SYMPTOMS, people=1, symptoms=symptoms(1, 2), temperature_tenths=380),
    ),
    (
        "2*2465*3*390",
        Report(Kind.SYMPTOMS, people=3, symptoms=symptoms(2, 4, 5, 6), temperature_tenths=390),
    ),
    ("2*66*1*39,4", Report(Kind.SYMPTOMS, people=1, symptoms=symptoms(6), temperature_tenths=394)),
    (
        "3*2*1*1",
        Report(Kind.ARRIVAL, people=2, arrived_from="Hà Nội", arrived_days_ago=0),
    ),
    ("3*1*2*2", Report(Kind.ARRIVAL, people=1, arrived_from="Bắc Ninh", arrived_days_ago=1)),
    ("3*4*4*3*7", Report(Kind.ARRIVAL, people=4, arrived_from=OTHER_PROVINCE, arrived_days_ago=7)),
    ("3*1*5*12", Report(Kind.ARRIVAL, people=1, arrived_from=ABROAD, arrived_days_ago=12)),
    ("4*1*1", Report(Kind.POSITIVE, people=1, contact=Contact.F0)),
    ("4*2*3", Report(Kind.CONTACT, people=3, contact=Contact.F1)),
    ("4*3*5", Report(Kind.CONTACT, people=5, contact=Contact.F2)),
    ("5*1", Report(Kind.HELP, needs=frozenset({Need.FOOD}))),
    ("5*3 1", Report(Kind.HELP, needs=frozenset({Need.FOOD, Need.OTHER}))),
    ("5*123", Report(Kind.HELP, needs=frozenset(Need))),
]


@pytest.mark.parametrize(("text", "report"), RECORDING_PATHS)
def test_each_path_records_one_report_and_ends(text: str, report: Report) -> None:
    screen = step(text, HOUSEHOLD)

    assert screen.end
    assert screen.effects == (Declare(report),)
    assert screen.answers == tuple(answer.strip() for answer in text.split("*"))
    assert ("115" in screen.text) == report.red_flag
    if report.urgent:
        assert screen.text.endswith(MEMBER_CALLS)
    else:
        assert screen.text.startswith("Cam on!")


@pytest.mark.parametrize(("text", "_"), RECORDING_PATHS)
def test_nothing_is_recorded_before_the_last_screen(text: str, _: Report) -> None:
    answers = text.split("*")
    for count in range(len(answers)):
        screen = step("*".join(answers[:count]), HOUSEHOLD)
        assert not screen.end
        assert screen.effects == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Chao ho Nguyen Van Anh\n1 Ca nha khoe\n2 Co nguoi co trieu chung\n"),
        ("2", "Trieu chung? Go cac so, vd 13\n1 Sot\n2 Ho\n3 Kho tho\n"),
        ("2*13", "Bao nhieu nguoi co trieu chung?\n0 Lui 00 Menu"),
        ("2*13*1", "Nhiet do cao nhat? Vd 385 la 38,5 do.\n0 Chua do\n00 Menu"),
        ("3", "Bao nhieu nguoi moi ve?"),
        ("3*1", "Ve tu dau?\n1 Ha Noi\n2 Bac Ninh\n3 TP Ho Chi Minh\n4 Tinh khac\n5 Nuoc ngoai"),
        ("3*1*1", "Ve khi nao?\n1 Hom nay\n2 Hom qua\n3 2-14 ngay truoc"),
        ("3*1*1*3", "Ve cach day may ngay? Go 2-14"),
        ("4", "Loai nao?\n1 F0: xet nghiem duong tinh\n2 F1"),
        ("4*2", "Bao nhieu nguoi?"),
        ("5", "Can giup gi? Go cac so, vd 12\n1 Luong thuc\n2 Thuoc\n3 Viec khac"),
        ("7", "Ngon ngu/Language:\n1 Tieng Viet\n2 English"),
    ],
)
def test_screens_in_vietnamese(text: str, expected: str) -> None:
    screen = step(text, HOUSEHOLD)

    assert not screen.end
    assert screen.text.startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Hello, Nguyen Van Anh\n1 Everyone is well\n2 Someone has symptoms\n"),
        ("2", "Symptoms? Type all, e.g. 13\n1 Fever\n2 Cough\n3 Short of breath\n"),
        ("2*1*1", "Highest temperature? E.g. 385 for 38.5 C.\n0 Not measured"),
        ("3*1*1", "When did they arrive?\n1 Today\n2 Yesterday\n3 2-14 days ago"),
        ("1", "Thank you! Recorded: everyone is well."),
        ("4*1*2", "Warning sign: if breathing is hard, call 115 now. Recorded."),
    ],
)
def test_screens_in_english(text: str, expected: str) -> None:
    assert step(text, replace(HOUSEHOLD, language="en")).text.startswith(expected)


def test_vietnamese_with_diacritics_shows_plain_vietnamese() -> None:
    assert step("", replace(HOUSEHOLD, language="vi-accents")) == step("", HOUSEHOLD)


def test_without_an_assigned_member_the_health_station_calls() -> None:
    screen = step("5*2", replace(HOUSEHOLD, member_name=None, member_phone=None))

    assert screen.text == "Da ghi. Tram y te xa se goi cho ban."


def test_arrivals_and_contacts_are_told_about_monitoring() -> None:
    assert "theo doi suc khoe 14 ngay" in step("3*1*1*1", HOUSEHOLD).text
    assert "theo doi suc khoe 14 ngay" in step("4*2*1", HOUSEHOLD).text
    assert "14 ngay" not in step("5*1", HOUSEHOLD).text


def test_arrival_days_may_be_typed_on_the_when_screen() -> None:
    screen = step("3*1*1*9", HOUSEHOLD)

    assert screen.effects == (
        Declare(Report(Kind.ARRIVAL, people=1, arrived_from="Hà Nội", arrived_days_ago=9)),
    )


def test_without_places_the_list_is_other_province_and_abroad() -> None:
    context = replace(HOUSEHOLD, places=())

    assert step("3*1", context).text.startswith("Ve tu dau?\n1 Tinh khac\n2 Nuoc ngoai\n")
    assert step("3*1*1*1", context).effects[0].report.arrived_from == OTHER_PROVINCE


def test_team_phone_numbers() -> None:
    screen = step("6", HOUSEHOLD)

    assert screen.end
    assert screen.effects == ()
    assert screen.text == (
        "SDT cua to:\nTo truong Nguyen Van Hung: +84912000001\nY te Le Thi Hoa: +84912000002"
    )


def test_team_phone_numbers_are_cut_whole_with_a_count() -> None:
    phones = tuple((f"To vien {n}", f"+849120000{n:02}") for n in range(20))
    text = step("6", replace(HOUSEHOLD, team_phones=phones)).text

    assert len(text) <= 156
    assert text.endswith("\nTo vien 4: +84912000004\n+15 so khac")


def test_no_team_phone_numbers() -> None:
    screen = step("6", replace(HOUSEHOLD, team_phones=()))

    assert screen.end
    assert "tram y te xa" in screen.text


@pytest.mark.parametrize(
    ("language", "text", "effect", "confirmation"),
    [
        ("vi", "7*1", SetLanguage("vi"), "Da chon Tieng Viet. Cam on!"),
        ("vi", "7*2", SetLanguage("en"), "Language set to English. Thank you!"),
        ("en", "7*1", SetLanguage("vi"), "Da chon Tieng Viet. Cam on!"),
        ("vi-accents", "7*1", SetLanguage("vi-accents"), "Da chon Tieng Viet. Cam on!"),
    ],
)
def test_language(language: str, text: str, effect: SetLanguage, confirmation: str) -> None:
    screen = step(text, replace(HOUSEHOLD, language=language))

    assert screen.end
    assert screen.effects == (effect,)
    assert screen.text == confirmation
