"""Providers' callbacks: one blueprint per callback family, one token check.

Africa's Talking retries any callback that does not get a 200 for minutes, so
a well-formed request always gets 200 and a malformed one a 400 naming the
field (SPEC §3). With ``WEBHOOK_TOKEN`` set, a request without the right
``?token=`` gets 403 before anything is read or recorded.

The callbacks are served by a Flask app of their own, in front of the
console's (:class:`CallbackRouter`), on the same server and the same routes.
They share its settings, database, Redis and metrics, and nothing else: the
console's extensions (security headers, CSRF, logins, session cookies) are for
browsers, and a provider's request never passes through them. A USSD screen
is mostly Flask's own work, so every hook it is spared shows in how many
screens a server answers.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from flask import Blueprint, Flask, Response, abort, current_app, request
from flask.sessions import SessionInterface
from werkzeug.exceptions import HTTPException

from gateway import database, metrics

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

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


URLENCODED = "application/x-www-form-urlencoded"
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
    form = posted_form()
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


def posted_form() -> Mapping[str, str]:
    """The posted form; a url-encoded one, as providers post theirs, read with the
    standard library.

    Werkzeug's general form parser (``request.form``) costs a USSD screen more
    than its one SQL read. This reads what it would: the body as UTF-8 (one
    that is not is no form at all), blank values kept, the first of a repeated
    field. An escape that is not UTF-8 becomes U+FFFD. Other bodies (multipart)
    go to Werkzeug.
    """
    if request.mimetype != URLENCODED:
        return request.form
    try:
        body = request.get_data().decode()
    except UnicodeDecodeError:
        return {}
    fields: dict[str, str] = {}
    for name, value in parse_qsl(body, keep_blank_values=True):
        fields.setdefault(name, value)
    return fields


def plain_error(error: HTTPException) -> Response:
    """Providers read status codes and logs, not HTML pages."""
    return Response(f"{error.code} {error.description}", error.code, mimetype="text/plain")


class NoSessions(SessionInterface):
    """Providers send no cookie and get none: Flask's null session, never saved."""

    def open_session(self, app: Flask, request: object) -> None:
        return None

    def save_session(self, app: Flask, session: object, response: Response) -> None:
        return None


class CallbackRouter:
    """The WSGI app in front: callbacks (by path) to their app, the rest to the console's."""

    def __init__(self, callbacks: WSGIApplication, pages: WSGIApplication) -> None:
        self.callbacks = callbacks
        self.pages = pages

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if is_callback(environ.get("PATH_INFO", "")):
            return self.callbacks(environ, start_response)
        return self.pages(environ, start_response)


def init_app(app: Flask) -> None:
    """Put the callbacks' own app (sharing ``app``'s config and extensions) in front of ``app``.

    The callbacks' blueprints are registered on ``app`` too, so its routing
    table (``flask routes``, ``url_for``, ``app.url_map``) is the whole
    interface; no request reaches them there, the router sends it on first.
    Runs before anything else wraps ``app.wsgi_app`` (``gateway.proxies``), so
    what wraps it sees every request.
    """
    callbacks = Flask(app.import_name, static_folder=None)
    callbacks.config = app.config
    callbacks.extensions = app.extensions
    callbacks.session_interface = NoSessions()
    metrics.count_requests(callbacks)
    database.per_request(callbacks)
    for family in _families():
        callbacks.register_blueprint(family)
        app.register_blueprint(family)
    app.wsgi_app = CallbackRouter(callbacks.wsgi_app, app.wsgi_app)  # type: ignore[method-assign]


def _families() -> list[Blueprint]:
    """One blueprint per callback family, each behind the token check and body limit."""
    from gateway.webhooks import delivery, kannel, sms, ussd

    families = []
    for name, prefix, modules in (
        ("webhooks", URL_PREFIX, (ussd, sms, delivery)),
        ("kannel", KANNEL_PREFIX, (kannel,)),
    ):
        parent = Blueprint(name, __name__, url_prefix=prefix)
        parent.before_request(check_token)
        parent.before_request(limit_body)
        for code in (400, 403, 405, 413):
            parent.register_error_handler(code, plain_error)
        for module in modules:
            parent.register_blueprint(module.bp)
        families.append(parent)
    return families
