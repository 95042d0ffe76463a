"""Nobody reaches a commune that is not theirs, by any URL; readers never write."""

from __future__ import annotations

import pytest

from db.models import Case, ReminderSchedule, StaffUser
from gateway.console.scoping import scoped
from tests.console.conftest import open_case, post

READ_PAGES = [
    "/console/c/{c}/today/",
    "/console/c/{c}/households/",
    "/console/c/{c}/households/export.csv",
    "/console/c/{c}/households/export.xlsx",
    "/console/c/{c}/teams/",
    "/console/c/{c}/schedules/",
    "/console/c/{c}/cases/",
    "/console/c/{c}/messages/",
    "/console/c/{c}/messages/?box=in",
    "/console/c/{c}/reports/",
    "/console/c/{c}/reports/daily.csv",
    "/console/c/{c}/reports/daily.xlsx",
    "/console/c/{c}/simulator/",
]
EDIT_PAGES = [
    "/console/c/{c}/households/import",
    "/console/c/{c}/schedules/new",
]


@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_admin_reads_every_page_of_their_commune(admin, world, page):
    assert admin.get(page.format(c="AB")).status_code == 200


@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_another_communes_pages_are_forbidden(admin, world, page):
    assert admin.get(page.format(c="CD")).status_code == 403


def test_an_unknown_commune_looks_like_a_forbidden_one(admin, world):
    assert admin.get("/console/c/NOPE/today/").status_code == 403


@pytest.mark.parametrize("page", READ_PAGES)
def test_viewer_reads(as_user, page):
    assert as_user("viewer").get(page.format(c="AB")).status_code == 200


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_viewer_gets_no_edit_page(as_user, page):
    assert as_user("viewer").get(page.format(c="AB")).status_code == 403


def test_district_user_sees_each_of_their_communes(as_user, world):
    district = as_user("district")
    home = district.get("/console/").get_data(as_text=True)
    assert "Xa An Binh" in home and "Xa Cam Dinh" in home
    for code in ("AB", "CD"):
        assert district.get(f"/console/c/{code}/today/").status_code == 200
    assert district.get("/console/c/CD/households/").status_code == 200
    assert district.get("/console/c/AB/schedules/new").status_code == 403


def _edit_of_another_commune(world) -> list[str]:
    foreign_case = open_case(world.foreign_household)
    schedule = ReminderSchedule.create(
        commune=world.cd, name="CD", times="07:30", template="Nho khai bao"
    )
    return [
        f"/console/c/AB/households/{world.foreign_household.id}",
        f"/console/c/AB/cases/{foreign_case.id}",
        f"/console/c/AB/teams/{world.foreign_team.id}",
        f"/console/c/AB/schedules/{schedule.id}",
    ]


def test_another_communes_objects_are_not_found_through_your_own_commune(admin, world):
    for url in _edit_of_another_commune(world):
        assert admin.get(url).status_code == 404, url


def test_writes_to_another_communes_objects_are_not_found(admin, world):
    foreign_case = open_case(world.foreign_household)
    for url, data in [
        (f"/console/c/AB/cases/{foreign_case.id}/acknowledge", {}),
        (f"/console/c/AB/cases/{foreign_case.id}/resolve", {"note": "x"}),
        (f"/console/c/AB/teams/{world.foreign_team.id}/assign", {}),
        (f"/console/c/AB/households/{world.foreign_household.id}", {"head_name": "X"}),
    ]:
        assert post(admin, url, data).status_code == 404, url
    assert Case.get_by_id(foreign_case.id).state == "open"


def test_a_member_of_another_commune_cannot_be_given_a_case(admin, world):
    case = open_case(world.household)
    response = post(
        admin, f"/console/c/AB/cases/{case.id}/reassign", {"member": world.foreign_member.id}
    )
    assert response.status_code == 302
    assert Case.get_by_id(case.id).member_id == world.member.id


def test_viewer_and_district_get_403_on_every_write(as_user, world):
    case = open_case(world.household)
    writes = [
        f"/console/c/AB/households/{world.household.id}",
        "/console/c/AB/households/import",
        "/console/c/AB/households/import/" + "0" * 32 + "/confirm",
        f"/console/c/AB/teams/{world.team.id}/assign",
        "/console/c/AB/schedules/new",
        f"/console/c/AB/cases/{case.id}/acknowledge",
        f"/console/c/AB/cases/{case.id}/resolve",
        f"/console/c/AB/cases/{case.id}/reassign",
        "/console/c/AB/simulator/ussd",
    ]
    for username in ("viewer", "district"):
        client = as_user(username)
        for url in writes:
            assert post(client, url).status_code == 403, (username, url)
    assert Case.get_by_id(case.id).state == "open"


def test_lists_show_only_the_communes_own_rows(admin, world):
    open_case(world.foreign_household)
    for page in ("households/", "cases/", "today/", "teams/", "simulator/"):
        body = admin.get(f"/console/c/AB/{page}").get_data(as_text=True)
        assert "CD001" not in body and "Thon Bac" not in body, page
    assert "CD001" not in admin.get("/console/c/AB/households/export.csv").get_data(as_text=True)


def test_a_model_without_a_scoping_rule_cannot_be_queried(app, world):
    with app.test_request_context():
        from flask import g

        g.commune = world.ab
        with pytest.raises(TypeError, match="no scoping rule for StaffUser"):
            scoped(StaffUser.select(), StaffUser)
