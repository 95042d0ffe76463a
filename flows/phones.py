"""Phone numbers, parsed in one place.

Households type their numbers every way people write them, providers send
them in yet other shapes, and a number that is normalized two ways becomes two
households. Everything that stores, compares or answers a number goes through
:func:`to_e164` first. Parsing costs ~90 µs and every webhook call parses its
caller, so results are cached: the same phones call day after day.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    NumberParseException,
    PhoneNumberType,
    ValidationResult,
)

VIETNAM = "VN"
VIETNAM_CODE = "84"

# Vietnam moved its 11-digit mobile numbers to 10 digits in 2018; old SIM cards,
# notebooks and team rosters still carry the old prefixes. National significant
# numbers: the old 3-digit prefix (after the trunk 0) and the new 2-digit one.
OLD_MOBILE_PREFIXES: dict[str, str] = {
    "120": "70",
    "121": "79",
    "122": "77",
    "126": "76",
    "128": "78",
    "123": "83",
    "124": "84",
    "125": "85",
    "127": "81",
    "129": "82",
    **{f"16{d}": f"3{d}" for d in "23456789"},
    "186": "56",
    "188": "58",
    "199": "59",
}

# Toll-free, premium-rate and shared-cost numbers are valid but are services,
# not people: answering one costs money or feeds an auto-responder loop.
_SUBSCRIBER_TYPES = frozenset(
    {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
        PhoneNumberType.VOIP,
        PhoneNumberType.PERSONAL_NUMBER,
    }
)

_SEPARATORS = frozenset(".-()/")
_ASCII_DIGITS = frozenset("0123456789")
# E.164 allows 15 digits; "00" in front of it makes 17. Anything longer is not a
# number, and stopping here keeps phonenumbers away from pathological input.
_MAX_DIGITS = 17
# Senders shorter than this are short codes (provider or telco services).
_MIN_REPLY_DIGITS = 8
_E164 = re.compile(r"\+[1-9][0-9]{7,14}")
_MASK = "*" * 7

_LENGTH_REASONS = {
    ValidationResult.TOO_SHORT: "too short",
    ValidationResult.TOO_LONG: "too long",
    ValidationResult.INVALID_LENGTH: "wrong number of digits",
    ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
}


class InvalidPhone(ValueError):
    """A number we cannot store or answer, with a reason staff can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def to_e164(raw: str, region: str = VIETNAM) -> str:
    """Normalize a number as typed by a person or sent by a provider.

    E.164 is the only form stored or compared, so ``0912 345 678``,
    ``+84 912-345-678`` and the pre-2018 ``0168 ...`` of the same household all
    meet on one row. Numbers without ``+`` are read as numbers of ``region``;
    other countries' numbers are accepted with ``+`` (the provider sandbox uses
    Kenyan ones).

    Raises:
        InvalidPhone: with a short English ``reason``.
    """
    return phone_and_kind(raw, region)[0]


@lru_cache(maxsize=100_000)
def phone_and_kind(raw: str, region: str = VIETNAM) -> tuple[str, str]:
    """:func:`to_e164` and :func:`number_kind` of its result, from one parse.

    An import of 100,000 households parses every phone and asks each one's
    kind; parsing once (and classifying once) halves the import's largest cost.
    """
    digits, international = _digits(raw)
    if region == VIETNAM and not international and digits.startswith("00"):
        digits, international = digits[2:], True

    if international:
        if digits.startswith(VIETNAM_CODE):
            return _vietnamese(digits[len(VIETNAM_CODE) :])
        return _checked(_parse("+" + digits, None), vietnamese=False)
    if region != VIETNAM:
        number = _parse(digits, region)
        return _checked(number, vietnamese=number.country_code == int(VIETNAM_CODE))
    if digits.startswith("0"):
        return _vietnamese(digits[1:])
    # 84 + a 9- or 10-digit national number; a bare national number is at
    # most 10 digits, so 11 or more digits starting with 84 carry the code.
    if digits.startswith(VIETNAM_CODE) and len(digits) >= 11:
        return _vietnamese(digits[len(VIETNAM_CODE) :])
    return _vietnamese(digits)


def is_reply_address(raw: str) -> bool:
    """Whether a sender is a phone we may answer.

    Alphanumeric senders and short codes are telcos, banks and providers;
    answering them starts auto-responder loops that burn credit (SPEC §5).
    """
    text = raw.strip()
    if not text or any(char.isalpha() for char in text):
        return False
    if sum(char in _ASCII_DIGITS for char in text) < _MIN_REPLY_DIGITS:
        return False
    try:
        to_e164(text)
    except InvalidPhone:
        return False
    return True


