"""``POST /webhooks/africastalking/ussd`` and its session-end events."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, current_app

from db.base import utcnow
from flows.phones import InvalidPhone, to_e164
from flows.ussd import step
from gateway.services import ussd_sessions
from gateway.services.callers import identify
from gateway.services.effects import apply
from gateway.services.outbox import outbox
from gateway.services.ussd_context import load_context
from gateway.webhooks import form_fields

bp = Blueprint("ussd", __name__)

UNKNOWN_NUMBER = "Xin loi, khong nhan ra so may cua ban. Sorry, we cannot read your number."


def _answer(end: bool, text: str) -> Response:
    return Response(("END " if end else "CON ") + text, mimetype="text/plain")


@bp.post("/ussd")
def ussd() -> Response:
    fields = form_fields(
        "sessionId", "phoneNumber", "text", optional=("serviceCode", "networkCode")
    )
    settings = current_app.config["SETTINGS"]
    try:
        phone = to_e164(fields["phoneNumber"], settings.default_region)
    except InvalidPhone:
        return _answer(True, UNKNOWN_NUMBER)
    session, text = fields["sessionId"], fields["text"]
    first_call = text == ""
    ctx, household = load_context(phone, fields["serviceCode"], settings.timezone)
    screen = step(text, ctx)
    now = utcnow()
    tracked = household is None or ussd_sessions.tracked(household.progress_at, now)
    if tracked:
        offer = ussd_sessions.exchange(session, phone, first_call, screen)
        if offer:
            screen = step(text, replace(ctx, resumable=offer))
            ussd_sessions.remember_offered(session, phone, offer, screen, first_call)
    elif ussd_sessions.holds_progress(screen):
        ussd_sessions.start_tracking(household.id, now)
        ussd_sessions.exchange(session, phone, first_call, screen)
    if screen.effects:
        caller = identify(phone, fields["serviceCode"])
        with outbox():
            for effect in screen.effects:
                apply(effect, caller, "ussd", f"ussd:{session}", settings.timezone)
        if tracked:
            ussd_sessions.finish(session, phone)
    return _answer(screen.end, screen.text)


@bp.post("/ussd/events")
def ussd_events() -> Response:
    """Session end: a completed session cannot be resumed, a dropped one can."""
    fields = form_fields("sessionId", "phoneNumber", "status", optional=("input",))
    if fields["status"] == "Success":
        try:
            phone = to_e164(fields["phoneNumber"], current_app.config["SETTINGS"].default_region)
        except InvalidPhone:
            return Response("", mimetype="text/plain")
        ussd_sessions.forget(phone)
    return Response("", mimetype="text/plain")
