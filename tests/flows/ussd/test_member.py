"""Every path of a team member's menu."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows.effects import Acknowledge, Declare, ProxyDeclare, Resolve, SetLanguage
from flows.report import Contact, Kind, Need, Report, Symptom
from flows.ussd import OTHER_PROVINCE, step
from tests.flows.ussd.contexts import MEMBER


def test_main_menu() -> None:
    assert step("", MEMBER).text == (
        "Menu to vien\n1 Khai bao cho ho\n2 Ca dang mo\n3 Ho chua khai bao\n"
        "4 Ho cua toi\n5 Ngon ngu/Language"
    )


def test_without_a_household_of_their_own_language_moves_up() -> None:
    context = replace(MEMBER, own_household=False)

    assert step("", context).text.endswith("3 Ho chua khai bao\n4 Ngon ngu/Language")
    assert step("4*2", context).effects == (SetLanguage("en"),)
    assert step("5", context).text.startswith("Chon 1-4.\n")


@pytest.mark.parametrize(
    ("text", "code", "report"),
    [
        ("1*HD012*1", "HD012", Report(Kind.WELL)),
        ("1*hd012*1", "HD012", Report(Kind.WELL)),
        ("1*HD 013*1", "hd013", Report(Kind.WELL)),
        (
            "1*HD012*2*4*2*0",
            "HD012",
            Report(Kind.SYMPTOMS, people=2, symptoms=frozenset({Symptom.SORE_THROAT})),
        ),
        (
            "1*hd013*3*1*4*2",
            "hd013",
            Report(Kind.ARRIVAL, people=1, arrived_from=OTHER_PROVINCE, arrived_days_ago=1),
        ),
        ("1*HD012*4*1*2", "HD012", Report(Kind.POSITIVE, people=2, contact=Contact.F0)),
        ("1*HD012*5*2", "HD012", Report(Kind.HELP, needs=frozenset({Need.MEDICINE}))),
    ],
)
def test_declare_for_a_household(text: str, code: str, report: Report) -> None:
    screen = step(text, MEMBER)

    assert screen.end
    assert screen.effects == (ProxyDeclare(code, report),)
    assert f"Da ghi cho ho {code}." in screen.text
    assert ("115" in screen.text) == report.red_flag


def test_household_code_screens() -> None:
    assert step("1", MEMBER).text == "Nhap ma ho, vd HD012:\n0 Lui 00 Menu"
    assert step("1*hd012", MEMBER).text.startswith("Ho HD012 Nguyen Van Anh:\n1 Ca nha khoe\n")
    assert (
        step("1*HD099", MEMBER).text == "Khong co ma ho nay.\nNhap ma ho, vd HD012:\n0 Lui 00 Menu"
    )


def test_a_member_without_households_is_told_so() -> None:
    screen = step("1", replace(MEMBER, member_households=()))

    assert screen.end
    assert screen.effects == ()
    assert screen.text.startswith("Ban chua duoc giao ho nao.")


def test_open_cases() -> None:
    assert step("2", MEMBER).text == (
        "Ca dang mo:\n1 #41 HD012 sot, kho tho\n2 #42 hd013 F1\n0 Lui 00 Menu"
    )
    assert step("2*2", MEMBER).text == (
        "Ca #42 hd013 F1\n1 Nhan ca, toi se den\n2 Da xong, dong ca\n0 Lui 00 Menu"
    )


@pytest.mark.parametrize(
    ("text", "effect", "confirmation"),
    [
        ("2*1*1", Acknowledge(41), "Da nhan ca #41. Ho se nhan SMS bao ban se den."),
        ("2*2*1", Acknowledge(42), "Da nhan ca #42. Ho se nhan SMS bao ban se den."),
        ("2*1*2", Resolve(41), "Da dong ca #41. Cam on!"),
    ],
)
def test_acknowledge_and_resolve(text: str, effect: object, confirmation: str) -> None:
    screen = step(text, MEMBER)

    assert screen.end
    assert screen.effects == (effect,)
    assert screen.text == confirmation


def test_many_open_cases_are_paged() -> None:
    cases = tuple((100 + n, f"HD{n:03}", "sot") for n in range(20))
    context = replace(MEMBER, open_cases=cases)
    first, second = step("2", context).text, step("2*9", context).text

    assert first.startswith("Ca dang mo:\n1 #100 HD000 sot\n")
    assert "\n9 Them\n" in first
    assert second.startswith("Ca dang mo:\n1 #")
    assert step("2*9*0", context).text == first
    picked = int(second.split("\n")[1].split()[1].lstrip("#"))
    assert step("2*9*1*1", context).effects == (Acknowledge(picked),)


def test_no_open_cases() -> None:
    screen = step("2", replace(MEMBER, open_cases=()))

    assert (screen.end, screen.text) == (True, "Khong co ca nao dang mo.")


def test_households_not_declared_today() -> None:
    assert step("3", MEMBER).text == "Chua khai bao hom nay (2):\nHD012, hd013"


def test_many_households_not_declared_are_counted() -> None:
    codes = tuple(f"HD{n:03}" for n in range(60))
    text = step("3", replace(MEMBER, not_declared=codes)).text

    assert text.startswith("Chua khai bao hom nay (60):\nHD000, HD001, ")
    assert text.endswith(" ho khac")
    assert len(text) <= 156


def test_everyone_declared() -> None:
    screen = step("3", replace(MEMBER, not_declared=()))

    assert (screen.end, screen.text) == (True, "Tat ca ho da khai bao hom nay. Cam on!")


@pytest.mark.parametrize(
    ("text", "report"),
    [
        ("4*1", Report(Kind.WELL)),
        ("4*4*3*2", Report(Kind.CONTACT, people=2, contact=Contact.F2)),
    ],
)
def test_own_household(text: str, report: Report) -> None:
    screen = step(text, MEMBER)

    assert screen.end
    assert screen.effects == (Declare(report),)


def test_own_household_menu() -> None:
    assert step("4", MEMBER).text.startswith("Ho cua toi:\n1 Ca nha khoe\n2 ")


def test_language_in_english() -> None:
    context = replace(MEMBER, language="en")

    assert step("", context).text.startswith("Team member menu\n1 Declare for a household\n")
    assert step("5*1", context).effects == (SetLanguage("vi"),)
