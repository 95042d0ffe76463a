"""Console login: hashed passwords from ``StaffUser``, throttled, in a hardened cookie."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Request,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import LoginManager, UserMixin, login_user, logout_user
from werkzeug.security import generate_password_hash

from db.models import StaffCommune, StaffUser
from gateway import webhooks
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
        self._fingerprint = fingerprint(user)

    def get_id(self) -> str:
        return f"{self.user_id}:{self._fingerprint}"

    @property
    def can_edit(self) -> bool:
        """Commune admins change things; viewers and district users read."""
        return self.role == "admin"


def fingerprint(user: StaffUser) -> str:
    """A digest of the password hash kept in the session id.

    Resetting a password (``gateway staff create`` again) changes it, which
    logs out every browser still holding the old session.
    """
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def load_staff(session_id: str) -> Staff | None:
    user_id, _sep, given = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = StaffUser.get_or_none(StaffUser.id == int(user_id), StaffUser.active == True)  # noqa: E712
    if user is None or given != fingerprint(user):
        return None
    return staff_for(user)


def staff_for(user: StaffUser) -> Staff:
    communes = StaffCommune.select(StaffCommune.commune).where(StaffCommune.user == user)
    return Staff(user, frozenset(row.commune_id for row in communes))


class ConsoleSessionInterface(SecureCookieSessionInterface):
    """Session cookies marked ``Secure`` unless the app runs in debug or testing.

    Decided per response, not once at start-up, because the test fixtures turn
    ``TESTING`` on after the factory has run. ``SESSION_COOKIE_SECURE=True``
    in the config forces it on everywhere.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or not (app.debug or app.testing)

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        """Providers' callbacks carry no cookie and get none: no signer built per callback.

        Returning ``None`` gives them Flask's null session, which is never saved.
        """
        if request.path.startswith((webhooks.URL_PREFIX, webhooks.KANNEL_PREFIX)):
            return None
        return super().open_session(app, request)


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
    """Log in; after too many failures for this username and address, refuse for a while."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username, address = form.username.data.strip(), request.remote_addr or ""
        blocked = throttle.blocked(username, address)
        user = None if blocked else _check(username, form.password.data)
        if user is not None:
            throttle.clear(username, address)
            language = session.get("lang")
            session.clear()  # a fresh session at login: nothing carried over but the language
            if language:
                session["lang"] = language
            login_user(staff_for(user))
            audit("login")
            return redirect(_safe_next(request.args.get("next")) or url_for("console.home.index"))
        if blocked:
            flash(_("Too many failed attempts. Try again in 15 minutes."), "error")
            status = 429
        else:
            throttle.record_failure(username, address)
            audit_failed_login(username)
            flash(_("Wrong username or password."), "error")
            status = 401
    return render_template("console/login.html", form=form), status


@bp.post("/logout")
def logout() -> Response:
    """POST only, behind the console's CSRF check: a link elsewhere cannot log you out."""
    logout_user()
    return redirect(url_for("console.auth.login"))
