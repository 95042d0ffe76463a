"""One USSD callback from start to end: who calls, the screen, resume, the store.

The webhook parses Africa's Talking's form and renders :class:`Answer`; all
the rest happens here, in this order:

1. the caller is identified once (``callers.identify``), and their context
   loaded from that same read;
2. the screen is stepped by the pure menu, then corrected for a dropped
   session's offer when Redis holds one (``ussd_sessions``: at most one round
   trip for a screen that does not resume, none for most households);
3. an END screen's effects are stored in one transaction (``outbox()``), and
   its text is built again from what was stored (``flows.ussd.after_store``):
   a confirmation never says more than the database holds. A household's
   "everyone is well", most of these screens, is stored in the inbox for the
   workers to record (``waiting_declarations``): one INSERT, and "recorded".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from peewee import IntegrityError

from db.base import utcnow
from db.models import Member
from flows.phones import InvalidPhone, to_e164
from flows.ussd import Context, Screen, Stored, after_store, step
from flows.ussd.texts import UNKNOWN_NUMBER
from gateway.services import ussd_sessions, waiting_declarations
from gateway.services.callers import Caller, identify, local_today
from gateway.services.declarations import recorded
from gateway.services.effects import Outcome, apply
from gateway.services.outbox import outbox
from gateway.services.ussd_context import load_context


@dataclass(frozen=True)
class Call:
    """A USSD callback's fields as the provider sent them."""

    session: str
    phone: str
    service_code: str
    text: str


@dataclass(frozen=True)
class Answer:
    """What to show: ``end`` picks "END " over "CON "."""

    end: bool
    text: str


def answer(call: Call, default_region: str, default_zone: str) -> Answer:
    """The screen for one callback, with whatever it records stored first."""
    try:
        phone = to_e164(call.phone, default_region)
    except InvalidPhone:
        return Answer(True, UNKNOWN_NUMBER)
    now = utcnow()
    caller = identify(phone, call.service_code)
    today = local_today(caller.commune, default_zone, now)
    ctx = load_context(caller, today)
    screen, tracked = _screen(call, caller, ctx, now)
    if not screen.effects:
        return Answer(screen.end, screen.text)
    source_ref = f"ussd:{call.session}"
    if waiting_declarations.can_wait(screen.effects, caller):
        waiting_declarations.store(caller, source_ref, today, now)
        stored = Stored()
    else:
        stored = _stored(_store(screen, caller, source_ref, default_zone), caller)
    if tracked:
        ussd_sessions.finish(call.session, phone)
    return Answer(True, after_store(screen.effects[-1], stored, ctx.language))


def _store(screen: Screen, caller: Caller, source_ref: str, default_zone: str) -> Outcome:
    """The END screen's effects in one transaction; the last one's outcome.

    The provider repeats a callback it got no answer to in time: the repeat
    fails on the declaration's unique ``source_ref``, rolls back whole, and is
    answered from what the first delivery stored.
    """
    try:
        with outbox():
            outcomes = [
                apply(effect, caller, "ussd", source_ref, default_zone) for effect in screen.effects
            ]
    except IntegrityError:
        earlier = recorded(source_ref)
        if earlier is None:
            raise
        return Outcome(declared=earlier)
    return outcomes[-1]


def _screen(call: Call, caller: Caller, ctx: Context, now: dt.datetime) -> tuple[Screen, bool]:
    """The screen, resumed if this phone has a dropped session on offer.

    Built first as if there were no offer and saved in the round trip that
    reads the offer; returns too whether Redis is looked at for this caller
    (households whose sessions saved nothing lately need no Redis at all).
    """
    first_call = call.text == ""
    screen = step(call.text, ctx)
    household = caller.view
    tracked = household is None or ussd_sessions.tracked(household.progress_at, now)
    if tracked:
        offer = ussd_sessions.exchange(call.session, caller.phone, first_call, screen)
        if offer:
            screen = step(call.text, replace(ctx, resumable=offer))
            ussd_sessions.remember_offered(call.session, caller.phone, offer, screen, first_call)
    elif ussd_sessions.holds_progress(screen):
        ussd_sessions.start_tracking(household.id, now)
        ussd_sessions.exchange(call.session, caller.phone, first_call, screen)
    return screen, tracked


def _stored(outcome: Outcome, caller: Caller) -> Stored:
    """What the confirmation may say: recorded or not, and who will call.

    The case's member is the household's (``cases.open_case``), so their name
    comes from the household's row already read, or from the member's row.
    """
    if outcome.problem is not None:
        return Stored(recorded=False)
    declared = outcome.declared
    if declared is None or declared.case_id is None or caller.household is None:
        return Stored(unassigned=outcome.unassigned)
    view = caller.view
    if view is not None:
        member = (view.member_name, view.member_phone) if view.member_id else None
        return Stored(member=member)
    assigned = Member.get_or_none(Member.id == caller.household.member_id)
    return Stored(member=(assigned.name, assigned.phone) if assigned else None)
