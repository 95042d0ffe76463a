"""``POST /webhooks/africastalking/delivery``: what became of a message we sent.

Reports arrive out of order and more than once (Africa's Talking retries
until it gets a 200), so a report only moves a message forward: a late
``Sent`` after ``Success`` changes nothing, and a repeated ``Failed`` counts
once. A household phone whose messages keep failing is flagged so its member
visits instead of texting into the void.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort

from db.base import database, utcnow
from db.models import Household, HouseholdPhone, OutboundMessage
from gateway.webhooks import form_fields

bp = Blueprint("delivery", __name__)
log = logging.getLogger(__name__)

STATES = {
    "Sent": "sent",
    "Submitted": "submitted",
    "Buffered": "buffered",
    "Success": "success",
    "Failed": "failed",
    "Rejected": "rejected",
    "Expired": "expired",
}
PROGRESS = ("queued", "sending", "sent", "submitted", "buffered")
"""The states a message passes through before a final one, in order."""
FAILURES = frozenset({"failed", "rejected", "expired"})
FAILURES_BEFORE_VISIT = 3
ACCOUNT_REASONS = frozenset({"InsufficientCredit", "InvalidLinkId"})
"""Failures of our account, not of the phone: they never flag a household."""


@bp.post("/delivery")
def delivery() -> tuple[str, int]:
    fields = form_fields(
        "id", "status", optional=("phoneNumber", "networkCode", "failureReason", "retryCount")
    )
    state = STATES.get(fields["status"])
    if state is None:
        abort(400, description="unknown value of field: status")
    if not fields["id"]:
        abort(400, description="empty field: id")
    with database.atomic():
        changed = record_delivery(fields["id"], state, fields["failureReason"] or None)
    if (
        not changed
        and not OutboundMessage.select().where(OutboundMessage.provider_id == fields["id"]).exists()
    ):
        log.info("delivery report for an unknown message id %s", fields["id"][:64])
    return "", 200


def record_delivery(provider_id: str, state: str, reason: str | None) -> int:
    """Move the messages sent as ``provider_id`` forward to ``state``; how many moved.

    The conditional UPDATE is the whole idempotency: a message already at or
    past ``state`` does not match, so a repeated or late report changes nothing.
    """
    earlier = PROGRESS[: PROGRESS.index(state)] if state in PROGRESS else PROGRESS
    values = {"state": state, "updated_at": utcnow()}
    if state in FAILURES and reason:
        values["failure_reason"] = reason[:255]
    moved = list(
        OutboundMessage.update(values)
        .where(OutboundMessage.provider_id == provider_id, OutboundMessage.state.in_(earlier))
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
