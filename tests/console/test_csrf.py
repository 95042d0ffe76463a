"""Every console form refuses a post without its CSRF token; the webhooks never ask for one."""

from __future__ import annotations

import io

import pytest

from db.models import Case, Declaration, Household, ReminderSchedule
from tests.console.conftest import open_case


@pytest.fixture
def targets(world):
    case = open_case(world.household)
    return case, [
        ("/console/logout", {}),
        ("/console/language", {"lang": "en"}),
        (f"/console/c/AB/households/{world.household.id}", {"head_name": "Changed"}),
        ("/console/c/AB/households/import/" + "0" * 32 + "/confirm", {}),
        (f"/console/c/AB/teams/{world.team.id}/assign", {"member": world.member.id}),
        ("/console/c/AB/schedules/new", {"name": "x", "times": "07:30", "template": "x"}),
        (f"/console/c/AB/cases/{case.id}/acknowledge", {}),
        (f"/console/c/AB/cases/{case.id}/resolve", {"note": "done"}),
        (f"/console/c/AB/cases/{case.id}/reassign", {"member": world.leader.id}),
        ("/console/c/AB/simulator/ussd", {"phone": "+84912000001", "session_id": "sim-12345678"}),
    ]


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_posts_without_a_valid_token_are_refused(admin, world, targets, token):
    case, posts = targets
    for url, data in posts:
        if token:
            data = {**data, "csrf_token": token}
        response = admin.post(url, data=data)
        assert response.status_code == 400, url
    assert Case.get_by_id(case.id).state == "open"
    assert Household.get_by_id(world.household.id).head_name == "Head AB001"
    assert not ReminderSchedule.select().exists()
    assert not Declaration.select().exists()
    assert admin.get("/console/c/AB/today/").status_code == 200  # still logged in


def test_an_upload_without_a_token_is_refused(admin, world):
    response = admin.post(
        "/console/c/AB/households/import",
        data={"file": (io.BytesIO(b"commune_code,team\n"), "h.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "hết hạn" in response.get_data(as_text=True)


def test_login_without_a_token_is_refused(client, world):
    response = client.post(
        "/console/login", data={"username": "admin", "password": "correct-horse-1"}
    )
    assert response.status_code == 400


def test_webhooks_need_no_token(client, world):
    response = client.post(
        "/webhooks/africastalking/ussd",
        data={"sessionId": "s1", "phoneNumber": "+84912000001", "text": "", "serviceCode": "*1#"},
    )
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith("CON ")
