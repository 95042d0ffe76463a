"""``GET``/``POST /webhooks/kannel/sms`` and ``/delivery``: Kannel's callbacks.

Kannel puts its fields in the URL (``get-url``, ``dlr-url``) and, with
``post-url``, the SMS's text in the body. The text comes as bytes in the
charset Kannel names (UTF-16BE for a UCS-2 message), so the fields are read
here as bytes and the Kannel module decodes them. The answer is always empty:
Kannel would send a body back to the phone as a reply, and replies go through
the outbox like every other message.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, Response, abort, current_app, request

from gateway import metrics
from gateway.providers.kannel import CallbackError, delivery_report, incoming_sms
from gateway.services import delivery as deliveries
from gateway.services.inbound_sms import receive
from gateway.webhooks import FIELD_LIMITS, MAX_FIELD, MAX_ID

bp = Blueprint("callbacks", __name__)

MAX_FIELDS = 100
"""Kannel sends seven or so; a query string of thousands is not Kannel."""
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


@bp.route("/sms", methods=["GET", "POST"])
def sms() -> Response:
    try:
        incoming = incoming_sms(_fields())
    except CallbackError as exc:
        abort(400, description=str(exc))
    if len(incoming.text) > MAX_FIELD:
        abort(400, description="field too long: text")
    outcome = receive(incoming, current_app.config["SETTINGS"])
    if outcome != "received":  # the workers count what they handle
        metrics.SMS_RECEIVED.labels(outcome=outcome).inc()
    return Response("", mimetype="text/plain")


@bp.route("/delivery", methods=["GET", "POST"])
def delivery() -> Response:
    try:
        report = delivery_report(_fields())
    except CallbackError as exc:
        abort(400, description=str(exc))
    deliveries.record(report)
    return Response("", mimetype="text/plain")


def _fields() -> dict[str, bytes]:
    """Every field as bytes: the query string's first, then a form's, then the body as ``text``.

    The query string is split by hand because Flask would decode ``%a`` as
    UTF-8, mangling the UTF-16BE of a UCS-2 message.
    """
    try:
        pairs = parse_qsl(
            request.query_string.decode("latin-1"),
            keep_blank_values=True,
            encoding="latin-1",
            max_num_fields=MAX_FIELDS,
        )
    except ValueError:
        abort(400, description="too many fields")
    fields: dict[str, bytes] = {}
    for name, value in pairs:
        fields.setdefault(name, value.encode("latin-1"))
    if request.method == "POST":
        if request.mimetype in FORMS:
            if "text" in request.form and "text" not in fields:
                fields["charset"] = b"UTF-8"
            for name, value in request.form.items():
                fields.setdefault(name, value.encode())
        elif "text" not in fields:
            fields["text"] = request.get_data(cache=False)
            fields.setdefault("charset", request.mimetype_params.get("charset", "").encode())
    for name, value in fields.items():
        if name != "text" and len(value) > FIELD_LIMITS.get(name, MAX_ID):
            abort(400, description=f"field too long: {name}")
    return fields
