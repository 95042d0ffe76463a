"""What an incoming text asks for, once read.

A text that asks for something to be recorded reads as that
:data:`flows.effects.Effect` itself, the same one the USSD menu produces, so
there is one family of types from the grammar to the services. Only the two
readings that record nothing are the grammar's own: :class:`HelpRequest` and
:class:`Unknown`. Kept apart from the parser so the services can match on
readings without pulling in the vocabulary, and so :class:`Reason` is one list
that the parser, the replies and the tests share.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.effects import Acknowledge, Declare, OptIn, OptOut, ProxyDeclare, Resolve


class Reason(StrEnum):
    """Why a text was not read; stable codes, never the text itself.

    Codes rather than sentences so the service can pick the reply (a member who
    sends ``OK`` alone needs the case-number hint, not the household forms), and
    so a log line never carries what a household wrote about its health.
    """

    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNKNOWN_WORD = "unknown_word"
    UNKNOWN_FORM = "unknown_form"
    NO_FORM = "no_form"
    MIXED_FORMS = "mixed_forms"
    BAD_PEOPLE = "bad_people"
    BAD_TEMPERATURE = "bad_temperature"
    BAD_DAYS = "bad_days"
    EXTRA_NUMBER = "extra_number"
    CASE_MISSING = "case_missing"
    BAD_CASE = "bad_case"
    HOUSEHOLD_MISSING = "household_missing"
    FORM_MISSING = "form_missing"


@dataclass(frozen=True)
class HelpRequest:
    """``HD``, ``?``, ``help``: the sender wants the valid forms."""


@dataclass(frozen=True)
class Unknown:
    """Not read; the sender still gets one short reply, never silence (SPEC §5)."""

    reason: str


Reading = Declare | ProxyDeclare | Acknowledge | Resolve | OptOut | OptIn | HelpRequest | Unknown
"""Everything :func:`flows.sms.grammar.parse` returns: the effects a text can ask for, or not."""
