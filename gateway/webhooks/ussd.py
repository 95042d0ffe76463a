"""``POST /webhooks/africastalking/ussd`` and its session-end events."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from gateway.services import ussd_calls, ussd_sessions
from gateway.webhooks import form_fields

bp = Blueprint("ussd", __name__)


@bp.post("/ussd")
def ussd() -> Response:
    fields = form_fields(
        "sessionId", "phoneNumber", "text", optional=("serviceCode", "networkCode")
    )
    settings = current_app.config["SETTINGS"]
    call = ussd_calls.Call(
        fields["sessionId"], fields["phoneNumber"], fields["serviceCode"], fields["text"]
    )
    answer = ussd_calls.answer(call, settings.default_region, settings.timezone)
    return Response(("END " if answer.end else "CON ") + answer.text, mimetype="text/plain")


@bp.post("/ussd/events")
def ussd_events() -> Response:
    """Session end: a completed session cannot be resumed, a dropped one can."""
    fields = form_fields("sessionId", "phoneNumber", "status", optional=("input",))
    if fields["status"] == "Success":
        ussd_sessions.session_ended(
            fields["phoneNumber"], current_app.config["SETTINGS"].default_region
        )
    return Response("", mimetype="text/plain")
