"""The commune's SMS: outbound with their delivery state, and inbound.

A household that never declares may simply have a phone that cannot be
reached; the delivery state (and failure reason) here is how staff find out
before they send someone to knock on the door. On a route whose reports stop
at the operator, the page says so: "submitted" is then all staff will see
until the phone replies.
"""

from __future__ import annotations

import re

from flask import Blueprint, render_template, request

from db.models import InboundMessage, OutboundMessage
from db.models.messages import OUTBOUND_STATES
from gateway.console import params
from gateway.console.audit_trail import audit
from gateway.console.scoping import scoped
from gateway.providers import current_provider

bp = Blueprint("messages", __name__, url_prefix="/messages")

PAGE = 100


def _phone_filter() -> str:
    """Digits of the phone searched for, without the leading 0 or country code typed."""
    return re.sub(r"\D", "", request.args.get("phone", ""))[:15].lstrip("0")


@bp.get("/")
def index() -> str:
    box = "in" if request.args.get("box") == "in" else "out"
    state = request.args.get("state", "")
    state = state if state in OUTBOUND_STATES else ""
    phone = _phone_filter()
    page = params.page(request.args)
    if box == "out":
        query = scoped(OutboundMessage.select(), OutboundMessage).order_by(
            OutboundMessage.created_at.desc(), OutboundMessage.id.desc()
        )
        if state:
            query = query.where(OutboundMessage.state == state)
        if phone:
            query = query.where(OutboundMessage.phone.contains(phone))
    else:
        query = scoped(InboundMessage.select(), InboundMessage).order_by(
            InboundMessage.received_at.desc(), InboundMessage.id.desc()
        )
        if phone:
            query = query.where(InboundMessage.phone.contains(phone))
    rows = list(query.offset((page - 1) * PAGE).limit(PAGE + 1))
    audit("messages_view", f"{box} page {page}")
    return render_template(
        "console/messages.html",
        box=box,
        rows=rows[:PAGE],
        more=len(rows) > PAGE,
        page=page,
        state=state,
        states=OUTBOUND_STATES,
        phone=request.args.get("phone", "")[:20],
        confirms_delivery=current_provider().confirms_delivery,
    )
