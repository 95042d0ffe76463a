"""Issue 15, driven as the attacker did: two communes, RL01 and RL02, an admin of each.

Every write reached from RL01's pages (imports aside: see the import tests)
touches only RL01's rows, and no answer names anything of RL02.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from db.models import (
    Case,
    CaseEvent,
    Declaration,
    Household,
    HouseholdPhone,
    Member,
    ReminderSchedule,
    Team,
)
from gateway.services.staff import create_staff
from tests import factories
from tests.console.conftest import csrf_token, log_in, open_case


@dataclass
class Communes:
    team: Team
    member: Member
    household: Household
    other_team: Team
    other_member: Member
    other_household: Household


@pytest.fixture
def communes(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Communes:
    monkeypatch.setattr(
        "gateway.services.staff.generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )
    rl01, rl02 = factories.commune("RL01"), factories.commune("RL02")
    team, other_team = factories.team(rl01, "Team 0"), factories.team(rl02, "Team 0")
    member = factories.member(team, "+84977700101", "Member RL01")
    other_member = factories.member(other_team, "+84977700001", "Member RL02")
    household = factories.household(team, "H00001", ("+84918800101",), member)
    other_household = factories.household(other_team, "X00001", ("+84918800001",), other_member)
    create_staff("admin01", "password-rl01", ["RL01"], "admin")
    create_staff("admin02", "password-rl02", ["RL02"], "admin")
    return Communes(team, member, household, other_team, other_member, other_household)


@pytest.fixture
def attacker(app: Flask, communes: Communes) -> FlaskClient:
    client = app.test_client()
    assert log_in(client, "admin01", "password-rl01").status_code == 302
    return client


def send(client: FlaskClient, path: str, data: dict | None = None):
    token = csrf_token(client, "/console/c/RL01/today/")
    return client.post(f"/console/c/RL01/{path}", data={"csrf_token": token, **(data or {})})


def household_form(household: Household, **changes) -> dict:
    return {
        "head_name": household.head_name,
        "village": household.village,
        "people": household.people,
        "phones": "",
        "phone_kind": household.phone_kind,
        "language": household.language,
        "team": household.team_id,
        "member": household.member_id or 0,
        **changes,
    }


def stored(row) -> dict:
    """The row as the database holds it now."""
    return dict(type(row).get_by_id(row.id).__data__)


def test_a_household_edit_cannot_take_another_communes_phone_or_learn_its_owner(attacker, communes):
    response = send(
        attacker,
        f"households/{communes.household.id}",
        household_form(communes.household, phones="0918 800 001"),
    )
    body = response.get_data(as_text=True)
    assert "đăng ký ở nơi khác" in body
    assert "X00001" not in body and "RL02" not in body
    owner = HouseholdPhone.get(HouseholdPhone.phone == "+84918800001").household_id
    assert owner == communes.other_household.id
    assert {p.phone for p in communes.household.phones} == {"+84918800101"}


def test_a_household_edit_cannot_use_another_communes_team_or_member(attacker, communes):
    before = stored(communes.household)
    for change in ({"team": communes.other_team.id}, {"member": communes.other_member.id}):
        response = send(
            attacker,
            f"households/{communes.household.id}",
            household_form(communes.household, head_name="Moved", **change),
        )
        assert response.status_code in (200, 404)
    assert stored(communes.household) == before


def test_another_communes_household_cannot_be_edited(attacker, communes):
    before = stored(communes.other_household)
    response = send(
        attacker,
        f"households/{communes.other_household.id}",
        household_form(communes.other_household, head_name="Hijacked", team=communes.team.id),
    )
    assert response.status_code == 404
    assert stored(communes.other_household) == before


def test_team_assignment_cannot_reach_another_communes_households_or_members(attacker, communes):
    before = [stored(communes.household), stored(communes.other_household)]
    for team in (communes.team, communes.other_team):
        send(
            attacker,
            f"teams/{team.id}/assign",
            {"member": communes.member.id, "households": [communes.other_household.id]},
        )
        send(
            attacker,
            f"teams/{team.id}/assign",
            {"member": communes.other_member.id, "households": [communes.household.id]},
        )
    assert [stored(communes.household), stored(communes.other_household)] == before


def test_case_actions_cannot_reach_another_communes_cases_or_members(attacker, communes):
    theirs = open_case(communes.other_household)
    ours = open_case(communes.household)
    before = [stored(theirs), stored(ours)]
    for action, data in (
        ("acknowledge", {}),
        ("resolve", {"note": "closed by RL01"}),
        ("reassign", {"member": communes.member.id}),
    ):
        assert send(attacker, f"cases/{theirs.id}/{action}", data).status_code == 404
    send(attacker, f"cases/{ours.id}/reassign", {"member": communes.other_member.id})
    assert [stored(theirs), stored(ours)] == before
    assert not CaseEvent.select().where(CaseEvent.member == communes.other_member.id).exists()
    assert Case.get_by_id(theirs.id).state == "open"


def test_schedules_cannot_target_or_change_another_communes(attacker, communes):
    theirs = ReminderSchedule.create(
        commune=communes.other_team.commune, name="RL02", times="07:30", template="Nho khai bao"
    )
    before = stored(theirs)
    schedule = {
        "name": "Hijack",
        "audience": "team",
        "team": communes.other_team.id,
        "times": "07:30",
        "weekdays": ["1", "2"],
        "template": "Khai bao",
    }
    send(attacker, "schedules/new", schedule)
    assert send(attacker, f"schedules/{theirs.id}", schedule).status_code == 404
    assert stored(theirs) == before
    assert not ReminderSchedule.select().where(ReminderSchedule.team == communes.other_team.id)


def test_the_simulator_cannot_declare_for_another_communes_household(attacker, communes):
    token = csrf_token(attacker, "/console/c/RL01/simulator/")
    response = attacker.post(
        "/console/c/RL01/simulator/ussd",
        data={
            "csrf_token": token,
            "phone": "+84918800001",
            "session_id": "sim-attack0001",
            "text": "1",
        },
    )
    assert response.status_code == 400
    assert "X00001" not in json.dumps(response.get_json())
    assert not Declaration.select().exists()


def test_the_other_admin_still_sees_their_commune_whole(app, attacker, communes):
    send(
        attacker,
        f"households/{communes.household.id}",
        household_form(communes.household, phones="0918800001"),
    )
    victim = app.test_client()
    assert log_in(victim, "admin02", "password-rl02").status_code == 302
    page = victim.get("/console/c/RL02/households/").get_data(as_text=True)
    assert "X00001" in page and "+84918800001" in page
    assert attacker.get("/console/c/RL02/households/").status_code == 403
