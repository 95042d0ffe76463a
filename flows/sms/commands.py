"""What an incoming text asks for, once read.

Kept apart from the parser so the services can match on commands without
pulling in the vocabulary, and so :class:`Reason` is one list that the parser,
the replies and the tests share.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.report import Report


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
class Declaration:
    """The sender's own household declares, or reports something urgent.

    ``commune`` is the commune code a stranger wrote (``XA <code> <form>``),
    upper-cased and without diacritics; a known household's own commune wins.
    """

    report: Report
    commune: str | None = None


@dataclass(frozen=True)
class ProxyDeclaration:
    """``KB <code> <form>``: a member declares for a household with no phone.

    ``household_code`` is upper-cased and without diacritics; the service
    compares it with the stored codes the same way.
    """

    household_code: str
    report: Report


@dataclass(frozen=True)
class Acknowledgement:
    """``OK <case>``: a member takes a case."""

    case_number: int


@dataclass(frozen=True)
class Resolution:
    """``XONG <case> [note]``; the note is kept as typed, diacritics included."""

    case_number: int
    note: str = ""


@dataclass(frozen=True)
class HelpRequest:
    """``HD``, ``?``, ``help``: the sender wants the valid forms."""


@dataclass(frozen=True)
class Stop:
    """``DUNG`` / ``STOP``: no more reminders."""


@dataclass(frozen=True)
class Start:
    """``BAT`` / ``START``: reminders again."""


@dataclass(frozen=True)
class Unknown:
    """Not read; the sender still gets one short reply, never silence (SPEC §5)."""

    reason: str


Command = (
    Declaration
    | ProxyDeclaration
    | Acknowledgement
    | Resolution
    | HelpRequest
    | Stop
    | Start
    | Unknown
)
