import pickle

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.phones import OLD_MOBILE_PREFIXES, InvalidPhone, is_reply_address, mask, to_e164


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("0912-345-678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("+84912345678", "+84912345678"),
        ("+84 912-345-678", "+84912345678"),
        ("(+84) 912 345 678", "+84912345678"),
        ("(84) 912 345 678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("00 84 912 345 678", "+84912345678"),
        ("+84 0912 345 678", "+84912345678"),
        ("912345678", "+84912345678"),
        ("  0912345678\n", "+84912345678"),
        ("0912\u00a0345\u00a0678", "+84912345678"),
        ("0381234567", "+84381234567"),
        ("0841234567", "+84841234567"),
        ("841234567", "+84841234567"),
        ("84841234567", "+84841234567"),
        # landlines: Hai Duong, Hanoi, Ho Chi Minh City
        ("0220 3123 456", "+842203123456"),
        ("024 3825 1234", "+842438251234"),
        ("+84 28 3823 1234", "+842838231234"),
        ("842203123456", "+842203123456"),
    ],
)
def test_vietnamese_numbers_as_people_write_them(raw, expected):
    assert to_e164(raw) == expected


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("0168 123 4567", "+84381234567"),
        ("01681234567", "+84381234567"),
        ("841681234567", "+84381234567"),
        ("+84 168 123 4567", "+84381234567"),
        ("+84 0168 123 4567", "+84381234567"),
        ("0084 168 123 4567", "+84381234567"),
        ("0123 456 7890", "+84834567890"),
        ("0120 123 4567", "+84701234567"),
        ("0199 123 4567", "+84591234567"),
        ("0162 123 4567", "+84321234567"),
    ],
)
def test_pre_2018_mobile_numbers_are_renumbered(old, new):
    assert to_e164(old) == new


@pytest.mark.parametrize(("old", "new"), sorted(OLD_MOBILE_PREFIXES.items()))
def test_every_old_prefix_maps_to_a_valid_mobile(old, new):
    assert to_e164(f"0{old}1234567") == f"+84{new}1234567"


def test_old_prefix_table_is_the_2018_plan():
    assert OLD_MOBILE_PREFIXES["169"] == "39"
    assert OLD_MOBILE_PREFIXES["186"] == "56"
    assert OLD_MOBILE_PREFIXES["127"] == "81"
    assert len(OLD_MOBILE_PREFIXES) == 21


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+254711082000", "+254711082000"),
        ("+254 711 082 000", "+254711082000"),
        ("00254711082000", "+254711082000"),
        ("+44 20 7946 0018", "+442079460018"),
    ],
)
def test_other_countries_with_a_plus(raw, expected):
    assert to_e164(raw) == expected


def test_national_number_of_another_region():
    assert to_e164("0711 082 000", region="KE") == "+254711082000"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("VIETTEL", "contains letters"),
        ("0912 345 67a", "contains letters"),
        ("0912345678 ext 12", "contains letters"),
        ("*123#", "contains characters that are not part of a phone number"),
        ("0912_345_678", "contains characters that are not part of a phone number"),
        ("0912+345678", "+ is only allowed at the start"),
        ("++84912345678", "+ is only allowed at the start"),
        ("+", "no digits"),
        ("--", "no digits"),
        ("0912 345", "too short"),
        ("9029", "too short"),
        ("09123456789012", "too long"),
        ("1" * 40, "too long"),
        ("0112345678", "not a Vietnamese mobile or landline number"),
        ("0612345678", "not a Vietnamese mobile or landline number"),
        ("0012345678", "not a valid number for country code +1"),
        ("+999 123 456 789", "unknown country code"),
        ("+254 123 456 789", "not a valid number for country code +254"),
        ("1900 1234", "a service number (toll-free, premium-rate ...), not a phone"),
        ("1800 1234", "a service number (toll-free, premium-rate ...), not a phone"),
    ],
)
def test_invalid_numbers_say_why(raw, reason):
    with pytest.raises(InvalidPhone) as caught:
        to_e164(raw)
    assert caught.value.reason == reason
    assert str(caught.value) == reason


def test_invalid_phone_is_a_value_error_that_survives_pickling():
    error = pickle.loads(pickle.dumps(InvalidPhone("too short")))
    assert isinstance(error, ValueError)
    assert error.reason == "too short"


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("+84912345678", True),
        ("84912345678", True),
        ("0912 345 678", True),
        ("01681234567", True),
        ("+254711082000", True),
        ("VIETTEL", False),
        ("AFRICASTKNG", False),
        ("Viettel1", False),
        ("9029", False),
        ("1414", False),
        ("*123#", False),
        ("8088", False),
        ("1234567", False),
        ("19001234", False),
        ("", False),
        ("  ", False),
        ("0112345678", False),
    ],
)
def test_is_reply_address(sender, expected):
    assert is_reply_address(sender) is expected


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+84912345678", "+84*******678"),
        ("+842203123456", "+84*******456"),
        ("+254711082000", "+254*******000"),
        ("+12025550123", "+1*******123"),
        ("0912345678", "***"),
        ("84912345678", "***"),
        ("+84 912 345 678", "***"),
        ("VIETTEL", "***"),
        ("", "***"),
        ("+999123456789", "***"),
        ("+0912345678", "***"),
    ],
)
def test_mask(e164, expected):
    assert mask(e164) == expected


@given(st.text())
def test_to_e164_raises_only_invalid_phone(raw):
    try:
        result = to_e164(raw)
    except InvalidPhone as error:
        assert error.reason
    else:
        assert result.startswith("+")
        assert result[1:].isdigit()
        assert to_e164(result) == result


@given(st.text(alphabet="0123456789 +-.()/", max_size=25))
def test_to_e164_on_number_like_text(raw):
    try:
        result = to_e164(raw)
    except InvalidPhone as error:
        assert error.reason
    else:
        assert to_e164(result) == result


@given(st.from_regex(r"0[35789][0-9]{8}", fullmatch=True))
def test_written_forms_of_one_mobile_agree(national):
    digits = national[1:]
    forms = [national, f"84{digits}", f"+84{digits}", f"0084{digits}", f"+84 {digits}"]
    results = set()
    for form in forms:
        try:
            results.add(to_e164(form))
        except InvalidPhone:
            results.add(None)
    assert len(results) == 1


@given(st.text())
def test_is_reply_address_and_mask_never_raise(raw):
    assert isinstance(is_reply_address(raw), bool)
    masked = mask(raw)
    assert masked == "***" or masked.endswith(raw[-3:])


@given(st.from_regex(r"\+[1-9][0-9]{7,14}", fullmatch=True))
def test_mask_names_the_country_code_phonenumbers_reads(e164):
    try:
        code = f"+{phonenumbers.parse(e164, None).country_code}"
    except phonenumbers.NumberParseException:
        code = None
    assert mask(e164) == (f"{code}{mask(e164)[len(code) :]}" if code else "***")
    if code:
        assert mask(e164).startswith(code + "*") and mask(e164).endswith(e164[-3:])
