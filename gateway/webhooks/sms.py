"""``POST /webhooks/africastalking/sms``: an incoming SMS."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from gateway import metrics
from gateway.services.inbound_sms import receive
from gateway.webhooks import form_fields

bp = Blueprint("sms", __name__)


@bp.post("/sms")
def sms() -> Response:
    fields = form_fields("from", "text", "id", optional=("to", "date", "linkId", "networkCode"))
    outcome = receive(
        fields["from"],
        fields["to"],
        fields["text"],
        fields["id"],
        fields["linkId"],
        fields["networkCode"],
        current_app.config["SETTINGS"],
    )
    metrics.SMS_RECEIVED.labels(outcome=outcome).inc()
    return Response(outcome, mimetype="text/plain")
