"""The END screens that close a recording path, built from what was stored.

Each tells the caller what happens next (SPEC §4): who will call, and "call
115" first when the report carries a red flag, since the session may be cut
before a long screen is read to the end.

A confirmation says only what the store did (SPEC §9): the menus show it for
the outcome they expect (:class:`Stored` from the context), and the service
that stores the effect builds it again with :func:`after_store` from what it
actually stored. The same function writes both, so when all goes as expected
the caller sees exactly the screen the pure menu shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.effects import Acknowledge, Declare, Effect, ProxyDeclare, Register, Resolve, SetLanguage
from flows.report import Kind, Report
from flows.ussd.context import Context
from flows.ussd.engine import Done
from flows.ussd.fit import clean, cut
from flows.ussd.texts import EN, VI, Texts, texts_for

NAME = 24
PHONE = 16
TEAM = 40


@dataclass(frozen=True)
class Stored:
    """What storing an END screen's effect came to, as far as the caller is told.

    ``member`` is the case's member (name, phone): who will call. Without one
    the commune health station calls, or, for a report stored with no commune
    (``unassigned``), district staff.
    """

    recorded: bool = True
    member: tuple[str | None, str | None] | None = None
    unassigned: bool = False


def confirmation(effect: Effect, stored: Stored, texts: Texts) -> str:
    """The END text for ``effect`` once stored as ``stored``; never claims more."""
    if not stored.recorded:
        return texts.not_recorded
    match effect:
        case Declare(report=report):
            if report.kind is Kind.WELL:
                return texts.well_done
            return _urgent(report, texts, texts.recorded, _who(stored, texts))
        case ProxyDeclare(household_code=code, report=report):
            recorded = texts.proxy_recorded.format(clean(code, NAME))
            return recorded if report.kind is Kind.WELL else _urgent(report, texts, recorded, "")
        case Register(team=team, people=people):
            return texts.registered.format(clean(team, TEAM), people)
        case Acknowledge(case_number=number):
            return texts.acknowledged.format(number)
        case Resolve(case_number=number):
            return texts.resolved.format(number)
        case SetLanguage(language=language):
            return (EN if language == "en" else VI).language_set
    return texts.recorded


def after_store(effect: Effect, stored: Stored, language: str) -> str:
    """The confirmation the service serves, in the caller's language."""
    return cut(confirmation(effect, stored, texts_for(language)))


def done(effect: Effect, texts: Texts, expected: Stored | None = None) -> Done:
    """An END screen for ``effect``, worded for the outcome the menu expects."""
    return Done(confirmation(effect, expected or Stored(), texts), (effect,))


def household_done(report: Report, ctx: Context, texts: Texts) -> Done:
    """The caller's own household declared: the assigned member will call."""
    member = (ctx.member_name, ctx.member_phone) if ctx.member_phone else None
    return done(Declare(report), texts, Stored(member=member))


def proxy_done(code: str, report: Report, texts: Texts) -> Done:
    """A member declared for a household; the case SMS reaches them anyway."""
    return done(ProxyDeclare(code, report), texts)


def unknown_done(report: Report, texts: Texts, commune: str | None, unassigned: bool) -> Done:
    """An unknown number's report goes straight to a commune health station,
    or to district staff when no commune could be told."""
    return done(Declare(report, commune), texts, Stored(unassigned=unassigned))


def _who(stored: Stored, texts: Texts) -> str:
    if stored.member is not None:
        name, phone = clean(stored.member[0], NAME), clean(stored.member[1], PHONE)
        if phone:
            return texts.member_will_call.format(name, phone) if name else phone
    return texts.district_will_call if stored.unassigned else texts.station_will_call


def _urgent(report: Report, texts: Texts, recorded: str, who: str) -> str:
    parts = [
        texts.red_flag if report.red_flag else "",
        recorded,
        texts.monitoring if report.monitoring_days else "",
        who,
    ]
    return cut(" ".join(part for part in parts if part))
