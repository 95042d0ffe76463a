"""Sessions end on the server: logout, a new password, idle and absolute timeouts."""

from __future__ import annotations

import dataclasses
import time

import pytest

from gateway.config import ConfigError, Settings
from gateway.console.auth import LOGIN_AT, SEEN_AT
from gateway.services.staff import create_staff
from tests.console.conftest import log_in, post

TODAY = "/console/c/AB/today/"


def _replay(app, cookie: str):
    """A new browser holding a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def test_a_cookie_copied_before_logout_gets_the_login_page(app, admin):
    copied = admin.get_cookie("session").value
    assert _replay(app, copied).get(TODAY).status_code == 200
    assert post(admin, "/console/logout").status_code == 302
    replayed = _replay(app, copied).get(TODAY)
    assert replayed.status_code == 302
    assert replayed.location.startswith("/console/login")


def test_logging_in_again_after_logout_works_and_old_copies_stay_dead(app, admin, world):
    copied = admin.get_cookie("session").value
    post(admin, "/console/logout")
    fresh = app.test_client()
    assert log_in(fresh, "admin").status_code == 302
    assert fresh.get(TODAY).status_code == 200
    assert _replay(app, copied).get(TODAY).status_code == 302


def test_a_new_password_ends_copies_too(app, admin):
    copied = admin.get_cookie("session").value
    create_staff("admin", "another-password-2", ["AB"], "admin")
    assert _replay(app, copied).get(TODAY).status_code == 302


@pytest.mark.parametrize(
    ("clock", "setting"),
    [(SEEN_AT, "session_idle_minutes"), (LOGIN_AT, "session_max_hours")],
)
def test_a_session_past_its_timeout_gets_the_login_page(app, admin, clock, setting):
    settings = app.config["SETTINGS"]
    limit = getattr(settings, setting) * (60 if setting.endswith("minutes") else 3600)
    with admin.session_transaction() as session:
        session[clock] = int(time.time()) - limit + 120
    assert admin.get(TODAY).status_code == 200
    with admin.session_transaction() as session:
        session[clock] = int(time.time()) - limit - 1
    assert admin.get(TODAY).status_code == 302
    with admin.session_transaction() as session:
        assert "_user_id" not in session


def test_use_keeps_an_idle_session_alive(app, admin):
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], session_idle_minutes=5)
    with admin.session_transaction() as session:
        session[SEEN_AT] = int(time.time()) - 4 * 60
    assert admin.get(TODAY).status_code == 200
    with admin.session_transaction() as session:
        assert session[SEEN_AT] >= int(time.time()) - 5


def test_a_session_without_its_clocks_is_refused(app, admin):
    with admin.session_transaction() as session:
        del session[LOGIN_AT]
    assert admin.get(TODAY).status_code == 302


def test_timeouts_are_settings_with_defaults(tmp_path):
    settings = Settings.from_env({}, tmp_path)
    assert (settings.session_idle_minutes, settings.session_max_hours) == (120, 12)
    assert settings.trusted_proxies == 0
    custom = Settings.from_env(
        {"SESSION_IDLE_MINUTES": "15", "SESSION_MAX_HOURS": "8", "TRUSTED_PROXIES": "2"}, tmp_path
    )
    assert (custom.session_idle_minutes, custom.session_max_hours, custom.trusted_proxies) == (
        15,
        8,
        2,
    )
    for bad in (
        {"SESSION_IDLE_MINUTES": "0"},
        {"SESSION_MAX_HOURS": "²"},
        {"TRUSTED_PROXIES": "-1"},
    ):
        with pytest.raises(ConfigError):
            Settings.from_env(bad, tmp_path)
