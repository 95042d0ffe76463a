"""Console login: hashed passwords from ``StaffUser``, throttled, in a hardened cookie."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.security import generate_password_hash

from db.models import StaffCommune, StaffUser
from gateway.console import throttle
from gateway.console.audit_trail import audit, audit_failed_login
from gateway.console.forms import LoginForm
from gateway.services.staff import verify_password

bp = Blueprint("auth", __name__)

# Checked against when the username is unknown, so a wrong username takes as
# long as a wrong password and response times do not reveal who has a login.
_DUMMY_HASH = generate_password_hash("not a password")


class Staff(UserMixin):
    """The logged-in staff user as the console sees them, loaded once per request."""

    def __init__(self, user: StaffUser, commune_ids: frozenset[int]) -> None:
        self.user_id = user.id
        self.username = user.username
        self.role = user.role
        self.commune_ids = commune_ids
        self._version = user.session_version

    def get_id(self) -> str:
        return f"{self.user_id}:{self._version}"

    @property
    def can_edit(self) -> bool:
        """Commune admins change things; viewers and district users read."""
        return self.role == "admin"


SESSION_ID = re.compile(r"([0-9]{1,10}):([0-9]{1,10})")
LOGIN_AT, SEEN_AT = "login_at", "seen_at"
SEEN_EVERY = 60
"""Seconds between two refreshes of the idle clock, so the cookie is not rewritten
on every request."""


def load_staff(session_id: str) -> Staff | None:
    """The session's user, if the session is still good.

    A session names the user's session version (bumped by logout and by a new
    password, so a copied cookie dies with the session it was copied from) and
    carries its login time and last use, checked against the idle and absolute
    timeouts. A session that fails any check is emptied: the login page follows.
    """
    found = SESSION_ID.fullmatch(session_id)
    user = found and StaffUser.get_or_none(
        StaffUser.id == int(found.group(1)),
        StaffUser.active == True,  # noqa: E712
    )
    if not user or int(found.group(2)) != user.session_version or _expired():
        fresh_session()
        return None
    now = int(time.time())
    if now - session.get(SEEN_AT, 0) >= SEEN_EVERY:
        session[SEEN_AT] = now
    return staff_for(user)


def _expired() -> bool:
    settings = current_app.config["SETTINGS"]
    now = time.time()
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return True
    return (
        now - login_at > settings.session_max_hours * 3600
        or now - seen_at > settings.session_idle_minutes * 60
    )


def staff_for(user: StaffUser) -> Staff:
    communes = StaffCommune.select(StaffCommune.commune).where(StaffCommune.user == user)
    return Staff(user, frozenset(row.commune_id for row in communes))


def fresh_session() -> None:
    """An empty session but for the language: at login, at logout, when one expires."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def end_sessions(user_id: int) -> None:
    """Every session of this user, in every browser and every copy, stops working."""
    StaffUser.update(session_version=StaffUser.session_version + 1).where(
        StaffUser.id == user_id
    ).execute()


class ConsoleSessionInterface(SecureCookieSessionInterface):
    """Session cookies marked ``Secure`` unless the app runs in debug or testing.

    Decided per response, not once at start-up, because the test fixtures turn
    ``TESTING`` on after the factory has run. ``SESSION_COOKIE_SECURE=True``
    in the config forces it on everywhere.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or not (app.debug or app.testing)


def init_app(app: Flask) -> None:
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.session_interface = ConsoleSessionInterface()
    manager = LoginManager()
    manager.login_view = "console.auth.login"
    manager.login_message = lazy_gettext("Please log in to see this page.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.user_loader(load_staff)
    manager.init_app(app)


def unauthorized() -> Response:
    """Flask-Login's answer to an anonymous request: to the login page, then back."""
    return current_app.login_manager.unauthorized()


def _safe_next(target: str | None) -> str | None:
    """Only a path inside the console: never an open redirect to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/console/"):
        return None
    return target


def _check(username: str, password: str) -> StaffUser | None:
    """The active user with this password, or ``None``; the same time either way."""
    user = StaffUser.get_or_none(StaffUser.username == username)
    if user is None:
        verify_password(StaffUser(password_hash=_DUMMY_HASH), password)
        return None
    return user if verify_password(user, password) and user.active else None


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    """Log in, unless this client has failed too often (see :mod:`throttle`)."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username, client = form.username.data.strip(), request.remote_addr or ""
        blocked = throttle.blocked(username, client)
        user = None if blocked else _check(username, form.password.data)
        if user is not None:
            throttle.succeeded(username, client)
            fresh_session()
            now = int(time.time())
            session[LOGIN_AT] = session[SEEN_AT] = now
            login_user(staff_for(user))
            audit("login")
            return redirect(_safe_next(request.args.get("next")) or url_for("console.home.index"))
        if blocked:
            flash(_("Too many failed attempts. Try again in 15 minutes."), "error")
            status = 429
        else:
            throttle.failed(username, client)
            audit_failed_login(username)
            flash(_("Wrong username or password."), "error")
            status = 401
    return render_template("console/login.html", form=form), status


@bp.post("/logout")
def logout() -> Response:
    """POST only, behind the console's CSRF check: a link elsewhere cannot log you out.

    Ends the user's sessions on the server too, so a copy of this cookie is
    refused from now on, not only the browser's own.
    """
    if current_user.is_authenticated:
        end_sessions(current_user.user_id)
    logout_user()
    fresh_session()
    return redirect(url_for("console.auth.login"))
