"""Two communes, their staff, and a logged-in test client for each role.

Commune AB is the one under test; CD is "another commune" whose rows must
never show through AB's pages. Tokens come from the pages themselves, so CSRF
stays on as in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.globals import app_ctx
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from db.models import Case, Commune, Household, Member, Team
from gateway.job_worker import GatewayWorker
from gateway.jobs import QUEUE_NAMES
from gateway.services.staff import create_staff
from tests import factories

PASSWORD = "correct-horse-1"
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def app(app: Flask):
    """The shared ``app``, without the app context its fixture keeps pushed.

    Flask gives each request a fresh app context, and so a fresh ``g``, only
    when none is pushed already; under the fixture's context every request of a
    test would share one ``g``, and with it Flask-Login's cached user,
    Flask-WTF's token and Flask-Babel's locale. Popped here, each test request
    gets its own context, as in production; pushed back after the test.
    """
    outer = app_ctx._get_current_object()
    outer.pop()
    yield app
    outer.push()


@dataclass
class World:
    ab: Commune
    cd: Commune
    team: Team
    other_team: Team
    member: Member
    leader: Member
    household: Household
    quiet: Household
    foreign_team: Team
    foreign_member: Member
    foreign_household: Household


def _quick_hash(password: str) -> str:
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@pytest.fixture
def world(app: Flask, monkeypatch: pytest.MonkeyPatch) -> World:
    # The real hash costs a quarter of a second by design; tests log in hundreds of times.
    monkeypatch.setattr("gateway.services.staff.generate_password_hash", _quick_hash)
    ab = factories.commune("AB", name="Xa An Binh")
    cd = factories.commune("CD", name="Xa Cam Dinh")
    team = factories.team(ab, "Thon Dong")
    other_team = factories.team(ab, "Thon Doai")
    leader = factories.member(team, "+84988000009", "Tran Van Truong", role="leader")
    member = factories.member(team, "+84988000001", "Le Thi Hoa")
    household = factories.household(team, "AB001", ("+84912000001",), member, village="Dong")
    quiet = factories.household(other_team, "AB002", ("+84912000002",), None, phone_kind="none")
    foreign_team = factories.team(cd, "Thon Bac")
    foreign_member = factories.member(foreign_team, "+84988000101", "Pham Van Xa")
    foreign_household = factories.household(
        foreign_team, "CD001", ("+84912000101",), foreign_member
    )
    create_staff("admin", PASSWORD, ["AB"], "admin")
    create_staff("viewer", PASSWORD, ["AB"], "viewer")
    create_staff("district", PASSWORD, ["AB", "CD"], "district")
    create_staff("admin_cd", PASSWORD, ["CD"], "admin")
    return World(
        ab, cd, team, other_team, member, leader, household, quiet,
        foreign_team, foreign_member, foreign_household,
    )  # fmt: skip


def csrf_token(client: FlaskClient, path: str = "/console/login") -> str:
    """The token a page hands its forms, read as a browser would."""
    page = client.get(path).get_data(as_text=True)
    found = TOKEN.search(page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def log_in(client: FlaskClient, username: str, password: str = PASSWORD):
    token = csrf_token(client)
    return client.post(
        "/console/login",
        data={"csrf_token": token, "username": username, "password": password},
    )


def post(client: FlaskClient, path: str, data: dict | None = None, page: str | None = None):
    """A form post with the token of ``page`` (by default the console's home)."""
    token = csrf_token(client, page or "/console/c/AB/today/")
    return client.post(path, data={"csrf_token": token, **(data or {})})


@pytest.fixture
def as_user(app: Flask, world: World):
    """``as_user("viewer")``: a fresh client logged in as that staff user."""

    def logged_in(username: str) -> FlaskClient:
        client = app.test_client()
        response = log_in(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return logged_in


@pytest.fixture
def admin(as_user) -> FlaskClient:
    return as_user("admin")


def open_case(household: Household, **values) -> Case:
    values = {"kind": "symptoms", "symptoms": "1,3", "people": 1, "source": "ussd", **values}
    return Case.create(
        commune=household.commune_id,
        household=household,
        member=household.member_id,
        phone=household.phones.first().phone,
        **values,
    )


@pytest.fixture
def work(app):
    """A real RQ worker in this process, run until the queues are empty."""

    def run() -> None:
        queues = [app.extensions["queues"][name] for name in QUEUE_NAMES]
        with app.app_context():
            GatewayWorker(queues, connection=app.extensions["redis"]).work(burst=True)

    return run
