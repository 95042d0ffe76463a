"""An SMS arrives: store it, understand it, act on it, and queue one reply.

The inbound row, whatever it causes (declaration, case, alerts) and the reply
commit together, before the webhook answers; the reply leaves through the
outbox once committed, so nothing is lost if Redis or a worker is down.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from peewee import IntegrityError

from db.base import utcnow
from db.models import Household, InboundMessage
from flows.phones import InvalidPhone, is_reply_address, mask, to_e164
from flows.sms import grammar, replies
from gateway.jobs import DEFAULT
from gateway.providers.base import IncomingSms
from gateway.services.callers import Caller, identify
from gateway.services.effects import Outcome, apply
from gateway.services.outbox import outbox, queue_sms

THROTTLE_COUNT = 20
THROTTLE_WINDOW = dt.timedelta(minutes=5)
MAX_TEXT = 1600
log = logging.getLogger(__name__)


def receive(sms: IncomingSms, settings) -> str:
    """Handle one inbound SMS; returns its outcome, as stored on the inbound row.

    The inbound row is written last, with its outcome, in the same transaction
    as what the message caused: a repeated provider id fails on the unique
    index and rolls the whole delivery back. Repeats are rare, so checking
    first would cost every message a query to save a few.
    """
    sender, text, provider_id = sms.sender, sms.text, sms.provider_id
    try:
        phone = to_e164(sender, settings.default_region) if is_reply_address(sender) else None
    except InvalidPhone:
        phone = None
    reading = _read(phone, text) if phone is not None else None
    try:
        with outbox():
            outcome = _act(reading, provider_id, settings) if reading else "ignored"
            InboundMessage.create(
                provider_id=provider_id,
                phone=phone or sender[:32],
                to=sms.to[:32],
                text=text[:MAX_TEXT],
                link_id=sms.link_id or None,
                network_code=sms.network or None,
                outcome=outcome,
            )
    except IntegrityError:
        # The provider sent this id before: everything this delivery did is undone.
        return "duplicate"
    log.info("sms from %s: %s", mask(phone) if phone else "non-replyable sender", outcome)
    return outcome


@dataclass(frozen=True)
class Reading:
    """Who sent what, worked out before the write transaction starts.

    SQLite has one writer at a time: every read done here instead of inside
    the transaction shortens the time the others wait.
    """

    caller: Caller
    recent: int
    command: grammar.Command


def _read(phone: str, text: str) -> Reading:
    recent = (
        InboundMessage.select()
        .where(
            InboundMessage.phone == phone,
            InboundMessage.received_at >= utcnow() - THROTTLE_WINDOW,
        )
        .count()
    )
    return Reading(identify(phone), recent, grammar.parse(text))


def _act(reading: Reading, provider_id: str, settings) -> str:
    caller, command = reading.caller, reading.command
    if reading.recent >= THROTTLE_COUNT:
        if reading.recent == THROTTLE_COUNT:
            _flag(caller)
            _reply(caller, replies.throttled(caller.language))
        return "throttled"
    effect = grammar.to_effect(command)
    outcome = Outcome()
    if effect is not None:
        outcome = apply(effect, caller, "sms", f"sms:{provider_id}", settings.timezone)
    _reply(caller, compose(command, outcome, caller))
    return "handled" if outcome.problem is None else outcome.problem


def compose(command: grammar.Command, outcome: Outcome, caller: Caller) -> str:
    """The one reply for what was asked and what happened."""
    lang = caller.language
    problems = {
        "not_a_member": replies.not_a_member,
        "no_commune": replies.not_understood,
    }
    if outcome.problem == "unknown_household":
        return replies.unknown_household(lang, getattr(command, "household_code", ""))
    if outcome.problem == "unknown_case":
        return replies.unknown_case(lang, getattr(command, "case_number", 0))
    if outcome.problem in problems:
        return problems[outcome.problem](lang)
    match command:
        case grammar.ProxyDeclaration(code, _):
            return replies.declared_for(lang, code)
        case grammar.Declaration(report):
            declared = outcome.declared
            if outcome.unassigned:
                case_number = declared.case_id if declared else None
                return replies.declared_unassigned(lang, case_number, report.red_flag)
            if declared is None or declared.case_id is None:
                return replies.declared_well(lang)
            member = caller.household.member if caller.household else None
            return replies.declared_urgent(
                lang,
                member.name if member else None,
                member.phone if member else None,
                report.red_flag,
                declared.case_id,
            )
        case grammar.Acknowledgement(number):
            return replies.acknowledged(lang, number)
        case grammar.Resolution(number, _):
            return replies.resolved(lang, number)
        case grammar.HelpRequest():
            return replies.help_text(lang)
        case grammar.Stop():
            return replies.stopped(lang)
        case grammar.Start():
            return replies.started(lang)
        case grammar.Unknown(grammar.Reason.CASE_MISSING):
            return replies.ask_case_number(lang)
    return replies.not_understood(lang)


def _reply(caller: Caller, text: str) -> None:
    queue_sms(
        caller.phone,
        text,
        priority=DEFAULT,
        household_id=caller.household.id if caller.household else None,
    )


def _flag(caller: Caller) -> None:
    """A phone sending too much is a stuck phone or a prank: its member should look."""
    if caller.household is not None:
        Household.update(visit_reason="too many SMS in 5 minutes").where(
            Household.id == caller.household.id
        ).execute()
