"""Every SMS the gateway sends back to a household or a member.

The words, each message with its languages side by side, are in
:mod:`flows.sms.texts`; this module picks the language, fills the fields and
cleans what comes from spreadsheets.

Households read every word on a small screen, so the texts are short, polite
and plain. ``vi`` (Vietnamese without diacritics, the default) and ``en`` are
GSM-7 and one 160-character segment even with a 30-character name, a
16-character phone and a 9-digit case number: one segment is what a commune
pays per text. ``vi-accents`` is UCS-2, 70 characters a segment: the fixed
texts fit one segment, while the ones that carry a name or list all the forms
(``HD``) take two (at most 134 characters). The reply to a text not understood
is one segment in every language, UCS-2 included: it is the reply a household
gets most often while learning the forms. The tests hold all of this.

Names and codes come from commune spreadsheets, so anything put into a text is
cleaned and cut first: diacritics are stripped for the GSM-7 languages, and
control characters and characters outside the basic plane (emoji) are dropped
everywhere.
"""

from __future__ import annotations

import unicodedata

from flows.encoding import GSM7_BASIC, strip_diacritics
from flows.report import LANGUAGES
from flows.sms.texts import REPLIES

DEFAULT_LANGUAGE = "vi"
NAME_LENGTH = 30
PHONE_LENGTH = 16  # "+" and the 15 digits E.164 allows
CODE_LENGTH = 20


def declared_well(lang: str) -> str:
    """To a household that declared everyone well."""
    return _text(lang, "well")


def declared_urgent(
    lang: str,
    member_name: str | None,
    member_phone: str | None,
    red_flag: bool,
    case_number: int,
) -> str:
    """To a household whose urgent report opened a case: who calls, and 115 on a red flag.

    Without an assigned member the case goes to the commune health station,
    and the text says so rather than promising a person who does not exist.
    """
    who = _who(lang, member_name, member_phone)
    text = _text(lang, "urgent").format(case=case_number, who=who)
    return text + _text(lang, "red_flag") if red_flag else text


def declared_unassigned(lang: str, case_number: int | None, red_flag: bool) -> str:
    """To a sender whose commune is not known: stored for district staff, and how
    to name the commune next time (``XA <code>``)."""
    if case_number is None:
        return _text(lang, "unassigned_well")
    text = _text(lang, "unassigned").format(case=case_number)
    return text + _text(lang, "red_flag") if red_flag else text


def declared_for(lang: str, household_code: str) -> str:
    """To a member who declared for one of their households (``KB``)."""
    return _text(lang, "declared_for").format(code=_clean(lang, household_code, CODE_LENGTH))


def member_coming(
    lang: str, member_name: str | None, member_phone: str | None, case_number: int
) -> str:
    """To the household once a member takes its case (SPEC §6): who, and their phone."""
    who = _who(lang, member_name, member_phone)
    return _text(lang, "coming").format(case=case_number, who=who)


def help_text(lang: str) -> str:
    """The household forms, all in one SMS."""
    return _text(lang, "help")


def not_understood(lang: str) -> str:
    """For any text not read: the common forms, so a reply is never a dead end."""
    return _text(lang, "not_understood")


def ask_case_number(lang: str) -> str:
    """For a member's ``OK`` or ``XONG`` without a case number."""
    return _text(lang, "case_missing")


def stopped(lang: str) -> str:
    """After ``DUNG``: reminders stop, urgent reports still work."""
    return _text(lang, "stopped")


def started(lang: str) -> str:
    return _text(lang, "started")


def acknowledged(lang: str, case_number: int) -> str:
    """To the member who took a case, with how to close it."""
    return _text(lang, "acknowledged").format(case=case_number)


def resolved(lang: str, case_number: int) -> str:
    return _text(lang, "resolved").format(case=case_number)


def unknown_case(lang: str, case_number: int) -> str:
    """A case that does not exist, is closed, or is not this member's: one answer for all,
    so a text cannot probe which case numbers exist."""
    return _text(lang, "unknown_case").format(case=case_number)


def not_a_member(lang: str) -> str:
    """For ``OK``, ``XONG`` or ``KB`` from a phone that is not a team member's."""
    return _text(lang, "not_a_member")


def unknown_household(lang: str, code: str) -> str:
    """``KB`` with a code that is not one of the member's households, echoed to spot typos."""
    return _text(lang, "unknown_household").format(code=_clean(lang, code, CODE_LENGTH))


def throttled(lang: str) -> str:
    """Once, to a phone over the SPEC §5 limit; 115 because it may be an emergency."""
    return _text(lang, "throttled")


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _text(lang: str, name: str) -> str:
    return REPLIES[name].in_language(_language(lang))


def _who(lang: str, name: str | None, phone: str | None) -> str:
    name = _clean(lang, name, NAME_LENGTH)
    phone = _clean(lang, phone, PHONE_LENGTH)
    if name and phone:
        return f"{name} ({phone})"
    if phone:
        return f"{_text(lang, 'member')} ({phone})"
    return name or _text(lang, "station")


def _clean(lang: str, text: str | None, limit: int) -> str:
    """One line of at most ``limit`` characters that keeps the text's encoding.

    For ``vi`` and ``en`` only the basic GSM-7 alphabet survives (an extension
    character costs two septets); for ``vi-accents`` only the basic plane, where
    every character is one UCS-2 unit.
    """
    if not text:
        return ""
    text = text[: limit * 4]
    if _language(lang) != "vi-accents":
        text = strip_diacritics(text)
        kept = (char if char in GSM7_BASIC else " " for char in text)
    else:
        text = unicodedata.normalize("NFC", text)
        kept = (
            char if ord(char) <= 0xFFFF and unicodedata.category(char)[0] != "C" else " "
            for char in text
        )
    return " ".join("".join(kept).split())[:limit].rstrip()
