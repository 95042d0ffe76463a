"""Delivery reports move a sent message forward, never back.

Reports arrive out of order and more than once (providers retry until they
get a 200), so a report only moves a message forward: a late ``sent`` after
``success`` changes nothing, and a repeated ``failed`` counts once. A
household phone whose messages keep failing is flagged so its member visits
instead of texting into the void.
"""

from __future__ import annotations

import datetime as dt
import logging

from db.base import database, utcnow
from db.models import Household, HouseholdPhone, OutboundMessage
from gateway.providers.base import DeliveryReport

log = logging.getLogger(__name__)

PROGRESS = ("queued", "sending", "sent", "submitted", "buffered")
"""The states a message passes through before a final one, in order."""
HANDED_OVER = ("sent", "submitted", "buffered", "success")
"""States of a message the provider took (a fast report may overtake ``sent``)."""
FAILURES = frozenset({"failed", "rejected", "expired"})
FAILURES_BEFORE_VISIT = 3
ACCOUNT_REASONS = frozenset({"InsufficientCredit", "InvalidLinkId"})
"""Failures of our account, not of the phone: they never flag a household."""


def record(report: DeliveryReport) -> int:
    """Move the messages the report names forward to its state; how many moved.

    The conditional UPDATE is the whole idempotency: a message already at or
    past the state does not match, so a repeated or late report changes nothing.
    """
    if report.message_id is not None:
        named = OutboundMessage.id == report.message_id
    else:
        named = OutboundMessage.provider_id == report.provider_id
    with database.atomic():
        moved = _move(named, report.state, report.reason)
    if not moved and not OutboundMessage.select().where(named).exists():
        given = report.provider_id if report.message_id is None else report.message_id
        log.info("delivery report for an unknown message id %s", str(given)[:64])
    return moved


def confirm_by_reply(phone: str, received_at: dt.datetime) -> int:
    """A text from ``phone`` proves it got the last message we sent it before
    ``received_at`` (naive UTC); how many moved.

    For routes whose reports stop at "the operator took it" (international
    routes into Vietnam): a household or member that texts in has a phone that
    is on and reachable, so their last message sent is marked delivered.
    """
    last = (
        OutboundMessage.select(OutboundMessage.id)
        .where(
            OutboundMessage.phone == phone,
            OutboundMessage.state.in_(HANDED_OVER),
            OutboundMessage.sent_at <= received_at,
        )
        .order_by(OutboundMessage.id.desc())
        .first()
    )
    if last is None:
        return 0
    return record(DeliveryReport("success", message_id=last.id, reason="replied"))


def _move(named, state: str, reason: str | None) -> int:
    earlier = PROGRESS[: PROGRESS.index(state)] if state in PROGRESS else PROGRESS
    values = {"state": state, "updated_at": utcnow()}
    if state in FAILURES and reason:
        values["failure_reason"] = reason[:255]
    moved = list(
        OutboundMessage.update(values)
        .where(named, OutboundMessage.state.in_(earlier))
        .returning(OutboundMessage.phone)
        .execute()
    )
    for phone in {row.phone for row in moved}:
        if state == "success":
            HouseholdPhone.update(failures=0).where(HouseholdPhone.phone == phone).execute()
        elif state in FAILURES and reason not in ACCOUNT_REASONS:
            _count_failure(phone, reason or state.capitalize())
    return len(moved)


def _count_failure(phone: str, reason: str) -> None:
    """One more final failure in a row; from the third on, the household gets a visit."""
    counted = (
        HouseholdPhone.update(failures=HouseholdPhone.failures + 1)
        .where(HouseholdPhone.phone == phone)
        .returning(HouseholdPhone.household, HouseholdPhone.failures)
        .execute()
    )
    for row in counted:
        if row.failures >= FAILURES_BEFORE_VISIT:
            Household.update(
                visit_reason=f"SMS to {phone} keeps failing: {reason}"[:255], updated_at=utcnow()
            ).where(Household.id == row.household_id).execute()