MOBILE = "mobile"
"""A phone that can read an SMS."""
LANDLINE = "landline"
"""A fixed line (or anything else that is not a mobile): it is called, never texted."""
_TEXTABLE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)


@lru_cache(maxsize=100_000)
def number_kind(e164: str) -> str:
    """:data:`MOBILE` or :data:`LANDLINE`, from ``phonenumbers``' number type.

    An SMS to a landline costs money and reaches no one, so whatever
    ``phonenumbers`` cannot vouch for as a mobile counts as a landline. Cached
    like :func:`to_e164`: an import asks it of every phone, several times.
    """
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return LANDLINE
    return MOBILE if phonenumbers.number_type(number) in _TEXTABLE_TYPES else LANDLINE


def mask(e164: str) -> str:
    """Hide a number in logs while keeping enough to match it by eye.

    The country code tells which provider route was used and the last three
    digits let staff find the household; a fixed run of stars does not leak the
    number's length either. Anything not an E.164 number is hidden entirely,
    since it may be a number in some other shape.
    """
    if not isinstance(e164, str) or not _E164.fullmatch(e164):
        return "***"
    # Country codes are a prefix code: the first known one is the one
    # (phonenumbers reads it the same way, without parsing the whole number).
    for length in (1, 2, 3):
        if int(e164[1 : 1 + length]) in COUNTRY_CODE_TO_REGION_CODE:
            return f"+{e164[1 : 1 + length]}{_MASK}{e164[-3:]}"
    return "***"


def _digits(raw: str) -> tuple[str, bool]:
    """The digits of ``raw`` and whether they were written with ``+``.

    Rejecting letters here, before phonenumbers sees them, matters: it would
    otherwise read ``1-800-FLOWERS``-style vanity letters as digits.
    """
    text = raw.strip()
    if not text:
        raise InvalidPhone("empty")
    if any(char.isalpha() for char in text):
        raise InvalidPhone("contains letters")
    digits: list[str] = []
    international = False
    for char in text:
        if char in _ASCII_DIGITS:
            digits.append(char)
        elif char == "+":
            if digits or international:
                raise InvalidPhone("+ is only allowed at the start")
            international = True
        elif not (char.isspace() or char in _SEPARATORS):
            raise InvalidPhone("contains characters that are not part of a phone number")
    if not digits:
        raise InvalidPhone("no digits")
    if len(digits) > _MAX_DIGITS:
        raise InvalidPhone("too long")
    return "".join(digits), international


def _vietnamese(national: str) -> tuple[str, str]:
    """Check a Vietnamese national number, renumbering a pre-2018 mobile."""
    # "+84 0912 ..." is common: people keep the trunk 0 after the code.
    if national.startswith("0"):
        national = national[1:]
    if len(national) == 10 and national[:3] in OLD_MOBILE_PREFIXES:
        national = OLD_MOBILE_PREFIXES[national[:3]] + national[3:]
    if national[:1] in ("", "0"):
        return _checked(_parse(f"+{VIETNAM_CODE}{national}", None), vietnamese=True)
    # Only ASCII digits are left (see _digits): the number phonenumbers.parse would
    # build, without the text parsing that is most of its cost.
    number = phonenumbers.PhoneNumber(country_code=int(VIETNAM_CODE), national_number=int(national))
    return _checked(number, vietnamese=True)


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException as error:
        if error.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            raise InvalidPhone("unknown country code") from error
        if error.error_type in (
            NumberParseException.TOO_SHORT_NSN,
            NumberParseException.TOO_SHORT_AFTER_IDD,
        ):
            raise InvalidPhone("too short") from error
        if error.error_type == NumberParseException.TOO_LONG:
            raise InvalidPhone("too long") from error
        raise InvalidPhone("not a phone number") from error


def _checked(number: phonenumbers.PhoneNumber, *, vietnamese: bool) -> tuple[str, str]:
    """The E.164 form and the kind of a parsed number.

    ``number_type`` is UNKNOWN exactly when ``is_valid_number`` is false (both
    match the national number against the region's patterns), so one call
    answers both questions.
    """
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible in _LENGTH_REASONS:
        raise InvalidPhone(_LENGTH_REASONS[possible])
    number_type = phonenumbers.number_type(number)
    if number_type == PhoneNumberType.UNKNOWN:
        if vietnamese:
            raise InvalidPhone("not a Vietnamese mobile or landline number")
        raise InvalidPhone(f"not a valid number for country code +{number.country_code}")
    if number_type not in _SUBSCRIBER_TYPES:
        raise InvalidPhone("a service number (toll-free, premium-rate ...), not a phone")
    kind = MOBILE if number_type in _TEXTABLE_TYPES else LANDLINE
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), kind
