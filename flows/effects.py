"""What a flow asks the outside world to do.

Flows return these instead of doing anything, so the services in
``gateway/services`` own every transaction and the flows stay pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.report import Report


class Problem(StrEnum):
    """Why an effect was not carried out; the reply says so, the inbound row keeps it."""

    UNKNOWN_HOUSEHOLD = "unknown_household"
    """``KB <code>`` names no household of the member's commune."""
    NOT_A_MEMBER = "not_a_member"
    """A member's form (``OK``, ``XONG``, ``KB``) from a phone that is not a member's."""
    UNKNOWN_CASE = "unknown_case"
    """``OK <n>`` or ``XONG <n>`` names no case of the member's."""
    NO_COMMUNE = "no_commune"
    """A stranger asked to register where no commune can be told."""
    UNKNOWN_TEAM = "unknown_team"
    """A stranger registered with a team the commune does not have."""


@dataclass(frozen=True)
class Declare:
    """The caller's own household declares (or reports something urgent).

    ``commune`` is the code of the commune a stranger named (picked on USSD,
    ``XA <code>`` by SMS) when the number dialled does not tell it; ``None``
    means the caller's own commune, or none found: stored unassigned.
    """

    report: Report
    commune: str | None = None


@dataclass(frozen=True)
class ProxyDeclare:
    """A member declares for one of their households, by its code.

    From SMS (``KB <code> <form>``) the code is upper-cased and without
    diacritics; the service compares it with the stored codes the same way.
    """

    household_code: str
    report: Report


@dataclass(frozen=True)
class Register:
    """An unknown number asks to become a household; staff confirm it later.

    ``team`` is the team's name as offered on the numbered list.
    """

    team: str
    people: int


@dataclass(frozen=True)
class Acknowledge:
    """A member takes a case: someone is coming."""

    case_number: int


@dataclass(frozen=True)
class Resolve:
    """A member closes a case (``XONG <case> [note]``); the note is kept as typed."""

    case_number: int
    note: str = ""


@dataclass(frozen=True)
class SetLanguage:
    language: str


@dataclass(frozen=True)
class OptOut:
    """No more reminders (``DUNG`` / ``STOP``); urgent replies still go out."""


@dataclass(frozen=True)
class OptIn:
    """Reminders again (``BAT`` / ``START``)."""


Effect = Declare | ProxyDeclare | Register | Acknowledge | Resolve | SetLanguage | OptOut | OptIn
