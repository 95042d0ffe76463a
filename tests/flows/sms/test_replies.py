"""Every reply, in every language, fits what one SMS can carry (SPEC §5)."""

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.effects import Acknowledge, OptIn, OptOut, Resolve
from flows.encoding import GSM7, UCS2, measure
from flows.report import LANGUAGES
from flows.sms import replies
from flows.sms.grammar import HelpRequest, parse

LONGEST_NAME = "Nguyễn Thị Phương Thảo Ánh Hồng"  # 31 characters, cut to 30
LONGEST_PHONE = "+841234567890123"  # 16: "+" and the 15 digits of E.164
LONGEST_CASE = 999_999_999
LONGEST_CODE = "HG-" + "Đ" * 30

Reply = Callable[[str], str]

REPLIES: dict[str, Reply] = {
    "declared_well": replies.declared_well,
    "declared_urgent": lambda lang: replies.declared_urgent(
        lang, LONGEST_NAME, LONGEST_PHONE, True, LONGEST_CASE
    ),
    "declared_urgent_no_member": lambda lang: replies.declared_urgent(
        lang, None, None, True, LONGEST_CASE
    ),
    "declared_urgent_phone_only": lambda lang: replies.declared_urgent(
        lang, None, LONGEST_PHONE, True, LONGEST_CASE
    ),
    "declared_for": lambda lang: replies.declared_for(lang, LONGEST_CODE),
    "member_coming": lambda lang: replies.member_coming(
        lang, LONGEST_NAME, LONGEST_PHONE, LONGEST_CASE
    ),
    "help_text": replies.help_text,
    "not_understood": replies.not_understood,
    "ask_case_number": replies.ask_case_number,
    "stopped": replies.stopped,
    "started": replies.started,
    "acknowledged": lambda lang: replies.acknowledged(lang, LONGEST_CASE),
    "resolved": lambda lang: replies.resolved(lang, LONGEST_CASE),
    "unknown_case": lambda lang: replies.unknown_case(lang, LONGEST_CASE),
    "not_a_member": replies.not_a_member,
    "unknown_household": lambda lang: replies.unknown_household(lang, LONGEST_CODE),
    "throttled": replies.throttled,
    "declared_unassigned": lambda lang: replies.declared_unassigned(lang, LONGEST_CASE, True),
    "declared_unassigned_well": lambda lang: replies.declared_unassigned(lang, None, False),
}

# vi-accents texts that carry a name or list all the forms: two UCS-2 segments.
# "not_understood" is not among them: one segment in every language.
TWO_SEGMENTS = {
    "declared_urgent",
    "declared_urgent_no_member",
    "declared_urgent_phone_only",
    "member_coming",
    "help_text",
    "declared_unassigned",
}


