"""``POST /webhooks/africastalking/delivery``: what became of a message we sent."""

from __future__ import annotations

from flask import Blueprint, abort

from gateway.providers.africastalking import DELIVERY_STATES
from gateway.providers.base import DeliveryReport
from gateway.services import delivery as deliveries
from gateway.webhooks import form_fields

bp = Blueprint("delivery", __name__)


@bp.post("/delivery")
def delivery() -> tuple[str, int]:
    fields = form_fields(
        "id", "status", optional=("phoneNumber", "networkCode", "failureReason", "retryCount")
    )
    state = DELIVERY_STATES.get(fields["status"])
    if state is None:
        abort(400, description="unknown value of field: status")
    if not fields["id"]:
        abort(400, description="empty field: id")
    report = DeliveryReport(state, provider_id=fields["id"], reason=fields["failureReason"] or None)
    deliveries.record(report)
    return "", 200
