"""Africa's Talking callbacks: one blueprint per callback family, one token check.

Africa's Talking retries any callback that does not get a 200 for minutes, so
a well-formed request always gets 200 and a malformed one a 400 naming the
field (SPEC §3). With ``WEBHOOK_TOKEN`` set, a request without the right
``?token=`` gets 403 before anything is read or recorded.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Flask, Response, abort, current_app, request
from werkzeug.exceptions import HTTPException

MAX_FIELD = 2000
"""The longest field of all, a message's text (stored in a text column, cut to
what an SMS concatenation can carry). Longer is not from a provider: refused whole."""
MAX_ID = 200
"""Provider ids, link ids and session ids: stored in ``varchar(255)`` columns,
some behind a prefix (``ussd:``). PostgreSQL refuses a longer value where
SQLite stores it, so the limit is checked here, the same for both."""
MAX_SHORT = 64
"""Phones, codes, dates, states: a real one is a few dozen characters at most."""
FIELD_LIMITS = {
    "text": MAX_FIELD,
    "input": MAX_FIELD,
    "id": MAX_ID,
    "linkId": MAX_ID,
    "sessionId": MAX_ID,
    "failureReason": MAX_ID,
    "from": MAX_SHORT,
    "to": MAX_SHORT,
    "phoneNumber": MAX_SHORT,
    "networkCode": MAX_SHORT,
    "serviceCode": MAX_SHORT,
    "date": MAX_SHORT,
    "status": MAX_SHORT,
    "retryCount": MAX_SHORT,
}
"""Each field's bound, where it is parsed; a field not named here gets :data:`MAX_ID`."""
MAX_BODY = 64 * 1024
"""A callback is a few hundred bytes. Werkzeug parses a url-encoded body whole,
whatever ``MAX_FORM_MEMORY_SIZE`` says, so a bigger one is refused (413) unread."""


URL_PREFIX = "/webhooks/africastalking"
KANNEL_PREFIX = "/webhooks/kannel"
CALLBACK_PREFIXES = (URL_PREFIX, KANNEL_PREFIX)
"""Where providers call: machines, no browser, no cookie, no page to frame."""


def is_callback(path: str) -> bool:
    """Whether a request path is a provider's callback (the hot path: keep it bare)."""
    return path.startswith(CALLBACK_PREFIXES)


def check_token() -> None:
    expected = current_app.config["SETTINGS"].webhook_token
    if expected is None:
        return
    given = request.args.get("token", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        abort(403)


def limit_body() -> None:
    request.max_content_length = MAX_BODY


def form_fields(*required: str, optional: tuple[str, ...] = ()) -> dict[str, str]:
    """The callback's form fields; 400 naming the first missing or oversized one
    (each field's bound in :data:`FIELD_LIMITS`).

    A required field must also be non-empty, except ``text``, which is empty on
    a USSD session's first call and in an empty SMS. NUL characters are dropped:
    no phone sends them, and PostgreSQL cannot store them.
    """
    form = request.form
    values = {}
    for name in required:
        if name not in form or (name != "text" and not form[name].strip()):
            abort(400, description=f"missing field: {name}")
    for name in (*required, *optional):
        value = form.get(name, "")
        if len(value) > FIELD_LIMITS.get(name, MAX_ID):
            abort(400, description=f"field too long: {name}")
        values[name] = value.replace("\x00", "")
    return values


def plain_error(error: HTTPException) -> Response:
    """Providers read status codes and logs, not HTML pages."""
    return Response(f"{error.code} {error.description}", error.code, mimetype="text/plain")


def init_app(app: Flask) -> None:
    from gateway.webhooks import delivery, kannel, sms, ussd

    families = (
        ("webhooks", URL_PREFIX, (ussd, sms, delivery)),
        ("kannel", KANNEL_PREFIX, (kannel,)),
    )
    for name, prefix, modules in families:
        parent = Blueprint(name, __name__, url_prefix=prefix)
        parent.before_request(check_token)
        parent.before_request(limit_body)
        for code in (400, 403, 405, 413):
            parent.register_error_handler(code, plain_error)
        for module in modules:
            parent.register_blueprint(module.bp)
        app.register_blueprint(parent)
