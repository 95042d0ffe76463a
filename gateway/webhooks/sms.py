"""``POST /webhooks/africastalking/sms``: an incoming SMS, stored for the workers."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from gateway import metrics
from gateway.providers.base import IncomingSms
from gateway.services.inbound_sms import receive
from gateway.webhooks import form_fields

bp = Blueprint("sms", __name__)


@bp.post("/sms")
def sms() -> Response:
    """Answers ``received`` (a worker will handle it), ``duplicate`` or ``ignored``."""
    fields = form_fields("from", "text", "id", optional=("to", "date", "linkId", "networkCode"))
    incoming = IncomingSms(
        sender=fields["from"],
        text=fields["text"],
        provider_id=fields["id"],
        to=fields["to"],
        link_id=fields["linkId"],
        network=fields["networkCode"],
    )
    outcome = receive(incoming, current_app.config["SETTINGS"])
    if outcome != "received":
        metrics.SMS_RECEIVED.labels(outcome=outcome).inc()
    return Response(outcome, mimetype="text/plain")