@pytest.mark.parametrize("name", REPLIES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plain_languages_are_one_gsm7_segment(name: str, lang: str) -> None:
    measured = measure(REPLIES[name](lang))
    assert measured.encoding == GSM7
    assert measured.length <= 160
    assert measured.segments == 1


@pytest.mark.parametrize("name", REPLIES)
def test_vietnamese_with_accents_fits_its_segments(name: str) -> None:
    text = REPLIES[name]("vi-accents")
    measured = measure(text)
    assert measured.encoding == UCS2
    assert measured.segments <= (2 if name in TWO_SEGMENTS else 1)


@pytest.mark.parametrize("name", REPLIES)
@pytest.mark.parametrize("lang", ["fr", "", "VI", "vi_VN"])
def test_unknown_languages_fall_back_to_vietnamese(name: str, lang: str) -> None:
    assert REPLIES[name](lang) == REPLIES[name]("vi")


@pytest.mark.parametrize("name", REPLIES)
def test_languages_differ(name: str) -> None:
    assert len({REPLIES[name](lang) for lang in LANGUAGES}) == len(LANGUAGES)


odd_names = st.none() | st.text(max_size=200)


@given(odd_names, odd_names, st.booleans(), st.integers(1, LONGEST_CASE))
def test_any_name_or_phone_keeps_the_limits(
    name: str | None, phone: str | None, red_flag: bool, case_number: int
) -> None:
    for lang in LANGUAGES:
        urgent = replies.declared_urgent(lang, name, phone, red_flag, case_number)
        coming = replies.member_coming(lang, name, phone, case_number)
        for text in (urgent, coming):
            measured = measure(text)
            if lang == "vi-accents":
                assert measured.segments <= 2
            else:
                assert measured.encoding == GSM7
                assert measured.segments == 1


@given(st.text(max_size=100))
def test_any_household_code_keeps_the_limits(code: str) -> None:
    for lang in ("vi", "en"):
        for text in (replies.unknown_household(lang, code), replies.declared_for(lang, code)):
            assert measure(text).encoding == GSM7
            assert measure(text).segments == 1
    assert measure(replies.unknown_household("vi-accents", code)).segments == 1


def test_names_lose_diacritics_only_where_the_encoding_needs_it() -> None:
    name, phone = "Trần Văn Đức", "+84912345678"
    assert "Tran Van Duc (+84912345678)" in replies.declared_urgent("vi", name, phone, False, 7)
    assert "Tran Van Duc (+84912345678)" in replies.declared_urgent("en", name, phone, False, 7)
    assert "Trần Văn Đức (+84912345678)" in replies.declared_urgent(
        "vi-accents", name, phone, False, 7
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_red_flag_says_call_115(lang: str) -> None:
    assert "115" in replies.declared_urgent(lang, "An", "+84912345678", True, 7)
    assert "115" not in replies.declared_urgent(lang, "An", "+84912345678", False, 7)


@pytest.mark.parametrize(
    ("lang", "station"),
    [("vi", "Tram y te xa"), ("vi-accents", "Trạm y tế xã"), ("en", "commune health station")],
)
def test_without_a_member_the_station_calls(lang: str, station: str) -> None:
    assert station in replies.declared_urgent(lang, None, None, False, 7)
    assert station in replies.declared_urgent(lang, "", "", False, 7)


def test_a_phone_without_a_name_is_still_given() -> None:
    assert "+84912345678" in replies.declared_urgent("vi", None, "+84912345678", False, 7)


def test_names_are_one_line() -> None:
    text = replies.member_coming("vi", "An\nBinh\x00\u202e", "+84 912\t345 678", 7)
    assert "An Binh (+84 912 345 678)" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_case_numbers_are_shown(lang: str) -> None:
    for reply in (replies.acknowledged, replies.resolved, replies.unknown_case):
        assert "#4711" in reply(lang, 4711)
    assert "#4711" in replies.declared_urgent(lang, None, None, False, 4711)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_keywords_replies_teach_are_read(lang: str) -> None:
    """A reply that says "send BAT" must name a text the grammar understands."""
    assert "BAT" in replies.stopped(lang) and parse("BAT") == OptIn()
    assert "DUNG" in replies.started(lang) and parse("DUNG") == OptOut()
    assert "XONG 12" in replies.acknowledged(lang, 12) and parse("XONG 12") == Resolve(12)
    assert "HD" in replies.not_understood(lang) and parse("HD") == HelpRequest()
    assert "OK 12" in replies.ask_case_number(lang) and parse("OK 12") == Acknowledge(12)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_help_lists_every_form(lang: str) -> None:
    text = replies.help_text(lang)
    for form in ("1 ", "2 ", "3 ", "4 F0", "4 F1", "5 ", "2 13 2 385"):
        assert form in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_reply_to_anything_else_is_one_segment_listing_the_forms(lang: str) -> None:
    text = replies.not_understood(lang)
    assert measure(text).segments == 1
    for form in ("1", "2", "3", "4", "5", "HD"):
        assert re.search(rf"(^|\W){form}(\W|$)", text), form
