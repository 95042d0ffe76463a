"""The END screens that close a recording path, and the effect each one carries.

Each tells the caller what happens next (SPEC §4): who will call, and "call
115" first when the report carries a red flag, since the session may be cut
before a long screen is read to the end.
"""

from __future__ import annotations

from flows.effects import Declare, ProxyDeclare
from flows.report import Kind, Report
from flows.ussd.context import Context
from flows.ussd.engine import Done
from flows.ussd.fit import clean, cut
from flows.ussd.texts import Texts

NAME = 24
PHONE = 16


def household_done(report: Report, ctx: Context, texts: Texts) -> Done:
    """The caller's own household declared: the assigned member will call."""
    if report.kind is Kind.WELL:
        return Done(texts.well_done, (Declare(report),))
    phone = clean(ctx.member_phone, PHONE)
    if phone:
        name = clean(ctx.member_name, NAME)
        who = texts.member_will_call.format(name, phone) if name else phone
    else:
        who = texts.station_will_call
    return Done(_urgent(report, texts, texts.recorded, who), (Declare(report),))


def proxy_done(code: str, report: Report, texts: Texts) -> Done:
    """A member declared for a household; the case SMS reaches them anyway."""
    recorded = texts.proxy_recorded.format(clean(code, NAME))
    if report.kind is Kind.WELL:
        return Done(recorded, (ProxyDeclare(code, report),))
    return Done(_urgent(report, texts, recorded, ""), (ProxyDeclare(code, report),))


def unknown_done(report: Report, texts: Texts) -> Done:
    """An unknown number's report goes straight to the commune health station."""
    return Done(_urgent(report, texts, texts.recorded, texts.station_will_call), (Declare(report),))


def _urgent(report: Report, texts: Texts, recorded: str, who: str) -> str:
    parts = [
        texts.red_flag if report.red_flag else "",
        recorded,
        texts.monitoring if report.monitoring_days else "",
        who,
    ]
    return cut(" ".join(part for part in parts if part))
