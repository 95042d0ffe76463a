"""The staff console (SPEC §8): server-rendered pages under ``/console``.

Every page needs a login except the login page itself; every POST carries a
CSRF token; every per-commune page lives under ``/console/c/<code>/`` and is
scoped to that commune (see :mod:`gateway.console.scoping`).
"""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from gateway.console import auth, formatting, i18n, params
from gateway.console.forms import ActionForm, LanguageForm
from gateway.console.scoping import commune_blueprint
from gateway.console.views import (
    audit,
    budget,
    cases,
    home,
    household_files,
    households,
    messages,
    reports,
    schedules,
    simulator,
    station,
    teams,
    today,
    unassigned,
)

PUBLIC = {"console.auth.login", "console.language.switch", "console.static"}
"""Endpoints reachable without a login."""

UPLOAD_LIMIT = 64 * 1024 * 1024
"""Household files (a district's, tens of thousands of rows) are larger than the
app-wide limit set for webhooks; Werkzeug spools them to disk as they arrive."""
UPLOAD_FORM_MEMORY = 1024 * 1024
"""Werkzeug refuses a multipart body whose parse buffer plus one read (64 KiB)
passes ``MAX_FORM_MEMORY_SIZE``, file parts included: at the webhooks' 64 KiB
any upload past a read or two would get a 413. The form's text fields are tiny."""
UPLOAD_ENDPOINTS = {"console.commune.household_files.upload"}

PAGES = (today, households, household_files, teams, schedules, cases, messages, reports, simulator)
PAGES += (budget, audit, station)


def init_app(app: Flask) -> None:
    params.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    # Checked only for console requests (below): the webhooks are posted by
    # Africa's Talking, which has no token and must never get a CSRF 400.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    # A form stays valid for a working day: a page left open at the health
    # station over lunch must still submit. The token is bound to the session.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 12 * 3600)
    csrf = CSRFProtect(app)
    app.register_blueprint(_console(csrf))


def _console(csrf: CSRFProtect) -> Blueprint:
    console = Blueprint(
        "console",
        __name__,
        url_prefix="/console",
        template_folder="templates",
        static_folder="static",
    )

    @console.before_request
    def _guard() -> Response | None:
        if request.endpoint in UPLOAD_ENDPOINTS:
            request.max_content_length = UPLOAD_LIMIT
            request.max_form_memory_size = UPLOAD_FORM_MEMORY
        params.refuse_control_characters()
        csrf.protect()
        if request.endpoint not in PUBLIC and not current_user.is_authenticated:
            return auth.unauthorized()
        return None

    @console.context_processor
    def _helpers() -> dict[str, object]:
        return {
            **formatting.helpers(),
            # Never bound to the request's form: an error page for a refused
            # upload (413) must not read the body that was refused.
            "action_form": ActionForm(formdata=None),
            "language_form": LanguageForm(formdata=None),
            "language": i18n.select_locale(),
        }

    @console.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("console/error.html", error=error, csrf=True), 400

    for code in (400, 403, 404, 413):

        @console.errorhandler(code)
        def _error(error: HTTPException) -> tuple[str, int]:
            return render_template("console/error.html", error=error), error.code or 500

    console.register_blueprint(auth.bp)
    console.register_blueprint(i18n.bp)
    console.register_blueprint(home.bp)
    console.register_blueprint(unassigned.bp)
    per_commune = commune_blueprint()
    for page in PAGES:
        per_commune.register_blueprint(page.bp)
    console.register_blueprint(per_commune)
    return console
