"""``0`` back, ``00`` main menu, a hint for anything else, and resuming a dropped session."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flows.effects import Declare
from flows.report import Kind, Report, Symptom
from flows.ussd import Context, step
from tests.flows.ussd.contexts import HOUSEHOLD, MEMBER, UNKNOWN


@pytest.mark.parametrize(
    ("context", "text", "same_as"),
    [
        (HOUSEHOLD, "2*0", ""),
        (HOUSEHOLD, "2*13*0", "2"),
        (HOUSEHOLD, "3*2*1*0", "3*2"),
        (HOUSEHOLD, "3*2*1*3*0*0", "3*2"),
        (HOUSEHOLD, "7*0*5", "5"),
        (HOUSEHOLD, "0", ""),
        (HOUSEHOLD, "0*0*2", "2"),
        (HOUSEHOLD, "2*13*1*00", ""),
        (HOUSEHOLD, "3*2*1*3*00*4", "4"),
        (HOUSEHOLD, " 2 * 13 ", "2*13"),
        (MEMBER, "1*HD012*2*0", "1*HD012"),
        (MEMBER, "1*HD012*2*0*0", "1"),
        (MEMBER, "1*HD012*2*00", ""),
        (MEMBER, "2*1*0", "2"),
        (UNKNOWN, "2*1*0*0", ""),
        (UNKNOWN, "1*13*00*2", "2"),
    ],
)
def test_back_and_main_menu(context: Context, text: str, same_as: str) -> None:
    assert step(text, context) == step(same_as, context)


def test_on_the_temperature_screen_0_means_not_measured() -> None:
    screen = step("2*2*1*0", HOUSEHOLD)

    assert screen.effects == (
        Declare(Report(Kind.SYMPTOMS, people=1, symptoms=frozenset({Symptom.COUGH}))),
    )


@pytest.mark.parametrize(
    ("context", "text", "hint"),
    [
        (HOUSEHOLD, "8", "Chon 1-7."),
        (HOUSEHOLD, "*", "Chon 1-7."),
        (HOUSEHOLD, "abc", "Chon 1-7."),
        (HOUSEHOLD, "١", "Chon 1-7."),  # an Arabic-Indic one: no keypad sends it
        (HOUSEHOLD, "2*7", "Go so 1-6, vd 13."),
        (HOUSEHOLD, "2*", "Go so 1-6, vd 13."),
        (HOUSEHOLD, "2*13*100", "Go so nguoi, vd 1."),
        (HOUSEHOLD, "2*13*1*500", "Go 340-429, hoac 0."),
        (HOUSEHOLD, "2*13*1*33", "Go 340-429, hoac 0."),
        (HOUSEHOLD, "3*1*6", "Chon 1-5."),
        (HOUSEHOLD, "3*1*1*15", "Chon 1-3."),
        (HOUSEHOLD, "3*1*1*3*1", "Go so ngay 2-14."),
        (HOUSEHOLD, "4*4", "Chon 1-3."),
        (HOUSEHOLD, "5*4", "Go so 1-3, vd 12."),
        (HOUSEHOLD, "7*3", "Chon 1-2."),
        (replace(HOUSEHOLD, language="en"), "9", "Choose 1-7."),
        (MEMBER, "6", "Chon 1-5."),
        (MEMBER, "1*HD999", "Khong co ma ho nay."),
        (MEMBER, "2*3", "Chon 1-2."),
        (MEMBER, "2*1*3", "Chon 1-2."),
        (UNKNOWN, "4", "Chon 1-3."),
        (UNKNOWN, "2*9", "Chon 1-3."),
    ],
)
def test_anything_else_repeats_the_screen_with_a_hint(
    context: Context, text: str, hint: str
) -> None:
    answers = text.split("*")
    before = step("*".join(answers[:-1]), context)
    screen = step(text, context)

    assert not screen.end
    assert screen.text.startswith(hint + "\n")
    assert screen.answers == before.answers
    options = [line for line in before.text.split("\n") if line[:1].isdigit()]
    assert options
    assert all(option in screen.text.split("\n") for option in options)


def test_the_hint_goes_once_the_answer_is_right() -> None:
    assert step("x*2", HOUSEHOLD) == step("2", HOUSEHOLD)


def test_answers_after_an_end_are_ignored() -> None:
    assert step("1*2*3", HOUSEHOLD) == step("1", HOUSEHOLD)


SAVED = replace(HOUSEHOLD, resumable=("2", "13"))
OFFER = "Lan truoc ban chua xong.\n1 Tiep tuc cho dang do\n2 Lam lai tu dau"


def test_a_dropped_session_is_offered_first() -> None:
    screen = step("", SAVED)

    assert screen.text == OFFER
    assert not screen.end
    assert screen.answers == ("2", "13")  # kept if this session drops too


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("1", "2*13"),
        ("1*3", "2*13*3"),
        ("1*0", "2"),
        ("x*1", "2*13"),
        ("2", ""),
        ("2*5", "5"),
        ("00*5", "5"),
    ],
)
def test_continue_or_start_again(text: str, same_as: str) -> None:
    assert step(text, SAVED) == step(same_as, HOUSEHOLD)


def test_a_resumed_path_records_the_whole_report() -> None:
    screen = step("1*2*395", SAVED)

    assert screen.end
    assert screen.answers == ("2", "13", "2", "395")
    assert screen.effects == (
        Declare(
            Report(
                Kind.SYMPTOMS,
                people=2,
                symptoms=frozenset({Symptom.FEVER, Symptom.SHORT_OF_BREATH}),
                temperature_tenths=395,
            )
        ),
    )


def test_an_invalid_choice_repeats_the_offer() -> None:
    assert step("7", SAVED).text == "Chon 1-2.\n" + OFFER
    assert step("0", SAVED).text == OFFER


def test_saved_answers_are_replayed_as_answered() -> None:
    context = replace(HOUSEHOLD, resumable=("2", "0", "x", "3", "2"))

    assert step("", context).answers == ("3", "2")
    assert step("1", context) == step("3*2", HOUSEHOLD)


@pytest.mark.parametrize(
    "saved",
    [
        ("1",),  # it ended, and recorded: nothing to resume
        ("2", "13", "1", "385"),
        ("x",),  # no progress
        ("2", "00"),
    ],
)
def test_nothing_to_resume_gives_the_main_menu(saved: tuple[str, ...]) -> None:
    assert step("", replace(HOUSEHOLD, resumable=saved)) == step("", HOUSEHOLD)


def test_members_and_unknown_numbers_resume_too() -> None:
    member = replace(MEMBER, resumable=("1", "hd012"))
    unknown = replace(UNKNOWN, resumable=("2", "3"))

    assert step("", member).text == OFFER
    assert step("1*1", member).effects == step("1*hd012*1", MEMBER).effects
    assert step("1*5", unknown) == step("2*3*5", UNKNOWN)
